"""CSS references are found by tokenizing: every way of writing url(), @import and image-set()."""

from __future__ import annotations

import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuilder import cli
from bookbuilder.css import MAX_NESTING, overreach, references, refused

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


def var_bomb(levels: int) -> str:
    """Each custom property four times the one before: 4**levels times the first's ten letters."""
    rules = ["--v0: xxxxxxxxxx;"] + [f"--v{n}: {' '.join([f'var(--v{n - 1})'] * 4)};" for n in range(1, levels + 1)]
    return ":root {\n" + "\n".join(rules) + f"\n}}\np {{ width: var(--v{levels}) }}\n"


@pytest.mark.parametrize("css, line, found", [
    ("a {}\n" + "(" * 33 + ")" * 33, 2, "nests brackets, parentheses or blocks more than 32 deep"),
    ("@media print {" * 40 + "}" * 40, 1, "more than 32 deep"),
    (":not(" * 2000 + "a" + ")" * 2000 + " {}", 1, "more than 32 deep"),
    ("a " * 100_000 + "{ color: red }", 1, "has a selector of more than 10,000 characters"),
    (var_bomb(12), 9, "sets --v7 to a value that var() expands past 100,000 characters"),
    (":root {\n--a: var(--b);\n--b: var(--a) }", 2, "sets --a to a value that refers to itself through var()"),
    ("p {}\n@page { margin: 9in }", 2, "sets a page margin of 9in, where a margin is at most 3in or 25%"),
    ("@media print {\n@page :left { margin-left: 30% } }", 2, "sets a page margin of 30%"),
    ("@page { size: 1in 9in }", 1, "sets a page side of 1in, where a page is 2in to 24in, as book.toml's trim"),
    ("@page { margin: 1000vw }", 1, "sets a page margin of 1000vw"),
    ("p::after {\ncontent:" + " counter(page)" * 20_000 + " }", 2, "generates 20,000 items in one content, where 64"),
    ("@page { @top-left { content:" + ' "a"' * 65 + " } }", 1, "generates 65 items in one content"),
    (".main { string-set: " + ", ".join(f'n{i} "x"' for i in range(40)) + " }", 1, "80 items in one string-set"),
    ("a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g {}", 1, "a selector of more than 32 steps"),
    ("body {\n margin: -1e9px }", 2, "sets margin to -1e9px, beyond anything a page holds (100in, 1000%)"),
    ("p { width: calc(1% + 101in) }", 1, "sets width to 101in"),
    ("p { width: 5000% }", 1, "sets width to 5000%"),
])
def test_a_stylesheet_past_its_limits_is_found_before_any_parser(css, line, found):
    where, problem = overreach(css)
    assert where == line and found in problem


@pytest.mark.parametrize("css", [
    'a { content: "' + "(" * 100 + '" }',  # brackets in a string
    "/* " + "{" * 100 + " */ a {}",  # and in a comment
    var_bomb(6),  # 40,960 characters expanded: within the limit
    "a, " * 2000 + "b { color: red }",  # a long list of short selectors is one prelude of 6,000 characters
    "@page { size: A4 landscape; margin: 20mm 22mm 0 } @page :left { margin-left: 25% }",
    "@page { @bottom-center { content:" + ' counter(page) " / "' * 32 + " } }",  # 64 items: the most
])
def test_what_only_looks_deep_is_not_refused(css):
    assert overreach(css) is None


def test_the_shipped_stylesheets_keep_within_the_limits():
    from bookbuilder.theme import DEFAULTS

    assert {path.name: overreach(path.read_text()) for path in (DEFAULTS / "styles").glob("*.css")} == dict.fromkeys(
        path.name for path in (DEFAULTS / "styles").glob("*.css"))


@given(st.integers(1, 200))
def test_nesting_is_refused_past_the_limit_and_only_then(depth):
    assert (overreach("a { b: " + "f(" * depth + "1" + ")" * depth + " }") is None) == (depth + 1 <= MAX_NESTING)
