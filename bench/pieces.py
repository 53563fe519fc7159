#!/usr/bin/env python3
"""What laying out the print edition and the handout piece by piece buys on a long book: a one-word edit, then a
build, against a full build; the EPUB after such an edit against pandoc's EPUB; a full build on
all cores against --jobs 1 and against pandoc's EPUB + PDF; 'make-book check' straight after a build
(what it costs beyond its validators' own run, against the build); and 'make-book serve': the
preview's print PDF and page after a one-word edit is saved, timed from the save to the last byte
served. Medians of --runs, every step a fresh process (bench.py's timing).

    python bench/pieces.py [--runs 3] [--scale 22]

The book is generated, not committed: the default book's chapters repeated --scale times, each copy
a chapter of its own (22 copies: about 400 print pages). A full build is --force into an output
folder that keeps its cache: the layout starts from the folios the last build settled on (a first
build needs a second round for them); full builds alternate with pandoc's EPUB and PDF of the
same chapters (its PDF with WeasyPrint, as in bench.py) and with full builds on one core (--jobs 1),
the order turned each round. An edit changes one word in the middle
copy of chapter 3 (the chapter with the word), a different place each run, then builds without
--force (the cache serves every other piece, of the print edition and of the handout).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import (
    PANDOC_VERSION,
    ROOT,
    Runs,
    alternate,
    make_book,
    pandoc,
    pandoc_command,
    pandoc_input,
    run,
    scaled_book,
)

ALL = "epub,print,handout,cover"
WORDS = ("history", "histories")  # the edit: the first of one becomes the other, and back


def edit(chapter: Path) -> None:
    """Change one word of ``chapter``'s text (not its front matter), so its piece is laid out again."""
    text = chapter.read_text(encoding="utf-8")
    head, _, body = text.partition("\n---\n")
    old, new = WORDS if re.search(rf"\b{WORDS[0]}\b", body) else WORDS[::-1]
    body = re.sub(rf"\b{old}\b", new, body, count=1)
    chapter.write_text(f"{head}\n---\n{body}", encoding="utf-8")


def edited(command: list[str], chapter: Path, runs: int) -> Runs:
    times = Runs()
    for _ in range(runs):
        edit(chapter)
        run(command, times)
    return times


def checked(book: Path, out: Path, runs: int) -> tuple[Runs, Runs]:
    """'make-book check' straight after a build, ``runs`` times: its whole time, and its time beyond
    the validators' own stage lines (EPUBCheck, Ace, the PDF checks)."""
    whole, beyond = Runs(), Runs()
    for _ in range(runs):
        run(make_book(book, out, ALL, force=False), Runs())  # the build the check follows
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(ROOT / "make_book.py"), "check", str(book), "--out", str(out),
                                 "--no-ace"], capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - started
        validators = sum(float(m.group(1)) for m in re.finditer(r"^(?:epubcheck|ace|pdf)\s.*?([\d.]+) s$",
                                                                 result.stdout, re.MULTILINE))
        whole.seconds.append(seconds)
        whole.peak_kib.append(0)
        beyond.seconds.append(seconds - validators)
        beyond.peak_kib.append(0)
    return whole, beyond


