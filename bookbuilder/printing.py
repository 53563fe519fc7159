"""Print-shop arithmetic: lengths in points, the cover's spine, an image's effective resolution. Pure.

Printers and print-on-demand services (KDP, IngramSpark) measure paper by how many pages make an
inch of thickness (pages per inch, PPI); the spine is the page count divided by it.
"""

from __future__ import annotations

import re

import roman

POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0}
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(in|mm|cm|pt)$")
MAX_BLEED_PT = 10.0  # WeasyPrint caps the PDF BleedBox at 10 pt beyond the trim
SPINE_TEXT_MIN_IN = 0.25  # below this, printers drift more than the spine is wide: no text
MIN_PPI = 300  # print resolution of a placed image, in pixels per inch
PDFX_VARIANTS = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}  # WeasyPrint's name -> GTS_PDFXVersion
DEFAULT_PRESS_VARIANT = "pdf/x-4"  # the print PDF's and the cover's when book.toml names none
INKS = ("black", "cmyk")  # a black-ink interior (pictures greyscale); process colours (the cover, a colour interior)


def points(length: str) -> float:
    """'0.125in', '3mm', '9pt' -> points. The caller has validated the form."""
    number, unit = LENGTH.match(length).groups()
    return float(number) * POINTS[unit]


def press_variant(chosen: str) -> str:
    """The print PDF's and cover's variant: the one book.toml or --pdf-variant gives, else PDF/X-4."""
    return chosen or DEFAULT_PRESS_VARIANT


def office_variant(chosen: str) -> str:
    """The handout's: it goes to an office printer, so a PDF/X variant does not apply; PDF/UA-1."""
    return chosen if chosen and chosen not in PDFX_VARIANTS else "pdf/ua-1"


def book_pages(laid_out: int) -> int:
    """Pages of the printed book block: leaves have two sides, so an odd count gains a blank page."""
    return laid_out + laid_out % 2


def spine_inches(pages: int, pages_per_inch: float) -> float:
    """Spine width of a book block of ``pages`` pages (both sides of a leaf count as two)."""
    return pages / pages_per_inch


def spine_has_text(pages: int, pages_per_inch: float) -> bool:
    return spine_inches(pages, pages_per_inch) >= SPINE_TEXT_MIN_IN


def effective_ppi(pixels: int, placed_points: float) -> float:
    """Pixels per inch of an image ``pixels`` wide placed ``placed_points`` wide."""
    return pixels / (placed_points / 72.0)


def label_ranges(front_pages: int) -> list[tuple[int, str]]:
    """Where each numbering begins: (0-based page index, PDF /PageLabels style). Front matter is
    numbered i, ii, … ('r'), then the first part restarts at 1 ('D'), as print.css counts the folios."""
    return ([(0, "r")] if front_pages else []) + [(front_pages, "D")]


def folio(index: int, front_pages: int) -> str:
    """The printed page number of the page at 0-based ``index`` ('iv', '12')."""
    start, style = [(s, style) for s, style in label_ranges(front_pages) if s <= index][-1]
    number = index - start + 1
    return roman.toRoman(number).lower() if style == "r" else str(number)
