"""The make-book command: pick the verb, parse its arguments, run it, turn errors into exit codes.

``make-book [BOOK_DIR] [options]`` is ``make-book build …``: building is what the command did first.
"""

from __future__ import annotations

import argparse
import sys
import traceback

from .commands import COMMANDS, command
from .console import Console
from .errors import BookError

INTERNAL_ERROR = 70
DEFAULT_COMMAND = "build"


MANUAL = "docs/"  # the manual's book folder in this repository


def parser(verb: str | None = None) -> argparse.ArgumentParser:
    """The command line of ``verb`` (every verb when None, for the top-level help)."""
    # Every command takes these; its --help leaves them to 'make-book --help', so that it fits one screen.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", help=argparse.SUPPRESS)
    common.add_argument("-v", "--verbose", action="store_true", help=argparse.SUPPRESS)
    common.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    p = argparse.ArgumentParser(prog="make-book", description="Make books from a book folder (book.toml + Markdown "
                                "chapters). Without a command, make-book builds: 'make-book [build] [BOOK_DIR]'. "
                                "Every command takes -q (print only warnings and errors), -v (each stage's details "
                                "too) and --debug (a traceback on an internal error).",
                                epilog=f"The manual: {MANUAL} (a book: 'make-book docs' makes it), its commands in "
                                f"{MANUAL}commands.md.")
    verbs = p.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for name in [verb] if verb else COMMANDS:
        module = command(name)
        sub = verbs.add_parser(name, parents=[common], help=module.HELP, description=module.HELP[0].upper()
                               + module.HELP[1:] + ".", usage=getattr(module, "USAGE", None),
                               epilog=f"The manual: {MANUAL}commands.md, 'make-book {name}'.",
                               formatter_class=lambda prog: argparse.HelpFormatter(prog, max_help_position=28))
        module.add_arguments(sub)
        sub.set_defaults(command=module)
    return p


def with_command(argv: list[str]) -> list[str]:
    """Put 'build' in front unless a command (or top-level help) is named."""
    if argv and (argv[0] in COMMANDS or argv[0] in ("-h", "--help")):
        return argv
    return [DEFAULT_COMMAND, *argv]


def main(argv: list[str] | None = None) -> int:
    argv = with_command(list(sys.argv[1:] if argv is None else argv))
    args = parser(argv[0] if argv[0] in COMMANDS else None).parse_args(argv)
    console = Console(quiet=args.quiet, verbose=args.verbose)
    try:
        return args.command.run(args, console)
    except BookError as exc:
        console.error(str(exc) + (f"  [{exc.code}: {MANUAL}errors.md]" if exc.code else ""))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line unless asked for details
        if args.debug:
            traceback.print_exc()
        else:
            console.error(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)")
        return INTERNAL_ERROR
