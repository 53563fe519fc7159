"""One thin module per verb (Standard Ebooks' se/commands/): arguments in, the pipeline does the work.

Each module has HELP, add_arguments(parser) and run(args, console) -> exit code. A module is
imported only when its verb is used (or all are listed): 'import' and 'serve' bring the Markdown
parser, the templates and Pillow, which a build the cache answers never needs.
"""

from importlib import import_module

COMMANDS = {"build": "build", "new": "new", "check": "check", "serve": "serve", "import": "import_",
            "doctor": "doctor", "catalogue": "catalogue"}


def command(name: str):
    return import_module(f".{COMMANDS[name]}", __name__)
