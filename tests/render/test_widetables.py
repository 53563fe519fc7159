"""A table too wide for a PDF's text block, fitted: set smaller, then split into groups of columns that
each repeat the first; spans kept inside each group (render/widetables.py, issue 23)."""

from __future__ import annotations

from lxml import etree

from bookbuilder.render.widetables import fit_tables, grid
from bookbuilder.vocabulary import XHTML

NS = {"x": XHTML}
TABLE = """<div xmlns="http://www.w3.org/1999/xhtml"><table id="t"><caption>Readings, <em>July</em></caption>
<thead><tr><th rowspan="2">Date</th><th colspan="2">Barometer</th><th colspan="2">Wind</th></tr>
<tr><th>9 a.m.</th><th>3 p.m.</th><th>from</th><th>force</th></tr></thead>
<tbody><tr><td>July 1</td><td>29.5</td><td>29.6</td><td rowspan="2">NE</td><td>4</td></tr>
<tr><td>July 2</td><td colspan="2">not read</td><td>5</td></tr></tbody></table><p>After.</p></div>"""


def rows(table) -> list[list[str]]:
    return [["".join(cell.itertext()) for cell in row] for row in table.iter(f"{{{XHTML}}}tr")]


def test_the_grid_places_cells_under_row_and_column_spans():
    root = etree.fromstring(TABLE)
    assert [[(column, span) for _, column, span in row] for row in grid(root[0])] == [
        [(0, 1), (1, 2), (3, 2)], [(1, 1), (2, 1), (3, 1), (4, 1)], [(0, 1), (1, 1), (2, 1), (3, 1), (4, 1)],
        [(0, 1), (1, 2), (4, 1)]]


def test_a_first_fitting_sets_the_table_smaller():
    root = etree.fromstring(TABLE)
    fit_tables(root, {"t": 1})
    (table,) = root.xpath("x:table", namespaces=NS)
    assert table.get("class") == "wide" and len(rows(table)[0]) == 3


def test_a_split_repeats_the_first_column_and_keeps_every_cell_once():
    root = etree.fromstring(TABLE)
    fit_tables(root, {"t": 2})
    first, second = root.xpath("x:table", namespaces=NS)
    assert (first.get("id"), second.get("id")) == ("t", "t-columns-2")
    assert rows(first) == [["Date", "Barometer"], ["9 a.m.", "3 p.m."], ["July 1", "29.5", "29.6"],
                           ["July 2", "not read"]]
    assert rows(second) == [["Date", "Wind"], ["from", "force"], ["July 1", "NE", "4"], ["July 2", "5"]]
    assert "".join(second.find(f"{{{XHTML}}}caption").itertext()) == "Readings, July (continued)"
    assert root[-1].tag == f"{{{XHTML}}}p" and root[1].tail in (None, "") and root[1].get("data-table") == "t"
    assert root.xpath("//x:th[@rowspan='2']/text()", namespaces=NS) == ["Date", "Date"]


def test_a_split_is_never_more_groups_than_columns():
    root = etree.fromstring(TABLE)
    fit_tables(root, {"t": 8})
    assert len(root.xpath("x:table", namespaces=NS)) == 4  # four columns after the first
