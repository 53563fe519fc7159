"""The manuscript stages grow linearly: twice the text (or twice the anchors and links) takes at most
about twice the memory. Ratios at small sizes, never absolute figures (bench/growth.py measures
whole builds at 0.25 to 2 MB; README: Performance)."""

from __future__ import annotations

import sys
import tracemalloc

import pytest
from conftest import ROOT

from bookbuilder.limits import MAX_PARAGRAPH
from bookbuilder.manuscript.load import load_book

sys.path.insert(0, str(ROOT / "bench"))
from growth import chapter  # noqa: E402  (the benchmark's own chapters)

SIZE = 60_000  # bytes; the larger of each pair is twice this


def peak(book, kind: str, size: int) -> int:
    (book / "one.md").write_text(chapter(kind, size))
    tracemalloc.start()
    try:
        load_book(book)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.slow  # three books of growing size, traced
@pytest.mark.parametrize("kind", ["prose", "long-paragraphs", "10k-anchors"])
def test_memory_grows_linearly(book_dir, kind):
    book = book_dir("minimal")
    if kind == "10k-anchors":  # a fixed number of anchors: the text around them doubles
        small, large = peak(book, kind, 4 * SIZE), peak(book, kind, 8 * SIZE)
    elif kind == "long-paragraphs":  # two paragraphs as long as a paragraph may be, then four
        small, large = peak(book, kind, 2 * MAX_PARAGRAPH), peak(book, kind, 4 * MAX_PARAGRAPH)
    else:
        small, large = peak(book, kind, SIZE), peak(book, kind, 2 * SIZE)
    assert large / small < 2.5
