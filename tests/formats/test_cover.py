"""The wraparound cover: spine arithmetic, panels, bleed, and a front panel like the EPUB cover."""

from __future__ import annotations

import pikepdf
import pypdf
import pytest
from conftest import ROOT

from bookbuilder.formats.context import Context
from bookbuilder.formats.cover_pdf import cover_html
from bookbuilder.manuscript.load import load_book
from bookbuilder.printing import book_pages, spine_has_text, spine_inches
from bookbuilder.render.artwork import COVER


@pytest.mark.parametrize(("pages", "ppi", "inches", "text"), [
    (24, 444, 0.0541, False),   # the default book: too thin for spine text
    (110, 444, 0.2477, False),  # just under a quarter inch
    (112, 444, 0.2523, True),
    (100, 400, 0.25, True),     # exactly a quarter inch, cream paper
    (320, 444, 0.7207, True),
    (600, 526, 1.1407, True),   # thin paper
])
def test_spine_width_is_pages_over_pages_per_inch(pages, ppi, inches, text):
    assert spine_inches(pages, ppi) == pytest.approx(inches, abs=1e-4)
    assert spine_has_text(pages, ppi) is text


@pytest.mark.parametrize(("laid_out", "block"), [(1, 2), (23, 24), (24, 24), (301, 302)])
def test_book_block_has_an_even_page_count(laid_out, block):
    assert book_pages(laid_out) == block


def test_cover_is_back_spine_front_with_bleed(built):
    with pikepdf.open(built["print"]) as pdf:
        pages = len(pdf.pages)
    spine = pages / 444 * 72
    with pikepdf.open(built["cover"]) as pdf:
        (page,) = pdf.pages
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
    assert trim == pytest.approx([0, 0, 2 * 432 + spine, 648], abs=0.01)
    assert bleed == pytest.approx([-9, -9, 2 * 432 + spine + 9, 657], abs=0.01)


def test_cover_text_blurb_on_the_back_title_on_the_front_no_spine_text(built):
    (page,) = pypdf.PdfReader(built["cover"]).pages
    text = " ".join(page.extract_text().split())
    assert "Thirty years after Kazakhstan and China established diplomatic relations" in text
    assert text.count("Thirty Years of Gold") == 2  # back and front; the 24-page spine is too thin
    assert "In conversation with Zhang Shuo" in text and "Kazakhstan and China in Conversation" in text


def test_thick_book_gets_spine_text():
    book = load_book(ROOT / "book")
    html = cover_html(book, Context.for_book(book), pages=400)
    assert 'class="spine-text"' in html and "0.9009in" not in html  # lengths are written in points
    assert 'class="spine-text"' not in cover_html(book, Context.for_book(book), pages=24)


def test_front_panel_uses_the_epub_cover_colours(built):
    def rgb(hex_colour: str) -> list[float]:
        return [round(int(hex_colour[i:i + 2], 16) / 255, 3) for i in (1, 3, 5)]

    with pikepdf.open(built["cover"]) as pdf:
        fills = [[round(float(v), 3) for v in operands]
                 for operands, _ in pikepdf.parse_content_stream(pdf.pages[0], "rg RG")]
    assert rgb(COVER["background"]) in fills
    assert rgb(COVER["accent"]) in fills and rgb(COVER["ink"]) in fills
