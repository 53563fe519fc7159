"""The preflight in 'make-book check': what KDP or IngramSpark would reject, with page and fix."""

from __future__ import annotations

import re
import shutil

import pikepdf
import pytest
from conftest import ROOT, run_cli
from PIL import Image

from bookbuilder.checks import Subject, run
from bookbuilder.checks.preflight import Findings, check_fonts
from bookbuilder.formats import FORMATS
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build
from bookbuilder.theme import Theme

PARAGRAPH = "The quick brown fox jumps over the lazy dog, and the dog, who has seen it all before, sleeps on. " * 6


def book_with(book_dir, output: str = "", pages_of_text: int = 0, css: dict | None = None):
    book = book_dir("minimal")
    with (book / "book.toml").open("a") as toml:
        toml.write(f"\n[output]\n{output}\n")
    with (book / "one.md").open("a") as chapter:
        chapter.write("".join(f"\n{PARAGRAPH}\n" for _ in range(pages_of_text * 4)))
    for name, text in (css or {}).items():
        (book / "styles").mkdir(exist_ok=True)
        (book / "styles" / name).write_text(text)
    return book


def preflight(book, out, formats=("print", "cover"), **settings) -> dict[str, list[str]]:
    """code -> the lines 'make-book check' would print for it, for the book's outputs in ``out``
    (built if not yet there), as the book's settings (changed by ``settings``) read them."""
    loaded = load_book(book, settings or None)
    if not list(out.glob("*-print.pdf")):
        build(book, ["print", "cover"], out)
    notices = Notices()
    for name in formats:
        fmt = FORMATS[name]
        path = next(out.glob(f"*-{name}.pdf"))
        run(fmt.checks[-1], Subject(fmt, loaded, Theme.for_book(book), path=path, notices=notices))
    found: dict[str, list[str]] = {}
    for notice in notices:
        found.setdefault(notice.code, []).append(str(notice))
    return found


def test_the_default_book_passes_the_kdp_preflight_but_for_its_isbn(built):
    loaded = load_book(ROOT / "book")
    notices = Notices()
    run("preflight", Subject(FORMATS["print"], loaded, Theme.for_book(loaded.root), path=built["print"],
                             notices=notices))
    assert [n.code for n in notices] == []  # the print PDF alone: its ISBN is the cover's finding


def test_folios_near_the_trim_name_the_pages(book_dir, tmp_path):
    low = "@page { margin: 0.75in; @bottom-center { content: counter(page); vertical-align: bottom; } }"
    book = book_with(book_dir, "", 1, {"print.css": low})
    found = preflight(book, tmp_path, ("print",))
    (margin,) = found["pdf-margin"]
    assert re.search(r"pages 1, 2, 3.*: text 0\.[0-2]\d in from the trim; KDP asks 0\.375 in", margin), margin
    assert margin.endswith("in styles/print.css")


def test_a_gutter_narrower_than_kdps_band_names_the_pages(book_dir, tmp_path):
    narrow = "@page { margin: 0.6in 0.6in 0.6in 0.25in; } @page :left { margin-left: 0.6in; margin-right: 0.25in; }"
    book = book_with(book_dir, 'service = "offset"', 1, {"print.css": narrow})
    found = preflight(book, tmp_path, ("print",), service="kdp")  # built for an offset printer, sent to KDP
    (gutter,) = found["pdf-gutter"]
    assert "folios 1, 2 (PDF pages 1, 2): text 0.25 in from the gutter; KDP asks 0.375 in for 2 pages" in gutter
    assert "widen the inside margin" in gutter


def test_bleed_page_count_and_isbn(book_dir, tmp_path):
    found = preflight(book_with(book_dir, 'bleed = "3mm"'), tmp_path)
    assert "the bleed is 3mm; KDP asks 0.125 in; set bleed = \"0.125in\"" in found["pdf-bleed"][0]
    assert "no print ISBN" in found["pdf-isbn"][0]
    assert "pdf-page-count" not in found  # built for KDP: padded to the 24 pages it binds


def test_a_book_built_for_an_offset_printer_is_too_short_for_kdp(book_dir, tmp_path):
    found = preflight(book_with(book_dir, 'service = "offset"'), tmp_path, ("print",), service="kdp")
    assert "6 pages; KDP binds paperbacks of 24 to 828 pages" in found["pdf-page-count"][0]
    found = preflight(book_dir("print-edge"), tmp_path / "offset")  # 3 mm, 5 pages: an offset printer's own
    assert "pdf-bleed" not in found and "pdf-page-count" not in found


