"""Every character the default styles generate (list markers, content strings) is in the shipped fonts:
a plain two-level bullet list once failed both PDFs, the browser's ◦ and ▪ not being in Charis SIL."""

from __future__ import annotations

import re

from conftest import ROOT

from bookbuilder.checks.fonts import shipped_fonts
from bookbuilder.pipeline import build
from bookbuilder.theme import Theme

GENERATED = re.compile(r"(?:list-style(?:-type)?|content)\s*:\s*([^;}]*)")
STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def characters(css: str) -> set[str]:
    """The characters of every string a list-style or content declaration generates."""
    found = set()
    for value in GENERATED.findall(re.sub(r"/\*.*?\*/", "", css, flags=re.S)):
        for string in STRING.findall(value):
            text = re.sub(r"\\([0-9a-fA-F]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), string)
            found |= set(text) - {" "}
    return found


def test_generated_strings_are_in_the_shipped_fonts():
    _, covered = shipped_fonts(Theme.defaults())
    css = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "styles").glob("*.css"))
    assert characters(css) >= {"–", "\u00a0"}  # the nested-list marker is found
    assert {c for c in characters(css) if ord(c) not in covered} == set()


def test_nested_lists_build_in_both_pdfs(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "one.md").write_text("---\ntitle: Lists\n---\n\n- one\n  - two\n    - three\n      - four\n\n"
                                 "1. first\n   1. second\n      1. third\n")
    outputs = build(book, ["print", "handout"], tmp_path / "out")  # the fonts guard passes: no missing glyph
    assert [o.format for o in outputs] == ["print", "handout"]
