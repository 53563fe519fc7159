"""Reading order is book.toml's: front matter listed after the text it usually precedes is set there
in every output, and the contents, the EPUB's nav and spine and the print pages agree (issue 23)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from conftest import BOOKS, NS, Epub

from bookbuilder.checks.lint import lint_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

CHAPTERS = {"intro.md": ("introduction", "An Introduction"), "preface.md": ("preface", "A Preface"),
            "one.md": ("chapter", "The First Chapter"), "epigraph.md": ("epigraph", "An Epigraph")}


@pytest.fixture(scope="module")
def reordered(tmp_path_factory):
    """The introduction listed before the preface, an epigraph after the first chapter."""
    folder = tmp_path_factory.mktemp("order") / "book"
    shutil.copytree(BOOKS / "minimal", folder)
    for name, (kind, title) in CHAPTERS.items():
        (folder / name).write_text(f"---\ntitle: {title}\ntype: {kind}\n---\n\nThe text of {title.lower()}.\n")
    toml = (folder / "book.toml").read_text().replace('chapters = ["one.md"]', f"chapters = {list(CHAPTERS)}")
    (folder / "book.toml").write_text(toml.replace("'", '"'))
    outputs = build(folder, ["epub", "print"], folder / "dist")
    return folder, {o.format: o.path for o in outputs}


def test_spine_nav_and_contents_keep_the_listed_order(reordered):
    _, paths = reordered
    epub = Epub(paths["epub"])
    spine = [i for i in epub.opf.xpath("//opf:itemref/@idref", namespaces=NS) if i in ("intro", "preface", "one",
                                                                                          "epigraph")]
    nav = epub.xml("EPUB/toc.xhtml").xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
    contents = [href.split(".")[0] for href in nav if href.split(".")[0] in spine]
    assert spine == ["intro", "preface", "one", "epigraph"]
    assert contents == spine  # EPUBCheck's NAV-011: the nav in reading order


def test_print_pages_follow_the_contents(reordered):
    _, paths = reordered
    text = subprocess.run(["pdftotext", str(paths["print"]), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    first = {title: next(n for n, t in enumerate(pages) if f"The text of {title.lower()}" in t)
             for _, title in CHAPTERS.values()}
    assert sorted(first, key=first.get) == [title for _, title in CHAPTERS.values()]
    contents = next(t for t in pages if "Contents" in t)
    assert [t for _, t in CHAPTERS.values() if t in contents] == [t for _, t in CHAPTERS.values()]
    assert sorted(first, key=lambda t: contents.index(t)) == [title for _, title in CHAPTERS.values()]


def test_lint_advises_the_usual_order_at_books_toml_line(reordered):
    folder, _ = reordered
    notices = Notices()
    lint_book(folder, notices)
    said = [(n.code, n.where.line, n.problem) for n in notices if n.code == "lint-order"]
    assert said == [("lint-order", 6, "'preface.md' (type preface) is listed after 'intro.md' (type introduction), "
                                      "so every output sets it there, in the body"),
                    ("lint-order", 6, "'epigraph.md' (type epigraph) is listed after 'one.md' (type chapter), so "
                                      "every output sets it there, in the body")]
