"""The EPUB's page list follows the print edition: markers where the printed pages begin, labels
equal to the folios, a nav page-list and an NCX pageList."""

from __future__ import annotations

import re

import pypdf
import pytest
from conftest import BOOKS, NS, Epub
from lxml import etree

from bookbuilder.formats.pagelist import mark_pages
from bookbuilder.pipeline import build
from bookbuilder.typeset.pages import PageStart

PAGE_LIST = "//x:nav[@epub:type='page-list']//x:a"
HEAD = ('<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" '
        'xmlns:epub="http://www.idpf.org/2007/ops"><head><title>t</title></head><body>')


@pytest.fixture(scope="module")
def paged(tmp_path_factory) -> dict[str, object]:
    """A book of long paragraphs, a list, inline markup: its pages begin in mid-paragraph."""
    out = tmp_path_factory.mktemp("paged")
    return {o.format: o.path for o in build(BOOKS / "pages", ["epub", "print"], out)}


def words(text: str) -> list[str]:
    """Words as a reader sees them: hyphenated line ends joined, case and spacing ignored. Bare
    numbers are left out: the print contents page adds page numbers the EPUB has no need of."""
    text = re.sub(r"\u2010\s*\n", "", text).replace("\xa0", " ").lower()
    return [word for word in text.split() if not word.isdigit()]


def first_words_after_markers(epub: Epub, count: int = 3) -> dict[str, list[str]]:
    """Page label -> the first ``count`` words after its marker in the EPUB."""
    found = {}
    for link in epub.xml("EPUB/toc.xhtml").xpath(PAGE_LIST, namespaces=NS):
        name, fragment = link.get("href").split("#")
        following = epub.xml(f"EPUB/{name}").xpath(f"//*[@id='{fragment}']/following::text()")
        found[link.text] = words(" ".join(following))[:count]
    return found


def page_words(pdf_path) -> dict[str, list[str]]:
    """Folio -> the words of that PDF page (WeasyPrint draws the running head and folio last)."""
    reader = pypdf.PdfReader(pdf_path)
    return {label: words(page.extract_text()) for label, page in zip(reader.page_labels, reader.pages)}


@pytest.mark.parametrize("book", ["default", "paged"])
def test_first_words_after_each_marker_begin_the_printed_page(book, built, paged):
    outputs = built if book == "default" else paged
    epub = Epub(outputs["epub"])
    after = first_words_after_markers(epub)
    pages = page_words(outputs["print"])
    captions = [words(" ".join(c.itertext())) for root in epub.documents().values()
                for c in root.iterfind(".//x:figcaption", NS)]
    assert after
    for label, expected in after.items():
        page = pages[label]
        # a page that begins with a figure moved later in print (typeset/compose.py) begins, in the
        # EPUB, at the text after it: the EPUB has the figure earlier
        opening = [page[len(c):] for c in captions if c and page[:len(c)] == c]
        # a word split across pages belongs to the page it began on: the marker then follows it
        starts = [n for text in [page, *opening] for n in range(3) if text[n:n + len(expected)] == expected]
        assert starts, f"page {label}: EPUB has {expected} after the marker, the PDF page begins {page[:8]}"


def test_paged_book_breaks_inside_paragraphs(paged):
    """The case this book exists for: markers inside paragraphs and list items, not only between."""
    epub = Epub(paged["epub"])
    parents = [m.getparent() for root in epub.documents().values()
               for m in root.xpath("//*[@epub:type='pagebreak']", namespaces=NS)]
    assert sum(etree.QName(p).localname == "p" for p in parents) >= 3
    assert any(etree.QName(p).localname == "li" for p in parents)


def test_labels_are_the_printed_folios_of_every_page_with_text(built, epub):
    reader = pypdf.PdfReader(built["print"])
    printed = [label for label, page in zip(reader.page_labels, reader.pages) if page.extract_text().strip()]
    listed = [a.text for a in epub.xml("EPUB/toc.xhtml").xpath(PAGE_LIST, namespaces=NS)]
    assert listed == printed
    assert listed[:4] == ["i", "ii", "iii", "1"]


