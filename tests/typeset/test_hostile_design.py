"""A book's own stylesheets and fonts that would break a parser or the layout end in the book's
error naming the file (exit 4), never in exit 70 (issue 22)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from bookbuilder import cli

PRINT_CSS = (ROOT / "styles" / "print.css").read_text()


def imports(book, sheets: dict[str, str]) -> None:
    for name, text in sheets.items():
        (book / "styles" / name).write_text(text)


CASES = {
    "imports itself": ({"print.css": '@import "print.css";\n' + PRINT_CSS}, "print.css", "imports itself"),
    "a circle of three": ({"print.css": '@import "a.css";\n' + PRINT_CSS, "a.css": '@import "b.css";\n',
                           "b.css": '@import "a.css";\n'}, "b.css", "imports itself through 1 other stylesheet"),
    "nine deep": ({"print.css": '@import "s1.css";\n' + PRINT_CSS,
                   **{f"s{n}.css": f'@import "s{n + 1}.css";\n' for n in range(1, 10)}, "s10.css": "p {}\n"},
                  "s7.css", "imports stylesheets more than 8 deep"),
    "a font that is no font": ({"print.css": PRINT_CSS + '@font-face { font-family: X; src: url(x.otf) }\n'
                                "p { font-family: X }\n", "x.otf": "\0\1\0\0" + "\xff" * 500},
                               "x.otf", "the font file cannot be read"),
    "margins wider than the page": ({"print.css": PRINT_CSS + "@page { margin: 9in }\n"}, "print.css:",
                                    "sets a page margin of 9in, where a margin is at most 3in or 25%"),
    "20,000 page counters": ({"print.css": PRINT_CSS + "p::after { content:" + " counter(page)" * 20_000 + " }\n"},
                             "print.css:", "generates 20,000 items in one content"),  # ran past 120 s
    "a huge type size": ({"print.css": PRINT_CSS + "p { font-size: 1e9px }\n"}, "print.css:",
                         "sets font-size to 1e9px, beyond anything a page holds"),
    "a margin of minus a billion": ({"print.css": PRINT_CSS + "body { margin: -1e9px }\n"}, "print.css:",
                                    "sets margin to -1e9px"),  # took all the memory there was
}


def test_a_layout_that_fails_on_a_books_own_template_names_it(book_dir, tmp_path, capsys):
    """A template's style attribute is not a stylesheet: WeasyPrint meets the size in the layout."""
    book = book_dir("minimal")
    (book / "templates").mkdir()
    template = book / "templates" / "section.xhtml.j2"
    template.write_text('{% extends "default:section.xhtml.j2" %}{% block header %}<p style="font-size: 1e9px">x</p>'
                        "{{ super() }}{% endblock %}\n")
    assert cli.main([str(book), "--format", "print", "--out", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"error: {template}: the PDF layout failed with the book's own stylesheets or templates "
                          "(section.xhtml.j2)"), err


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_design_is_the_books_error(case, book_dir, tmp_path, capsys):
    sheets, named, found = CASES[case]
    book = book_dir("minimal")
    (book / "styles").mkdir()
    imports(book, sheets)
    assert cli.main([str(book), "--format", "print", "--out", str(tmp_path / "out")]) == 4
    err = capsys.readouterr().err
    assert err.startswith(f"error: {book / 'styles' / named}") and found in err and len(err.splitlines()) == 1, err


@pytest.mark.parametrize("rule, found", [
    ("figure img { max-width: none; width: 5.2in; }", "'a picture (images/small.png)' is wider than the page's text block"),
    ("p { white-space: nowrap; }", "reaches past the edge of the page, where it would be cut off"),
])
def test_a_box_past_the_text_block_or_the_page_fails_the_build(rule, found, book_dir, tmp_path, capsys):
    """The guard after layout: a picture a book's stylesheet widens past the text block (6in trim),
    a line it keeps from breaking past the page's edge; each named with its chapter and folio."""
    book = book_dir("print-edge")
    (book / "styles").mkdir()
    imports(book, {"print.css": PRINT_CSS + rule + "\n"})
    assert cli.main([str(book), "--format", "print", "--out", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert err.startswith(f"error: {book / 'one.md'}: in the print edition, on the page with folio ") and found in err
    assert not list((tmp_path / "out").glob("*.pdf"))
