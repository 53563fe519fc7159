"""A PDF's text read back with its positions (poppler's ``pdftotext -bbox``): pages of lines of
words, in PDF points from the media box's top left. What a reader sees set, not what was meant.

Lines are made here, not by poppler's layout analysis (-bbox-layout), which splits a loosely
justified line into several: words come in the order they are drawn, and a word starts a new line
when it stands left of the one before or does not share its height."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import NamedTuple

from lxml import etree

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
FOLIO = re.compile(r"[ivxlc]+|\d+")


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
