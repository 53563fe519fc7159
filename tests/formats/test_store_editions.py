"""The store editions (issue 26, point 1) and the store preflight (point 2): the Kobo edition keeps
every word of the EPUB in sentence spans, the Kindle edition has no cover page, a two-level NCX and
its language checked; pictures fit each store's limits, never upscaled; the cover JPEG; book.toml's
stores choose the outputs; each rule of the preflight finds a file that breaks it."""

from __future__ import annotations

import io
import re
import shutil
import zipfile

import pytest
from conftest import BOOKS, NS
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from bookbuilder.checks.stores import findings
from bookbuilder.errors import ConfigError, OutputError
from bookbuilder.formats.kepub import sentences
from bookbuilder.formats.pictures import fitted
from bookbuilder.pipeline import build, chosen_formats
from bookbuilder.stores import MB, STORES

NCX = "{http://www.daisy.org/z3986/2005/ncx/}"


@pytest.fixture(scope="module")
def novel(tmp_path_factory):
    """The test novel (parts, notes, a table, contents two levels deep) as EPUB, KEPUB and Kindle EPUB."""
    book = shutil.copytree(BOOKS / "novel", tmp_path_factory.mktemp("novel") / "novel")
    return {o.format: o.path for o in build(book, ["epub", "kepub", "kindle"], book.parent / "out")}


def documents(path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


def words(root: etree._Element) -> list[str]:
    return "".join(root.find("x:body", NS).itertext()).split()


def test_the_kobo_edition_keeps_every_word_in_numbered_sentence_spans(novel):
    assert novel["kepub"].name == "frankenstein.kepub.epub"
    plain, kobo = documents(novel["epub"]), documents(novel["kepub"])
    assert plain.keys() == kobo.keys()
    for name, root in kobo.items():
        assert words(root) == words(plain[name]), name
        if name.endswith(("nav.xhtml", "toc.xhtml", "cover.xhtml")):
            continue
        body = root.find("x:body", NS)
        assert [c.get("id") for c in body] == ["book-columns"] and body[0][0].get("id") == "book-inner"
        ids = [s.get("id") for s in root.iterfind(".//x:span[@class='koboSpan']", NS)]
        assert ids and len(ids) == len(set(ids)) and all(re.fullmatch(r"kobo\.\d+\.\d+", i) for i in ids)
        for p in root.iterfind(".//x:p", NS):  # every paragraph's text is in spans
            loose = (p.text or "").strip() + "".join((c.tail or "").strip() for c in p)
            assert not loose, (name, loose)


@given(st.text(alphabet=st.sampled_from("ab .!?…。”’ \n"), max_size=60))
def test_sentences_join_to_the_text(text):
    pieces = sentences(text)
    assert "".join(pieces) == text and all(pieces[:-1])


def test_the_kindle_edition_has_no_cover_page_a_two_level_ncx_and_notes_with_the_backlink_first(novel):
    with zipfile.ZipFile(novel["kindle"]) as z:
        names = z.namelist()
        opf, ncx = z.read("EPUB/content.opf").decode(), etree.fromstring(z.read("EPUB/toc.ncx"))
        nav = z.read("EPUB/toc.xhtml").decode()
    assert "EPUB/cover.xhtml" not in names and 'properties="cover-image"' in opf and "cover.xhtml" not in nav + opf
    depth = max(len(list(p.iterancestors(f"{NCX}navPoint"))) + 1 for p in ncx.iter(f"{NCX}navPoint"))
    with zipfile.ZipFile(novel["epub"]) as z:
        plain = etree.fromstring(z.read("EPUB/toc.ncx"))
    assert depth == 2 and len(list(plain.iter(f"{NCX}navPoint"))) == len(list(ncx.iter(f"{NCX}navPoint")))
    notes = [a for root in documents(novel["kindle"]).values() for a in root.iterfind(".//x:aside[@role='doc-footnote']", NS)]
    assert notes and all(next(n.iter("{*}a")).get("role") == "doc-backlink" for n in notes)


def test_kindle_refuses_a_language_it_does_not_take(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('language = "en"', 'language = "ru"'))
    with pytest.raises(ConfigError) as caught:
        build(book, ["kindle"], tmp_path)
    assert caught.value.code == "kindle-language"
    assert build(book, ["kepub"], tmp_path)  # Kobo takes it


def test_a_kindle_edition_over_the_limit_is_refused(book_dir, tmp_path, monkeypatch):
    monkeypatch.setattr("bookbuilder.formats.kindle.MAX_BYTES", 10_000)
    with pytest.raises(OutputError) as caught:
        build(book_dir("minimal"), ["kindle"], tmp_path)
    assert caught.value.code == "kindle-size" and not list(tmp_path.glob("*.epub"))


def picture(width: int, height: int, kind: str = "JPEG", noise: bool = False) -> bytes:
    image = Image.effect_noise((width, height), 80).convert("RGB") if noise else Image.new("RGB", (width, height), "teal")
    out = io.BytesIO()
    image.save(out, kind, quality=95)
    return out.getvalue()


def test_pictures_fit_a_stores_limits_and_are_never_upscaled():
    small = picture(300, 200)
    assert fitted(small, 5 * MB, 4_000_000) is small  # within the limits: the original bytes
    big = picture(3000, 2000)  # 6 million pixels
    with Image.open(io.BytesIO(fitted(big, None, 4_000_000))) as shown:
        assert shown.width * shown.height <= 4_000_000 and shown.width >= 2400
    noisy = picture(1500, 1500, "PNG", noise=True)
    limit = len(noisy) // 3
    assert len(fitted(noisy, limit, None)) <= limit


def test_book_toml_stores_add_their_editions_and_the_cover(book_dir, tmp_path):
    book = book_dir("minimal")
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace("[book]", '[output]\nstores = ["kobo", "apple"]\n\n[book]'))
    assert chosen_formats(book, None) == ["epub", "print", "handout", "cover", "kepub", "ebook-cover"]
    outputs = {o.format: o.path for o in build(book, ["epub", "ebook-cover"], tmp_path)}
    with Image.open(outputs["ebook-cover"]) as cover:
        assert cover.format == "JPEG" and cover.width == 1600 and not cover.info.get("exif")
    with zipfile.ZipFile(outputs["epub"]) as z, Image.open(io.BytesIO(z.read("EPUB/images/cover.png"))) as drawn:
        assert drawn.width * drawn.height <= STORES["apple"].image_pixels  # the drawn 1600 × 2560 is over
    toml.write_text(toml.read_text().replace('"apple"]', '"nook"]'))
    with pytest.raises(ConfigError) as caught:
        build(book, ["epub"], tmp_path)
    assert caught.value.code == "bad-value" and str(caught.value.where).endswith("book.toml:2")


