"""The print PDF as a print shop receives it: boxes, page labels, openings, fonts, ink, bytes."""

from __future__ import annotations

import re
import statistics
import subprocess

import pikepdf
import pypdf
import pytest
from conftest import ROOT, Epub, run_cli
from fontTools.ttLib import TTFont
from lxml import etree
from pdflines import MAX_SPACE_P95, folio, pages, widest_spaces

from bookbuilder.printing import printing_line

TRIM = [0, 0, 432, 648]  # 6 x 9 in
BLEED = 9  # 0.125 in
RUNNING_HEAD = "Thirty Years of Gold"
INNER, OUTER = 54, 45  # print.css: a recto's margins, 0.75 in at the spine and 0.625 in outside


def box(page, name) -> list[float]:
    return [round(float(v), 2) for v in page.obj[name]]


@pytest.fixture(scope="module")
def reader(built):
    return pypdf.PdfReader(built["print"])


@pytest.fixture(scope="module")
def texts(reader) -> list[str]:
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def openings(built) -> dict[str, int]:
    """Part title (without its 'Chapter n' label) -> 0-based page index, from the bookmarks."""
    with pikepdf.open(built["print"]) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            return {re.sub(r"^Chapter \d+ ", "", item.title): pages[item.destination[0].objgen] for item in outline.root}


def flat(text: str) -> str:
    """Text with line breaks as spaces: a heading set on two lines reads as one."""
    return " ".join(text.split())


def test_boxes_on_every_page(built):
    """KDP's interior with bleed: 6.125 x 9.25 in, the bleed on the outside, top and bottom only."""
    with pikepdf.open(built["print"]) as pdf:
        assert len(pdf.pages) % 2 == 0  # a book block ends on a left-hand page
        for index, page in enumerate(pdf.pages):
            outside = [0, -BLEED, 432 + BLEED, 648 + BLEED] if index % 2 == 0 else [-BLEED, -BLEED, 432, 648 + BLEED]
            assert box(page, "/TrimBox") == TRIM
            assert box(page, "/BleedBox") == box(page, "/MediaBox") == outside


def test_page_labels_roman_then_arabic_and_folios_match(built, reader, texts):
    labels = reader.page_labels
    assert labels[:5] == ["i", "ii", "iii", "iv", "1"]
    assert labels[4:] == [str(n) for n in range(1, len(labels) - 3)]
    folios = [folio(page) for page in pages(built["print"])]
    assert all(printed in ("", label) for printed, label in zip(folios, labels))
    unnumbered = [n for n, printed in enumerate(folios) if not printed]
    # the title page and the colophon (display pages), then blank versos
    assert unnumbered[:2] == [0, 1] and all(not texts[n].strip() for n in unnumbered[2:])


def test_title_page_lines_are_centred_on_the_text_block(built):
    title, colophon = pages(built["print"])[:2]
    assert [line.text for line in title] == ["Thirty Years of Gold", "Kazakhstan and China in Conversation",
                                             "Timur Shaymergenov", "In conversation with Zhang Shuo",
                                             "China News Agency"]
    axis = TRIM[2] / 2 + (INNER - OUTER) / 2  # a recto (KDP): bleed outside only, none at the spine
    assert all(abs(line.centre - axis) < 1 for line in title), [(line.text, line.centre) for line in title]
    assert title[-1].bottom > 0.85 * TRIM[3]  # the imprint stands at the foot of the page
    assert min(colophon, key=lambda line: line.top).text == "Colophon"  # no running head above it


def test_contents_page_numbers_are_the_folios(reader, texts, openings):
    contents = flat(next(t for t in texts if t.startswith("Contents")))
    for title, index in openings.items():
        match = re.search(rf"{re.escape(title)}\s+(\w+)", contents)
        assert match and match.group(1) == reader.page_labels[index], title


def test_every_part_opens_on_a_right_hand_page_without_running_head(reader, texts, openings):
    assert len(openings) == 7
    for title, index in openings.items():
        assert int(reader.page_labels[index]) % 2 == 1, title
        # once, whole: the heading, unhyphenated, and no running head repeating it
        assert flat(texts[index]).count(title) == 1, title
        assert RUNNING_HEAD not in texts[index]


def test_blank_pages_carry_nothing(texts):
    blanks = [n for n, text in enumerate(texts) if not text.strip()]
    assert blanks  # the default book has verso blanks before chapters and at the end
    padding = len(texts) - 2  # 22 pages of text, padded to the 24 pages KDP binds
    assert all(n % 2 == 1 or n >= padding for n in blanks)  # 0-based odd = left-hand pages


