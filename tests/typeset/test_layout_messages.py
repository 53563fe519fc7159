"""What WeasyPrint says about a stylesheet reaches the user as a catalogued error at the
stylesheet's own line, whichever file of the theme it is in (its messages name no file)."""

from __future__ import annotations

import pytest

from bookbuilder.errors import ResourceError
from bookbuilder.pipeline import build


def test_an_ignored_declaration_names_its_stylesheet_and_line(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "handout.css").write_text('@import "extra.css";\nbody { margin: 0; }\n')
    (book / "styles" / "extra.css").write_text("p { color: black; }\n\nh1 { font-wieght: bold; }\n")
    with pytest.raises(ResourceError) as error:
        build(book, ["handout"], tmp_path)
    assert error.value.code == "bad-stylesheet"
    assert (error.value.where.path, error.value.where.line) == (book / "styles" / "extra.css", 3)
    assert error.value.problem.startswith("the PDF layout ignores 'font-wieght: bold': unknown property")


def test_an_ignored_declaration_in_a_template_names_the_template_line(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "templates").mkdir()
    (book / "templates" / "section.xhtml.j2").write_text('<section id="{{ section.id }}" aria-labelledby="x">\n'
                                                         '<h1 id="x" style="colr: red">{{ section.title }}</h1>\n'
                                                         "{{ section.body }}</section>\n")
    with pytest.raises(ResourceError) as error:
        build(book, ["handout"], tmp_path)
    template = book / "templates" / "section.xhtml.j2"
    assert (error.value.where.path, error.value.where.line) == (template, 2)
    assert error.value.problem == "the PDF layout ignores 'colr: red': unknown property"
