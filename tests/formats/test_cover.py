"""The wraparound cover: spine arithmetic, panels, bleed, and a front panel like the EPUB cover."""

from __future__ import annotations

import itertools
import subprocess

import pikepdf
import pypdf
import pytest
from conftest import ROOT
from PIL import Image

from bookbuilder.errors import ConfigError
from bookbuilder.formats.context import Context
from bookbuilder.formats.cover_pdf import cover_html
from bookbuilder.manuscript.load import load_book
from bookbuilder.pipeline import build
from bookbuilder.printing import book_pages, spine_has_text, spine_inches
from bookbuilder.render.artwork import COVER
from bookbuilder.typeset.prepress import PROFILE, Press


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
    """The cover is PDF/X-4: the EPUB cover's colours, through the output profile into CMYK."""
    press = Press("pdf/x-4", (ROOT / PROFILE).read_bytes(), "cmyk")

    def cmyk(hex_colour: str) -> list[float]:
        return [round(v, 3) for v in press.colour(*(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)))]

    with pikepdf.open(built["cover"]) as pdf:
        fills = [[round(float(v), 3) for v in operands]
                 for operands, _ in pikepdf.parse_content_stream(pdf.pages[0], "k K")]
    assert cmyk(COVER["background"]) in fills
    assert cmyk(COVER["accent"]) in fills and cmyk(COVER["ink"]) in fills
    assert cmyk(COVER["background"]) != [0, 0, 0, 0] and all(len(fill) == 4 for fill in fills)


# EAN-13 read back as a scanner would: a row of pixels through the bars, modules sampled, digits decoded.
L_CODES = {"0001101": 0, "0011001": 1, "0010011": 2, "0111101": 3, "0100011": 4, "0110001": 5, "0101111": 6,
           "0111011": 7, "0110111": 8, "0001011": 9}
R_CODES = {"".join("1" if b == "0" else "0" for b in code): d for code, d in L_CODES.items()}
G_CODES = {code[::-1]: d for code, d in R_CODES.items()}
FIRST_DIGIT = {"LLLLLL": 0, "LLGLGG": 1, "LLGGLG": 2, "LLGGGL": 3, "LGLLGG": 4, "LGGLLG": 5, "LGGGLL": 6,
               "LGLGLG": 7, "LGLGGL": 8, "LGGLGL": 9}


def decode_ean13(row: list[bool]) -> str | None:
    """The 13 digits of the EAN-13 symbol in ``row`` (True: dark), background at both ends, or None."""
    runs = []
    for dark in row:
        if runs and runs[-1][0] == dark:
            runs[-1][1] += 1
        else:
            runs.append([dark, 1])
    while runs and runs[0][0]:  # the cover's dark background, then the white box's margin
        runs.pop(0)
    while runs and runs[-1][0]:
        runs.pop()
    runs = runs[1:-1]
    if not runs or not runs[0][0]:
        return None
    unit = sum(length for _, length in runs) / 95
    offset = row.index(True, next(i for i, d in enumerate(row) if not d))
    modules = "".join("1" if row[int(offset + (i + 0.5) * unit)] else "0" for i in range(95))
    if modules[:3] != "101" or modules[45:50] != "01010" or modules[92:] != "101":
        return None
    left = [modules[3 + 7 * i:10 + 7 * i] for i in range(6)]
    right = [modules[50 + 7 * i:57 + 7 * i] for i in range(6)]
    parity = "".join("L" if c in L_CODES else "G" if c in G_CODES else "?" for c in left)
    if parity not in FIRST_DIGIT or any(c not in R_CODES for c in right):
        return None
    digits = [FIRST_DIGIT[parity]] + [L_CODES.get(c, G_CODES.get(c)) for c in left] + [R_CODES[c] for c in right]
    return "".join(map(str, digits))


EAN5_PARITY = {"GGLLL": 0, "GLGLL": 1, "GLLGL": 2, "GLLLG": 3, "LGGLL": 4, "LLGGL": 5, "LLLGG": 6, "LGLGL": 7,
               "LGLLG": 8, "LLGLG": 9}  # the add-on's check digit, as the left halves' L/G sets show it


def decode_ean5(row: list[bool]) -> str | None:
    """The 5 digits of an EAN-5 add-on in ``row`` (True: dark; light on both sides), or None."""
    if True not in row:
        return None
    first, last = row.index(True), len(row) - row[::-1].index(True)
    span = row[first:last]
    unit = len(span) / 47  # 1011, five digits of 7 modules, 01 between them
    modules = "0" + "".join("1" if span[int((i + 0.5) * unit)] else "0" for i in range(47))  # a light module before
    if modules[:5] != "01011":
        return None
    codes = [modules[5 + 9 * i:12 + 9 * i] for i in range(5)]
    digits = [L_CODES.get(c, G_CODES.get(c)) for c in codes]
    parity = "".join("L" if c in L_CODES else "G" for c in codes)
    if None in digits or parity not in EAN5_PARITY:
        return None
    check = (3 * (digits[0] + digits[2] + digits[4]) + 9 * (digits[1] + digits[3])) % 10
    return "".join(map(str, digits)) if EAN5_PARITY[parity] == check else None


