"""What older and stricter reading systems look for in the package: NCX, guide, cover, spine,
landmarks, one file per section with its matter, raster images, plain CSS, and fixed bytes."""

from __future__ import annotations

import itertools
import re
import zipfile

import cssselect2
import pytest
import tinycss2
from conftest import NS
from lxml import etree

MATTER = {"cover": "frontmatter", "titlepage": "frontmatter", "colophon": "frontmatter", "toc": "frontmatter",
          "introduction": "bodymatter", "chapter-1": "bodymatter", "chapter-5": "bodymatter",
          "appendix": "backmatter"}
EPUB_TYPE = f"{{{NS['epub']}}}type"


def test_guide_cover_meta_and_nav_in_the_spine(epub):
    opf = epub.opf
    guide = {r.get("type"): r.get("href") for r in opf.xpath("//opf:guide/opf:reference", namespaces=NS)}
    assert guide == {"cover": "cover.xhtml", "toc": "toc.xhtml", "text": "introduction.xhtml"}
    (cover_id,) = opf.xpath("//opf:meta[@name='cover']/@content", namespaces=NS)
    cover = opf.xpath(f"//opf:item[@id='{cover_id}']", namespaces=NS)[0]
    assert cover.get("properties") == "cover-image" and cover.get("media-type") in ("image/png", "image/jpeg")
    cover_page = epub.xml("EPUB/cover.xhtml")
    assert cover_page.xpath("//x:img/@src", namespaces=NS) == [cover.get("href")]
    spine = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    assert spine[:4] == ["cover", "titlepage", "colophon", "toc"]
    assert opf.xpath("//opf:item[@id='toc']/@properties", namespaces=NS) == ["nav"]
    landmarks = epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=NS)
    assert {a.get(EPUB_TYPE): a.get("href") for a in landmarks}["bodymatter"] == "introduction.xhtml"


def test_ncx_navmap_lists_every_part(epub):
    ncx = epub.xml("EPUB/toc.ncx")
    sources = ncx.xpath("//ncx:navMap/ncx:navPoint/ncx:content/@src", namespaces=NS)
    nav = epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    assert sources == nav
    assert ncx.xpath("//ncx:meta[@name='dtb:uid']/@content", namespaces=NS) == \
        epub.opf.xpath("//dc:identifier/text()", namespaces=NS)


def test_one_file_per_section_with_its_matter_and_one_h1(epub):
    for name, matter in MATTER.items():
        root = epub.xml(f"EPUB/{name}.xhtml")
        assert root.find("x:body", NS).get(EPUB_TYPE) == matter, name
        assert len(root.xpath("//x:h1", namespaces=NS)) == (0 if name == "cover" else 1), name
        if name not in ("cover", "toc"):
            assert root.xpath("//x:body/x:section/@id", namespaces=NS) == [name]
        # section headings come after the part's h1, one level down
        levels = [int(h.tag[-1]) for h in root.iter(*(f"{{{NS['x']}}}h{n}" for n in range(1, 7)))]
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels)), name


def test_images_are_jpeg_or_png_and_say_so(epub):
    magic = {"image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}
    items = epub.opf.xpath("//opf:item[starts-with(@media-type, 'image/')]", namespaces=NS)
    assert len(items) == 8  # the cover and seven figures
    for item in items:
        data = epub.zip.read(f"EPUB/{item.get('href')}")
        assert data.startswith(magic[item.get("media-type")]), item.get("href")
        assert len(data) < 400_000, item.get("href")


def test_css_stays_legible_on_old_readers(epub):
    """No custom properties or calc() (older Adobe-based readers drop the whole rule), and type
    sizes relative to the reader's own setting."""
    for name in (n for n in epub.names() if n.endswith(".css")):
        css = epub.zip.read(name).decode()
        assert "var(" not in css and "calc(" not in css and not re.search(r"--[\w-]+\s*:", css), name
        assert not re.search(r"font-size:\s*[\d.]+(px|pt)", css), name


def test_mimetype_first_and_stored_every_entry_stamped_with_the_books_date(built):
    """(That a second build writes the same file: test_print.py's test_same_input_same_bytes.)"""
    with zipfile.ZipFile(built["epub"]) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        assert {i.date_time for i in archive.infolist()} == {(2022, 12, 30, 0, 0, 0)}


@pytest.mark.parametrize("epoch, stamp", [("1700000000", (2023, 11, 14, 22, 13, 20))])
def test_source_date_epoch_sets_the_timestamp(book_dir, tmp_path, monkeypatch, epoch, stamp):
    from bookbuilder.pipeline import build

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    (output,) = build(book_dir("minimal"), ["epub"], tmp_path)
    with zipfile.ZipFile(output.path) as archive:
        assert {i.date_time for i in archive.infolist()} == {stamp}
        opf = etree.fromstring(archive.read("EPUB/content.opf"))
    modified = opf.xpath("//opf:meta[@property='dcterms:modified']/text()", namespaces=NS)
    assert modified == ["2023-11-14T22:13:20Z"]


def no_indent_rules(css: str) -> list:
    """The compiled selectors of the stylesheet's rules that set text-indent: 0."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return [selector for rule in rules if rule.type == "qualified-rule"
            and "text-indent:0" in tinycss2.serialize(rule.content).replace(" ", "")
            for selector in cssselect2.compile_selector_list(rule.prelude)]


def test_a_page_break_marker_keeps_the_paragraph_after_a_figure_unindented(epub):
    """Chapter 3: the print page 11 begins with the paragraph after a figure, so the EPUB has a
    marker between them; the paragraph is still the first after the figure (base.css: no indent)."""
    root = epub.xml("EPUB/chapter-3.xhtml")
    marker = root.find(".//*[@id='page-11']", NS)
    assert etree.QName(marker.getprevious()).localname == "figure"
    selectors = no_indent_rules(epub.zip.read("EPUB/styles/base.css").decode() +
                                epub.zip.read("EPUB/styles/epub.css").decode())
    paragraph = cssselect2.ElementWrapper.from_xml_root(root).query("#chapter-3-p10")
    assert any(selector.test(paragraph) for selector in selectors)
