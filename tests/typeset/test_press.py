"""PDF/X for the print shop, read back: the output intent, and every colour in its CMYK."""

from __future__ import annotations

import pikepdf
import pytest
from conftest import ROOT, run_cli
from PIL import Image

from bookbuilder.checks.press import colour_inks, output_intent, rgb_uses
from bookbuilder.errors import CheckError, ConfigError
from bookbuilder.manuscript.load import load_book
from bookbuilder.pipeline import build
from bookbuilder.typeset.prepress import PROFILE, drawings, pictures

PHOTO_FIGURE = "\n::: figure\n![A colour test picture](images/photo.jpg)\n\nA colour picture.\n:::\n"


def read_press(path):
    """(GTS_PDFXVersion of the Info and of the XMP, the intent's profile, RGB uses, picture colour spaces, annots)."""
    with pikepdf.open(path) as pdf:
        profile = output_intent(pdf)
        spaces = [str(image.ColorSpace) for *_, resources, instructions in drawings(pdf)
                  for image in pictures(instructions, resources)]
        return (str(pdf.docinfo.get("/GTS_PDFXVersion")), str(pdf.open_metadata().get("pdfx:GTS_PDFXVersion")),
                profile.read_bytes() if profile is not None else None, rgb_uses(pdf), spaces,
                sum("/Annots" in page.obj for page in pdf.pages))


@pytest.mark.parametrize("name", ["print", "cover"])
def test_print_files_are_pdfx4_with_the_shipped_profile(built, name):
    info, xmp, profile, rgb, spaces, annots = read_press(built[name])
    assert (info, xmp) == ("PDF/X-4", "PDF/X-4")
    assert profile == (ROOT / PROFILE).read_bytes()
    assert rgb == [] and annots == 0


def test_black_ink_interior_pictures_are_greyscale(built):
    spaces = read_press(built["print"])[4]
    assert len(spaces) == 7 and set(spaces) == {"/DeviceGray"}


def test_the_handout_stays_rgb_and_tagged(built):
    with pikepdf.open(built["handout"]) as pdf:
        assert "/OutputIntents" not in pdf.Root and "/StructTreeRoot" in pdf.Root
        assert rgb_uses(pdf)  # for screens and office printers: the pictures keep their colours


def photo_book(book_dir, interior: str | None = None):
    book = book_dir("minimal")
    (book / "images").mkdir()
    picture = Image.new("RGB", (1800, 1200), (200, 40, 40))
    picture.paste((30, 90, 200), (900, 0, 1800, 1200))
    picture.save(book / "images" / "photo.jpg", quality=95)
    with (book / "one.md").open("a") as chapter:
        chapter.write(PHOTO_FIGURE)
    if interior:
        with (book / "book.toml").open("a") as toml:
            toml.write(f'\n[output]\ninterior = "{interior}"\n')
    return book


def placed_pixels(path) -> tuple[str, list]:
    """The colour space of the only picture of ``path`` and two of its pixels (left half, right half)."""
    with pikepdf.open(path) as pdf:
        [image] = [image for *_, resources, instructions in drawings(pdf) for image in pictures(instructions, resources)]
        picture = pikepdf.PdfImage(image).as_pil_image()
        return str(image.ColorSpace), [picture.getpixel((450, 600)), picture.getpixel((1350, 600))]


def test_a_colour_photograph_prints_in_grey(book_dir, tmp_path):
    build(photo_book(book_dir), ["print"], tmp_path)
    space, (red, blue) = placed_pixels(tmp_path / "a-minimal-book-print.pdf")
    expected = [Image.new("RGB", (1, 1), c).convert("L").getpixel((0, 0)) for c in ((200, 40, 40), (30, 90, 200))]
    assert space == "/DeviceGray"
    assert abs(red - expected[0]) <= 3 and abs(blue - expected[1]) <= 3  # JPEG, twice


def test_a_colour_interior_prints_in_cmyk(book_dir, tmp_path):
    build(photo_book(book_dir, "cmyk"), ["print"], tmp_path)
    space, (red, blue) = placed_pixels(tmp_path / "a-minimal-book-print.pdf")
    assert space == "/DeviceCMYK"
    assert red[1] > 200 and red[0] < 60 and blue[0] > 200 and blue[2] < 40, (red, blue)  # magenta red, cyan blue
    assert rgb_uses(pikepdf.open(tmp_path / "a-minimal-book-print.pdf")) == []


def test_an_unknown_interior_is_refused_with_the_closest(book_dir):
    with pytest.raises(ConfigError, match="'output.interior' cannot be 'blak'; did you mean 'black'"):
        load_book(photo_book(book_dir, "blak"))


def test_a_gradient_the_build_cannot_convert_stops_it(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("body { background: linear-gradient(#c00, #00c); }\n")
    with pytest.raises(CheckError, match=r"not PDF/X-4 \(page 1: an RGB gradient"):
        build(book, ["print"], tmp_path)


def test_a_black_ink_interior_refuses_colour_ink_naming_the_page(book_dir, tmp_path):
    book = book_dir("colour-ink")  # its print.css: a magenta, and a grey of the black plate
    with pytest.raises(CheckError) as err:
        build(book, ["print"], tmp_path / "black")
    assert err.value.code == "black-ink-colour"
    assert "(page 1: the CMYK fill colour 0 1 0 0)" in str(err.value)  # the grey is not named
    assert not (tmp_path / "black").exists() or not list((tmp_path / "black").glob("*.pdf"))
    with (book / "book.toml").open("a") as toml:
        toml.write('\n[output]\ninterior = "cmyk"\n')
    build(book, ["print"], tmp_path / "cmyk")  # a colour interior may
    with pikepdf.open(tmp_path / "cmyk" / "colour-ink-print.pdf") as pdf:
        assert [what for _, what in colour_inks(pdf)] == ["the CMYK fill colour 0 1 0 0"]


def test_a_cmyk_picture_in_a_black_ink_interior_is_named(book_dir, tmp_path):
    book = photo_book(book_dir)
    Image.open(book / "images" / "photo.jpg").convert("CMYK").save(book / "images" / "photo.jpg", quality=95)
    with pytest.raises(CheckError, match=r"\(page 5: a CMYK picture\)"):  # the chapter opens on page 5
        build(book, ["print"], tmp_path)


def test_a_pdfa_print_pdf_keeps_its_rgb(book_dir, tmp_path):
    result = run_cli(str(photo_book(book_dir)), "--format", "print", "--pdf-variant", "pdf/a-2b", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(tmp_path / "a-minimal-book-print.pdf") as pdf:
        assert output_intent(pdf) is None and rgb_uses(pdf)


def test_pdfx1a_has_its_version_and_refuses_transparency(book_dir, tmp_path):
    book = photo_book(book_dir)
    build(book, ["print", "cover"], tmp_path, {"pdf_variant": "pdf/x-1a"})
    for name in ("print", "cover"):
        with pikepdf.open(tmp_path / f"a-minimal-book-{name}.pdf") as pdf:
            assert pdf.pdf_version == "1.4" and rgb_uses(pdf) == [] and output_intent(pdf) is not None
            assert pdf.docinfo.GTS_PDFXVersion == pdf.docinfo.GTS_PDFXConformance == "PDF/X-1a:2003"
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text("p { opacity: 0.5; }\n")
    with pytest.raises(CheckError, match="transparency .opacity., which PDF/X-1a forbids"):
        build(book, ["print"], tmp_path / "again", {"pdf_variant": "pdf/x-1a"})
