"""Build many books, each into its own folder under --out, in local processes or on a Dask
cluster: one line per book as it finishes, then a table. A failing book stops no other; the exit
code is the number of books that failed (64 for 64 or more)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..pipeline.catalogue import build_catalogue
from .build import add_format_option, options

HELP = "build many books, locally or on a Dask cluster"
MAX_EXIT = 64


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("book_dirs", nargs="+", type=Path, metavar="BOOK_DIR", help="the book folders")
    p.add_argument("--out", default="dist", type=Path, help="output folder: each book into OUT/NAME (default: dist)")
    add_format_option(p)
    p.add_argument("--jobs", type=int, metavar="N", help="books built at once on this machine (default: the cores)")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="build on the Dask cluster whose scheduler is at ADDRESS (e.g. tcp://10.0.0.5:8786)")
    p.add_argument("--force", action="store_true", help="make every output again, even those the cache says are current")
    p.set_defaults(trim=None, paper=None, marks=None, pdf_variant=None)


def run(args: argparse.Namespace, console) -> int:
    def line(result) -> None:
        if result.error:
            console.error(f"{result.name}: {result.error}")
        state = "failed" if result.error else "unchanged" if not result.made else "built"
        made = f"{len(result.made)} made, {len(result.cached)} unchanged" if not result.error else "nothing written"
        console.say(f"{state:<10}{result.name}  {made}  {result.seconds:.2f} s")

    results = build_catalogue(args.book_dirs, args.out, args.format, options(args), args.jobs, args.scheduler,
                              report=line, force=args.force)
    console.say(summary(results))
    return min(sum(1 for r in results if r.error), MAX_EXIT)


def summary(results) -> str:
    rows = [("book", "outputs", "time", "errors")]
    rows += [(r.name, str(len(r.made) + len(r.cached)), f"{r.seconds:.2f} s", "1" if r.error else "0") for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
