"""Composition: what a compositor fixes once the text is set, done on WeasyPrint's layout of a
source document (composed(), which layout.lay_out() calls).

First the tracking pass (tracked). Then rounds of layout, at most ROUNDS, while a pass finds
something to fix (each says what to change in the source document; the next layout sees it):
- a paragraph with more than MAX_HYPHENS_IN_A_ROW hyphenated lines in a row is set without
  hyphens (hyphen_ladders);
- a paragraph whose note WeasyPrint moved to a later page gives way (separated_notes);
- a figure or table that found no room at the foot of a page went to the next one and left a
  hole: it moves later in the print document (the EPUB keeps the manuscript's order), after the
  paragraphs that fill the hole (float_moves);
- a figure that left such a hole but has nothing after it to fill it (it ends its chapter, or
  another float follows) has its picture set up to 15 % smaller, when that lets it fit the hole
  (shrunk_pictures);
- a page that ends on a hyphenated word has the paragraph it breaks set without hyphens
  (hyphenated_feet);
- a chapter whose last page holds fewer than ALONE_LINES lines has some of its paragraphs set a
  little looser, so more lines run over (lines_alone).
Then, for a book's facing pages, vertical justification (justified): a page that is not its
section's last and ends short of the text block's foot by at most MAX_SHORT_LINES lines has the
shortfall spread over the gaps between its lines and blocks, those around a figure, table or
heading taking BLOCK_GAP times as much, and no more than MAX_FEATHER_PT between two lines; so
facing pages end on the same line.

WeasyPrint has no public API for its boxes; this module reads and moves them (its page boxes,
line boxes and their elements), as layout.py does.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from typing import NamedTuple

from .pages import HYPHEN
from .weasy import FootnoteAreaBox, LineBox, MarginBox, Page, ReplacedBox, TableBox, TextBox, font_configuration

FLOATS = ("figure", "table")  # blocks that may move later in print to fill a hole
BARRIERS = ("h1", "header", *FLOATS)  # a float never moves past these: floats keep their order
HOLE_LINES = 2  # a page (not its section's last) ending more lines short than this has a hole
ALONE_LINES = 4  # the fewest lines a chapter's last page may hold alone
MAX_SHORT_LINES = 2.5  # the most a page is justified to fill, in body lines
MAX_FEATHER_PT = 1.5  # the most a gap between two lines grows in justification
BLOCK_GAP = 8  # how many times as much a gap around a block grows
LOOSER = "letter-spacing: 0.01em"  # the paragraphs of lines_alone(): 1 % of the type size
WHOLE = (*FLOATS, "li")  # moved whole in justification (a list item with its marker)
MIN_SCALE = 0.85  # the smallest a picture is set to fit the page under the text before it
MOVED = "data-moved"  # marks a float the passes moved (page_marks does not start a page at it)
MAX_HYPHENS_IN_A_ROW = 2  # book-setting practice; WeasyPrint has no hyphenate-limit-lines
# WeasyPrint fills each line greedily and stretches only the word spaces of a justified line. A
# paragraph with a space stretched by more than LOOSE_PX (2.25 pt, 0.2 em at 10.5 pt, so a space
# of about 1.7 times its width) is set again with 1 % and 2 % of the type size more tracking and
# less (what a compositor's letter-spacing range allows), which moves its breaks; it keeps the one
# that sets its widest space narrowest, if any makes it narrower than its own.
LOOSE_PX = 3.0  # CSS px (0.75 pt)
TRACKINGS = (LOOSER, "letter-spacing: -0.01em", "letter-spacing: 0.02em", "letter-spacing: -0.02em")
ROUNDS = 4  # relayouts allowed for the passes; each fixes every case it finds
RENDERS: Counter = Counter()  # why -> WeasyPrint layouts run in this process, for the build's counts


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


def composed(source, facing: bool):
    """``source`` (a WeasyPrint HTML) laid out and composed (see the module's note)."""
    document = tracked(source, render(source, "first"))
    parents = {child: parent for parent in source.etree_element.iter() for child in parent}
    measure = None
    for _ in range(ROUNDS):
        measure = measured(document)  # read once a round, by every pass below
        moves = float_moves(document, measure, parents)
        found = {"hyphens": [(e, "hyphens: manual") for e in hyphen_ladders(document) + hyphenated_feet(measure)],
                 "notes": separated_notes(document), "lines alone": [(e, LOOSER) for e in lines_alone(measure)],
                 "floats": [(figure, None) for figure, _ in moves],
                 "pictures": shrunk_pictures(document, measure, {figure for figure, _ in moves})}
        if not any(found.values()):
            break
        for element, style in (fix for fixes in found.values() for fix in fixes if fix[1]):
            element.set("style", f"{element.get('style', '')}; {style}")  # source's tree: the next render sees it
        for figure, after in moves:
            move(figure, after, parents)
        document, measure = render(source, "round for " + ", ".join(k for k, v in found.items() if v)), None
    if facing:
        justified(document, measure or measured(document))  # the last round's reading, if it is of these pages
    return document


def render(source, why: str):
    """``source`` laid out by WeasyPrint, counted under ``why`` (RENDERS)."""
    RENDERS[why] += 1
    return source.render(font_config=font_configuration())


def tracked(source, document):
    """``document`` laid out again with each loose paragraph in the tracking of TRACKINGS that sets
    it tightest, or its own setting where none makes it tighter. The trackings are tried on a probe
    (probe()): the same document with everything but the loose paragraphs hidden, so each try lays
    out those paragraphs alone, not the whole piece."""
    loose = {e: stretch for e, stretch in widest_stretch(document).items() if stretch > LOOSE_PX}
    if not loose:
        return document
    own = {element: element.get("style") for element in loose}
    best = dict.fromkeys(loose)  # element -> the tracking that set it tightest (None: its own)
    widest = dict(loose)
    with probe(source, loose) as why:
        for tracking in TRACKINGS:
            for element in loose:  # elements of source's tree: the next render sees the change
                element.set("style", f"{own[element] or ''}; {tracking}")
            for element, stretch in widest_stretch(render(source, why)).items():
                if element in loose and stretch < widest[element]:
                    best[element], widest[element] = tracking, stretch
    for element, tracking in best.items():
        if tracking:
            element.set("style", f"{own[element] or ''}; {tracking}")
        elif own[element] is None:
            del element.attrib["style"]
        else:
            element.set("style", own[element])
    return render(source, "tracking")


@contextlib.contextmanager
def probe(source, loose: dict):
    """Within it, ``source`` lays out only the ``loose`` paragraphs: every other element of the body
    beside them or their ancestors is hidden (display: none keeps the tree, so every selector matches
    as before; a paragraph's line breaks depend on its own style, text and measure). One layout of
    the probe with the paragraphs as they are checks that it sets each one as the whole document does
    (their widest spaces are equal); where it does not (a counter the hidden elements advanced, a
    book's own styles), the trackings are tried on the whole document. Yields the renders' reason."""
    parents = {child: parent for parent in source.etree_element.iter() for child in parent}
    kept = set()
    for element in loose:
        while element is not None and element not in kept:
            kept.add(element)
            element = parents.get(element)
    body = next((e for e in source.etree_element.iter() if isinstance(e.tag, str) and e.tag.endswith("body")), None)
    inside = set(body.iter()) if body is not None else set()
    hidden = [child for parent in kept - loose.keys() if parent in inside
              for child in parent if child not in kept and isinstance(child.tag, str)]
    styles = {element: element.get("style") for element in hidden}
    for element in hidden:
        element.set("style", f"{styles[element] or ''}; display: none !important")
    try:
        same = faithful(widest_stretch(render(source, "tracking probe")), loose)
        if not same:
            restore(styles)
        yield "tracking probe" if same else "tracking"
    finally:
        restore(styles)


def faithful(control: dict, loose: dict) -> bool:
    """Does the probe set each loose paragraph as the whole document does (the same widest space)?"""
    return all(control.get(element) == stretch for element, stretch in loose.items())


def restore(styles: dict) -> None:
    """Each element's style attribute as it was (None: it had none)."""
    for element, style in styles.items():
        if style is None:
            element.attrib.pop("style", None)
        else:
            element.set("style", style)


def widest_stretch(document) -> dict:
    """Element -> the most any of its justified lines stretched a word space, in CSS px."""
    widest: dict = {}
    for page in document.pages:
        for line in page._page_box.descendants():  # WeasyPrint has no public API for line boxes
            if isinstance(line, LineBox) and line.element is not None:
                stretch = max((box.justification_spacing for box in line.descendants() if isinstance(box, TextBox)),
                              default=0)
                widest[line.element] = max(widest.get(line.element, 0), stretch)
    return widest


def hyphen_ladders(document) -> list:
    """Elements (paragraphs, captions) with more than MAX_HYPHENS_IN_A_ROW hyphenated lines in a row."""
    run, found = 0, []
    for page in document.pages:
        for line in page._page_box.descendants():  # WeasyPrint has no public API for line boxes
            if isinstance(line, LineBox):
                texts = [box.text for box in line.descendants() if isinstance(box, TextBox)]
                run = run + 1 if texts and texts[-1].endswith(HYPHEN) else 0
                if run > MAX_HYPHENS_IN_A_ROW and line.element not in found:
                    found.append(line.element)
    return found


def separated_notes(document) -> list:
    """(element, style) for the paragraph at the foot of each page whose note WeasyPrint moved to a
    later page: it does so to keep two lines of that paragraph together (orphans, widows). The
    paragraph gives way instead: it starts on the next page, or may leave one line."""
    fixes = []
    for page in document.pages:
        root, *areas = page._page_box.children or [page._page_box]  # no public API for the footnote area
        calls = {box.element for box in root.descendants() if (box.element_tag or "").endswith("::footnote-call")}
        notes = {box.element for area in areas for box in area.descendants() if box.element is not None}
        lines = [box for box in root.descendants() if isinstance(box, LineBox)]
        if calls - notes and lines:
            last = lines[-1].element
            alone = sum(line.element is last for line in lines) == 1 and not last.get("style")
            fixes.append((last, "break-before: page" if alone else "orphans: 1; widows: 1"))
    return fixes


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


def float_moves(document, measure: Measure, parents: dict) -> list[tuple[object, object]]:
    """(float, the element it goes after) for each figure or table that opens a page after a hole
    on the page before, in the same section: it goes after the blocks that fill the hole, whole if
    they leave no more than HOLE_LINES empty, else after the block that breaks across the pages
    (the float then follows that block's last lines)."""
    facts, ends, line = measure
    moves = []
    for n, page in enumerate(facts[:-1]):
        following = facts[n + 1]
        if ends[n] or page.short <= HOLE_LINES * line or following.rows[0].float is None:
            continue
        figure = following.rows[0].float
        heights = block_heights(following, parents)
        hole, filled, after = page.short, 0.0, None
        for sibling in siblings_after(figure, parents):
            if sibling.tag in BARRIERS or sibling not in heights:
                break
            if filled + heights[sibling] > hole:
                if hole - filled > HOLE_LINES * line or after is None:
                    after = sibling
                break
            filled, after = filled + heights[sibling], sibling
        if after is not None:
            moves.append((figure, after))
    return moves


def shrunk_pictures(document, measure: Measure, moving: set) -> list[tuple[object, str]]:
    """(picture, style) for each figure that opens a page after a hole on the page before and has
    nothing after it to fill the hole (it ends its chapter, or another float follows): its picture
    set smaller, by at most 1 - MIN_SCALE, if that lets the figure fit in the hole."""
    facts, ends, line = measure
    found = []
    for n, page in enumerate(facts[:-1]):
        figure = facts[n + 1].rows[0].float if facts[n + 1].rows else None
        if ends[n] or page.short <= HOLE_LINES * line or figure is None or figure in moving:
            continue
        box = next((b for b in document.pages[n + 1]._page_box.descendants() if b.element is figure), None)
        pictures = [b for b in box.descendants() if isinstance(b, ReplacedBox) and b.element is not None
                    and b.element.tag == "img"] if box else []
        if len(pictures) != 1 or pictures[0].element.get("style"):
            continue
        picture = pictures[0]
        excess = box.margin_height() - page.short + 1  # CSS px the figure is too tall by
        scale = (picture.height - excess) / picture.height
        if MIN_SCALE <= scale < 1:
            found.append((picture.element, f"width: {picture.width * scale:.2f}px"))
    return found


def block_heights(page: Facts, parents: dict) -> dict:
    """Element -> the height its lines take on ``page``, for the blocks that are children of a
    section's (or a float's) parent: the flow's blocks."""
    tops: dict = {}
    bottoms: dict = {}
    for row in page.rows:
        element = row.float if row.float is not None else row.block
        while element is not None and parents.get(element) is not None and parents[element].tag not in ("section", "div"):
            element = parents[element]
        if element is None:
            continue
        tops.setdefault(element, row.box.position_y)
        bottoms[element] = row.bottom
    return {element: bottoms[element] - tops[element] for element in tops}


def siblings_after(element, parents: dict):
    parent = parents.get(element)
    if parent is None:
        return
    children = list(parent)
    yield from children[children.index(element) + 1:]


def move(figure, after, parents: dict) -> None:
    """Put ``figure`` right after ``after`` (a later sibling), marked as moved."""
    parent = parents[figure]
    tail, figure.tail = figure.tail, None
    parent.remove(figure)
    parent.insert(list(parent).index(after) + 1, figure)
    figure.tail = tail
    figure.set(MOVED, "")


def hyphenated_feet(measure: Measure) -> list:
    """The paragraph broken at the foot of each page whose last line (above any notes) ends in a
    hyphen, when it is not already set without hyphens."""
    found = []
    facts, ends, _ = measure
    for page, end in zip(facts, ends):
        lines = [row for row in page.rows if isinstance(row.box, LineBox)]
        if end or not lines:
            continue
        last = lines[-1]
        texts = [box.text for box in last.box.descendants() if isinstance(box, TextBox)]
        if texts and texts[-1].endswith(HYPHEN) and last.block is not None and "hyphens" not in (last.block.get("style") or ""):
            found.append(last.block)
    return found


def lines_alone(measure: Measure) -> list:
    """For each section whose last page holds fewer than ALONE_LINES lines (and no picture) after
    earlier pages: the paragraphs on the pages before it whose last line is fullest, as many as lines
    are missing, to be set looser so that they run one line longer each."""
    facts, ends, _ = measure
    found = []
    for n, page in enumerate(facts):
        lines = [row for row in page.rows if isinstance(row.box, LineBox)]
        if not ends[n] or n == 0 or not lines or len(lines) >= ALONE_LINES or len(lines) < len(page.rows):
            continue
        section = page.rows[0].section
        earlier = [row for p in facts[max(0, n - 3):n] for row in p.rows if row.section is section]
        if not earlier:
            continue
        last_lines = {}  # paragraph -> its last line's box
        for row in earlier:
            if isinstance(row.box, LineBox) and row.block is not None and row.block.tag == "p" and not row.block.get("style"):
                last_lines[row.block] = row.box
        measure = max(box.width for box in last_lines.values()) if last_lines else 0
        fullest = sorted(last_lines, key=lambda p: -used_width(last_lines[p]) / measure if measure else 0)
        found += fullest[:ALONE_LINES - len(lines)]
    return found


def used_width(line) -> float:
    """How much of its measure a line box's text takes."""
    texts = [box for box in line.descendants() if isinstance(box, TextBox)]
    return max((box.position_x + box.width for box in texts), default=line.position_x) - line.position_x


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
                unit.translate(0, offset)
        document.pages[n] = Page(document.pages[n]._page_box)  # its links, anchors and bookmarks read again


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


def decorated(box) -> bool:
    """Has the box a border or a background (moving its lines would leave them behind)?"""
    style = box.style
    return any(style[f"border_{side}_width"] for side in ("top", "right", "bottom", "left")) or \
        style["background_color"].alpha > 0 or any(image[0] != "none" for image in style["background_image"])
