"""The preflight: what KDP or IngramSpark would reject on upload, read back from the written print
PDF and cover before anyone uploads them. Every finding is a warning that names the page and what
to change; `make-book check` reports them under 'pdf'.

Where things print is read from the page content: a small interpreter follows the transformation
matrix (q, Q, cm), the text matrix and the advance of each glyph (the font's /W widths and the TJ
adjustments: WeasyPrint writes every run as one TJ after a Tm), each placed picture (Do) and each
painted path (the bars of the cover's barcode are filled rectangles).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf

from ..errors import Location
from ..printing import (
    MIN_PPI,
    PDFX_VARIANTS,
    SERVICES,
    book_pages,
    gutter_inches,
    points,
    press_variant,
    spine_inches,
)
from . import Subject
from .pdf import BOX_TOLERANCE
from .press import rgb_uses

KDP_BLEED_IN = 0.125  # KDP and IngramSpark both ask exactly this much bleed
COVER_SAFE_IN = 0.125  # KDP: cover text at least this far inside the trim
SPINE_SAFE_IN = 0.0625  # KDP: spine text at least this far from each fold
KDP_BARCODE_AREA_IN = (2.0, 1.2, 0.25)  # KDP prints its own barcode: width, height, inset from spine and foot
PATH_OPERATORS = {"m", "l", "c", "v", "y", "re"}  # a path's points (h closes it: no new point)
PAINT_OPERATORS = {"f", "F", "f*", "S", "s", "B", "B*", "b", "b*"}  # a path filled or stroked; n paints nothing
# An EAN bar: a filled rectangle at most 4 modules (0.33 mm) wide, many times taller than wide; a
# barcode has 30 of them (EAN-13, with its guards), more with a price add-on.
BAR_MAX_PT, BAR_MIN_HEIGHT_PT, BARS = 4.0, 20.0, 30
QUIET_MODULES = (11, 7)  # EAN-13's light margins left and right of the bars, in modules (the narrowest bar)
TOLERANCE_PT = 0.5
LISTED = 8  # pages named in one finding; the rest are counted


@dataclass(frozen=True)
class Mark:
    """Something a page prints, in points of the page's default space: text or a picture."""

    kind: str  # "text", "picture" or "drawing" (a painted path)
    x0: float
    y0: float
    x1: float
    y1: float
    ppi: float = 0.0  # a picture's effective resolution at its placed width


def multiply(a, b):
    """The product of two PDF matrices [a b c d e f]: ``a`` applied first."""
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3], a[2] * b[0] + a[3] * b[2],
            a[2] * b[1] + a[3] * b[3], a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def apply(m, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def widths(font) -> dict[int, float]:
    """Glyph id -> advance (thousandths of the size) of a Type0 font's /W array."""
    descendant = font.DescendantFonts[0]
    table, items, default = {}, list(descendant.get("/W", [])), float(descendant.get("/DW", 1000))
    while items:
        first, rest = int(items.pop(0)), items.pop(0)
        if isinstance(rest, pikepdf.Array):
            table.update({first + n: float(w) for n, w in enumerate(rest)})
        else:
            table.update(dict.fromkeys(range(first, int(rest) + 1), float(items.pop(0))))
    return table | {-1: default}


def advance(operand, table: dict[int, float]) -> float:
    """A TJ array's width in thousandths of the font size (two-byte glyph ids, Identity-H)."""
    total = 0.0
    for item in operand:
        if isinstance(item, pikepdf.String):
            data = bytes(item)
            total += sum(table.get(int.from_bytes(data[i:i + 2], "big"), table[-1]) for i in range(0, len(data) - 1, 2))
        else:
            total -= float(item)
    return total


def marks(page: pikepdf.Page) -> Iterator[Mark]:
    """The text runs and pictures of ``page``, with where they print."""
    yield from stream_marks(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()), [1, 0, 0, 1, 0, 0], {})


