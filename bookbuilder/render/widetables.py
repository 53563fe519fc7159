"""A table wider than a PDF's text block, as the rounds fit it (typeset/layout.wide_tables finds it,
typeset/rounds.py asks again): first set smaller (class 'wide': print.css and handout.css), then split
into groups of columns, each repeating the first column (the row's label) and the header rows above
its own columns, the caption's text said again with '(continued)'.

Split, not turned: WeasyPrint lays out every page of a document at one size and cannot turn a box in
the flow, so a landscape table would need a page of another size in the book block (printers ask for
one size) or a page turned afterwards with its running head and folio. Groups of columns read in the
page's direction, stay tables (the handout tags them so, header cells with their scope) and print
every cell.
"""

from __future__ import annotations

import copy

from lxml import etree

from ..manuscript.labels import ENGLISH, Labels
from ..vocabulary import XHTML

WIDE = "wide"  # the class of a table set smaller
SMALLER = 1  # a table's first fitting: set smaller; 2 and more: split into that many groups of columns
MAX_GROUPS = 8  # more groups than this and the table is refused: a table of over 8 pages' width is no table to read
CELLS = (f"{{{XHTML}}}td", f"{{{XHTML}}}th")


def fit_tables(root: etree._Element, tables: dict[str, int], labels: Labels = ENGLISH) -> None:
    """Each table of ``tables`` (its id -> SMALLER or a number of groups) set smaller, and split (a
    part's caption said again as ``labels`` say 'continued')."""
    for table in list(root.iter(f"{{{XHTML}}}table")):
        fit = tables.get(table.get("data-table") or table.get("id", ""), 0)
        if fit:
            table.set("class", " ".join([*table.get("class", "").split(), WIDE]))
            table.set("data-table", table.get("id", ""))
        if fit > SMALLER:
            split(table, fit, labels)


def split(table: etree._Element, groups: int, labels: Labels = ENGLISH) -> None:
    """``table`` replaced by ``groups`` tables of its columns (as many as it has, past the first)."""
    placed = grid(table)
    columns = max((column + span for row in placed for _, column, span in row), default=1)
    rest = list(range(1, columns))
    groups = max(1, min(groups, len(rest)))
    runs = [rest[len(rest) * k // groups:len(rest) * (k + 1) // groups] for k in range(groups)]
    parts = []
    for count, run in enumerate(runs):
        part = copy.deepcopy(table)
        keep(part, placed, {0, *run})
        if count:
            part.set("id", f"{table.get('data-table')}-columns-{count + 1}")
            continued(part, labels)
        parts.append(part)
    parent, index = table.getparent(), table.getparent().index(table)
    for offset, part in enumerate(parts):
        part.tail = None
        parent.insert(index + offset, part)
    parts[-1].tail = table.tail
    parent.remove(table)


def grid(table: etree._Element) -> list[list[tuple[etree._Element, int, int]]]:
    """Per row (in document order), each cell with its first column and its column span, row spans
    from the rows above taken into account."""
    taken: dict[int, int] = {}  # column -> rows it is still held by a row span from above
    rows = []
    for row in table.iter(f"{{{XHTML}}}tr"):
        placed, column = [], 0
        for cell in (c for c in row if c.tag in CELLS):
            while taken.get(column, 0) > 0:
                column += 1
            span, down = number(cell.get("colspan")), number(cell.get("rowspan"))
            placed.append((cell, column, span))
            for held in range(column, column + span):
                taken[held] = down
            column += span
        taken = {held: rows_left - 1 for held, rows_left in taken.items() if rows_left > 1}
        rows.append(placed)
    return rows


def keep(part: etree._Element, placed: list, wanted: set[int]) -> None:
    """Only the cells of ``part`` (a copy of the table ``placed`` describes, or the table) that lie in
    the ``wanted`` columns; a cell spanning into them spans only those."""
    for row, cells in zip(part.iter(f"{{{XHTML}}}tr"), placed):
        for cell, (_, column, span) in zip([c for c in row if c.tag in CELLS], cells):
            inside = len(wanted & set(range(column, column + span)))
            if not inside:
                row.remove(cell)
            elif span > 1:
                cell.set("colspan", str(inside))


def continued(part: etree._Element, labels: Labels) -> None:
    caption = part.find(f"{{{XHTML}}}caption")
    if caption is not None:
        text = "".join(caption.itertext()).strip()
        caption[:] = []
        caption.text = labels.fill("continued", caption=text)


def number(text: str | None) -> int:
    return int(text) if text and text.isdigit() and 0 < int(text) <= 1000 else 1
