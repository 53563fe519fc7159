"""pandoc's grid tables (manuscript/gridtables.py): spans, header and foot, alignment, cells of
blocks; and, for any grid of spanning cells drawn as pandoc draws it, every cell read once with its
text and spans (hypothesis)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from lxml import etree

from bookbuilder.errors import ManuscriptError
from bookbuilder.manuscript.markup import parser, render_markdown

SOURCE = Path("chapter.md")
NS = {"x": "http://www.w3.org/1999/xhtml"}
SPANNED = """\
+------+------------------+
| Year | Bounty paid      |
|      +--------+---------+
|      | £      | s.      |
+======+========+=========+
| 1771 | 2,085  | 0       |
+------+--------+---------+
| 1772 | *much* | - one   |
|      |        | - two   |
+======+========+=========+
| All  | 4,170           ||
+------+--------+---------+
"""


def table(markdown: str) -> etree._Element:
    html = render_markdown(markdown, SOURCE, {}, "c").html
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{html}</div>')[0]


def test_spans_header_and_foot_as_pandoc_writes_them():
    root = table(SPANNED)
    head = [[(c.text, c.get("colspan"), c.get("rowspan")) for c in row]
            for row in root.xpath("x:thead/x:tr", namespaces=NS)]
    assert head == [[("Year", None, "2"), ("Bounty paid", "2", None)], [("£", None, None), ("s.", None, None)]]
    assert root.xpath("x:tbody/x:tr[2]/x:td[2]/x:em/text()", namespaces=NS) == ["much"]
    assert root.xpath("x:tbody/x:tr[2]/x:td[3]/x:ul/x:li/text()", namespaces=NS) == ["\none", "\ntwo"]
    assert root.xpath("x:tfoot/x:tr/x:td/text()", namespaces=NS)[0] == "All"


def test_no_header_line_no_header_and_colons_align():
    root = table("+---+----:+\n| a | 1.5 |\n+---+-----+\n| b | 22  |\n+---+-----+\n")
    assert root.xpath("x:thead", namespaces=NS) == []
    assert root.xpath("x:tbody/x:tr/x:td[2]/@style", namespaces=NS) == ["text-align:right"] * 2


def test_a_broken_grid_is_not_read_as_a_table_and_says_so():
    fragment = render_markdown("+---+---+\n| a | b\n+---+\n", SOURCE, {}, "c")
    assert "<table" not in fragment.html
    assert [n.problem for n in fragment.unread] == ["a grid table that was not read, printed as text"]


@st.composite
def grids(draw):
    """A grid of rows x columns cut into rectangles, each with a word, drawn as pandoc draws it."""
    rows, columns = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    owner: dict[tuple[int, int], int] = {}
    cells = []
    for r in range(rows):
        for c in range(columns):
            if (r, c) in owner:
                continue
            width = 1
            while c + width < columns and (r, c + width) not in owner and draw(st.booleans()):
                width += 1
            height = 1
            while r + height < rows and all((r + height, c + k) not in owner for k in range(width)) \
                    and draw(st.booleans()):
                height += 1
            for y in range(r, r + height):
                for x in range(c, c + width):
                    owner[y, x] = len(cells)
            cells.append((r, c, height, width, f"w{len(cells)}"))
    # a boundary no cell's edge draws is not one (pandoc would not draw it either)
    assume(all(any(left == k or left + width == k for _, left, _, width, _ in cells) for k in range(1, columns)))
    assume(all(any(top == k or top + height == k for top, _, height, _, _ in cells) for k in range(1, rows)))
    header = draw(st.integers(0, rows - 1)) if rows > 1 and draw(st.booleans()) else 0
    return rows, columns, cells, header


def drawn(rows: int, columns: int, cells, header: int) -> str:
    size = 8
    canvas = [[" "] * (columns * size + 1) for _ in range(rows * 2 + 1)]
    for top, left, height, width, word in cells:
        y0, y1, x0, x1 = top * 2, (top + height) * 2, left * size, (left + width) * size
        for x in range(x0, x1 + 1):
            for y in (y0, y1):
                canvas[y][x] = "+" if x in (x0, x1) or canvas[y][x] == "+" else (
                    "=" if header and y == header * 2 else "-")
        for y in range(y0 + 1, y1):
            for x in (x0, x1):
                canvas[y][x] = "+" if canvas[y][x] == "+" else "|"
        canvas[y0 + 1][x0 + 2:x0 + 2 + len(word)] = word
    return "\n".join("".join(line).rstrip() for line in canvas) + "\n"


@given(grids())
def test_every_cell_of_a_drawn_grid_is_read_once_with_its_spans(grid):
    rows, columns, cells, header = grid
    root = table(drawn(rows, columns, cells, header))
    read = {c.text: (int(c.get("rowspan", 1)), int(c.get("colspan", 1)))
            for c in root.iter("{%s}td" % NS["x"], "{%s}th" % NS["x"])}
    assert read == {word: (height, width) for _, _, height, width, word in cells}
    assert len(root.xpath("x:thead/x:tr", namespaces=NS)) == header


def test_the_rule_runs_before_pipe_tables():
    assert "grid_table" in [rule.name for rule in parser().block.ruler.__rules__]


@pytest.mark.parametrize("table", [
    "  Year   Busses\n  ------ --------\n  1771   29\n",  # a simple table, as pandoc writes it
    "----------- -------\n Centered   Default\n----------- -------\n   First    row\n----------- -------\n",  # multiline
])
def test_a_pandoc_simple_or_multiline_table_is_refused_at_its_line(table):
    with pytest.raises(ManuscriptError) as caught:
        render_markdown("Before.\n\n" + table, SOURCE, {}, "c")
    assert caught.value.code == "pandoc-table" and caught.value.where.line == 3 + table.startswith("  Year")
    assert "pandoc -t markdown-simple_tables-multiline_tables" in str(caught.value)


@pytest.mark.parametrize("text", ["A\n\n---\n\nB\n", "A\n\n- - -\n", "```\n--- ---\n```\n", "Title\n-----\n"])
def test_scene_breaks_headings_and_code_are_not_pandoc_tables(text):
    render_markdown(text, SOURCE, {}, "c")
