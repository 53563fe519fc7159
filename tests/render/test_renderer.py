"""The renderer on its own: views the templates get, sections rendered once, the build's own ids
from vocabulary.py (so the loader's duplicate-id check and the templates agree)."""

from __future__ import annotations

import re

from conftest import ROOT

from bookbuilder.manuscript.load import load_book
from bookbuilder.render.renderer import Renderer, one_document
from bookbuilder.theme import Theme
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
    assert r.sections("epub") is r.sections("epub")
    assert r.sections_in_order("print")[0] is r.sections("print")[r.book.chapters[0].id]


def test_the_builds_own_ids_are_the_vocabularys():
    r = renderer()
    pages = "".join(r.render(name, contents=r.contents(one_document))
                    for name in ("titlepage.xhtml.j2", "colophon.xhtml.j2", "contents.xhtml.j2"))
    pages += "".join(r.sections_in_order("epub"))
    made = {i for c in r.book.chapters for i in generated_ids(c.id)} | RESERVED_IDS
    ids = set(re.findall(r'\bid="([^"]+)"', pages))
    own = {i for i in ids if not re.match(r".+-(p|li|h\d|figure|bq)-?\d+$", i)}  # blocks numbered by markup
    assert own <= made, own - made