def test_running_heads_on_ordinary_pages(built, reader, texts, openings):
    ordinary = [n for n, t in enumerate(texts) if t.strip() and n not in openings.values()
                and reader.page_labels[n].isdigit()]
    assert ordinary
    left = [n for n in ordinary if int(reader.page_labels[n]) % 2 == 0]
    assert all(RUNNING_HEAD in texts[n] for n in left)
    # a recto carries the chapter it is in, by label and title: never a bare number like a folio
    with pikepdf.open(built["print"]) as pdf:
        numbers = {page.objgen: n for n, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:  # 'Chapter 1 From Recognition to Partnership'
            opened = sorted((numbers[item.destination[0].objgen], item.title) for item in outline.root)
    right = [n for n in ordinary if n not in left]
    assert right
    for n in right:
        heading = [title for index, title in opened if index < n][-1]
        top = min(pages(built["print"])[n], key=lambda line: line.top).text
        assert top == re.sub(r"^(Chapter \d+) ", r"\1: ", heading), n


def fonts_of(path) -> dict[str, bool]:
    with pikepdf.open(path) as pdf:
        fonts = {}
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                descriptor = font.DescendantFonts[0].FontDescriptor if "/DescendantFonts" in font else font.FontDescriptor
                fonts[str(font.BaseFont).split("+", 1)[-1]] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
        return fonts


@pytest.mark.parametrize("output", ["print", "handout", "cover"])
def test_only_the_shipped_family_all_embedded(built, output):
    fonts = fonts_of(built[output])
    assert fonts and all(name.startswith("Charis-SIL") for name in fonts)
    assert all(fonts.values())


def small_cap_glyphs(font_file) -> set[int]:
    """Glyph ids the face's OpenType 'smcp' feature substitutes in (its real small capitals)."""
    font = TTFont(font_file)
    gsub = font["GSUB"].table
    lookups = {i for record in gsub.FeatureList.FeatureRecord if record.FeatureTag == "smcp"
               for i in record.Feature.LookupListIndex}
    names = {target for i in lookups for sub in gsub.LookupList.Lookup[i].SubTable
             for target in getattr(sub, "mapping", {}).values()}
    return {font.getGlyphID(name) for name in names}


def glyphs_drawn(path, face: str) -> set[int]:
    """Glyph ids drawn in ``face`` (WeasyPrint writes two-byte glyph ids, Identity-H)."""
    drawn = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            keys = {str(k) for k, f in (page.Resources.get("/Font") or {}).items()
                    if str(f.BaseFont).split("+", 1)[-1] == face}
            current = None
            for operands, op in pikepdf.parse_content_stream(page, "Tf TJ Tj"):
                if str(op) == "Tf":
                    current = str(operands[0])
                elif current in keys:
                    strings = operands[0] if str(op) == "TJ" else operands
                    for item in strings:
                        if isinstance(item, pikepdf.String):
                            data = bytes(item)
                            drawn |= {int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2)}
    return drawn


def test_print_has_real_italic_bold_free_text_and_small_caps(built):
    assert {"Charis-SIL", "Charis-SIL-Italic"} <= set(fonts_of(built["print"]))
    # small caps are the face's own (OpenType smcp), not capitals scaled down by Pango
    assert glyphs_drawn(built["print"], "Charis-SIL") & small_cap_glyphs(ROOT / "styles/fonts/CharisSIL-Regular.ttf")


def test_the_printing_line_counts_down_to_this_printing(texts):
    assert printing_line(1) == "10 9 8 7 6 5 4 3 2 1" and printing_line(4) == "10 9 8 7 6 5 4"
    assert "10 9 8 7 6 5 4 3 2 1" in texts[1]  # the default book's copyright page: its first printing


def test_a_chapters_text_opens_with_a_line_of_small_capitals_unless_told_not_to(book_dir):
    book = book_dir("minimal")
    small_caps = small_cap_glyphs(ROOT / "styles/fonts/CharisSIL-Regular.ttf")
    drawn = {}
    for opening in ("small-caps", "none"):  # the default, then as book.toml asks
        if opening == "none":
            (book / "book.toml").write_text((book / "book.toml").read_text() + '\n[typography]\nopening = "none"\n')
        result = run_cli(str(book), "--format", "print", "--force", "--out", str(book / opening))
        assert result.returncode == 0, result.stderr
        drawn[opening] = glyphs_drawn(next((book / opening).glob("*-print.pdf")), "Charis-SIL") & small_caps
    # the colophon's heading is in small capitals either way; the chapter's first line only by default
    assert drawn["none"] < drawn["small-caps"]


@pytest.mark.parametrize("output", ["print", "handout"])
def test_a_chapter_opening_with_a_question_opens_with_its_first_line_in_small_capitals(built, output):
    # the default book's chapters open with the interviewer's question, in italics; nothing else is
    # set in italic small capitals there (its speaker's label is upright)
    italic = small_cap_glyphs(ROOT / "styles/fonts/CharisSIL-Italic.ttf")
    assert glyphs_drawn(built[output], "Charis-SIL-Italic") & italic