def stream_marks(stream, resources, ctm, fonts: dict) -> Iterator[Mark]:
    stack, tm, font, size, path = [], [1, 0, 0, 1, 0, 0], None, 0.0, []
    for operands, operator in pikepdf.parse_content_stream(stream):
        name = str(operator)
        if name in PATH_OPERATORS:
            values = [float(v) for v in operands]
            if name == "re":
                x, y, w, h = values
                values = [x, y, x + w, y + h, x, y + h, x + w, y]
            path += [apply(ctm, values[i], values[i + 1]) for i in range(0, len(values) - 1, 2)]
        elif name in PAINT_OPERATORS or name == "n":
            if path and name != "n":
                xs, ys = [p[0] for p in path], [p[1] for p in path]
                yield Mark("drawing", min(xs), min(ys), max(xs), max(ys))
            path = []
        elif name == "q":
            stack.append(ctm)
        elif name == "Q" and stack:
            ctm = stack.pop()
        elif name == "cm":
            ctm = multiply([float(v) for v in operands], ctm)
        elif name == "Tm":
            tm = [float(v) for v in operands]
        elif name == "Tf":
            font, size = resources.Font[operands[0]], float(operands[1])
        elif name == "TJ" and font is not None and font.get("/Subtype") == "/Type0":
            key = font.objgen
            fonts.setdefault(key, widths(font))
            width = advance(operands[0], fonts[key]) * size / 1000
            m = multiply(tm, ctm)
            (ax, ay), (bx, by) = apply(m, 0, -0.2 * size), apply(m, width, 0.8 * size)
            yield Mark("text", min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
        elif name == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.get("/Subtype") == "/Image":
                corners = [apply(ctm, x, y) for x in (0, 1) for y in (0, 1)]
                xs, ys = [c[0] for c in corners], [c[1] for c in corners]
                placed = max(xs) - min(xs)
                ppi = int(xobject.Width) / (placed / 72) if placed else 0.0
                yield Mark("picture", min(xs), min(ys), max(xs), max(ys), ppi)
            elif xobject.get("/Subtype") == "/Form":
                matrix = [float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])]
                yield from stream_marks(xobject, xobject.get("/Resources", resources), multiply(matrix, ctm), fonts)


def listed(pages: list[int], labels: dict[int, str]) -> str:
    """Pages by their printed folios (the PDF's page labels) where it has them, with their place in
    the file: 'folios 103, 104 (PDF pages 115, 116)'."""
    named = ", ".join(map(str, pages[:LISTED]))
    more = f" and {len(pages) - LISTED} more" if len(pages) > LISTED else ""
    where = f"PDF page {named}" if len(pages) == 1 else f"PDF pages {named}{more}"
    if not all(page in labels for page in pages[:LISTED]):
        return where
    folios = ", ".join(labels[page] for page in pages[:LISTED])
    return f"{'folio' if len(pages) == 1 else 'folios'} {folios}{more} ({where})"


class Findings:
    """Collects (code, page, problem, fix); the same problem on many pages becomes one finding, and
    a measured ``value`` ('{value}' in the problem) is reported at its smallest."""

    def __init__(self, subject: Subject):
        self.subject = subject
        self.found: dict[tuple[str, str, str], tuple[list[int], float]] = {}
        self.labels: dict[int, str] = {}  # page number -> its printed folio (the PDF's page label)

    def add(self, code: str, page: int | None, problem: str, fix: str, value: float = 0.0) -> None:
        pages, least = self.found.get((code, problem, fix), ([], value))
        self.found[(code, problem, fix)] = ([*pages, page] if page else pages), min(least, value)

    def report(self) -> None:
        for (code, problem, fix), (pages, value) in self.found.items():
            where = f"{listed(sorted(set(pages)), self.labels)}: " if pages else ""
            self.subject.notices.warn(Location(self.subject.path, None), where + problem.format(value=value), fix,
                                      code=code)


def preflight_print(subject: Subject) -> str:
    """The print PDF as KDP or IngramSpark (the book's service) would check it."""
    settings = subject.book.settings
    service = SERVICES[settings.service]
    findings = Findings(subject)
    check_bleed(findings, settings, service)
    with pikepdf.open(subject.path) as pdf:
        pages = book_pages(len(pdf.pages))
        if service.max_pages and not service.min_pages <= pages <= service.max_pages:
            findings.add("pdf-page-count", None, f"{pages} pages; {service.label} binds paperbacks of {service.min_pages} "
                         f"to {service.max_pages} pages", "change the page count (text, trim size), or the service")
        check_colour(findings, subject, pdf, service)
        check_fonts(findings, pdf)
        gutter = gutter_inches(service, pages) * 72
        findings.labels = {number: page.label for number, page in enumerate(pdf.pages, 1)}
        for number, page in enumerate(pdf.pages, 1):
            trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
            check_margins(findings, number, [m for m in marks(page) if m.kind != "drawing"], trim, gutter, service,
                          pages)
    findings.report()
    return "preflight"