def test_without_stores_the_epub_keeps_the_pictures_as_they_are(built):
    with zipfile.ZipFile(built["epub"]) as z:
        for name in z.namelist():
            if name.startswith("EPUB/images/") and not name.endswith("cover.png"):
                assert z.read(name) == (BOOKS.parent.parent / "images" / name.removeprefix("EPUB/images/")).read_bytes()


def package(files: dict[str, bytes]) -> zipfile.ZipFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


XHTML = '<html xmlns="http://www.w3.org/1999/xhtml"><body>{}</body></html>'
ROW = "<tr>" + "<td>x</td>" * 5 + "</tr>"
NESTED = ('<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/"><navMap><navPoint><navPoint><navPoint/>'
          '</navPoint></navPoint></navMap></ncx>')


@pytest.mark.parametrize("store, files, size, code", [
    ("kobo", {"EPUB/images/big.jpg": b"x" * (5 * MB + 1)}, 0, "image-size"),
    ("kobo", {"EPUB/a.xhtml": XHTML.format("<p>words</p>" * (10 * MB // 12)).encode()}, 0, "document-size"),
    ("kobo", {"EPUB/a.xhtml": XHTML.format(f'<table id="t">{ROW}</table>').encode()}, 0, "table-columns"),
    ("apple", {"EPUB/images/big.jpg": picture(2100, 2000)}, 0, "image-pixels"),
    ("kindle", {"EPUB/toc.ncx": NESTED.encode()}, 0, "ncx-depth"),
    ("kindle", {}, 50 * MB + 1, "book-size"),
])
def test_each_store_rule_finds_a_file_that_breaks_it(store, files, size, code):
    found = list(findings(STORES[store], package(files), size))
    assert [f[0] for f in found] == [code]
    assert re.search(r"\d", found[0][2])  # the measured value and the limit


def test_the_preflight_reports_a_wide_table_for_kobo(book_dir, tmp_path):
    import json

    from conftest import run_cli

    book = book_dir("wide-table")
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace("[book]", '[output]\nstores = ["kobo"]\n\n[book]'))
    result = run_cli("check", str(book), "--format", "kepub", "--out", str(tmp_path), "--no-ace", "--json")
    report = json.loads(result.stdout)
    found = [f for f in report["findings"] if f["code"] == "store-table-columns"]
    assert found and found[0]["severity"] == "warning" and found[0]["problem"].startswith("Kobo: a table of ")
