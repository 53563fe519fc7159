"""Print-shop arithmetic: lengths in points, the cover's spine, an image's effective resolution,
the printing line. Pure.

Printers and print-on-demand services (KDP, IngramSpark) measure paper by how many pages make an
inch of thickness (pages per inch, PPI); the spine is the page count divided by it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import roman

POINTS = {"in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pt": 1.0}
LENGTH = re.compile(r"^(\d+(?:\.\d+)?)(in|mm|cm|pt)$")
MIN_TRIM_PT, MAX_TRIM_PT = 144.0, 1728.0  # 2in to 24in: a page WeasyPrint can set text on, a press can print
MAX_BLEED_PT = 10.0  # WeasyPrint caps the PDF BleedBox at 10 pt beyond the trim
SPINE_TEXT_MIN_IN = 0.25  # below this, printers drift more than the spine is wide: no text
MIN_PPI = 300  # print resolution of a placed image, in pixels per inch
MAX_PRINTING = 10  # the printing line counts down from 10; a reprint strikes off the lowest number


def printing_line(printing: int) -> str:
    """The copyright page's printing line: 3 -> '10 9 8 7 6 5 4 3' (the third printing)."""
    return " ".join(str(n) for n in range(MAX_PRINTING, printing - 1, -1))
PDFX_VARIANTS = {"pdf/x-4": "PDF/X-4", "pdf/x-1a": "PDF/X-1a:2003"}  # WeasyPrint's name -> GTS_PDFXVersion
DEFAULT_PRESS_VARIANT = "pdf/x-4"  # the print PDF's and the cover's when book.toml names none
INKS = ("black", "cmyk")  # a black-ink interior (pictures greyscale); process colours (the cover, a colour interior)


def points(length: str) -> float:
    """'0.125in', '3mm', '9pt' -> points. The caller has validated the form."""
    number, unit = LENGTH.match(length).groups()
    return float(number) * POINTS[unit]


@dataclass(frozen=True)
class Service:
    """Who prints the book, and the interior geometry they ask for."""

    label: str
    bleed_sides: str  # "outside": bleed on the outside, top and bottom only (the gutter is bound); "all"
    marks: bool  # crop marks in the bleed
    gutters: tuple[tuple[int, float], ...]  # (up to this many pages, least inside margin in inches), in order
    min_outside_in: float  # least outside, top and bottom margin with bleed (text kept off the cut)
    max_pages: int | None  # the most pages it binds
    min_spine_text_pages: int = 0  # the fewest pages it sets spine text on
    min_pages: int = 0  # the fewest pages it binds: a shorter book block ends in blank pages


# KDP, "Paperback manuscript: margins": inside margin by page count, outside margins 0.375 in with
# bleed (0.25 in without); 24 to 828 pages; no spine text under 79 pages. IngramSpark's file guide asks 0.5 in from the trim on
# every side and publishes no page-count table: its gutter takes the larger of 0.5 in and KDP's band.
# An offset printer trims on all four sides and wants crop marks; margins are the design's.
SERVICES = {
    "kdp": Service("KDP", "outside", False, ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875)),
                   0.375, 828, min_spine_text_pages=79, min_pages=24),
    "ingramspark": Service("IngramSpark", "outside", False,
                           ((300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875), (1200, 1.0)), 0.5, 1200,
                           min_pages=24),
    "offset": Service("an offset printer", "all", True, (), 0.0, None),
}


def gutter_inches(service: Service, pages: int) -> float:
    """The least inside margin ``service`` asks for a book block of ``pages`` pages (0: none; past its
    last band, the last band's: the preflight says the book is too long)."""
    bands = [inches for most, inches in service.gutters if pages <= most] or [b[1] for b in service.gutters[-1:]]
    return bands[0] if bands else 0.0


def page_bleeds(service: Service, bleed: float, index: int, rtl: bool = False) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) bleed of the page at 0-based ``index`` (even: a recto, a right-hand
    page, or a left-hand one in a right-to-left book)."""
    if service.bleed_sides == "all":
        return bleed, bleed, bleed, bleed
    right = (index % 2 == 0) != rtl
    return (0.0 if right else bleed), bleed, (bleed if right else 0.0), bleed


def press_variant(chosen: str) -> str:
    """The print PDF's and cover's variant: the one book.toml or --pdf-variant gives, else PDF/X-4."""
    return chosen or DEFAULT_PRESS_VARIANT


def office_variant(chosen: str) -> str:
    """The handout's: it goes to an office printer, so a PDF/X variant does not apply; PDF/UA-1."""
    return chosen if chosen and chosen not in PDFX_VARIANTS else "pdf/ua-1"


def book_pages(laid_out: int, least: int = 0) -> int:
    """Pages of the printed book block: leaves have two sides, so an odd count gains a blank page,
    and a block shorter than the ``least`` its printer binds gains blank pages to that count."""
    return max(laid_out + laid_out % 2, least)


def spine_inches(pages: int, pages_per_inch: float) -> float:
    """Spine width of a book block of ``pages`` pages (both sides of a leaf count as two)."""
    return pages / pages_per_inch


def spine_has_text(pages: int, pages_per_inch: float, service: Service | None = None) -> bool:
    """A spine wide enough to print on, of a book ``service`` sets spine text on."""
    fewest = service.min_spine_text_pages if service else 0
    return spine_inches(pages, pages_per_inch) >= SPINE_TEXT_MIN_IN and pages >= fewest


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
