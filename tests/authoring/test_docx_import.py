"""'make-book import manuscript.docx DIR' (issue 26, point 4): a Word manuscript made in the test run
by python-docx (tests/docxbook.py) and one saved by LibreOffice (tests/books/docx/) become book
folders: parts and chapters, emphasis, strong, small capitals, lists, a table, notes in the chapter
that calls them, pictures with their alt text, Word's quotes and dashes kept; tracked changes and
transcript options refused; each style the build cannot express reported once with its count."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from conftest import BOOKS, run_cli
from docx import Document
from docxbook import ALTS, NOTES, write

LIBREOFFICE = BOOKS / "docx" / "letters-libreoffice.docx"


@pytest.fixture(scope="module")
def manuscript(tmp_path_factory) -> Path:
    return write(tmp_path_factory.mktemp("docx") / "letters.docx")


@pytest.fixture(scope="module")
def imported(manuscript, tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported") / "book"
    result = run_cli("import", str(manuscript), str(folder), "--part-style", "Part")
    assert result.returncode == 0, result.stderr
    return folder, result.stdout + result.stderr


def chapter(folder: Path, name: str) -> str:
    return (folder / name).read_text(encoding="utf-8")


def test_parts_and_chapters_split_at_their_styles(imported):
    folder, _ = imported
    import tomllib
    config = tomllib.loads(chapter(folder, "book.toml"))
    assert config["book"]["chapters"] == ["introduction.md", "part-1.md", "chapter-1.md", "chapter-2.md", "part-2.md",
                                          "chapter-3.md", "chapter-4.md", "chapter-5.md"]
    assert config["book"]["title"] == "Letters from the Ice"
    assert [c["name"] for c in config["book"]["contributors"]] == ["Mary Shelley"]
    assert 'title: "The Voyage"\ntype: part' in chapter(folder, "part-1.md")
    assert 'title: "Letter Three"\ntype: chapter' in chapter(folder, "chapter-3.md")


def test_inline_markup_lists_and_table_are_the_tools_markdown(imported):
    folder, _ = imported
    one = chapter(folder, "chapter-1.md")
    assert "*no disaster*" in one and "**commencement**" in one and "[St. Petersburgh]{.smallcaps}" in one
    assert "enterprise — which you have regarded with such “evil forebodings”." in one  # Word's, kept
    lists = chapter(folder, "chapter-4.md")
    assert "- Provisions for two years\n- Warm clothing" in lists and "1. Archangel\n2. The pack ice" in lists
    assert "| Letter | Written at | Day |\n|---|---|---|\n| I | St. Petersburgh | 0 |" in lists


def test_notes_go_to_the_chapter_that_calls_them(imported):
    folder, _ = imported
    defined = {name: re.findall(r"^\[\^(\w+)\]: (.*)$", chapter(folder, name), re.MULTILINE)
               for name in ("chapter-1.md", "chapter-2.md", "chapter-4.md")}
    assert defined == {"chapter-1.md": [("n1", NOTES["footnotes"][0])], "chapter-2.md": [("n2", NOTES["footnotes"][1])],
                       "chapter-4.md": [("e1", NOTES["endnotes"][0])]}


def test_pictures_keep_their_alt_text_and_captions(imported):
    folder, out = imported
    pictures = chapter(folder, "chapter-5.md")
    for n, alt in enumerate(ALTS, 1):
        assert f"![{alt}](images/picture-{n}.png)" in pictures and (folder / f"images/picture-{n}.png").is_file()
    assert "Figure 1: locked in pack ice under a low sun." in pictures
    assert "picture-3.png has no caption" in out  # its alt text stands for one, and the report says so


def test_each_unexpressed_style_is_reported_once_with_its_count(imported):
    _, out = imported
    assert out.count("Intense Quote") == 1
    assert "warning: " in out and "the style 'Intense Quote' (3 times) was imported as plain text" in out
    assert "Intense Quote" in chapter(imported[0], "book.toml")  # the editorial note lists it too


def test_tracked_changes_are_refused(manuscript, tmp_path):
    tracked = tmp_path / "tracked.docx"
    with zipfile.ZipFile(manuscript) as source, zipfile.ZipFile(tracked, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = data.replace(b"<w:r>", b'<w:ins w:id="9" w:author="Ed" w:date="2026-01-01T00:00:00Z"><w:r>', 1)
                data = data.replace(b"</w:r>", b"</w:r></w:ins>", 1)
            target.writestr(name, data)
    result = run_cli("import", str(tracked), str(tmp_path / "book"))
    assert result.returncode == 3 and "the document has tracked changes (1 ins)" in result.stderr
    assert "[tracked-changes" in result.stderr and not (tmp_path / "book").exists()


def test_transcript_options_and_a_false_docx_are_refused(manuscript, tmp_path):
    result = run_cli("import", str(manuscript), str(tmp_path / "a"), "--name", "Ada")
    assert result.returncode == 3 and "--name does not apply to a Word document" in result.stderr
    fake = tmp_path / "fake.docx"
    fake.write_text("not a zip")
    result = run_cli("import", str(fake), str(tmp_path / "b"))
    assert result.returncode == 3 and "is not a Word document (.docx)" in result.stderr


def test_a_document_that_unpacks_too_large_is_refused(manuscript, tmp_path, monkeypatch):
    from bookbuilder.authoring.docx import read_docx
    from bookbuilder.errors import ManuscriptError

    monkeypatch.setattr("bookbuilder.authoring.docx.MAX_UNPACKED", 1000)
    with pytest.raises(ManuscriptError, match="unpacks to"):
        read_docx(manuscript, None, __import__("datetime").date(2026, 1, 1), None)


def test_the_libreoffice_document_imports_the_same_chapters(tmp_path):
    result = run_cli("import", str(LIBREOFFICE), str(tmp_path / "book"), "--part-style", "Part")
    assert result.returncode == 0, result.stderr
    one = chapter(tmp_path / "book", "chapter-1.md")
    assert "[St. Petersburgh]{.smallcaps}" in one and re.search(r"^\[\^n\d\]: Walton is bound", one, re.MULTILINE)
    assert len(list((tmp_path / "book").glob("chapter-*.md"))) == 25
    assert "Footnote Characters" not in result.stdout + result.stderr  # the notes' own character styles are not reported


def docx_words(path: Path) -> list[str]:
    """Every word of a Word document: its paragraphs, table cells, and notes."""
    doc = Document(path)
    text = [p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells]
    with zipfile.ZipFile(path) as package:
        for part in ("word/footnotes.xml", "word/endnotes.xml"):
            if part in package.namelist():
                text += re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", package.read(part).decode())
    return [w for line in text for w in re.sub(r"\[\[\w+\]\]", " ", line).split()]


@pytest.mark.slow
@pytest.mark.parametrize("source", ["python-docx", "libreoffice"])
def test_the_imported_book_builds_valid_and_accessible_with_every_word(source, manuscript, tmp_path):
    import json

    from bookbuilder.checks.epub import ace_command

    path = manuscript if source == "python-docx" else LIBREOFFICE
    folder = tmp_path / "book"
    assert run_cli("import", str(path), str(folder), "--part-style", "Part").returncode == 0
    result = run_cli("check", str(folder), "--format", "epub", "--out", str(tmp_path / "out"), "--json",
                     *([] if ace_command() else ["--no-ace"]))
    report = json.loads(result.stdout)
    assert report["counts"]["error"] == 0, report["findings"]
    assert {f["code"] for f in report["findings"]} <= {"lint-editor"}  # the title, date and introduction to check
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as epub:
        documents = [epub.read(n).decode().replace("&amp;", "&") for n in epub.namelist() if n.endswith(".xhtml")]
    spaced = re.sub(r"\s+", " ", " ".join(re.sub(r"<[^>]+>", " ", d) for d in documents))
    joined = re.sub(r"\s+", " ", " ".join(re.sub(r"<[^>]+>", "", d) for d in documents))  # 'word</span>,'
    missing = [w for w in docx_words(path) if w not in spaced and w not in joined]
    assert not missing, missing[:20]
