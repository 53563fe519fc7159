"""pandoc's grid tables, as pandoc 3 writes them whenever a pipe table cannot hold a table: cells of
several lines or blocks, cells spanning rows and columns, a header (rows above a '=' line) or none,
a foot (rows below a second '=' line), column alignment by ':' in the separator.

    +-------+------------------+
    | Years | Bounty paid      |
    |       +--------+---------+
    |       | £      | s.      |
    +=======+========+=========+
    | 1771  | 2,085  | 0       |
    +-------+--------+---------+

A markdown-it block rule: the table becomes the same tokens a pipe table gives (table, thead, tbody,
tr, th, td), with colspan and rowspan; a cell's text is Markdown, parsed as blocks (one paragraph is
set as the cell's inline text, as a pipe table's). The grid is read by its boundaries: every '+' of
a border line is a column boundary, every border line a row boundary; a cell runs from a corner to
the first boundary whose edge is drawn on its right, then down to the first border line drawn under
it. Bounded: a grid of more than MAX_LINES lines or MAX_COLUMNS boundaries is not read as a table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token

BORDER = re.compile(r"\+(?:[-=:]*\+)+")  # a border line: '+---+===+', '+:--+'
# a line that draws a row boundary, whole or under some cells only ('|      +-----+'): a '+' with an edge
ROW_EDGE = re.compile(r"\+[-=:]|[-=:]\+")
EDGE = "-=:+"
BLOCK_START = re.compile(r"\s*([-*+>#|:~`]|\d+[.)])")  # a line that may open a block (a list, a quote, a fence …)
MAX_LINES = 2000  # lines of one grid table
MAX_COLUMNS = 100  # column boundaries of one grid table (a table of 99 columns)


@dataclass
class Cell:
    top: int  # row boundary index
    left: int  # column boundary index
    bottom: int
    right: int
    text: str


def grid_table_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("table", "grid_table", grid_table, {"alt": ["paragraph"]})


@dataclass(frozen=True)
class Grid:
    lines: list[str]  # padded to one width
    rows: list[int]  # the lines that draw a row boundary, by index
    columns: list[int]  # every '+' of those lines, by position

    @classmethod
    def of(cls, lines: list[str]) -> Grid:
        width = max(map(len, lines))
        padded = [line.ljust(width) for line in lines]
        rows = [n for n, line in enumerate(padded) if ROW_EDGE.search(line)]
        return cls(padded, rows, sorted({i for n in rows for i, ch in enumerate(padded[n]) if ch == "+"}))


def grid_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.is_code_block(start):
        return False
    lines = []
    for number in range(start, min(end, start + MAX_LINES + 1)):
        line = state.src[state.bMarks[number] + state.tShift[number]:state.eMarks[number]].rstrip()
        if not line or line[0] not in "+|":
            break
        lines.append(line)
    if len(lines) < 3 or len(lines) > MAX_LINES or not BORDER.fullmatch(lines[0]) or not BORDER.fullmatch(lines[-1]):
        return False
    grid = Grid.of(lines)
    cells = read_cells(grid)
    if cells is None:
        return False
    if not silent:
        write_tokens(state, start, grid, cells)
        state.line = start + len(lines)
    return True


def read_cells(grid: Grid) -> list[Cell] | None:
    """The cells of ``grid``, each once; None when it is no well-formed grid."""
    rows, columns = grid.rows, grid.columns
    if len(columns) < 2 or len(columns) > MAX_COLUMNS or columns[0] != 0:
        return None
    covered: set[tuple[int, int]] = set()
    cells = []
    for top in range(len(rows) - 1):
        for left in range(len(columns) - 1):
            if (top, left) in covered:
                continue
            cell = scan(grid.lines, rows, columns, top, left)
            if cell is None:
                return None
            cells.append(cell)
            covered |= {(r, c) for r in range(cell.top, cell.bottom) for c in range(cell.left, cell.right)}
    return cells


def scan(grid: list[str], rows: list[int], columns: list[int], top: int, left: int) -> Cell | None:
    """The cell whose top-left corner is at row boundary ``top``, column boundary ``left``."""
    y, x = rows[top], columns[left]
    if grid[y][x] != "+":
        return None
    for right in range(left + 1, len(columns)):
        edge = columns[right]
        if not all(ch in EDGE for ch in grid[y][x + 1:edge]):
            return None
        if grid[y + 1][edge] not in "|+":
            continue  # no edge drawn down from here: the cell spans on
        for bottom in range(top + 1, len(rows)):
            floor = rows[bottom]
            if any(grid[n][edge] not in "|+" or grid[n][x] not in "|+" for n in range(y + 1, floor)):
                break
            if all(ch in EDGE for ch in grid[floor][x:edge + 1]):
                text = [grid[n][x + 1:edge] for n in range(y + 1, floor)]
                return Cell(top, left, bottom, right, dedented(text))
        return None
    return None


def dedented(text: list[str]) -> str:
    """A cell's lines as Markdown: the common indent off, a line of the grid's own (a row boundary
    inside a cell that spans rows) blank."""
    lines = ["" if set(line.strip()) <= set(EDGE) else line.rstrip() for line in text]
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines).strip("\n")


def aligns(line: str, columns: list[int]) -> list[str]:
    """Each column's alignment from a separator line's colons ('' for none)."""
    found = []
    for left, right in zip(columns, columns[1:]):
        segment = line[left + 1:right]
        found.append("center" if segment.startswith(":") and segment.endswith(":") else "right"
                     if segment.endswith(":") else "left" if segment.startswith(":") else "")
    return found


def write_tokens(state: StateBlock, start: int, grid: Grid, cells: list[Cell]) -> None:
    """The table's tokens: thead (rows above the first '=' line), tbody, tfoot (below a second)."""
    rows = grid.rows
    heads = [index for index, n in enumerate(rows) if "=" in grid.lines[n]]
    head_end = heads[0] if heads else 0
    foot_start = heads[1] if len(heads) > 1 else len(rows) - 1
    alignment = aligns(grid.lines[rows[head_end]], grid.columns)
    by_row: dict[int, list[Cell]] = {}
    for cell in sorted(cells, key=lambda c: (c.top, c.left)):
        by_row.setdefault(cell.top, []).append(cell)
    state.push("table_open", "table", 1).map = [start, start + len(grid.lines)]
    for tag, first, last in (("thead", 0, head_end), ("tbody", head_end, foot_start), ("tfoot", foot_start,
                                                                                         len(rows) - 1)):
        if first >= last:
            continue
        state.push(f"{tag}_open", tag, 1).map = [start + rows[first], start + rows[last]]
        for row in range(first, last):
            state.push("tr_open", "tr", 1).map = [start + rows[row], start + rows[row + 1]]
            for cell in by_row.get(row, ()):
                write_cell(state, cell, "th" if tag == "thead" else "td", alignment[cell.left],
                           start + rows[row] + 1)
            state.push("tr_close", "tr", -1)
        state.push(f"{tag}_close", tag, -1)
    state.push("table_close", "table", -1)


def write_cell(state: StateBlock, cell: Cell, tag: str, align: str, line: int) -> None:
    token = state.push(f"{tag}_open", tag, 1)
    if cell.right - cell.left > 1:
        token.attrSet("colspan", str(cell.right - cell.left))
    if cell.bottom - cell.top > 1:
        token.attrSet("rowspan", str(cell.bottom - cell.top))
    if align:
        token.attrSet("style", f"text-align:{align}")
    if "\n" in cell.text or BLOCK_START.match(cell.text):
        blocks = state.md.block.parse(cell.text, state.md, state.env, []) or []
    else:  # a line of text (most cells): no block parse
        blocks = [Token("inline", "", 0, content=cell.text, children=[])] if cell.text else []
    if len(blocks) == 3 and blocks[0].type == "paragraph_open":  # one paragraph: the cell's inline text
        blocks = [blocks[1]]
    for block in blocks:
        block.level += state.level
        block.map = [line, line + 1] if block.map else None
        state.tokens.append(block)
    if not blocks:
        empty = state.push("inline", "", 0)
        empty.content, empty.children, empty.map = "", [], [line, line + 1]
    state.push(f"{tag}_close", tag, -1)
