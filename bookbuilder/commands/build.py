"""Build the book folder's EPUB, print PDF, cover PDF and handout PDF into the output folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..formats import FORMATS, default_formats
from ..manuscript.config import HANDOUT_PAPERS, PDF_VARIANTS
from ..notices import Notices
from ..pipeline import build

HELP = "build the outputs (the default command)"
USAGE = "make-book [build] [BOOK_DIR] [options]"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_build_options(p)
    p.add_argument("--force", action="store_true",
                   help="make every output again, even those the cache says are current")
    p.add_argument("--jobs", type=int, metavar="N", help="layout processes at most (default: the usable cores)")


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The book folder and output settings: 'build' and 'check' take the same ones."""
    p.add_argument("book_dir", nargs="?", default="book", type=Path, help="the book folder (default: book)")
    add_format_option(p)
    p.add_argument("--out", default="dist", type=Path, help="output folder (default: dist)")
    p.add_argument("--trim", help="print trim size: A5, Letter, '6in 9in' (book.toml's else)")
    p.add_argument("--paper", choices=HANDOUT_PAPERS, help="handout paper (book.toml's else)")
    p.add_argument("--marks", action="store_const", const=True, help="crop marks on the print PDF and cover")
    p.add_argument("--pdf-variant", choices=PDF_VARIANTS, metavar="VARIANT",
                   help="a PDF/A, PDF/UA or PDF/X variant, e.g. pdf/x-1a (the list: the manual)")


def add_format_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", type=formats, action=FormatList,
                   help=f"outputs, comma-separated: {', '.join(FORMATS)} (default: book.toml's, else the "
                        f"first {len(default_formats())})")


class FormatList(argparse.Action):
    """'--format print --format epub' adds up, as '--format print,epub' does."""

    def __call__(self, parser, namespace, values, option_string=None):
        chosen = getattr(namespace, self.dest)
        setattr(namespace, self.dest, list(dict.fromkeys((chosen or []) + values)))


def formats(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; "
                                         f"choose from {', '.join(FORMATS)}")
    return names


def options(args: argparse.Namespace) -> dict:
    """Command-line output settings, as load_book takes them (None: book.toml decides)."""
    return {"trim": args.trim, "handout_paper": args.paper, "marks": args.marks, "pdf_variant": args.pdf_variant}


def run(args: argparse.Namespace, console) -> int:
    notices = Notices()
    try:
        build(args.book_dir, args.format, args.out, options(args), report=console.stage, notices=notices,
              force=args.force, jobs=args.jobs)
    finally:
        for notice in notices:
            console.notice(notice)
    return 0
