"""Build the book and run every validator: the manuscript lint, EPUBCheck, Ace by DAISY (when it is
installed) and the PDF checks. One report, grouped by severity; exit 1 when it has errors."""

from __future__ import annotations

import argparse
import json

from ..notices import SEVERITIES, Notices
from ..pipeline import check_book
from .build import add_build_options, options

HELP = "build, run every validator and lint the manuscript; one report"
FAILED = 1


USAGE = "make-book check [BOOK_DIR] [options]"


def add_arguments(p: argparse.ArgumentParser) -> None:
    add_build_options(p)
    p.add_argument("--json", action="store_true", help="print the report as JSON (for CI) instead of text")
    p.add_argument("--no-ace", dest="ace", action="store_false", help="skip Ace by DAISY (it starts a browser)")


def run(args: argparse.Namespace, console) -> int:
    notices = Notices()
    report = None if args.json else console.stage
    outputs = check_book(args.book_dir, args.format, args.out, options(args), report=report, notices=notices,
                    ace=args.ace)
    counts = {severity: len(notices.of(severity)) for severity in SEVERITIES}
    if args.json:
        console.emit(console.out, json.dumps({"book": str(args.book_dir.resolve()),
                                              "outputs": [str(o.path) for o in outputs], "counts": counts,
                                              "findings": [n.as_dict() for n in notices]}, indent=2))
    else:
        console.report(notices, counts)
    return FAILED if counts["error"] else 0
