#!/usr/bin/env python3
"""Time and peak memory of one build as the manuscript grows: does any input grow faster than linearly?

    python bench/growth.py [--sizes 0.25 0.5 1 2] [--format epub]

For each kind of chapter (plain prose; paragraphs as long as a paragraph may be, 100,000
characters: WeasyPrint's time for one paragraph grows with its square; 10,000 and 50,000 anchors
each with a link to it, spread over the text) and each size in MB, a one-chapter book is written and built
with make-book --force in a fresh process; the table gives seconds, peak resident memory (os.wait4,
the process and its children) and the ratio to the size before: about 2 for each doubling is
linear. A chapter may have 2 MB (README: Files, limits and bad input), so 2 MB is the largest size.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bookbuilder.limits import MAX_PARAGRAPH  # noqa: E402 (the checkout's, as make_book.py runs it)

SENTENCE = "The caravan crossed the steppe at dawn, and the wind carried the dust of the road far behind it. "
TOML = """[book]
title = "Growth"
language = "en"
identifier = "urn:uuid:00000000-0000-4000-8000-00000000beef"
date = 2024-01-31
chapters = ["one.md"]
"""


def prose(size: int, anchors: int = 0) -> str:
    """About ``size`` bytes of paragraphs; with ``anchors``, that many '[..]{#aN}' spans and a link
    '[..](#aN)' to each, spread evenly (the text is longer than ``size`` if they need more room)."""
    snippets = [f"[here]{{#a{n}}} and [there](#a{n})." for n in range(anchors)]
    count = max(1, size // 300)
    filler = max(0, size - sum(len(s) + 1 for s in snippets)) // count
    text = (SENTENCE * (filler // len(SENTENCE) + 1))[:filler]
    per = -(-anchors // count) if anchors else 0
    return "\n\n".join(" ".join([text, *snippets[n * per:(n + 1) * per]]) for n in range(count))


def chapter(kind: str, size: int) -> str:
    head = "---\ntitle: Growth\n---\n\n"
    if kind == "prose":
        return head + prose(size)
    if kind == "long-paragraphs":
        longest = (SENTENCE * (MAX_PARAGRAPH // len(SENTENCE)))[:MAX_PARAGRAPH - 1]
        return head + "\n\n".join([longest] * max(1, size // MAX_PARAGRAPH))
    return head + prose(size, {"10k-anchors": 10_000, "50k-anchors": 50_000}[kind])


def run(book: Path, fmt: str) -> tuple[float, float, int]:
    """Seconds, peak MB and exit status of one make-book build."""
    out = book / "out"
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, str(ROOT / "make_book.py"), str(book), "--format", fmt, "--force",
                                "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.25, 0.5, 1, 2])
    parser.add_argument("--kinds", nargs="+", default=["prose", "long-paragraphs", "10k-anchors", "50k-anchors"])
    parser.add_argument("--format", default="epub", help="which output to build (default: epub)")
    args = parser.parse_args()
    print("| chapter | MB | seconds | x | peak MB | x | exit |\n| --- | --- | --- | --- | --- | --- | --- |")
    for kind in args.kinds:
        before = None
        for size in args.sizes:
            with tempfile.TemporaryDirectory() as folder:
                book = Path(folder)
                (book / "book.toml").write_text(TOML)
                (book / "one.md").write_text(chapter(kind, int(size * 980_000)))  # under the 2 MB limit
                seconds, peak, status = run(book, args.format)
            ratio = f"{seconds / before[0]:.1f} | {peak / before[1]:.1f}" if before else "– | –"
            print(f"| {kind} | {size:g} | {seconds:.1f} | {ratio.split(' | ')[0]} | {peak:.0f} | "
                  f"{ratio.split(' | ')[1]} | {status} |", flush=True)
            before = (seconds, peak)


if __name__ == "__main__":
    main()