def check_bleed(findings: Findings, settings, service) -> None:
    if service.bleed_sides == "outside" and abs(points(settings.bleed) - KDP_BLEED_IN * 72) > BOX_TOLERANCE:
        findings.add("pdf-bleed", None, f"the bleed is {settings.bleed}; {service.label} asks {KDP_BLEED_IN} in",
                     f'set bleed = "{KDP_BLEED_IN}in" in book.toml')


def check_colour(findings: Findings, subject: Subject, pdf, service) -> None:
    variant = press_variant(subject.book.settings.pdf_variant)
    for number, what in rgb_uses(pdf):
        findings.add("pdf-rgb", number, f"{what} in a file for {service.label}, which prints CMYK and grey only",
                     "leave pdf_variant empty (PDF/X-4) so the build converts colours" if variant not in PDFX_VARIANTS
                     else "replace the gradient or colour profile in the stylesheet with flat colours")


def check_fonts(findings: Findings, pdf) -> None:
    for number, page in enumerate(pdf.pages, 1):
        for font in (page.Resources.get("/Font") or {}).values():
            described = font.DescendantFonts[0] if "/DescendantFonts" in font else font
            descriptor = described.get("/FontDescriptor", {})
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                findings.add("pdf-font", number, f"the font {font.get('/BaseFont')} is not embedded",
                             "use only the fonts in styles/fonts/ (the build embeds them)")


def check_margins(findings: Findings, number: int, found: list[Mark], trim, gutter: float, service, pages) -> None:
    """Inside margin (the gutter: left on right-hand pages) at least the band's; outside, top and
    bottom at least the service's. A picture that runs past the trim is meant to bleed: not measured."""
    recto = number % 2 == 1
    for mark in found:
        if mark.x0 < trim[0] - TOLERANCE_PT or mark.x1 > trim[2] + TOLERANCE_PT or mark.y0 < trim[1] - TOLERANCE_PT:
            continue  # a picture that bleeds (text past the trim is refused by the build: past-the-page)
        left, right = mark.x0 - trim[0], trim[2] - mark.x1
        inside, outside = (left, right) if recto else (right, left)
        edge = min(outside, mark.y0 - trim[1], trim[3] - mark.y1)
        if inside < gutter - TOLERANCE_PT:
            findings.add("pdf-gutter", number, f"{mark.kind} {{value:.2f}} in from the gutter; {service.label} "
                         f"asks {gutter / 72:g} in for {pages} pages",
                         "widen the inside margin (@page :right margin-left, :left margin-right) in styles/print.css",
                         inside / 72)
        if edge < service.min_outside_in * 72 - TOLERANCE_PT:
            findings.add("pdf-margin", number, f"{mark.kind} {{value:.2f}} in from the trim; {service.label} asks "
                         f"{service.min_outside_in:g} in outside, top and bottom (running heads and folios too)",
                         "widen the page margins, or move the running heads and folios inward, in styles/print.css",
                         edge / 72)
        if mark.kind == "picture" and mark.ppi < MIN_PPI:
            findings.add("pdf-image-ppi", number, f"a picture prints at {{value:.0f}} ppi, below {MIN_PPI}",
                         "use a picture at least 300 pixels per inch of its printed width", mark.ppi)


