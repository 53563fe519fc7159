"""Interior geometry per print service: where the bleed goes on left and right pages, and the
gutter the service asks for the book's page count (laid out again when the count needs more)."""

from __future__ import annotations

import pikepdf
import pytest
from typesetting import whole_document

from bookbuilder.errors import ConfigError
from bookbuilder.manuscript.load import load_book
from bookbuilder.pipeline import build
from bookbuilder.printing import SERVICES, Service, gutter_inches, page_bleeds

TRIM = [0, 0, 432, 648]  # 6 x 9 in
B = 9  # 0.125 in
NARROW_GUTTER = "@page { margin: 0.6in 0.6in 0.6in 0.25in; } @page :left { margin-left: 0.6in; margin-right: 0.25in; }\n"
PARAGRAPH = "The quick brown fox jumps over the lazy dog, and the dog, who has seen it all before, sleeps on. " * 6


def with_service(book_dir, service: str | None, pages_of_text: int = 0, css: str = ""):
    book = book_dir("minimal")
    if service:
        with (book / "book.toml").open("a") as toml:
            toml.write(f'\n[output]\nservice = "{service}"\n')
    with (book / "one.md").open("a") as chapter:
        chapter.write("".join(f"\n{PARAGRAPH}\n" for _ in range(pages_of_text * 4)))
    if css:
        (book / "styles").mkdir()
        (book / "styles" / "print.css").write_text(css)
    return book


def forms_drawn(path) -> list[int]:
    """Form XObjects painted on each page (WeasyPrint draws a page's crop marks as one)."""
    with pikepdf.open(path) as pdf:
        return [sum(1 for operands, _ in pikepdf.parse_content_stream(page, "Do")
                    if page.Resources.XObject[operands[0]].Subtype == "/Form") for page in pdf.pages]


def boxes(path) -> list[tuple[list[float], list[float], list[float]]]:
    with pikepdf.open(path) as pdf:
        return [tuple([round(float(v), 2) for v in page.obj[name]] for name in ("/TrimBox", "/BleedBox", "/MediaBox"))
                for page in pdf.pages]


@pytest.mark.parametrize(("service", "recto", "verso"), [
    ("kdp", [0, -B, 432 + B, 648 + B], [-B, -B, 432, 648 + B]),          # 6.125 x 9.25 in: no bleed at the gutter
    ("ingramspark", [0, -B, 432 + B, 648 + B], [-B, -B, 432, 648 + B]),
    ("offset", [-B, -B, 432 + B, 648 + B], [-B, -B, 432 + B, 648 + B]),  # trimmed on all four sides
])
def test_bleed_per_service_and_side(book_dir, tmp_path, service, recto, verso):
    outputs = {o.format: o.path for o in build(with_service(book_dir, service, 2), ["print", "cover"], tmp_path)}
    pages = boxes(outputs["print"])
    assert len(pages) >= 4
    for index, (trim, bleed, media) in enumerate(pages):
        assert trim == TRIM and bleed == (recto if index % 2 == 0 else verso)
        assert media == bleed
    assert set(forms_drawn(outputs["print"])) == ({1} if service == "offset" else {0})  # the crop marks
    (trim, bleed, media), = boxes(outputs["cover"])
    assert bleed[0] == -B and bleed[1] == -B and bleed[3] == 648 + B  # the cover has bleed all round


def test_kdp_gutter_table():
    kdp = SERVICES["kdp"]
    assert [gutter_inches(kdp, n) for n in (24, 150, 151, 300, 301, 500, 501, 700, 701, 828)] == \
        [0.375, 0.375, 0.5, 0.5, 0.625, 0.625, 0.75, 0.75, 0.875, 0.875]
    assert gutter_inches(SERVICES["ingramspark"], 40) == 0.5 and gutter_inches(SERVICES["offset"], 900) == 0
    assert page_bleeds(kdp, 9, 0) == (0, 9, 9, 9) and page_bleeds(kdp, 9, 1) == (9, 9, 0, 9)


def inside_margins(document) -> list[float]:
    """The inside margin of each page, in inches: left on right-hand pages, right on left-hand ones."""
    return [round((p._page_box.margin_left if n % 2 == 0 else p._page_box.margin_right) / 96, 3)
            for n, p in enumerate(document.pages)]


def print_layout(book):
    return whole_document(book)


def test_a_design_gutter_narrower_than_kdp_asks_is_widened(book_dir):
    document = print_layout(with_service(book_dir, None, 1, NARROW_GUTTER))
    assert set(inside_margins(document)) == {0.375}  # KDP's least for 24-150 pages


def test_a_gutter_wide_enough_is_the_designs(book_dir):
    document = print_layout(with_service(book_dir, None, 1, NARROW_GUTTER.replace("0.25in", "0.8in")))
    assert set(inside_margins(document)) == {0.8}


def test_a_wider_gutter_that_adds_pages_is_checked_against_the_next_band(book_dir, monkeypatch):
    """Widening the gutter makes more pages; when they fall in the next band, it is widened again."""
    book = with_service(book_dir, "offset", 3, NARROW_GUTTER)
    designed = len(print_layout(book).pages)  # an offset printer asks no gutter: the design's
    bands = Service("test", "outside", False, ((designed, 1.5), (1000, 2.5)), 0.375, None)
    monkeypatch.setitem(SERVICES, "offset", bands)
    document = print_layout(book)
    assert len(document.pages) > designed and set(inside_margins(document)) == {2.5}


def test_an_unknown_service_is_refused_with_the_closest(book_dir):
    with pytest.raises(ConfigError, match="'output.service' cannot be 'ingram'; did you mean 'ingramspark'"):
        load_book(with_service(book_dir, "ingram"))


def test_kdp_is_the_default_service(book_dir):
    assert load_book(with_service(book_dir, None)).settings.service == "kdp"


@pytest.mark.parametrize("service, pages", [("kdp", 24), ("ingramspark", 24), ("offset", 6)])
def test_a_short_book_is_padded_to_what_its_service_binds(book_dir, tmp_path, service, pages):
    """The minimal book (6 pages, its last blank): blank pages after them up to KDP's and
    IngramSpark's 24, each with the boxes of its side; an offset printer gets the even count. The
    cover's spine counts them."""
    outputs = {o.format: o.path for o in build(with_service(book_dir, service), ["print", "cover"], tmp_path)}
    laid = boxes(outputs["print"])
    assert len(laid) == pages
    for index, (trim, bleed, media) in enumerate(laid):
        left, bottom, right, top = page_bleeds(SERVICES[service], B, index)
        assert trim == TRIM and bleed == [-left, -bottom, 432 + right, 648 + top]
    with pikepdf.open(outputs["print"]) as pdf:
        text = [bool(pikepdf.parse_content_stream(page, "Tj TJ")) for page in pdf.pages]
    assert text[0] and text[4] and not any(text[6:])  # text up to page 5 of 6; the padding is blank
    (trim, _, _), = boxes(outputs["cover"])
    assert trim[2] - trim[0] - 2 * 432 == pytest.approx(pages / 444 * 72, abs=0.01)  # 444 pages an inch