def bbox_words(pdf) -> list[list[tuple[str, float, float, float, float]]]:
    """Each page's words as (text, left, top, right, bottom) in points (poppler's pdftotext -bbox)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout
    root = etree.fromstring(out, etree.XMLParser(recover=True))
    return [[(w.text, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))) for w in page.iter("{*}word")]
            for page in root.iter("{*}page")]


def test_a_drop_cap_is_three_lines_deep_in_print_and_a_plain_letter_elsewhere(book_dir):
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text()
                                    + '\n[typography]\nno_hyphenate = ["Kazakhstan"]\nopening = "drop-cap"\n')
    (book / "one.md").write_text("---\ntitle: The Only Chapter\n---\n\n\"Kazakhstan " + "and China " * 60
                                 + "met.\"\n\nA second paragraph.\n")
    result = run_cli(str(book), "--force", "--out", str(book / "out"))
    assert result.returncode == 0, result.stderr
    page = next(p for p in bbox_words(next((book / "out").glob("*-print.pdf"))) if any(w[0] == "“K" for w in p))
    initial = next(w for w in page if w[0] == "“K")  # the opening quotation mark goes with the letter
    text = [w for w in page if w[0] in {"azakhstan", "and", "China"}]  # the paragraph's words
    body_height = statistics.median(w[4] - w[2] for w in text)
    assert (initial[4] - initial[2]) / body_height == pytest.approx(5.17, rel=0.03)  # fonts.css: 5.17 em
    starts = sorted({round(w[2]): min(v[1] for v in text if round(v[2]) == round(w[2])) for w in text}.items())
    lefts = [left for _, left in starts]
    assert [left > initial[3] for left in lefts[:5]] == [True, True, True, False, False]  # three lines beside it
    assert lefts[3] < initial[1] + 1  # then the full measure, from the initial's left edge
    assert "azakhstan" in [w[0] for w in text]  # the name runs on after its initial, kept whole
    handout = "".join(w[0] for p in bbox_words(next((book / "out").glob("*-handout.pdf"))) for w in p)
    assert "“Kazakhstan" in handout  # the handout opens with small capitals instead (editions.py)
    epub = Epub(next((book / "out").glob("*.epub")))
    chapter = next(t for t in map(epub.zip.read, epub.names()) if "“Kazakhstan and China".encode() in t)
    assert b'class="initial"' not in chapter  # a plain first letter in the EPUB


def test_text_and_rules_print_in_black_ink_only(built):
    with pikepdf.open(built["print"]) as pdf:
        operators = {str(op) for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)}
        colours = [(str(op), [float(v) for v in operands]) for page in pdf.pages
                   for operands, op in pikepdf.parse_content_stream(page, "rg RG k K scn SCN sc SC g G")]
    assert "BT" in operators
    assert not [c for c in colours if c[0] in ("rg", "RG", "g", "G")]  # no RGB or grey device colour
    assert all(values[:3] == [0, 0, 0] for op, values in colours if len(values) == 4)  # K only


def test_no_hyphen_ladders(built):
    for output in ("print", "handout"):
        run = longest = 0
        for page in pypdf.PdfReader(built[output]).pages:
            for line in page.extract_text().splitlines():
                run = run + 1 if line.rstrip().endswith("\u2010") else 0
                longest = max(longest, run)
        assert 0 < longest <= 2, output  # hyphenation is on, ladders are not


def test_justified_lines_hyphenate_rather_than_stretch(built):
    spaces = widest_spaces(built["print"])
    assert len(spaces) > 130  # the justified lines of 17 pages of text (the questions are ragged)
    assert statistics.quantiles(spaces, n=20)[-1] < MAX_SPACE_P95


def test_handout_is_tagged_pdf_ua(built):
    with pikepdf.open(built["handout"]) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en"
        assert 'pdfuaid:part="1"' in str(pdf.open_metadata())
        figures = []

        def walk(element):
            if isinstance(element, pikepdf.Dictionary):
                if element.get("/S") == "/Figure":
                    figures.append(str(element.get("/Alt", "")))
                kids = element.get("/K")
                for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                    walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert len(figures) == 7 and all(alt.startswith("Placeholder for a photograph") for alt in figures)


def test_same_input_same_bytes(built, tmp_path):
    """A second build in a fresh process (new hash seed, new clock) writes the same bytes, the EPUB too."""
    result = run_cli(str(ROOT / "book"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    for output in ("epub", "print", "handout", "cover"):
        assert (tmp_path / built[output].name).read_bytes() == built[output].read_bytes(), output