def scanned(book_dir, tmp_path, output: str = "") -> tuple[set, set, str]:
    """(EAN-13 codes, EAN-5 codes, text) read from the rendered cover of a book with an ISBN."""
    book = book_dir("minimal")
    config = book / "book.toml"
    config.write_text(config.read_text().replace('chapters = ["one.md"]',
                                                 'chapters = ["one.md"]\nisbn_print = "0-14-143951-3"') + output)
    (cover,) = build(book, ["cover"], tmp_path)
    subprocess.run(["pdftoppm", "-r", "400", "-png", str(cover.path), str(tmp_path / "cover")], check=True)
    with Image.open(next(tmp_path.glob("cover*.png"))) as page:
        width, height = page.size
        back = page.convert("L").crop((0, int(height * 0.7), int(width * 0.49), height)).point(lambda v: 255 if v > 128 else 0)
        rows = [[back.getpixel((x, y)) == 0 for x in range(back.width)] for y in range(0, back.height, 4)]
    main = {code for row in rows if (code := decode_ean13(row))}
    addon_rows = []
    for row in rows:  # inside the white box, symbols are parted by more light than any symbol holds (4 modules)
        runs = [[dark, len(list(group))] for dark, group in itertools.groupby(row)]
        runs = runs[2:-2] if len(runs) > 4 and runs[0][0] else []  # the dark background, the box's white margin
        unit = min((length for dark, length in runs if dark), default=0)
        cuts = [i for i, (dark, length) in enumerate(runs) if not dark and length > 5 * unit]
        for cut in cuts[-1:]:
            addon_rows.append([False] + [dark for dark, length in runs[cut + 1:] for _ in range(length)] + [False])
    addon = {code for row in addon_rows if (code := decode_ean5(row))}
    text = subprocess.run(["pdftotext", str(cover.path), "-"], capture_output=True, text=True, check=True).stdout
    return main, addon, text


def test_the_print_isbn_is_a_barcode_a_scanner_reads(book_dir, tmp_path):
    main, addon, text = scanned(book_dir, tmp_path)
    assert main == {"9780141439518"} and addon == set()  # the ISBN-10 given, as its ISBN-13, check digit and all
    assert "ISBN 978-0-14-143951-8" in text


def test_a_price_code_is_an_ean5_add_on_a_scanner_reads(book_dir, tmp_path):
    main, addon, text = scanned(book_dir, tmp_path, '\n[output]\nbarcode_price = "51299"\n')
    assert main == {"9780141439518"} and addon == {"51299"}
    assert "51299" in text


def test_a_price_code_of_other_than_five_digits_is_refused(book_dir):
    book = book_dir("minimal")
    with (book / "book.toml").open("a") as toml:
        toml.write('\n[output]\nbarcode_price = "12.99"\n')
    with pytest.raises(ConfigError, match="the price code '12.99' is not five digits; write the currency digit"):
        load_book(book)


def test_a_wrong_check_digit_is_refused_with_its_line(book_dir):
    book = book_dir("minimal")
    config = book / "book.toml"
    config.write_text(config.read_text().replace('chapters = ["one.md"]',
                                                 'chapters = ["one.md"]\nisbn_epub = "978-0-14-143951-9"'))
    with pytest.raises(ConfigError) as err:
        load_book(book)
    assert err.value.code == "bad-isbn"
    assert str(err.value).startswith(f"{book / 'book.toml'}:7: '978-0-14-143951-9' is not a valid ISBN (The number's "
                                     "checksum or check digit is invalid)")


def test_kdp_sets_no_spine_text_under_79_pages():
    """A quarter inch of spine at 100 pages per inch is 25 pages; KDP still refuses text under 79."""
    book = load_book(ROOT / "book", {"pages_per_inch": 100})
    assert 'class="spine-text"' not in cover_html(book, Context.for_book(book), pages=78)
    assert 'class="spine-text"' in cover_html(book, Context.for_book(book), pages=80)
    offset = load_book(ROOT / "book", {"pages_per_inch": 100, "service": "offset"})
    assert 'class="spine-text"' in cover_html(offset, Context.for_book(offset), pages=30)


def test_the_front_frame_stands_half_an_inch_inside_the_trim_and_the_fold(built, tmp_path):
    """A cut drifts up to 0.125 in: a frame 0.3 in inside would look uneven, and sit on the hinge."""
    subprocess.run(["pdftoppm", "-r", "72", "-png", str(built["cover"]), str(tmp_path / "c")], check=True)
    with Image.open(next(tmp_path.glob("c*.png"))) as page:
        rgb = page.convert("RGB")
        gold = [(x, y) for x in range(rgb.width) for y in range(rgb.height)
                if (lambda r, g, b: r > 150 and g > 120 and b < 120)(*rgb.getpixel((x, y)))]
    fold = 9 + 432 + 24 / 444 * 72  # bleed, back panel, spine: one pixel a point
    front = [(x, y) for x, y in gold if x > fold]
    assert min(x for x, _ in front) - fold >= 35.5 and rgb.width - 9 - max(x for x, _ in front) >= 35.5
    assert min(y for _, y in front) - 9 >= 35.5 and rgb.height - 9 - max(y for _, y in front) >= 35.5
