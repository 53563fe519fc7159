"""The web edition (formats/web.py): a folder of pages, one per part of the book, named after its
Markdown file; every link and picture inside the site; the search index; written, cached and
replaced as one unit (files.Folder); the same bytes from run to run (issue 25)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import html
from PIL import Image

from bookbuilder.errors import ConfigError
from bookbuilder.files import STAGED, Folder, Staging, digest_of, temp_stem
from bookbuilder.formats import default_formats
from bookbuilder.pipeline import build, chosen_formats


@pytest.fixture(scope="module")
def novel(tmp_path_factory):
    """The test novel's web edition: (its folder, the book folder)."""
    from conftest import BOOKS

    book = tmp_path_factory.mktemp("novel") / "novel"
    shutil.copytree(BOOKS / "novel", book)
    [output] = build(book, ["web"], book.parent / "out")
    return output.path, book


def pages(site: Path) -> dict[str, html.HtmlElement]:
    return {p.name: html.fromstring(p.read_bytes()) for p in sorted(site.glob("*.html"))}


def test_a_page_per_part_named_after_its_markdown_file(novel):
    site, book = novel
    names = set(pages(site))
    assert {f"{p.stem}.html" for p in book.glob("*.md")} | {"index.html", "colophon.html"} == names
    assert {"search.js", "book.js", "styles/web.css", "styles/fonts/CharisSIL-Regular.ttf"} <= {
        p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def test_pages_follow_the_reading_order_and_link_before_and_after(novel):
    site, _ = novel
    found = pages(site)
    order = ["index.html"]
    while nexts := found[order[-1]].xpath('//nav[@class="pager"]/a[@rel="next"]/@href'):
        order.append(nexts[0])
        previous = found[order[-1]].xpath('//nav[@class="pager"]/a[@rel="prev"]/@href')
        assert previous == [order[-2]]
    assert order[:4] == ["index.html", "dedication.html", "preface.html", "volume-1.html"]
    assert order[-1] == "colophon.html" and sorted(order) == sorted(found)


def test_every_link_and_picture_is_inside_the_site(novel):
    site, _ = novel
    found = pages(site)
    ids = {name: set(page.xpath("//@id")) for name, page in found.items()}
    for name, page in found.items():
        for href in page.xpath("//a/@href | //link/@href | //script/@src"):
            file, _, anchor = href.partition("#")
            if href.startswith("https://") and href in page.xpath("//main//a/@href"):
                continue  # the text's own link to the web
            assert not re.match(r"[a-z]+:|/", href), (name, href)
            assert (site / (file or name)).is_file(), (name, href)
            assert not anchor or anchor in ids[file or name], (name, href)
        for img in page.xpath("//img"):
            assert (site / img.get("src")).is_file()
            for candidate in img.get("srcset").split(", "):
                src, width = candidate.split()
                with Image.open(site / src) as picture:
                    assert f"{picture.width}w" == width


def test_pages_are_plain_html_in_the_books_language(novel):
    site, _ = novel
    for name, page in pages(site).items():
        text = (site / name).read_text()
        assert text.startswith("<!DOCTYPE html>") and "epub:" not in text and "xmlns" not in text
        assert not re.search(r"<(span|a|div|section|p)\b[^>]*/>", text), name  # no XML empty tags in HTML
        assert page.get("lang") == "en-GB" and page.get("dir") == "ltr"
        assert len(page.xpath("//main")) == 1 and page.xpath("//a[@class='skip']/@href") == ["#text"]


def test_the_search_index_holds_every_paragraph_under_its_page(novel):
    site, book = novel
    script = (site / "search.js").read_text()
    index = json.loads(script.removeprefix("window.bookSearch = ").removesuffix(";\n"))
    names = [page for page, _ in index["pages"]]
    last = (book / "appendix.md").read_text()
    word = re.findall(r"[A-Za-z]{9,}", last)[-1]
    hits = [b for b in index["blocks"] if word in b[2]]
    assert hits and {names[b[0]] for b in hits} == {"appendix.html"}
    page = html.fromstring((site / "appendix.html").read_bytes())
    assert all(not b[1] or page.xpath(f'//*[@id="{b[1]}"]') for b in hits)  # the anchor is on that page


def test_print_page_numbers_stand_where_the_epub_has_them(novel, tmp_path):
    site, book = novel
    [epub] = build(book, ["epub"], tmp_path)
    import zipfile
    with zipfile.ZipFile(epub.path) as z:
        in_epub = sorted(set(re.findall(r'role="doc-pagebreak" id="(page-[^"]+)"', "".join(
            z.read(n).decode() for n in z.namelist() if n.endswith(".xhtml") and "nav" not in n))))
    in_site = sorted(set(re.findall(r'role="doc-pagebreak" id="(page-[^"]+)"', "".join(
        p.read_text() for p in site.glob("*.html")))))
    assert in_site and set(in_site) <= set(in_epub) and len(in_site) >= len(in_epub) - 2  # the contents' pages


def test_the_site_is_the_same_bytes_from_run_to_run_and_is_cached_as_one(novel, tmp_path):
    site, book = novel
    [again] = build(book, ["web"], tmp_path)
    assert digest_of(Folder.read(again.path)) == digest_of(Folder.read(site))
    assert build(book, ["web"], tmp_path)[0].cached
    (again.path / "chapter-1.html").write_text("changed by hand")
    rebuilt = build(book, ["web"], tmp_path)[0]
    assert not rebuilt.cached and "changed by hand" not in (again.path / "chapter-1.html").read_text()


def test_a_failed_build_leaves_the_earlier_site_as_it_was(book_dir, tmp_path):
    book = book_dir("minimal")
    [site] = build(book, ["web"], tmp_path)
    before = digest_of(Folder.read(site.path))
    (book / "one.md").write_text("# One\n\n![](images/missing.png)\n")
    with pytest.raises(Exception):
        build(book, ["web"], tmp_path)
    assert digest_of(Folder.read(site.path)) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".make-book-") and p.name != ".make-book-cache"] == []


