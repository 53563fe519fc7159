"""Vertical justification, for a book's facing pages: a page that is not its section's last and
ends short of the text block's foot by at most MAX_SHORT_LINES lines has the shortfall spread over
the gaps between its lines and blocks, those around a figure, table or heading taking BLOCK_GAP
times as much, and no more than MAX_FEATHER_PT between two lines; so facing pages end on the same
line. The boxes of the layout are moved; the document is not laid out again."""

from __future__ import annotations

from .measure import Facts, Measure
from .weasy import LineBox, Page

MAX_SHORT_LINES = 2.5  # the most a page is justified to fill, in body lines
MAX_FEATHER_PT = 1.5  # the most a gap between two lines grows in justification
BLOCK_GAP = 8  # how many times as much a gap around a block grows


def justified(document, measure: Measure) -> None:
    """Vertical justification of ``document``'s pages, in place (see the module's note): the
    shortfall goes to the gaps around blocks (a figure, a heading, a table) BLOCK_GAP times as much
    as to the gaps between lines."""
    facts, ends, line = measure
    for n, page in enumerate(facts):
        units = levels(page)
        if ends[n] or page.short <= 0.01 or page.short > MAX_SHORT_LINES * line or len(units) < 2:
            continue
        weights = [gap_weight(a[0], b[0]) for a, b in zip(units, units[1:])]
        step = page.short / sum(weights)
        if step > MAX_FEATHER_PT / 0.75:  # points -> CSS px
            continue
        offset = 0.0
        for level, weight in zip(units[1:], weights):
            offset += step * weight
            for unit in level:
                moved(unit, offset)
        document.pages[n] = Page(document.pages[n]._page_box)  # its links, anchors and bookmarks read again


def moved(unit, dy: float) -> None:
    """``unit`` moved down by ``dy`` with what is painted behind it: WeasyPrint placed the backgrounds
    of its boxes (a code span's tint) when it laid the page out, and moving a box leaves them behind."""
    unit.translate(0, dy)
    for box in unit.descendants():  # the unit first
        if getattr(box, "background", None):
            box.background = box.background._replace(layers=[
                layer._replace(painting_area=lowered(layer.painting_area, dy),
                               positioning_area=lowered(layer.positioning_area, dy),
                               clipped_boxes=[lowered(area, dy) for area in layer.clipped_boxes])
                for layer in box.background.layers])


def lowered(area, dy: float):
    """An (x, y, width, height …) area of a background layer moved down by ``dy`` ('unused' stays)."""
    return (area[0], area[1] + dy, *area[2:]) if isinstance(area, tuple) else area


def gap_weight(above, below) -> int:
    """BLOCK_GAP for a gap next to a block moved whole or between blocks of which one is not a
    paragraph (a heading, a caption, a scene break); 1 between two lines of text."""
    if not isinstance(above, LineBox) or not isinstance(below, LineBox):
        return BLOCK_GAP
    tags = {above.element_tag, below.element_tag}
    return 1 if above.element is below.element or tags <= {"p"} else BLOCK_GAP


def levels(page: Facts) -> list[list]:
    """The boxes a page's justification moves, grouped by the height they start at (a list marker
    and its line, a drop cap and its first line move together), in the order of the flow."""
    grouped: list[list] = []
    seen, top = set(), None
    for row in page.rows:
        if id(row.unit) in seen:
            continue
        seen.add(id(row.unit))
        if top is not None and abs(row.unit.position_y - top) < 0.5:
            grouped[-1].append(row.unit)
        else:
            grouped.append([row.unit])
            top = row.unit.position_y
    return grouped
