"""Tables as books have them, from markdown-it's table tokens (pipe tables, gridtables.py): a
``::: table`` div's caption or pandoc's (': caption' after the table), no header row when the
Markdown's is empty (pandoc writes a headerless table so), numeric columns marked to align."""

from __future__ import annotations

import re

from markdown_it.token import Token

from ..errors import ManuscriptError

TABLE = "table"
CAPTION = re.compile(r"^(?:[Tt]able)?:\s+")  # pandoc's table caption, after the table
# A cell that is a number: digits with separators, a sign, a decimal part, a unit of per cent; or empty, or a dash.
NUMBER = re.compile(r"[-−+±]?[$€£¥]?\d[\d,.\u202f\u00a0 ]*(%|‰)?|[-–—]?")
# A number's figures, its decimal part and what follows them (a unit): where the padding goes.
DECIMALS = re.compile(r"^(?P<figures>.*?\d)(?P<decimals>\.\d+)?(?P<unit>[\s\u202f\u00a0]*[%‰]?)$")
FIGURE_SPACE, POINT_SPACE = "\u2007", "\u2008"  # as wide as a (tabular) figure, as wide as a full stop


def shape_tables(tokens: list[Token], prefix: str) -> None:
    """Every table in place: an id if it has none (``prefix``-table-N: the PDFs' rounds fit a table
    by it), an all-empty header row removed, and, in a table without spans, each column whose body
    cells are all numbers (at least one) given class 'num' (set right-aligned in tabular figures, so
    the decimal points of numbers with as many decimals stand in one line)."""
    taken = {t.attrGet("id") for t in tokens if t.type == "table_open"}
    count = 0
    for start, token in enumerate(tokens):
        if token.type != "table_open":
            continue
        count += 1
        while not token.attrGet("id") and f"{prefix}-table-{count}" in taken:
            count += 1
        if not token.attrGet("id"):
            token.attrSet("id", f"{prefix}-table-{count}")
        end = next(i for i in range(start, len(tokens)) if tokens[i].type == "table_close")
        rows = cells(tokens[start:end])
        header = [row for row in rows if row and row[0][0].type == "th_open"]
        mark_numbers(header, [row for row in rows if row and row[0][0].type == "td_open"])
        if header and not any(inline.content.strip() for row in header for _, inline in row):
            first = next(i for i in range(start, end) if tokens[i].type == "thead_open")
            last = next(i for i in range(first, end) if tokens[i].type == "thead_close")
            del tokens[first:last + 1]
            token.attrJoin("class", "no-header")


def mark_numbers(header: list, body: list) -> None:
    """Each column whose body cells are all numbers (one at least) gets class 'num', and its numbers
    their decimal points in one line, in a table without spans (where a cell's place in its row is
    its column)."""
    if any(cell.attrGet("colspan") or cell.attrGet("rowspan") for row in header + body for cell, _ in row):
        return
    for column in range(max(map(len, header + body), default=0)):
        texts = [row[column][1].content.strip() if row[column][1].type == "inline" else "block"
                 for row in body if column < len(row)]
        if any(re.search(r"\d", text) for text in texts) and all(NUMBER.fullmatch(text) for text in texts):
            for row in header + body:
                if column < len(row):
                    row[column][0].attrJoin("class", "num")
            align_points([row[column][1] for row in body if column < len(row)])


def align_points(inlines: list[Token]) -> None:
    """Numbers set right-aligned in tabular figures stand on their decimal points when each has as
    many decimals: the fewer are made up with figure spaces, a missing point with a space as wide."""
    found = [(inline, DECIMALS.match(inline.content.strip())) for inline in inlines]
    most = max((len(m["decimals"] or "") for _, m in found if m), default=0)
    for inline, m in found:
        if not m or len(m["decimals"] or "") == most or len(inline.children or ()) != 1:
            continue
        missing = most - len(m["decimals"] or "")
        pad = (POINT_SPACE + FIGURE_SPACE * (missing - 1)) if not m["decimals"] else FIGURE_SPACE * missing
        inline.content = inline.children[0].content = m["figures"] + (m["decimals"] or "") + pad + m["unit"]


def pandoc_captions(tokens: list[Token]) -> None:
    """A paragraph that opens with ':' or 'Table:' right after a table is its caption, as pandoc
    writes it (and reads it): it moves into the table as its <caption>."""
    for end in [i for i, t in enumerate(tokens) if t.type == "table_close"][::-1]:
        after = tokens[end + 1:end + 4]
        if len(after) < 3 or after[0].type != "paragraph_open" or not CAPTION.match(after[1].content):
            continue
        start = max(i for i in range(end) if tokens[i].type == "table_open" and tokens[i].level == tokens[end].level)
        inline = after[1]
        inline.content = CAPTION.sub("", inline.content, count=1)
        if inline.children and inline.children[0].type == "text":
            inline.children[0].content = CAPTION.sub("", inline.children[0].content, count=1)
        as_caption(after)
        del tokens[end + 1:end + 4]
        tokens[start + 1:start + 1] = after


def as_caption(paragraph: list[Token]) -> list[Token]:
    """A paragraph's three tokens (open, inline, close) made a table's <caption>."""
    paragraph[0].tag = paragraph[2].tag = "caption"
    paragraph[0].type, paragraph[2].type = "caption_open", "caption_close"
    return paragraph


def cells(tokens: list[Token]) -> list[list[tuple[Token, Token]]]:
    """The table's rows, each a list of (cell's opening token, its inline token)."""
    rows: list[list[tuple[Token, Token]]] = []
    for i, token in enumerate(tokens):
        if token.type == "tr_open":
            rows.append([])
        elif token.type in ("th_open", "td_open") and rows:
            rows[-1].append((token, tokens[i + 1]))
    return rows


def shape_table(tokens: list[Token], start: int, table_id: str, where) -> None:
    """Rewrite ``::: table`` tokens in place: one pipe or grid table and one caption paragraph (before
    or after it) become a <table> with an id and a <caption>; with a caption before the table, a
    paragraph after it is the table's source line (class 'table-source', the table described by it)."""
    depth, end = 0, start
    for end in range(start, len(tokens)):
        depth += tokens[end].nesting if tokens[end].type.startswith("container_") else 0
        if depth == 0:
            break
    body = tokens[start + 1:end]
    tables = [j for j, t in enumerate(body) if t.type == "table_open"]
    paragraphs = [j for j, t in enumerate(body) if t.type == "paragraph_open" and t.level == body[0].level]
    outside = [t for t in body if t.level == body[0].level and t.type not in
               ("table_open", "table_close", "paragraph_open", "paragraph_close", "inline")]
    before = [j for j in paragraphs if tables and j < tables[0]]
    if len(tables) != 1 or not 1 <= len(paragraphs) <= 1 + len(before) or len(before) > 1 or outside:
        raise ManuscriptError(where(tokens[start]), "a table div must hold one table and one caption paragraph "
                              "(and, after the table, one source line)", "write the caption paragraph, a blank "
                              "line, the table, and the source line after it if it has one", code="table-shape")
    tokens[end].tag = TABLE
    caption = as_caption(body[paragraphs[0]:paragraphs[0] + 3])
    source = body[paragraphs[1]:paragraphs[1] + 3] if len(paragraphs) == 2 else []
    table = [t for t in body if t not in caption and t not in source]
    table[0].attrSet("id", table_id)
    if source:
        source[0].attrSet("class", "table-source")
        source[0].attrSet("id", f"{table_id}-source")
        table[0].attrSet("aria-describedby", f"{table_id}-source")
    tokens[start + 1:end] = [table[0], *caption, *table[1:], *source]
