#!/usr/bin/env python3
"""Build the default book with make-book and with pandoc 3.9, in alternating runs; print medians,
ratios against the targets, and peak memory.

    python bench/bench.py [--runs 5] [--scale 40]

Setup: pandoc comes from PyPI's pypandoc-binary (bench/requirements.txt), installed by this script
when it is missing; it is a benchmark tool, not a dependency of make-book. Pandoc reads the same
chapters (front matter turned into a level-1 heading, so it splits chapters as we do) and makes its
PDF with WeasyPrint (--pdf-engine=weasyprint), the layout engine make-book uses.

Every timed step is a fresh process, timed from start to exit; peak memory is the largest resident
set of the process or any process it waited for (os.wait4). make-book runs with --force except in
the no-op row and the EPUB row that deletes the EPUB first and keeps the cache (the print edition's
page map is served, as after an edit to styles/epub.css); its other rows and pandoc's alternate
which goes first.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENTS = Path(__file__).resolve().parent / "requirements.txt"
PANDOC_VERSION = "3.9"
FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)


@dataclass
class Runs:
    seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    steps: list[Runs] = field(default_factory=list)  # of a step of several commands (timed()): each one's run

    def median(self) -> float:
        return statistics.median(self.seconds)

    def part(self, index: int) -> Runs:
        """The runs of the ``index``-th command of each step (pandoc's EPUB of its EPUB + PDF)."""
        return Runs([step.seconds[index] for step in self.steps], [step.peak_kib[index] for step in self.steps])


def pandoc() -> str:
    """The pandoc binary of pypandoc-binary, installed first if it is missing or not 3.9."""
    try:
        import pypandoc
        if pypandoc.get_pandoc_version() == PANDOC_VERSION:
            return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pass
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "-r", str(REQUIREMENTS)], check=True)
    import pypandoc
    return pypandoc.get_pandoc_path()


def run(command: list[str], into: Runs, cwd: Path = ROOT) -> None:
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    into.seconds.append(seconds)
    into.peak_kib.append(usage.ru_maxrss)  # KiB on Linux


def scaled_book(source: Path, target: Path, times: int) -> Path:
    """The book with its chapters repeated ``times`` times (each copy a file of its own) and the
    default book's pictures (the repository's images/, which only the book in book/ finds there)."""
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "images", target / "images")
    toml = (source / "book.toml").read_text(encoding="utf-8")
    chapters = tomllib.loads(toml)["book"]["chapters"]
    names = []
    for n in range(1, times + 1):
        for name in chapters:
            copy = f"copy{n:02d}-{name}" if times > 1 else name  # a chapter file name starts with a letter
            shutil.copy(source / name, target / copy)
            names.append(copy)
    listed = "chapters = [" + ", ".join(f'"{n}"' for n in names) + "]"
    (target / "book.toml").write_text(re.sub(r"(?m)^chapters = \[.*\]$", listed, toml), encoding="utf-8")
    return target


def pandoc_input(book: Path, target: Path) -> list[Path]:
    """The chapters as pandoc reads a book: a level-1 heading where our front matter names it."""
    target.mkdir(parents=True)
    files = []
    for name in tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))["book"]["chapters"]:
        text = (book / name).read_text(encoding="utf-8")
        title = re.search(r"(?m)^title:\s*(.+)$", FRONT_MATTER.match(text).group(1)).group(1).strip()
        (target / name).write_text(f"# {title}\n\n{FRONT_MATTER.sub('', text)}", encoding="utf-8")
        files.append(target / name)
    return files


def pandoc_command(binary: str, book: Path, chapters: list[Path], output: Path) -> list[str]:
    meta = tomllib.loads((book / "book.toml").read_text(encoding="utf-8"))["book"]
    command = [binary, "-f", "markdown", "--toc", f"--resource-path={book}:{ROOT}", "-M", f"title={meta['title']}",
               "-M", f"lang={meta['language']}", "-M", f"date={meta['date']}", *map(str, chapters), "-o", str(output)]
    return command + (["--pdf-engine=weasyprint"] if output.suffix == ".pdf" else [])


def make_book(book: Path, out: Path, formats: str, force: bool = True) -> list[str]:
    return [sys.executable, str(ROOT / "make_book.py"), str(book), "--out", str(out), "--format", formats] \
        + (["--force"] if force else [])


def alternate(runs: int, *steps: list[list[str]]) -> tuple[Runs, ...]:
    """``runs`` rounds of every step (each a list of commands), the order turned by one each round
    (with two steps: ours then pandoc's, pandoc's first on odd rounds), so a change of load falls on
    each step alike."""
    times = [Runs() for _ in steps]
    for n in range(runs):
        order = list(range(len(steps)))
        for index in order[n % len(steps):] + order[:n % len(steps)]:
            timed(steps[index], times[index])
    return tuple(times)


