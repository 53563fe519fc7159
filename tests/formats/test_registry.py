"""A format is one row: registering a tiny plain-text export here, in a test module, is enough for
the pipeline, the cache, the command line and 'make-book check' to make it; no other file changes."""

from __future__ import annotations

import re

import pytest
from conftest import BOOKS

from bookbuilder import cli
from bookbuilder.formats import FORMATS, Format, register
from bookbuilder.pipeline import build
from bookbuilder.render.rendition import EPUB


def write_text(book, ctx) -> bytes:
    """The book as plain text: each part's title, then its rendered text without markup."""
    parts = [f"{c.title}\n\n{re.sub(r'<[^>]+>', '', ctx.renderer.sections(EPUB)[c.id]).strip()}" for c in book.chapters]
    return ("\n\n".join(parts) + "\n").encode()


@pytest.fixture
def text_format():
    yield register(Format("text", "{slug}.txt", write_text, templates=None, styles=()))
    del FORMATS["text"]  # the registry as it was, for the other tests


def test_a_registered_format_is_built_and_cached(text_format, tmp_path):
    outputs = build(BOOKS / "minimal", ["text"], tmp_path)
    assert [o.path.name for o in outputs] == ["a-minimal-book.txt"]
    assert outputs[0].path.read_text().startswith("The Only Chapter\n\n")
    again = build(BOOKS / "minimal", ["text"], tmp_path)
    assert again[0].cached


def test_the_command_line_offers_it(text_format, tmp_path, capsys):
    assert cli.main([str(BOOKS / "minimal"), "--format", "text,epub", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "a-minimal-book.txt").is_file() and (tmp_path / "a-minimal-book.epub").is_file()
    assert cli.main(["check", str(BOOKS / "minimal"), "--format", "text", "--out", str(tmp_path / "c")]) == 0
    assert "check: 0 errors" in capsys.readouterr().out
