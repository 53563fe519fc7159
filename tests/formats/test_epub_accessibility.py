"""EPUB Accessibility 1.1 metadata, worked out from the book and the build."""

from __future__ import annotations

from dataclasses import replace

import pikepdf
import pypdf
from conftest import NS, ROOT, Epub
from lxml import etree

from bookbuilder.formats.accessibility import CONFORMANCE, accessibility
from bookbuilder.manuscript.load import load_book
from bookbuilder.pipeline import build


def schema(epub: Epub, prop: str) -> list[str]:
    return epub.opf.xpath(f"//opf:meta[@property='schema:{prop}']/text()", namespaces=NS)


def test_default_book_declares_what_it_offers(epub):
    pages = [a.text for a in epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)]
    assert schema(epub, "accessMode") == ["textual", "visual"]  # it has pictures
    assert schema(epub, "accessModeSufficient") == ["textual", "textual,visual"]  # every picture described
    assert set(schema(epub, "accessibilityFeature")) == {
        "structuralNavigation", "tableOfContents", "readingOrder", "ARIA", "displayTransformability",
        "alternativeText", "pageBreakMarkers", "pageNavigation"}
    assert schema(epub, "accessibilityHazard") == ["none"]
    (summary,) = schema(epub, "accessibilitySummary")
    assert "Thirty Years of Gold is an introduction, 5 chapters, and an appendix" in summary  # CLDR en: a serial comma
    assert "All 7 pictures have a text description" in summary and "(Zhang Shuo)" in summary
    assert f"print edition, {pages[0]} to {pages[-1]}." in summary
    # nobody has evaluated it: no conformance claim, no certifier, and the summary claims none
    assert epub.opf.xpath("//opf:meta[@property='dcterms:conformsTo' or @property='a11y:certifiedBy']",
                          namespaces=NS) == []
    assert "WCAG" not in summary


def test_a_book_without_pictures_is_textual_only(book_dir, tmp_path):
    (output,) = build(book_dir("minimal"), ["epub"], tmp_path)
    epub = Epub(output.path)
    assert schema(epub, "accessMode") == ["textual"]
    assert schema(epub, "accessModeSufficient") == ["textual"]
    assert "alternativeText" not in schema(epub, "accessibilityFeature")
    assert "picture" not in schema(epub, "accessibilitySummary")[0]
    assert "A Minimal Book is one chapter;" in schema(epub, "accessibilitySummary")[0]
    assert epub.opf.xpath("//opf:meta[@property='a11y:certifiedBy']", namespaces=NS) == []


def test_conformance_is_claimed_only_with_the_certifier_book_toml_names(book_dir, tmp_path):
    book = book_dir("minimal")
    config = book / "book.toml"
    config.write_text(config.read_text().replace('chapters = ["one.md"]', 'chapters = ["one.md"]\n'
                                                 'accessibility_certified_by = "Accessible Books Review"'))
    epub = Epub(build(book, ["epub"], tmp_path)[0].path)
    conformance = epub.opf.xpath("//opf:meta[@property='dcterms:conformsTo']", namespaces=NS)
    assert [m.text for m in conformance] == [CONFORMANCE] == ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    certifier = epub.opf.xpath(f"//opf:meta[@refines='#{conformance[0].get('id')}']", namespaces=NS)
    assert [(m.get("property"), m.text) for m in certifier] == [("a11y:certifiedBy", "Accessible Books Review")]
    assert "It meets WCAG 2.2 Level AA." in schema(epub, "accessibilitySummary")[0]


def test_the_edition_date_is_the_modification_date_and_the_first_publication_stays(book_dir, tmp_path):
    book = book_dir("minimal")
    config = book / "book.toml"
    config.write_text(config.read_text().replace("date = 2024-01-31", "date = 1813-01-28\nedition_date = 2026-11-30"))
    outputs = {o.format: o.path for o in build(book, ["epub", "print"], tmp_path)}
    epub = Epub(outputs["epub"])
    assert epub.opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS) == ["2026-11-30T00:00:00Z"]
    assert epub.opf.xpath("//dc:date/text()", namespaces=NS) == ["1813-01-28"]
    with pikepdf.open(outputs["print"]) as pdf:
        assert (str(pdf.docinfo.CreationDate), str(pdf.docinfo.ModDate)) == ("D:18130128", "D:20261130")


def test_only_the_renditions_set_in_the_shipped_face_say_so(epub, built):
    colophon = etree.tostring(epub.xml("EPUB/colophon.xhtml"), encoding="unicode")
    assert "Set in" not in colophon  # the EPUB embeds no font
    assert "Set in Charis SIL." in pypdf.PdfReader(built["print"]).pages[1].extract_text()


def test_book_toml_may_give_the_summary(book_dir, tmp_path):
    book = book_dir("minimal")
    config = book / "book.toml"
    config.write_text(config.read_text().replace('chapters = ["one.md"]', 'chapters = ["one.md"]\n'
                                                 'accessibility_summary = "Read aloud by its author."'))
    (output,) = build(book, ["epub"], tmp_path)
    assert schema(Epub(output.path), "accessibilitySummary") == ["Read aloud by its author."]


def test_no_page_list_no_page_features_and_an_undescribed_picture_claims_no_conformance():
    book = load_book(ROOT / "book")
    figure = replace(book.chapters[1].figures[0], alt=" ")
    chapters = (book.chapters[0], replace(book.chapters[1], figures=(figure,)), *book.chapters[2:])
    facts = accessibility(replace(book, chapters=chapters), ())
    assert "pageBreakMarkers" not in facts.features and "pageNavigation" not in facts.features
    assert "alternativeText" not in facts.features
    assert facts.sufficient == ("textual,visual",)
    assert facts.conforms_to == ""
    assert "Some pictures have no text description." in facts.summary