def test_a_folder_left_by_a_killed_build_is_removed_and_a_users_kept(tmp_path):
    ours, users = (tmp_path / f"{temp_stem(999999999, token)}-book-web" for token in ("0000abcd", "0000abce"))
    for folder in (ours, users):
        (folder / "styles").mkdir(parents=True)
        (folder / "index.html").write_text("half written")
    (ours / STAGED).write_text("")
    with Staging(tmp_path):
        pass
    assert [p.name for p in tmp_path.iterdir()] == [users.name]


def test_book_toml_chooses_the_outputs_a_plain_build_makes(book_dir):
    book = book_dir("minimal")
    assert chosen_formats(book, None) == default_formats() == ["epub", "print", "handout", "cover"]
    assert chosen_formats(book, ["print"]) == ["print"]
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace("[book]", '[output]\nformats = ["web", "epub"]\n\n[book]'))
    assert chosen_formats(book, None) == ["web", "epub"]
    toml.write_text(toml.read_text().replace('"web", "epub"', '"web", "mobi"'))
    with pytest.raises(ConfigError) as caught:
        chosen_formats(book, None)
    assert caught.value.code == "bad-value" and str(caught.value.where).endswith("book.toml:2")


def test_the_default_books_site_has_a_page_per_chapter_and_its_pictures_at_screen_sizes(built):
    site = built["web"]
    assert site.is_dir() and (site / "chapter-5.html").is_file()
    for img in html.fromstring((site / "chapter-1.html").read_bytes()).xpath("//figure//img"):
        widths = [int(c.split()[1][:-1]) for c in img.get("srcset").split(", ")]
        assert widths == sorted(widths) and max(widths) <= 1600
        with Image.open(site / img.get("src")) as shown:
            assert shown.width <= 960