def test_markers_carry_epub_type_role_and_label(epub):
    markers = [m for root in epub.documents().values()
               for m in root.xpath("//*[@epub:type='pagebreak']", namespaces=NS)]
    assert markers
    for marker in markers:
        label = marker.get("aria-label")
        assert marker.get("role") == "doc-pagebreak" and marker.get("id") == f"page-{label}"
        assert len(marker) == 0 and not marker.text


def test_ncx_page_list_matches_the_nav_and_play_order_is_dense(epub):
    ncx = epub.xml("EPUB/toc.ncx")
    nav = [a.get("href") for a in epub.xml("EPUB/toc.xhtml").xpath(PAGE_LIST, namespaces=NS)]
    targets = ncx.xpath("//ncx:pageTarget", namespaces=NS)
    assert [t.find("ncx:content", NS).get("src") for t in targets] == nav
    for target in targets:
        label = target.find("ncx:navLabel/ncx:text", NS).text
        assert target.get("type") == ("normal" if label.isdigit() else "front")
        assert target.get("value") == (label if label.isdigit() else None)
    orders = [int(e.get("playOrder")) for e in ncx.xpath("//ncx:navPoint | //ncx:pageTarget", namespaces=NS)]
    assert sorted(orders) == list(range(1, len(orders) + 1))
    points = {p.find("ncx:content", NS).get("src"): int(p.get("playOrder"))
              for p in ncx.xpath("//ncx:navPoint", namespaces=NS)}
    for target in targets:  # reading order: a chapter's start comes before the pages inside it
        src = target.find("ncx:content", NS).get("src").split("#")[0]
        if src in points:
            assert points[src] < int(target.get("playOrder"))
    assert ncx.xpath("//ncx:meta[@name='dtb:maxPageNumber']/@content", namespaces=NS) == [nav[-1].split("-")[-1]]


def test_print_edition_is_the_source_of_pagination(epub):
    source = epub.opf.xpath("//dc:source[@id='print-edition']/text()", namespaces=NS)
    assert source and "print edition" in source[0] and "Thirty Years of Gold" in source[0]
    refines = epub.opf.xpath("//opf:meta[@refines='#print-edition']", namespaces=NS)
    assert [(m.get("property"), m.text) for m in refines] == [("source-of", "pagination")]
    assert not epub.opf.xpath("//opf:meta[@property='pageBreakSource']", namespaces=NS)


def marked(body: str, *starts: PageStart) -> str:
    html = mark_pages(HEAD + body + "</body></html>", list(starts))
    return html[html.index("<body>") + 6:html.index("</body>")]


MARK = '<span epub:type="pagebreak" role="doc-pagebreak" id="page-{0}" aria-label="{0}"/>'


def test_marker_goes_before_the_word_the_page_begins_with_across_inline_markup():
    body = '<p id="a">One <em>two three</em> four</p>'
    assert marked(body, PageStart("5", "a", 3)) == f'<p id="a">One {MARK.format(5)}<em>two three</em> four</p>'
    assert marked(body, PageStart("5", "a", 6)) == f'<p id="a">One <em>two {MARK.format(5)}three</em> four</p>'


def test_a_word_split_across_pages_stays_on_the_page_it_began_on():
    body = '<p id="a">Before development after</p>'
    assert marked(body, PageStart("2", "a", 11)) == f'<p id="a">Before development {MARK.format(2)}after</p>'


def test_marker_at_an_opening_goes_before_the_block_it_opens():
    body = '<section id="s"><header><h1 id="t">Title</h1></header><ul><li id="a">x</li><li id="b">y</li></ul></section>'
    result = marked(body, PageStart("1", "t", 0), PageStart("2", "b", 0))
    assert result.startswith(MARK.format(1) + '<section id="s">')  # a page that opens with a chapter
    assert f'<li id="b">{MARK.format(2)}y</li>' in result  # a list holds list items only


def test_marker_never_goes_inside_an_epub_nav():
    body = '<nav epub:type="toc" id="toc"><h1 id="h">Contents</h1><ol><li id="e"><a href="x">X</a></li></ol></nav>'
    assert marked(body, PageStart("iii", "e", 0)).startswith(MARK.format("iii") + "<nav")
