"""What a print shop would call us back about, read back from the written PDFs: every page's
TrimBox, BleedBox and MediaBox as its format's sheet and the book's print service require, and the
print edition's page labels."""

from __future__ import annotations

import pikepdf

from ..errors import Location
from ..manuscript.config import PAPER_SIZES
from ..printing import SERVICES, label_ranges, page_bleeds, points
from . import Subject

BOX_TOLERANCE = 0.01  # points; WeasyPrint writes millimetre sizes with six decimals


def sheet(subject: Subject) -> tuple[tuple[float | None, float], float]:
    """The TrimBox size and bleed, in points, of the subject's sheet: the trim size with bleed
    ('trim'), the trim height and any width ('spread': the cover's width follows the spine), or the
    handout paper without bleed ('paper')."""
    settings = subject.book.settings
    trim = tuple(points(length) for length in settings.trim)
    kind = subject.format.sheet
    if kind == "paper":
        return tuple(points(length) for length in PAPER_SIZES[settings.handout_paper.lower()]), 0.0
    return (None if kind == "spread" else trim[0], trim[1]), points(settings.bleed)


def expected_bleeds(subject: Subject, bleed: float, index: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) bleed of page ``index``: the print sheet's where its service trims
    (print-on-demand: not at the gutter), every other sheet's all round."""
    if subject.format.sheet == "trim":
        return page_bleeds(SERVICES[subject.book.settings.service], bleed, index,
                           subject.book.labels.direction == "rtl")
    return bleed, bleed, bleed, bleed


def check_boxes(subject: Subject) -> None:
    """Every page: TrimBox of the sheet's size (a None width is not checked), BleedBox the trim plus
    the bleed on the sides it has, MediaBox enclosing both."""
    path, notices = subject.path, subject.notices
    size, bleed = sheet(subject)
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            media, bleeds, trim = ([float(v) for v in page.obj.get(k, page.mediabox)]
                                   for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
            width, height = trim[2] - trim[0], trim[3] - trim[1]
            left, bottom, right, top = expected_bleeds(subject, bleed, number - 1)
            expected = [trim[0] - left, trim[1] - bottom, trim[2] + right, trim[3] + top]
            problem = None
            if (size[0] is not None and abs(width - size[0]) > BOX_TOLERANCE) or abs(height - size[1]) > BOX_TOLERANCE:
                problem = f"TrimBox is {width:.2f} x {height:.2f} pt, not the trim size"
            elif any(abs(a - b) > BOX_TOLERANCE for a, b in zip(bleeds, expected)):
                problem = f"BleedBox {bleeds} is not the TrimBox plus the bleed {expected}"
            elif not (media[0] <= bleeds[0] and media[1] <= bleeds[1] and media[2] >= bleeds[2]
                      and media[3] >= bleeds[3]):
                problem = f"MediaBox {media} does not enclose the BleedBox"
            if problem:
                notices.add("error", Location(path, None), f"page {number}: {problem}",
                            "report it: the page settings and the PDF disagree", "pdf-boxes")
                return "boxes"
    return "boxes"


def check_page_labels(subject: Subject) -> None:
    """/PageLabels: roman from the first page, arabic 1 where the body opens (after the front matter)."""
    path, notices, first_part = subject.path, subject.notices, subject.book.body_start.id
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        names = pdf.Root.get("/Names")
        dests = pikepdf.NameTree(names.Dests) if names is not None and "/Dests" in names else {}
        opening = pages.get(dests[first_part][0].objgen) if first_part in dests else None
        labels = pdf.Root.get("/PageLabels")
        found = [int(v) if isinstance(v, int) else str(v.get("/S")) for v in labels.Nums] if labels else None
    expected = [v for start, style in label_ranges(opening or 0) for v in (start, f"/{style}")]
    if opening is None or found != expected:
        notices.add("error", Location(path, None), f"page labels {found} do not number the front matter i, ii, … "
                    f"and the first part (page {opening + 1 if opening is not None else '?'}) 1",
                    "report it: the print PDF's page labels are wrong", "pdf-labels")
    return "page labels"
