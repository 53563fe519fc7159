"""A table of 18 columns (tests/books/wide-table) in every output: no word past the page in either PDF
and every cell printed, split into groups of columns; in the EPUB, a region that scrolls and a screen
reader names by the caption (issue 23)."""

from __future__ import annotations

import re

import pytest
from conftest import BOOKS, NS, Epub
from lxml import etree
from pdflines import folio, pages

from bookbuilder.pipeline import build

SOURCE = (BOOKS / "wide-table" / "journal.md").read_text()
ROWS = [[cell.strip() for cell in line.strip("|").split("|")] for line in SOURCE.splitlines()
        if line.startswith("| ") and "---" not in line][:13]  # the 18-column table's header and 12 rows
GRID = [cell.strip() for line in (BOOKS / "wide-table" / "readings.md").read_text().splitlines()
        if line.startswith("|") for cell in re.split(r"[|+]", line) if cell.strip() and "---" not in cell]


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    out = tmp_path_factory.mktemp("wide")
    return {o.format: o.path for o in build(BOOKS / "wide-table", ["epub", "print", "handout"], out)}


@pytest.mark.parametrize("edition", ["print", "handout"])
def test_no_word_stands_past_the_text_block_and_every_cell_is_printed(made, edition):
    import pikepdf

    with pikepdf.open(made[edition]) as pdf:
        width = float(pdf.pages[0].trimbox[2]) - float(pdf.pages[0].trimbox[0])
        left = float(pdf.pages[0].trimbox[0])
    words = [w for page in pages(made[edition]) for line in page for w in line.words]
    assert words and all(left <= w.left and w.right <= left + width for w in words)
    text = " ".join(w.text for w in words)
    printed = re.sub(r"[-\u2010]\s", "", text)  # a word hyphenated at a line's end
    for cell in [cell for row in ROWS[1:] for cell in row] + GRID:  # the pipe table's body, the grid table's all
        assert cell.replace(" ", "") in printed.replace(" ", ""), cell
    assert text.count("July 1 ") >= 2  # the first column again in each group of columns


def test_the_epub_scrolls_the_table_in_a_region_named_by_its_caption(made):
    epub = Epub(made["epub"])
    doc = epub.xml("EPUB/journal.xhtml")
    (region,) = doc.xpath("//x:div[@role='region'][x:table/x:caption]", namespaces=NS)
    caption = region.find(f"{{{NS['x']}}}table/{{{NS['x']}}}caption")
    assert region.get("tabindex") == "0" and region.get("aria-labelledby") == caption.get("id")
    assert len(doc.xpath("(//x:table)[1]//x:th[@scope='col']", namespaces=NS)) == 18
    assert [len(r) for r in doc.xpath("(//x:table)[1]//x:tr", namespaces=NS)] == [18] * 13  # no column dropped
    names = doc.xpath("//x:div[@role='region'][not(x:table/x:caption)]/@aria-label", namespaces=NS)
    assert len(names) == 1 and re.fullmatch(r"Table \d+", names[0])  # numbered: each region's name is its own
    assert etree.tostring(doc).count(b"<dt") == 2
    grid = epub.xml("EPUB/readings.xhtml")
    spans = [(th.text, th.get("colspan"), th.get("scope")) for th in grid.xpath("//x:thead/x:tr[1]/x:th", namespaces=NS)]
    assert spans[:3] == [("Date", None, "col"), ("Barometer", "2", "colgroup"), ("Thermometer", "3", "colgroup")]
    assert grid.xpath("//x:caption/text()", namespaces=NS) == ["Table 2. Readings in Melville Bay, August."]
    assert grid.xpath("//x:td[@rowspan='2']/text()", namespaces=NS) == ["clear all day"]


def test_the_list_of_tables_gives_each_tables_page_and_link(made):
    """book.toml's [structure] lists = ["tables"]: after the contents, each captioned table with the
    folio its first group of columns prints on; in the EPUB, a nav of epub:type lot in the nav document."""
    printed = pages(made["print"])
    texts = [" ".join(line.text for line in page) for page in printed]
    listing = next(n for n, text in enumerate(texts) if text.startswith("Tables "))
    for caption in ("Table 1. Meteorological journal, July.", "Table 2. Readings in Melville Bay, August."):
        (entry,) = [line for line in printed[listing] if line.text.startswith(caption)]
        page = next(n for n, text in enumerate(texts) if n != listing and caption in text)
        assert entry.words[-1].text == folio(printed[page]), caption
    nav = Epub(made["epub"]).xml("EPUB/toc.xhtml")
    assert nav.xpath("//x:nav[@epub:type='lot']//x:a/@href", namespaces=NS) == [
        "journal.xhtml#journal-table-1", "readings.xhtml#readings-table-1"]


def test_the_handout_tags_each_table_with_its_header_cells(made):
    """The handout is tagged PDF (PDF/UA-1): each table part a /Table of rows, its caption a /Caption,
    every data cell of a table with one header row pointing at its header cells (/Headers). (With two
    header rows spanning cells, WeasyPrint 70 leaves some cells without /Headers: pdf/tags.py counts
    spans wrongly. Not checked here.)"""
    import pikepdf

    found: dict[str, list] = {}

    def walk(node, table=None):
        if isinstance(node, pikepdf.Dictionary) and "/S" in node:
            kind = str(node.S)
            table = node if kind == "/Table" else table
            found.setdefault(kind, []).append((node, table))
        kids = node.get("/K") if isinstance(node, pikepdf.Dictionary) else None
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
            walk(kid, table)

    with pikepdf.open(made["handout"]) as pdf:
        walk(pdf.Root.StructTreeRoot)
        tables = [node for node, _ in found["/Table"]]
        headed = {id(table) for head, table in found["/THead"] if len([k for k in head.K if k.S == "/TR"]) == 1}
        assert len(tables) >= 3 and len(found["/Caption"]) == len(tables) - 1  # the headerless table has none
        assert len(found["/TH"]) >= 18 + 16
        cells = [cell for cell, table in found["/TD"] if id(table) in headed]
        assert cells and all(len(cell.A.get("/Headers", [])) >= 1 for cell in cells)  # in the cell's attributes
