"""CSS references are found by tokenizing: every way of writing url(), @import and image-set()."""

from __future__ import annotations

import zipfile

import pytest

from bookbuilder import cli
from bookbuilder.css import references, refused

REMOTE = "http://example.org/x"
BYPASSES = {  # the issue's, and more: each must be seen, on the line given
    "@import without a space": (f'@import"{REMOTE}";', 1),
    "@import with url()": (f"@import url({REMOTE});", 1),
    "escaped url(": (f"p {{ background: u\\rl({REMOTE}) }}", 1),
    "hex-escaped url(": (f'p {{ background: u\\72 l("{REMOTE}") }}', 1),
    "url( split over lines": (f'p {{\n  background: url(\n"{REMOTE}"\n) }}', 3),
    "image-set()": (f'p {{ background: image-set("{REMOTE}" 1x) }}', 1),
    "-webkit-image-set()": (f"p {{ background: -webkit-image-set(url({REMOTE}) 1x) }}", 1),
    "comment inside url(": (f'p {{ background: url(/**/"{REMOTE}") }}', 1),
    "upper case": (f"P {{ BACKGROUND: URL({REMOTE}) }}", 1),
    "in @media": (f"\n@media print {{ p {{ background: url({REMOTE}) }} }}", 2),
    "in @font-face": (f'@font-face {{ font-family: X; src: url("{REMOTE}") }}', 1),
    "protocol-relative": ("p { background: url(//example.org/x) }", 1),
    "file URL": ("p { background: url(file:///etc/passwd) }", 1),
    "absolute path": ("p { background: url(/etc/passwd) }", 1),
    "climbing out": ("p { background: url(../../etc/passwd) }", 1),
    "data URL": ("p { background: url(data:image/png;base64,AAAA) }", 1),
    "expression()": ("p { width: expression(alert(1)) }", 1),
    "behavior": ("p { behavior: url(x.htc) }", 1),
}


@pytest.mark.parametrize("name", BYPASSES)
def test_every_reference_is_refused_with_its_line(name):
    css, line = BYPASSES[name]
    assert [ref.line for ref in refused(css, "styles/epub.css")][:1] == [line]


def test_a_books_own_files_are_allowed():
    css = ('@font-face { src: url("fonts/a.ttf") } p { background: url(../images/x.png) }\n'
           'p::before { content: "url(http://not-a-url)" }')
    assert [ref.url for ref in references(css)] == ["fonts/a.ttf", "../images/x.png"]
    assert refused(css, "styles/epub.css") == ()


@pytest.mark.parametrize("name", ["@import without a space", "escaped url(", "url( split over lines", "image-set()"])
def test_epub_stylesheet_bypass_stops_the_build_at_its_line(name, book_dir, tmp_path, capsys):
    css, line = BYPASSES[name]
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "epub.css").write_text(css)
    assert cli.main([str(book), "--format", "epub", "--out", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"error: {book / 'styles' / 'epub.css'}:{line}: the stylesheet loads '{REMOTE}'"), err
    assert not (tmp_path / "out" / "a-minimal-book.epub").exists()


def test_pdf_stylesheet_bypass_stops_the_build_at_its_line(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "print.css").write_text(f"p {{ color: black }}\n\np {{ background: u\\rl({REMOTE}) }}\n")
    assert cli.main([str(book), "--format", "print", "--out", str(tmp_path / "out")]) == 4
    assert f"{book / 'styles' / 'print.css'}:3: the stylesheet loads '{REMOTE}'" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["escaped url(", "image-set()", "comment inside url(", "@import without a space"])
def test_inline_style_bypass_is_removed_with_a_warning(name, book_dir, tmp_path, capsys):
    css = BYPASSES[name][0].split("{")[-1].rstrip("} ") if "{" in BYPASSES[name][0] else BYPASSES[name][0]
    book = book_dir("minimal")
    style = css.replace('"', "&quot;")
    (book / "one.md").write_text(f'---\ntitle: Styled\n---\n\nText.\n\n<p style="{style}">styled</p>\n')
    assert cli.main([str(book), "--format", "epub", "--out", str(tmp_path / "out")]) == 0
    assert f"warning: {book / 'one.md'}:7: a style that loads a URL removed from <p>" in capsys.readouterr().err
    chapter = zipfile.ZipFile(tmp_path / "out" / "a-minimal-book.epub").read("EPUB/one.xhtml").decode()
    assert "example.org" not in chapter and "styled" in chapter
