"""A PDF's text read back with its positions (poppler's ``pdftotext -bbox-layout``): pages of lines
of words, in PDF points from the media box's top left. What a reader sees set, not what was meant."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

XHTML = {"x": "http://www.w3.org/1999/xhtml"}
FOLIO = re.compile(r"[ivxlc]+|\d+")


@dataclass(frozen=True)
class Word:
    text: str
    left: float
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
    """Each page's lines, top to bottom as poppler orders its blocks."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    return tuple(tuple(Line(tuple(Word(w.text or "", float(w.get("xMin")), float(w.get("xMax")))
                                  for w in line.xpath("x:word", namespaces=XHTML)),
                            float(line.get("yMin")), float(line.get("yMax")))
                       for line in page.xpath(".//x:line", namespaces=XHTML))
                 for page in root.xpath("//x:page", namespaces=XHTML))


def folio(page: tuple[Line, ...]) -> str:
    """The page's folio (a line that is only a page number, at the foot), or ''."""
    last = max(page, key=lambda line: line.bottom, default=None)
    return last.text if last and FOLIO.fullmatch(last.text) else ""