def preflight_cover(subject: Subject) -> str:
    """The cover: text, pictures and the barcode inside the safe zone of each panel, spine text only
    on a spine that allows it, the print ISBN and its barcode, colours, fonts."""
    book, settings = subject.book, subject.book.settings
    service = SERVICES[settings.service]
    findings = Findings(subject)
    print_pdf = subject.path.with_name(subject.path.name.replace("-cover.pdf", "-print.pdf"))
    with pikepdf.open(print_pdf) as interior:
        pages = book_pages(len(interior.pages))
    panel = points(settings.trim[0])
    spine = spine_inches(pages, settings.pages_per_inch) * 72
    with pikepdf.open(subject.path) as pdf:
        check_colour(findings, subject, pdf, service)
        check_fonts(findings, pdf)
        page = pdf.pages[0]
        trim = [float(v) for v in page.obj.get("/TrimBox", page.mediabox)]
        found = list(marks(page))
    texts = [m for m in found if m.kind == "text"]
    folds = (trim[0] + panel, trim[0] + panel + spine)
    safe = COVER_SAFE_IN * 72 - TOLERANCE_PT
    check_cover_pictures(findings, [m for m in found if m.kind == "picture"], trim, folds, safe)
    check_barcode(findings, [m for m in found if m.kind == "drawing"], trim, folds, safe)
    for mark in texts:
        on_spine = mark.x0 >= folds[0] - TOLERANCE_PT and mark.x1 <= folds[1] + TOLERANCE_PT
        if on_spine and pages < service.min_spine_text_pages:
            findings.add("pdf-spine", 1, f"text on the spine of a {pages}-page book; {service.label} allows spine "
                         f"text from {service.min_spine_text_pages} pages", "leave the spine blank (the build does "
                         "for this service: build the cover again)")
        elif on_spine and min(mark.x0 - folds[0], folds[1] - mark.x1) < SPINE_SAFE_IN * 72 - TOLERANCE_PT:
            findings.add("pdf-safe-zone", 1, f"spine text within {SPINE_SAFE_IN} in of a fold",
                         "set the spine text smaller (styles/cover.css)")
        elif not on_spine and clearance(mark, trim, folds) < safe:
            findings.add("pdf-safe-zone", 1, f"cover text within {COVER_SAFE_IN} in of the trim or a fold",
                         "move it inward in styles/cover.css")
    if not book.metadata.isbn_print and settings.service == "kdp":
        width, height, inset = (v * 72 for v in KDP_BARCODE_AREA_IN)
        area = (folds[0] - inset - width, trim[1] + inset, folds[0] - inset, trim[1] + inset + height)
        if any(m.x0 < area[2] and m.x1 > area[0] and m.y0 < area[3] and m.y1 > area[1] for m in texts):
            findings.add("pdf-barcode-area", 1, "text where KDP prints its barcode when it assigns the ISBN (2 x 1.2 "
                         "in, 0.25 in from the spine and the foot of the back)", "move it out of the lower right of "
                         "the back in styles/cover.css, or give isbn_print")
    if not book.metadata.isbn_print:
        findings.add("pdf-isbn", None, "no print ISBN, so the back cover has no barcode; IngramSpark requires "
                     "your own ISBN (KDP can assign one and print its barcode)", 'add isbn_print = "978-…" to [book]')
    findings.report()
    return "preflight"


def clearance(mark: Mark, trim, folds) -> float:
    """How far ``mark`` keeps from the trim and the spine's folds, in points; below 0 across one."""
    across = any(mark.x0 < fold < mark.x1 for fold in folds)
    return -1.0 if across else min(mark.x0 - trim[0], trim[2] - mark.x1, mark.y0 - trim[1], trim[3] - mark.y1,
                                   *(abs(fold - x) for fold in folds for x in (mark.x0, mark.x1)))


def check_cover_pictures(findings: Findings, pictures: list[Mark], trim, folds, safe: float) -> None:
    """A picture inside the trim keeps the safe zone like text; one that runs past the trim is meant
    to bleed (a background), and is not measured."""
    for mark in pictures:
        if min(mark.x0 - trim[0], trim[2] - mark.x1, mark.y0 - trim[1], trim[3] - mark.y1) >= -TOLERANCE_PT \
                and clearance(mark, trim, folds) < safe:
            findings.add("pdf-safe-zone", 1, f"a cover picture within {COVER_SAFE_IN} in of the trim or a fold, or "
                         "across a fold", "move it inward in styles/cover.css, or let it run into the bleed")


def check_barcode(findings: Findings, drawings: list[Mark], trim, folds, safe: float) -> None:
    """The barcode (its bars and light margins) on the back, inside the safe zone: not over the trim
    or the spine's fold, where a scanner would miss it once the cover is cut and folded."""
    bars = [m for m in drawings if m.x1 - m.x0 <= BAR_MAX_PT and m.y1 - m.y0 >= max(BAR_MIN_HEIGHT_PT,
                                                                                    10 * (m.x1 - m.x0))]
    if len(bars) < BARS:
        return
    module = min(m.x1 - m.x0 for m in bars)
    box = Mark("drawing", min(m.x0 for m in bars) - QUIET_MODULES[0] * module, min(m.y0 for m in bars),
               max(m.x1 for m in bars) + QUIET_MODULES[1] * module, max(m.y1 for m in bars))
    if box.x1 > folds[0] - safe or clearance(box, trim, folds) < safe:
        findings.add("pdf-safe-zone", 1, f"the barcode (with its light margins) within {COVER_SAFE_IN} in of the "
                     "trim or the spine's fold, or not on the back", "move it inward on the back in styles/cover.css "
                     "(.back .barcode)")
