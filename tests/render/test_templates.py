"""A book folder overrides templates and styles file by file, and can extend the default."""

from __future__ import annotations

from conftest import Epub

from bookbuilder.pipeline import build


def test_override_template_and_stylesheet(book_dir, tmp_path):
    (epub_out,) = build(book_dir("override"), ["epub"], tmp_path)
    book = Epub(epub_out.path)
    chapter = book.zip.read("EPUB/one.xhtml").decode()
    assert "override-marker" in chapter and "The Only Chapter" in chapter  # extended, not replaced
    assert b"override-marker" in book.zip.read("EPUB/styles/epub.css")
    assert b"Charis" in book.zip.read("EPUB/styles/base.css")  # not overridden: the default


def test_template_error_names_template_and_line(book_dir, tmp_path):
    import pytest

    from bookbuilder.errors import TemplateError

    book = book_dir("override")
    (book / "templates" / "section.xhtml.j2").write_text("{{ section.no_such_thing }}\n")
    with pytest.raises(TemplateError) as err:
        build(book, ["epub"], tmp_path)
    assert "section.xhtml.j2:1" in str(err.value)
