"""The make-book command: parse arguments, call the pipeline, turn errors into exit codes."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .build import FORMATS, Output, build
from .config import PDF_VARIANTS
from .errors import BookError
from .notices import Notices

INTERNAL_ERROR = 70


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="make-book", description="Build an EPUB 3, a print PDF and a handout PDF "
                                "from a book folder (book.toml + Markdown chapters).")
    p.add_argument("book_dir", nargs="?", default="book", type=Path, help="the book folder (default: book)")
    p.add_argument("--format", default=",".join(FORMATS), type=formats,
                   help=f"comma-separated outputs to build: {', '.join(FORMATS)} (default: all)")
    p.add_argument("--out", default="dist", type=Path, help="output folder (default: dist)")
    p.add_argument("--trim", help="print trim size, e.g. A5 or '6in 9in' (overrides book.toml)")
    p.add_argument("--paper", choices=["A4", "Letter"], help="handout paper (overrides book.toml)")
    p.add_argument("--marks", action="store_const", const=True, help="crop marks on the print PDF and cover")
    p.add_argument("--pdf-variant", choices=PDF_VARIANTS, metavar="VARIANT",
                   help=f"a WeasyPrint PDF/A or PDF/UA variant for the PDFs: {', '.join(PDF_VARIANTS)}")
    p.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    return p


def formats(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown format {', '.join(unknown) or '(none)'}; "
                                         f"choose from {', '.join(FORMATS)}")
    return names


def show(output: Output) -> None:
    print(f"{output.path}  {output.size / 1024:,.0f} KB  {output.seconds:.2f} s")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options = {"trim": args.trim, "handout_paper": args.paper, "marks": args.marks, "pdf_variant": args.pdf_variant}
    notices = Notices()
    try:
        build(args.book_dir, args.format, args.out, options, report=show, notices=notices)
    except BookError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug of ours: say so in one line unless asked for details
        if args.debug:
            traceback.print_exc()
        else:
            print(f"internal error: {type(exc).__name__}: {exc} (run again with --debug for details)",
                  file=sys.stderr)
        return INTERNAL_ERROR
    finally:
        for notice in notices:
            print(f"warning: {notice}", file=sys.stderr)
    return 0
