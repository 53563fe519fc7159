"""Composition: what a compositor fixes once the text is set, done on WeasyPrint's layout of a
source document (composed(), which layout.lay_out() calls).

First the tracking pass (tracking.py). Then rounds of layout, at most ROUNDS, while a pass finds
something to fix (each says what to change in the source document; the next layout sees it):
- a paragraph with more than MAX_HYPHENS_IN_A_ROW hyphenated lines in a row is set without
  hyphens (hyphen_ladders);
- a paragraph of two lines at a page's foot whose note WeasyPrint moved to a later page starts
  on the next page (separated_notes);
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
Then, for a book's facing pages, vertical justification (justify.py), so facing pages end on the
same line. The passes read each round's layout once (measure.py).

WeasyPrint has no public API for its boxes; this module reads and moves them (its page boxes,
line boxes and their elements), as layout.py does.
"""

from __future__ import annotations

from xml.etree import ElementTree

from ..scripts import on_grid
from .justify import justified
from .measure import FLOATS, Facts, Measure, measured
from .pages import HYPHEN
from .rendering import render
from .tracking import LOOSER, tracked  # lines_alone() sets its paragraphs LOOSER too
from .weasy import LineBox, ReplacedBox, TextBox

BARRIERS = ("h1", "header", *FLOATS)  # a float never moves past these: floats keep their order
HOLE_LINES = 2  # a page (not its section's last) ending more lines short than this has a hole
ALONE_LINES = 4  # the fewest lines a chapter's last page may hold alone
MIN_SCALE = 0.85  # the smallest a picture is set to fit the page under the text before it
MOVED = "data-moved"  # marks a float the passes moved (page_marks does not start a page at it)
MAX_HYPHENS_IN_A_ROW = 2  # book-setting practice; WeasyPrint has no hyphenate-limit-lines
NOTE_ROOM_LINES = 3  # the most lines at a page's foot sent overleaf to make room for the note of a call above
ROUNDS = 4  # relayouts allowed for the passes; each fixes every case it finds


def composed(source, facing: bool, replay: bool = False):
    """``source`` (a WeasyPrint HTML) laid out and composed (see the module's note); with
    ``replay``, its body is one composed before (composed_body()): only laid out and justified."""
    if replay:
        document = render(source, "replay")
        if facing:
            justified(document, measured(document))
        return document
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


def composed_body(source) -> str:
    """The <body> of ``source`` as composition left it (its styles set, its floats moved), as HTML
    that parses back to the same tree: a document whose body is this one and whose head differs only
    in what the body's layout does not depend on (the folios a piece prints) is composed by laying
    it out once (replay)."""
    body = next(e for e in source.etree_element if e.tag == "body")
    return ElementTree.tostring(body, encoding="unicode", method="html")


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
    """(element, style) for a page whose note WeasyPrint moved to a later page (it does so when the
    line of the call cannot move: orphans, widows): the paragraphs after the last call, or the one
    that holds it when none follows, start on the next page to make room for the note, when that
    moves no more than NOTE_ROOM_LINES lines. Orphans and widows stay at two (giving that paragraph one line
    made a one-line orphan above the note): a note that still cannot stand on the page of its call is
    set after its chapter's text with a warning (layout.unfit_notes)."""
    fixes = []
    for page in document.pages:
        root, *areas = page._page_box.children or [page._page_box]  # no public API for the footnote area
        notes = {box.element for area in areas for box in area.descendants() if box.element is not None}
        lines = [box for box in root.descendants() if isinstance(box, LineBox)]
        holders = [line.element for line in lines if any((box.element_tag or "").endswith("::footnote-call")
                                                         and box.element not in notes for box in line.descendants())]
        if not holders:
            continue
        elements = list(dict.fromkeys(line.element for line in lines))
        after = elements[elements.index(holders[-1]) + 1:]  # what follows the last call, up to the foot
        move = after[0] if after else holders[-1]
        tail = sum(line.element in (after or [move]) for line in lines)
        if tail <= NOTE_ROOM_LINES and "break-before" not in (move.get("style") or ""):  # (tracking sets styles)
            fixes.append((move, "break-before: page"))
    return fixes


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
            if isinstance(row.box, LineBox) and row.block is not None and row.block.tag == "p" and not row.block.get("style") \
                    and not on_grid(row.box.style["lang"] or ""):  # a CJK paragraph keeps its grid (grid.py)
                last_lines[row.block] = row.box
        measure = max(box.width for box in last_lines.values()) if last_lines else 0
        fullest = sorted(last_lines, key=lambda p: -used_width(last_lines[p]) / measure if measure else 0)
        found += fullest[:ALONE_LINES - len(lines)]
    return found


def used_width(line) -> float:
    """How much of its measure a line box's text takes."""
    texts = [box for box in line.descendants() if isinstance(box, TextBox)]
    return max((box.position_x + box.width for box in texts), default=line.position_x) - line.position_x


