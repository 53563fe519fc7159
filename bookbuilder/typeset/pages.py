"""Where each printed page begins, as plain data: what the typeset stage measures off a layout, the
cache keeps, and the EPUB's page list (formats/pagelist.py) marks. No WeasyPrint here: an EPUB made
from a cached page map imports none of it."""

from __future__ import annotations

from dataclasses import dataclass

HYPHEN = "\u2010"  # WeasyPrint's hyphenate-character: a line ending in it was hyphenated
# Not part of the text: a soft hyphen, and the hyphen WeasyPrint adds where it hyphenates a line.
UNCOUNTED = {"\u00ad", HYPHEN}


@dataclass(frozen=True)
class PageStart:
    """Where a printed page begins, in terms both the print and the EPUB markup share."""

    label: str  # the printed folio: 'iii', '12'
    element: str  # id of the innermost element (with an id) around the page's first word or picture
    offset: int  # counted() characters of that element's text printed on earlier pages


def counted(text: str) -> int:
    """Characters that count for an offset: not spaces (line breaks and collapsing change them)."""
    return sum(1 for c in text if not c.isspace() and c not in UNCOUNTED)
