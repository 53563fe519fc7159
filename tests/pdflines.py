"""A PDF's text read back with its positions (poppler's ``pdftotext -bbox``): pages of lines of
words, in PDF points from the media box's top left. What a reader sees set, not what was meant.

Lines are made here, not by poppler's layout analysis (-bbox-layout), which splits a loosely
justified line into several: words come in the order they are drawn, and a word starts a new line
when it stands left of the one before or does not share its height."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
FOLIO = re.compile(r"[ivxlc]+|\d+")
LEADER = 36  # points: a gap this wide is a leader or a table's column, not a word space
INDENT = 20  # points: a paragraph's first-line indent (1.2em) is within the measure
# The widest word space of 95 % of justified lines, in points, that the test books' print editions
# keep to: Charis SIL's space at 10.5 pt is 3.1 pt, and twice that is where a setting starts to look
# loose; WeasyPrint fills lines greedily, so a little over is allowed (the default book had 7.2 pt
# before hyphenate-limit-chars 5 2 3 and the tracking pass of typeset/layout.py).
MAX_SPACE_P95 = 6.5


class Word(NamedTuple):
    text: str
    left: float  # points from the left edge of the media box
    right: float


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    top: float
    bottom: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def centre(self) -> float:
        return (self.words[0].left + self.words[-1].right) / 2

    @property
    def gaps(self) -> list[float]:
        """The spaces between the words of the line, in points."""
        return [b.left - a.right for a, b in zip(self.words, self.words[1:])]


@cache
def pages(pdf: Path) -> tuple[tuple[Line, ...], ...]:
    """Each page's lines, in the order they are drawn."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    return tuple(tuple(lines(page.xpath("x:word", namespaces=XHTML))) for page in root.xpath("//x:page", namespaces=XHTML))


def lines(words) -> list[Line]:
    made: list[Line] = []
    for element in words:
        word = Word(element.text or "", float(element.get("xMin")), float(element.get("xMax")))
        top, bottom = float(element.get("yMin")), float(element.get("yMax"))
        last = made[-1] if made else None
        if last and word.left >= last.words[-1].right and top < last.bottom and bottom > last.top:
            made[-1] = Line((*last.words, word), min(top, last.top), max(bottom, last.bottom))
        else:
            made.append(Line((word,), top, bottom))
    return made


def folio(page: tuple[Line, ...]) -> str:
    """The page's folio (a line that is only a page number, at the foot), or ''."""
    last = max(page, key=lambda line: line.bottom, default=None)
    return last.text if last and FOLIO.fullmatch(last.text) else ""


def justified(page: tuple[Line, ...]) -> list[Line]:
    """The lines of ``page`` set to the full measure, of three words or more: the lines
    justification stretched. The measure is the right edge most lines share (at least three) and
    their leftmost start; last lines of paragraphs, headings, centred and ragged lines fall short of
    one edge or the other. A line with a leader (a contents entry) is not text."""
    set_lines = [line for line in page if len(line.words) >= 3 and max(line.gaps) < LEADER]
    edges = Counter(round(line.words[-1].right) for line in set_lines).most_common(1)
    if not edges or edges[0][1] < 3:
        return []
    full = [line for line in set_lines if abs(line.words[-1].right - edges[0][0]) < 1]
    left = min(line.words[0].left for line in full)
    return [line for line in full if line.words[0].left < left + INDENT]


def widest_spaces(pdf: Path) -> list[float]:
    """The widest word space of each justified line of the PDF, in points."""
    return [max(line.gaps) for page in pages(pdf) for line in justified(page)]
