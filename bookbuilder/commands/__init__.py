"""One thin module per verb (Standard Ebooks' se/commands/): arguments in, the pipeline does the work.

Each module has HELP, add_arguments(parser) and run(args, console) -> exit code.
"""

from . import build, check, import_, new, serve

COMMANDS = {"build": build, "new": new, "check": check, "serve": serve, "import": import_}
