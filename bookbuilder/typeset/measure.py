"""One layout's pages as the composition passes read them (measured(): once a round): each page's
lines and block pictures with the section, float and block around them, where its text block ends,
which pages end a section, and the body's line height."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from .weasy import FootnoteAreaBox, LineBox, MarginBox, ReplacedBox, TableBox

FLOATS = ("figure", "table")  # blocks that may move later in print to fill a hole
WHOLE = (*FLOATS, "li")  # moved whole in justification (a list item with its marker)


@dataclass
class Row:
    """A line or a block picture in a page's flow, with the blocks around it."""
    box: object
    section: object | None  # the <section> (or <nav>) element it is in
    float: object | None  # the figure or table element it is in
    block: object | None  # the element of the block box it is a line of
    unit: object  # the box that moves with it in justification: itself, or a float or block kept whole

    @property
    def bottom(self) -> float:
        return self.box.position_y + self.box.margin_height()


@dataclass
class Facts:
    """One page of a layout, as the passes see it."""
    rows: list[Row]
    foot: float  # where the text block ends (above the notes, if any), CSS px from the page's top
    notes: bool

    @property
    def end(self) -> float | None:
        return max((row.bottom for row in self.rows), default=None)

    @property
    def short(self) -> float:
        return self.foot - self.end if self.rows else 0.0


def rows(box, section=None, float_=None, block=None, unit=None):
    """Row for each line box and block picture in ``box``, in the order of the flow."""
    tag = box.element_tag or ""
    if tag in ("section", "nav"):
        section = box.element
    if tag in FLOATS and float_ is None:
        float_ = box.element
    if unit is None and (tag in WHOLE or isinstance(box, TableBox) or decorated(box)):
        unit = box
    if isinstance(box, (LineBox, ReplacedBox)):
        yield Row(box, section, float_, block, unit or box)
        return
    for child in getattr(box, "children", ()):
        yield from rows(child, section, float_, box.element, unit)


def page_facts(document) -> list[Facts]:
    facts = []
    for page in document.pages:
        box = page._page_box
        flow = [child for child in box.children if not isinstance(child, (FootnoteAreaBox, MarginBox))]
        areas = [child for child in box.children if isinstance(child, FootnoteAreaBox) and child.children]
        foot = min([area.position_y for area in areas] + [box.content_box_y() + box.height])
        facts.append(Facts([row for child in flow for row in rows(child)], foot, bool(areas)))
    return facts


class Measure(NamedTuple):
    """What the passes read off one layout: each page's facts, which end a section, the body's line."""
    facts: list[Facts]
    ends: list[bool]
    line: float


def measured(document) -> Measure:
    facts = page_facts(document)
    return Measure(facts, section_ends(facts), pitch(facts))


def section_ends(facts: list[Facts]) -> list[bool]:
    """For each page: does its section end there (the next page is blank, starts another section,
    or there is none)? A page outside any section (title page, copyright page) is an end too."""
    ends = []
    for n, page in enumerate(facts):
        following = facts[n + 1].rows if n + 1 < len(facts) else []
        last = page.rows[-1].section if page.rows else None
        ends.append(last is None or not following or following[0].section is not last)
    return ends


def pitch(facts: list[Facts]) -> float:
    """The body text's line height: the commonest line box height of the layout."""
    heights: dict[float, int] = {}
    for page in facts:
        for row in page.rows:
            if isinstance(row.box, LineBox):
                height = round(row.box.height, 2)
                heights[height] = heights.get(height, 0) + 1
    return max(heights, key=heights.get, default=16.0)


def decorated(box) -> bool:
    """Has the box a border or a background (moving its lines would leave them behind)?"""
    style = box.style
    return any(style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left")) or \
        style["background_color"].alpha > 0 or any(image[0] != "none" for image in style["background_image"])
