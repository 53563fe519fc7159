"""Only regular files inside the book, checked before the first byte (bookbuilder/inputs.py).

Each case is one a stranger's book folder tried: a FIFO named like a chapter (it hung), a link to
/dev/zero (read until MemoryError), an unused link in images/ to a huge file (hashed by the cache),
styles -> /usr (every build walked /usr), lint reading a chapter outside the book and printing it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bookbuilder import cli, inputs
from bookbuilder.cache import Cache
from bookbuilder.errors import ResourceError
from bookbuilder.formats import FORMATS
from bookbuilder.theme import Theme

TIMEOUT = 60  # seconds; the build of the minimal book takes about one


def make_book(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "make_book.py"), *args], capture_output=True, text=True,
                          timeout=TIMEOUT)  # a hang fails the test instead of the suite


def build(book, out, fmt: str) -> int:
    return cli.main([str(book), "--format", fmt, "--out", str(out)])


def test_fifo_chapter_is_refused_not_waited_for(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "one.md").unlink()
    os.mkfifo(book / "one.md")
    for command in ([str(book)], ["check", str(book), "--no-ace"]):
        result = make_book(*command, "--format", "epub", "--out", str(tmp_path / "out"))
        assert f"{book}/one.md: this is a FIFO (named pipe), not a file" in result.stderr + result.stdout
        assert result.returncode in (1, 4) and "Traceback" not in result.stderr


def test_link_to_dev_zero_is_refused(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "zero.md").symlink_to("/dev/zero")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('"one.md"', '"one.md", "zero.md"'))
    result = make_book(str(book), "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 3 and "chapter file 'zero.md' is outside the book folder" in result.stderr


def test_device_and_socket_inside_the_book_are_refused_by_name(tmp_path):
    (tmp_path / "images").mkdir()
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "images" / "x.png"))
    try:
        with pytest.raises(ResourceError, match="is a socket, not a file") as error:
            inputs.read(tmp_path / "images" / "x.png", [tmp_path], inputs.LIMITS["images"])
        assert error.value.code == "not-a-file"
    finally:
        server.close()
    with pytest.raises(ResourceError, match="is a character device"):
        inputs.read(Path("/dev/null"), [Path("/")], inputs.LIMITS["chapter"])


def test_unused_link_to_a_huge_file_is_never_read(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as handle:  # sparse: 5 GB on paper, nothing on disk
        handle.truncate(5_000_000_000)
    (book / "images").mkdir()
    (book / "images" / "x.png").symlink_to(huge)
    cache = Cache(book, tmp_path / "out", {}, FORMATS)
    assert not any(relative == "images/x.png" for _, relative in cache.theme_digests)
    assert build(book, tmp_path / "out", "epub") == 0
    (book / "one.md").write_text("---\ntitle: T\n---\n\n::: figure\n![A hill](images/x.png)\n\nA hill.\n:::\n")
    assert build(book, tmp_path / "out", "epub") == 4
    assert "'images/x.png' leads outside the book" in capsys.readouterr().err


def test_a_huge_image_inside_the_book_is_refused_by_its_size(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    (book / "images").mkdir()
    with (book / "images" / "x.png").open("wb") as handle:
        handle.truncate(inputs.LIMITS["images"].size + 1)
    (book / "one.md").write_text("---\ntitle: T\n---\n\n::: figure\n![A hill](images/x.png)\n\nA hill.\n:::\n")
    assert build(book, tmp_path / "out", "epub") == 4
    assert "the file is 50.0 MB, over the 50 MB an image may have" in capsys.readouterr().err


def test_styles_linked_to_usr_is_not_walked(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "styles").symlink_to("/usr")
    assert [path for _, _, path in Theme.for_book(book).files() if not path.is_relative_to(ROOT)] == []
    result = make_book(str(book), "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr


def test_lint_does_not_read_a_chapter_outside_the_book(book_dir, tmp_path):
    book = book_dir("minimal")
    (tmp_path / "secret.md").write_text("---\ntitle: Secret\n---\n\nShaymergenof and Adda Author.\n")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('"one.md"', '"../secret.md"'))
    result = make_book("check", str(book), "--no-ace", "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "is outside the book folder" in result.stdout
    assert "Adda" not in result.stdout + result.stderr and "Shaymergenof" not in result.stdout + result.stderr


def test_check_reports_a_chapter_that_is_not_utf8(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "one.md").write_bytes("---\ntitle: T\n---\n\nCaf\u00e9\n".encode("cp1252"))
    result = make_book("check", str(book), "--no-ace", "--format", "epub", "--out", str(tmp_path / "out"))
    assert result.returncode == 1 and "not UTF-8: byte 0xE9" in result.stdout and "[not-utf8]" in result.stdout


@pytest.mark.parametrize("name", ["one\x00.md", "one\x1b[2J.md"])
def test_control_characters_in_file_names_are_user_errors(tmp_path, name):
    with pytest.raises(ResourceError, match="holds the control character") as error:
        inputs.read(tmp_path / name, [tmp_path], inputs.LIMITS["chapter"])
    assert error.value.code == "bad-file-name"