def test_a_low_resolution_picture_names_its_page(book_dir, tmp_path):
    (ppi,) = preflight(book_dir("print-edge"), tmp_path)["pdf-image-ppi"]
    assert "folio 1 (PDF page 5): a picture prints at 96 ppi, below 300" in ppi


def test_rgb_in_a_pdfa_print_file(book_dir, tmp_path):
    book = book_dir("print-edge")
    result = run_cli(str(book), "--format", "print,cover", "--pdf-variant", "pdf/a-2b", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    rgb = preflight(book, tmp_path, pdf_variant="pdf/a-2b")["pdf-rgb"]
    assert any("an RGB picture in a file for an offset printer" in line and "page 5" in line for line in rgb)
    assert all("leave pdf_variant empty (PDF/X-4)" in line for line in rgb)


def test_spine_text_on_a_book_kdp_thinks_too_thin(book_dir, tmp_path):
    book = book_with(book_dir, 'pages_per_inch = 100\nservice = "offset"', 30)  # 0.3 in at 30 pages: spine text
    found = preflight(book, tmp_path, ("cover",), service="kdp")  # made for an offset printer, sent to KDP
    assert "PDF page 1: text on the spine of a" in found["pdf-spine"][0] and "from 79 pages" in found["pdf-spine"][0]


def test_cover_text_outside_the_safe_zone(book_dir, tmp_path):
    css = (ROOT / "styles" / "cover.css").read_text() + "\n.back { padding: 0.05in; }\n"
    found = preflight(book_with(book_dir, css={"cover.css": css}), tmp_path, ("cover",))
    assert "PDF page 1: cover text within 0.125 in of the trim or a fold" in found["pdf-safe-zone"][0]


@pytest.mark.parametrize("css, problem", [
    ("", None),  # the default back: the barcode 0.75 in from the spine and the foot
    (".back .barcode { right: 0; }", "PDF page 1: the barcode (with its light margins) within 0.125 in of the trim or "
                                     "the spine's fold, or not on the back"),
    (".back .barcode { right: -0.6in; }", "PDF page 1: the barcode (with its light margins) within 0.125 in"),  # across
    (".front { background: url(../images/p.png) no-repeat 0.05in 3in / 1in 1in; }",
     "PDF page 1: a cover picture within 0.125 in of the trim or a fold, or across a fold"),
    (".front { background: url(../images/p.png) no-repeat 1in 3in / 1in 1in; }", None),  # well inside
])
def test_the_barcode_and_pictures_keep_the_cover_safe_zone(book_dir, tmp_path, css, problem):
    book = book_with(book_dir, css={"cover.css": (ROOT / "styles" / "cover.css").read_text() + "\n" + css})
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('chapters = ["one.md"]', 'chapters = ["one.md"]\n'
                                                                      'isbn_print = "978-0-14-143951-8"'))
    (book / "images").mkdir()
    Image.new("L", (600, 600), 128).save(book / "images" / "p.png")
    found = preflight(book, tmp_path, ("cover",)).get("pdf-safe-zone", [])
    assert any(problem in line for line in found) if problem else not found, found  # (the digits too, as text)


def test_a_font_that_is_not_embedded(tmp_path):
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(
        F1=pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)))
    subject = Subject(FORMATS["print"], None, None, path=tmp_path / "x.pdf")
    findings = Findings(subject)
    check_fonts(findings, pdf)
    findings.report()
    (notice,) = [str(n) for n in subject.notices]
    assert "PDF page 1: the font /Helvetica is not embedded" in notice


def test_text_where_kdp_prints_its_barcode(book_dir, tmp_path):
    css = (ROOT / "styles" / "cover.css").read_text() + "\n.back .back-publisher { left: auto; right: 0.5in; }\n"
    book = book_with(book_dir, css={"cover.css": css})
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('chapters = ["one.md"]', 'chapters = ["one.md"]\npublisher = "A Press"'))
    (area,) = preflight(book, tmp_path, ("cover",))["pdf-barcode-area"]
    assert "PDF page 1: text where KDP prints its barcode" in area
    plain = shutil.copytree(book, tmp_path / "plain")
    shutil.rmtree(plain / "styles")  # the default back: the publisher in the lower left
    assert "pdf-barcode-area" not in preflight(plain, tmp_path / "plain-out", ("cover",))
