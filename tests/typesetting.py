"""Helpers for the typeset stage's tests: a book's renderer, an edition laid out, and one document
of it laid out by WeasyPrint (its boxes read as compose.py and layout.py read them)."""

from __future__ import annotations

from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.render.renderer import Renderer
from bookbuilder.theme import Theme
from bookbuilder.typeset.editions import EDITIONS
from bookbuilder.typeset.layout import lay_out
from bookbuilder.typeset.pieces import Placement, documents
from bookbuilder.typeset.rounds import Layout, lay_out_edition


def renderer_of(book_dir) -> Renderer:
    book = load_book(book_dir, None, Notices())
    return Renderer(book, Theme.of_book(book))


def edition_layout(book_dir, edition: str = "print", **options) -> Layout:
    return lay_out_edition(renderer_of(book_dir), EDITIONS[edition], **options)


def whole_document(book_dir, edition: str = "print"):
    """The WeasyPrint document of the edition laid out as one piece, with the gutter and the notes
    its layout settled on."""
    renderer = renderer_of(book_dir)
    layout = lay_out_edition(renderer, EDITIONS[edition])
    html = documents(renderer, EDITIONS[edition], None, Placement(gutter=layout.gutter), layout.fitting)[0]
    return lay_out(html, renderer.theme, facing=EDITIONS[edition].facing)