def served(book: Path, out: Path, chapter: Path, runs: int) -> tuple[Runs, Runs, float]:
    """'make-book serve' on the book: after each of ``runs`` one-word edits, the seconds from the save
    to the last byte of the preview page, and of its print PDF; and the first opening's PDF."""
    page, pdf = Runs(), Runs()
    server = subprocess.Popen([sys.executable, "-u", str(ROOT / "make_book.py"), "serve", str(book), "--port", "0",
                               "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        address = next(m.group(1) for line in server.stdout if (m := re.search(r"at (http://\S+/)", line)))
        fetch = lambda path: urllib.request.urlopen(address + path, timeout=600).read()  # noqa: E731
        started = time.perf_counter()
        fetch("print.pdf")
        first = time.perf_counter() - started
        for _ in range(runs):
            version = fetch("_preview/version")
            edit(chapter)
            saved = time.perf_counter()
            while fetch("_preview/version") == version:
                time.sleep(0.05)
            fetch("")
            page.seconds.append(time.perf_counter() - saved)
            fetch("print.pdf")
            pdf.seconds.append(time.perf_counter() - saved)
            page.peak_kib.append(0)
            pdf.peak_kib.append(0)
    finally:
        server.terminate()
        server.wait()
    return page, pdf, first


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=3)
    args.add_argument("--scale", type=int, default=22, help="how many times the book repeats the chapters")
    options = args.parse_args()
    binary = pandoc()
    work = Path(tempfile.mkdtemp(prefix="bookbuilder-pieces-"))
    book = scaled_book(ROOT / "book", work / "long", options.scale)
    copies = sorted(book.glob("*chapter-3.md"))  # the chapter that has the word
    middle = copies[len(copies) // 2]
    out, pout = work / "out", work / "pandoc-out"
    pout.mkdir()
    chapters = pandoc_input(book, work / "pandoc")
    epub = pandoc_command(binary, book, chapters, pout / "book.epub")
    pdf = pandoc_command(binary, book, chapters, pout / "book.pdf")
    run(make_book(book, out, ALL), Runs())  # the cache and the settled folios the rows start from
    rows = []

    def row(name: str, mine: Runs, against: Runs, against_name: str, target: str) -> None:
        rows.append((name, f"{mine.median():.2f}", against_name, f"{against.median():.2f}",
                     f"{mine.median() / against.median():.3f}", target, f"{max(mine.peak_kib) / 1024:,.0f}"))
        print("  done:", "  ".join(rows[-1]), flush=True)

    full, theirs, one_core = alternate(options.runs, [make_book(book, out, ALL)], [epub, pdf],
                                       [make_book(book, out, ALL) + ["--jobs", "1"]])
    pandoc_epub = theirs.part(0)
    row("one-word edit, then full build", edited(make_book(book, out, ALL, force=False), middle, options.runs),
        full, "full build", "<= 0.15")
    row("one-word edit, then print + EPUB", edited(make_book(book, out, "epub,print", force=False), middle,
                                                   options.runs), full, "full build", "-")
    row("one-word edit, then EPUB", edited(make_book(book, out, "epub", force=False), middle, options.runs),
        pandoc_epub, f"pandoc {PANDOC_VERSION} EPUB", "<= 1.0")
    row("full build, all cores", full, one_core, "full build, --jobs 1", "<= 0.6")
    row("full build, all cores", full, theirs, f"pandoc {PANDOC_VERSION} EPUB + PDF", "<= 1.5")
    whole, beyond = checked(book, out, options.runs)
    row("check after a build, beyond its validators", beyond, full, "full build", "<= 0.5")
    row("check after a build, in all", whole, full, "full build", "-")
    page, pdf, first = served(book, out, middle, options.runs)
    seconds = Runs([1.0] * options.runs, [0] * options.runs)
    row("serve: the page, from a one-word edit's save", page, seconds, "1 s", "<= 1.0")
    row("serve: the print PDF, from a one-word edit's save", pdf, Runs([3.0], [0]), "3 s", "<= 1.0")
    print(f"  serve: the print PDF's first opening (its pieces cached by the builds): {first:.2f} s", flush=True)
    pages = re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(next(out.glob("*-print.pdf")))],
                                                        capture_output=True, text=True, check=True).stdout).group(1)
    heads = ("row", "make-book s", "against", "s", "ratio", "target", "peak MiB")
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
    load = os.getloadavg()
    print(f"\n{options.scale}x default book, {pages} print pages; {options.runs} runs each, medians; "
          f"{len(os.sched_getaffinity(0))} usable cores; load average at the end {load[0]:.2f}")
    for r in [heads, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
