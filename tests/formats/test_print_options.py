"""Print settings from book.toml and the command line: bleed, marks, variants, resolution, fonts."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import run_cli

from bookbuilder.errors import CheckError, ConfigError
from bookbuilder.manuscript.config import PDF_VARIANTS
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

A5 = [0, 0, 419.53, 595.28]
BLEED_3MM = 8.5


def boxes(path) -> list[tuple[list[float], list[float], list[float]]]:
    with pikepdf.open(path) as pdf:
        return [tuple([round(float(v), 2) for v in page.obj[name]] for name in ("/TrimBox", "/BleedBox", "/MediaBox"))
                for page in pdf.pages]


def forms_drawn(path) -> list[int]:
    """Form XObjects painted on each page (WeasyPrint draws a page's crop marks as one)."""
    with pikepdf.open(path) as pdf:
        return [sum(1 for operands, _ in pikepdf.parse_content_stream(page, "Do")
                    if page.Resources.XObject[operands[0]].Subtype == "/Form") for page in pdf.pages]


def test_bleed_and_crop_marks_from_book_toml(book_dir, tmp_path):
    book = book_dir("print-edge")
    notices = Notices()
    outputs = {o.format: o.path for o in build(book, ["print", "cover"], tmp_path / "marks", notices=notices)}
    for trim, bleed, media in boxes(outputs["print"]):
        assert trim == A5
        assert bleed == pytest.approx([-BLEED_3MM, -BLEED_3MM, A5[2] + BLEED_3MM, A5[3] + BLEED_3MM], abs=0.01)
        assert media[0] <= bleed[0] and media[2] >= bleed[2]
    path = book / "book.toml"
    path.write_text(path.read_text().replace("marks = true", "marks = false"))
    plain = {o.format: o.path for o in build(book, ["print", "cover"], tmp_path / "plain")}
    for name in ("print", "cover"):
        assert [m - p for m, p in zip(forms_drawn(outputs[name]), forms_drawn(plain[name]))] == \
            [1] * len(boxes(plain[name])), name


def test_low_resolution_picture_is_a_warning_with_file_line_and_ppi(book_dir, tmp_path):
    book = book_dir("print-edge")
    notices = Notices()
    build(book, ["print"], tmp_path, notices=notices)
    (notice,) = [str(n) for n in notices]
    assert notice.startswith(f"{book / 'one.md'}:9: 'images/small.png' prints at ")
    assert " ppi on page " in notice and "it has 300" in notice


def test_default_placeholders_print_at_300_ppi(default_build):
    _, notices = default_build
    assert [str(n) for n in notices if "ppi" in str(n)] == []


def test_long_urls_and_names_stay_inside_the_text_block(book_dir):
    from typesetting import whole_document
    from weasyprint.formatting_structure.boxes import TextBox

    document = whole_document(book_dir("print-edge"))
    words = [b.text for page in document.pages for b in page._page_box.descendants() if isinstance(b, TextBox)]
    assert any("Taumata" in w for w in words) and any("example.org" in w for w in words)
    assert not any("Taumatawhakatangihangakoauauotamateaturipukakapikimaungahoronukupokaiwhenuakitanatahu" in w
                   for w in words)  # broken, not set on one line running off the page
    for page in document.pages:
        area = page._page_box
        right = area.content_box_x() + area.width
        for text in (b for b in area.descendants() if isinstance(b, TextBox)):
            assert text.position_x + text.width <= right + 0.5, text.text


def test_stray_characters_fail_the_build_naming_them_and_their_lines(book_dir, tmp_path):
    book = book_dir("fallback")
    with pytest.raises(CheckError) as err:
        build(book, ["print"], tmp_path)
    message = str(err.value)
    assert message.startswith(f"{book / 'one.md'}:7: 5 characters (Hangul, Common) missing from the book's "
                              "fonts (Charis SIL): ")
    # no system fallback face hides either: both print as boxes, named with their lines, in their order
    assert f"'아' (U+C544, {book / 'one.md'}:7)" in message and f"'☃' (U+2603, {book / 'one.md'}:9)" in message
    assert message.index("U+C544") < message.index("U+2603") and "add a font that has them" in message
    assert not list(tmp_path.glob("*.pdf"))  # nothing half-right was written


def test_stray_characters_exit_code_from_the_command(book_dir, tmp_path):
    result = run_cli(str(book_dir("fallback")), "--format", "handout", "--out", str(tmp_path))
    assert result.returncode == CheckError.exit_code
    assert result.stderr.startswith("error: ") and "U+2603" in result.stderr


def test_bleed_beyond_what_the_bleedbox_can_hold_is_refused(book_dir):
    book = book_dir("print-edge")
    with pytest.raises(ConfigError) as err:
        load_book(book, {"bleed": "0.25in"})
    assert str(err.value).startswith(f"{book / 'book.toml'}:15: cannot use the bleed '0.25in'; give one length up to 10pt")


def test_unknown_pdf_variant_is_refused(book_dir):
    with pytest.raises(ConfigError, match="unknown PDF variant 'pdf/x-5g'"):  # PDF/X-5 refers to files outside
        load_book(book_dir("minimal"), {"pdf_variant": "pdf/x-5g"})


def test_variants_offered_are_weasyprints():
    from weasyprint.pdf import VARIANTS

    assert set(PDF_VARIANTS) <= set(VARIANTS)
    assert all(v.startswith(("pdf/a-", "pdf/ua-", "pdf/x-")) for v in PDF_VARIANTS)


def test_pdf_variant_is_passed_through(book_dir, tmp_path):
    result = run_cli(str(book_dir("minimal")), "--format", "print,handout", "--pdf-variant", "pdf/a-2b",
                     "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for pdf_path in tmp_path.glob("*.pdf"):
        with pikepdf.open(pdf_path) as pdf:
            assert 'pdfaid:part="2"' in str(pdf.open_metadata()), pdf_path.name
    with pikepdf.open(tmp_path / "a-minimal-book-handout.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root  # the handout stays tagged whatever the variant