def timed(commands: list[list[str]], into: Runs) -> None:
    """Several commands as one step (pandoc's EPUB and PDF make its full build)."""
    step = Runs()
    for command in commands:
        run(command, step)
    into.seconds.append(sum(step.seconds))
    into.peak_kib.append(max(step.peak_kib))
    into.steps.append(step)


def mib(runs: Runs) -> str:
    return f"{max(runs.peak_kib) / 1024:,.0f}"


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    args.add_argument("--runs", type=int, default=5, help="runs of each step (default 5; medians need >= 5)")
    args.add_argument("--scale", type=int, default=40, help="how many times the long book repeats the chapters")
    options = args.parse_args()
    binary = pandoc()
    work = Path(tempfile.mkdtemp(prefix="bookbuilder-bench-"))
    book = ROOT / "book"
    long_book = scaled_book(book, work / "long", options.scale)
    chapters, long_chapters = pandoc_input(book, work / "pandoc"), pandoc_input(long_book, work / "pandoc-long")
    out, pout = work / "out", work / "pandoc-out"
    epub = pandoc_command(binary, book, chapters, pout / "book.epub")
    pdf = pandoc_command(binary, book, chapters, pout / "book.pdf")
    pout.mkdir()
    load = os.getloadavg()
    print(f"make-book vs pandoc {PANDOC_VERSION}; {options.runs} runs each, medians; {os.cpu_count()} cores; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    rows = []

    def row(name: str, mine: Runs, theirs: Runs | None, ratio: float, target: str) -> None:
        rows.append((name, f"{mine.median():.2f}", f"{theirs.median():.2f}" if theirs else "-", f"{ratio:.3f}",
                     target, mib(mine), mib(theirs) if theirs else "-"))
        print("  done:", name, flush=True)

    mine, theirs = alternate(options.runs, [make_book(book, out, "epub")], [epub])
    row("EPUB only", mine, theirs, mine.median() / theirs.median(), "<= 0.5 x pandoc")
    warm = Runs()
    for _ in range(options.runs):
        next(out.glob("*.epub")).unlink()  # as after an edit to styles/epub.css: the print layout is unchanged
        run(make_book(book, out, "epub", force=False), warm)
    row("EPUB made again (page map cached)", warm, theirs, warm.median() / theirs.median(), "<= 1.0 x pandoc")
    mine, theirs = alternate(options.runs, [make_book(book, out, "print")], [pdf])
    row("print PDF only", mine, theirs, mine.median() / theirs.median(), "-")
    full, theirs = alternate(options.runs, [make_book(book, out, "epub,print,handout,cover")], [epub, pdf])
    row("full build (all 4 outputs)", full, theirs, full.median() / theirs.median(), "<= 1.0 x pandoc EPUB+PDF")
    noop = Runs()
    for _ in range(options.runs):
        run(make_book(book, out, "epub,print,handout,cover", force=False), noop)
    row("no-op rebuild", noop, None, noop.median() / full.median(), "<= 0.05 x full build")
    table(rows)  # the default book's rows, before the long book's build (many minutes)
    long_epub = pandoc_command(binary, long_book, long_chapters, pout / "long.epub")
    long_pdf = pandoc_command(binary, long_book, long_chapters, pout / "long.pdf")
    long, theirs = alternate(options.runs, [make_book(long_book, work / "long-out", "epub,print,handout,cover")],
                             [long_epub, long_pdf])
    row(f"{options.scale}x book, full build", long, theirs, long.median() / full.median(),
        "<= 45 x the 1x full build; peak <= 1024 MiB")
    long_print = next((work / "long-out").glob("*-print.pdf"))
    info = subprocess.run(["pdfinfo", str(long_print)], capture_output=True, check=True, text=True).stdout
    pages = re.search(r"Pages:\s+(\d+)", info).group(1)
    load = os.getloadavg()
    table(rows)
    print(f"\nratios: EPUB and full rows against pandoc; no-op and {options.scale}x rows against make-book's full "
          f"build; the {options.scale}x print PDF has {pages} pages. "
          f"Load average at the end {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.")
    shutil.rmtree(work)


def table(rows: list[tuple]) -> None:
    heads = ("row", "make-book s", "pandoc s", "ratio", "target", "make-book MiB", "pandoc MiB")
    widths = [max(len(str(r[i])) for r in [heads, *rows]) for i in range(len(heads))]
    print(flush=True)
    for r in [heads, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip(), flush=True)


if __name__ == "__main__":
    main()
