"""The renderer on its own: views the templates get, sections rendered once, the build's own ids
from vocabulary.py (so the loader's duplicate-id check and the templates agree)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT

from bookbuilder.manuscript.labels import chapter_label, in_words
from bookbuilder.manuscript.load import load_book
from bookbuilder.manuscript.markup import render_markdown
from bookbuilder.render.editions import Fitting, section_markup
from bookbuilder.render.renderer import Renderer, one_document, running_head
from bookbuilder.render.rendition import EPUB
from bookbuilder.theme import Theme
from bookbuilder.typeset.editions import EDITIONS
from bookbuilder.vocabulary import RESERVED_IDS, generated_ids


def renderer() -> Renderer:
    book = load_book(ROOT / "book")
    return Renderer(book, Theme.for_book(book.root))


def test_views_are_plain_data():
    r = renderer()
    assert r.view["title"] == "Thirty Years of Gold" and r.view["byline"] == "Timur Shaymergenov"
    assert r.view["credits"] == ["In conversation with Zhang Shuo"]
    chapter = r.book.chapters[1]
    view = r.section_view(chapter)
    assert (view["id"], view["heading_id"], view["label"]) == ("chapter-1", "chapter-1-title", "Chapter 1")


def test_each_section_is_rendered_once_and_shared():
    r = renderer()
    assert r.sections(EPUB) is r.sections(EPUB)
    assert r.sections_in_order(EDITIONS["print"].rendition)[0] is r.sections(EDITIONS["print"].rendition)[r.book.chapters[0].id]


def test_the_builds_own_ids_are_the_vocabularys():
    r = renderer()
    pages = "".join(r.render(name, contents=r.contents(one_document), typeface=r.typeface, printing="")
                    for name in ("titlepage.xhtml.j2", "colophon.xhtml.j2", "contents.xhtml.j2"))
    pages += "".join(r.sections_in_order(EPUB))
    made = {i for c in r.book.chapters for i in generated_ids(c.id)} | RESERVED_IDS
    ids = set(re.findall(r'\bid="([^"]+)"', pages))
    own = {i for i in ids if not re.match(r".+-(p|li|h\d|figure|bq)-?\d+$", i)}  # blocks numbered by markup
    assert own <= made, own - made


@pytest.mark.parametrize("style, labels", [("arabic", ["Chapter 1", "Chapter 21"]), ("roman", ["Chapter I", "Chapter XXI"]),
                                            ("words", ["Chapter One", "Chapter Twenty-One"]), ("none", ["", ""])])
def test_chapter_labels(style, labels):
    assert [chapter_label(n, style) for n in (1, 21)] == labels
    assert in_words(115) == "One Hundred and Fifteen"


@pytest.mark.parametrize("label, title, kind, head", [
    ("Chapter 3", "The Genevese", "chapter", "Chapter 3: The Genevese"), ("", "Introduction", "introduction", "Introduction"),
    ("", "XXXI", "chapter", "Chapter XXXI"), ("", "12", "chapter", "Chapter 12"), ("", "Volume II", "part", "Volume II"),
    ("", "Mix", "chapter", "Mix")])
def test_running_heads_name_the_chapter_never_a_bare_number(label, title, kind, head):
    assert running_head(label, title, kind) == head


def test_only_the_print_editions_headings_carry_a_running_head():
    r = renderer()
    assert 'data-running-head="' in "".join(r.sections_in_order(EDITIONS["print"].rendition))
    assert "data-running-head" not in "".join(r.sections_in_order(EPUB) + r.sections_in_order(EDITIONS["handout"].rendition))


def test_pdf_sections_set_notes_at_their_call_the_epub_after_the_text():
    html = ('<p id="c-p1">A.<a href="#c-note-1" id="c-noteref-1" class="noteref" epub:type="noteref" '
            'role="doc-noteref">1</a> B.</p>\n<div class="notes">\n<aside id="c-note-1" class="note" '
            'epub:type="footnote" role="doc-footnote">\n<p id="c-p2"><a href="#c-noteref-1" class="note-number" '
            'role="doc-backlink">1</a> The note.</p>\n<p id="c-p3">More.</p>\n</aside>\n</div>\n')
    assert section_markup(html, EPUB, "footnotes") == html
    assert section_markup(html, EDITIONS["print"].rendition, "chapter-end") == html
    assert section_markup(html, EDITIONS["print"].rendition, "footnotes") == (
        '<p id="c-p1">A.<span class="footnote" id="c-note-1" data-number="1"><span id="c-p2" class="note-p">'
        'The note.</span><span id="c-p3" class="note-p">More.</span></span> B.</p>\n\n')
    # a note the layout found too long for the foot of a page stays after the text, its call a link
    assert section_markup(html, EDITIONS["print"].rendition, "footnotes", Fitting(frozenset({"c-note-1"}))) == html


@pytest.mark.parametrize("html, opened", [
    ('<p>Once upon a time.</p><p>Then.</p>', '<p class="opening"><span class="initial">O</span>nce upon a time.</p><p>Then.</p>'),
    # the first paragraph after an epigraph
    ('<div class="epigraph"><p>Did I?</p></div><p>“Yes.”</p>',
     '<div class="epigraph"><p>Did I?</p></div><p class="opening"><span class="initial">“Y</span>es.”</p>'),
    # a chapter that opens with the interviewer's question: the question's first paragraph
    ('<div class="question"><p class="speaker">Zhang Shuo</p><p>What now?</p></div><p>This.</p>',
     '<div class="question"><p class="speaker">Zhang Shuo</p><p class="opening"><span class="initial">W</span>hat '
     'now?</p></div><p>This.</p>'),
    # a name kept whole keeps its initial, and the quotation mark before it
    ('<p>“Astana, then.”</p>', '<p class="opening"><span class="unbroken"><span class="initial">“A</span>stana'
     '</span>, then.”</p>'),
    ('<figure><img src="a.png" alt=""/></figure><p>After.</p>', '<figure><img src="a.png" alt=""/></figure><p>After.</p>'),
])
def test_the_paragraph_the_text_opens_with_is_marked_for_the_lead_in(html, opened):
    assert section_markup(html, EDITIONS["print"].rendition, "footnotes", unbroken=("Astana",), opening="drop-cap") == opened
    handout = section_markup(html, EDITIONS["handout"].rendition, "footnotes", opening="drop-cap")  # small capitals there
    assert 'class="initial"' not in handout and ('class="opening"' in handout) == ('class="opening"' in opened)
    assert section_markup(html, EPUB, "footnotes", opening="drop-cap") == html


def test_content_for_one_family_of_formats_appears_only_there():
    text = ('::: {.content-visible when-format="print"}\nISBN 978-0-00-000000-0\n:::\n\n'
            'Read [online]{.content-hidden when-format="pdf"} and [on paper]{.content-visible when-format="pdf"}.\n')
    html = render_markdown(text, Path("c.md"), {}, "c").html
    renditions = {"print": EDITIONS["print"].rendition, "handout": EDITIONS["handout"].rendition, "epub": EPUB}
    shown = {family: re.sub(r"<[^>]+>", "", section_markup(html, rendition, "footnotes")).split()
             for family, rendition in renditions.items()}
    assert shown["print"] == ["ISBN", "978-0-00-000000-0", "Read", "and", "on", "paper."]
    assert shown["handout"] == ["Read", "and", "on", "paper."]
    assert shown["epub"] == ["Read", "online", "and", "."]
