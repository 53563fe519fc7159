"""Outputs: replaced whole or not at all, even when the build is killed; the same bytes anywhere, any time."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import zipfile

import pikepdf
import pytest
from conftest import BOOKS, ROOT, run_cli

# Runs the command with one function replaced by a stand-in that says where it is and then waits
# to be killed, so the test kills the build at that exact step rather than after a guessed delay.
STOP_AT = """
import sys, time
import {module} as target
original = target.{function}
def stop(*args, **kwargs):
    if not ({when}):
        return original(*args, **kwargs)
    print("reached", flush=True)
    time.sleep(600)
target.{function} = stop
from bookbuilder.cli import main
sys.exit(main(sys.argv[1:]))
"""


def kill_at(module: str, function: str, *args: str, when: str = "True") -> None:
    """Run make-book until it reaches ``module.function`` (with arguments ``args`` such that ``when``),
    then SIGKILL it."""
    script = STOP_AT.format(module=module, function=function, when=when)
    with subprocess.Popen([sys.executable, "-c", script, *args],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          start_new_session=True) as process:
        try:
            lines = iter(process.stdout.readline, "")  # the command's own progress lines come first
            assert "reached\n" in lines, "the build ended before it reached " + function
        finally:
            os.killpg(process.pid, signal.SIGKILL)  # the build and its layout processes
            process.wait()
    assert process.returncode == -signal.SIGKILL


def snapshot(folder) -> dict[str, bytes]:
    """The output files (the build cache's folder is not an output)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def previous(book_dir, tmp_path):
    """A book with a changed chapter, and the outputs of the build before the change."""
    book = book_dir("minimal")
    out = tmp_path / "out"
    assert run_cli(str(book), "--format", "epub,print", "--out", str(out)).returncode == 0
    (book / "one.md").write_text((book / "one.md").read_text() + "\nA new paragraph.\n")
    return book, out, snapshot(out)


def test_killed_during_pdf_layout_leaves_previous_outputs(previous):
    book, out, before = previous
    kill_at("weasyprint.document", "Document._render", str(book), "--format", "epub,print", "--out", str(out))
    assert snapshot(out) == before  # the EPUB made before the kill was not put in place either


def test_killed_while_writing_leaves_previous_outputs_and_next_build_removes_the_temporary(previous):
    book, out, before = previous
    kill_at("bookbuilder.files", "Staging.commit", str(book), "--format", "epub,print", "--out", str(out),
            when="args[0].out_dir.name == 'out'")  # the outputs are staged, not yet renamed
    after = snapshot(out)
    temps = [name for name in after if name.startswith(".make-book-")]
    assert len(temps) == 2 and {k: v for k, v in after.items() if k not in temps} == before
    assert run_cli(str(book), "--format", "epub", "--out", str(out)).returncode == 0
    assert sorted(snapshot(out)) == sorted(before)


def test_failed_build_replaces_nothing(previous, capsys):
    from bookbuilder import cli

    book, out, before = previous
    (book / "one.md").write_text((book / "one.md").read_text() + "\nA snowman \u2603.\n")
    assert cli.main([str(book), "--format", "epub,print", "--out", str(out)]) == 7  # the PDF fails after the EPUB
    assert snapshot(out) == before
    capsys.readouterr()


def test_a_running_build_keeps_its_temporary_files(tmp_path):
    from bookbuilder.files import Staging, temp_stem

    mine = tmp_path / f"{temp_stem(os.getpid(), '0000abcd')}-book.epub"
    dead = tmp_path / f"{temp_stem(999999999, '0000abcd')}-book.epub"
    mine.write_bytes(b"in progress")
    dead.write_bytes(b"left by a killed build")
    with Staging(tmp_path):
        pass
    assert mine.exists() and not dead.exists()


def test_cleanup_leaves_the_users_files_that_look_like_temporary_ones(tmp_path):
    from bookbuilder.files import Staging, temp_stem

    users = [".make-book-999999-my-notes.txt", ".make-book-999999999-0000abcd0000abcd-book.epub",
             f"{temp_stem(999999999, '0000abcd')}-a-folder"]
    for name in users[:2]:
        (tmp_path / name).write_text("the user's")
    (tmp_path / users[2]).mkdir()
    with Staging(tmp_path):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(users)


def test_two_builds_at_once_leave_complete_files(book_dir, tmp_path):
    book = book_dir("minimal")
    out = tmp_path / "out"
    command = [sys.executable, str(ROOT / "make_book.py"), str(book), "--format", "epub,handout", "--out", str(out)]
    processes = [subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errors = [p.communicate()[1] for p in processes]
    assert [p.returncode for p in processes] == [0, 0], errors
    assert sorted(snapshot(out)) == ["a-minimal-book-handout.pdf", "a-minimal-book.epub"]
    assert zipfile.ZipFile(out / "a-minimal-book.epub").testzip() is None
    with pikepdf.open(out / "a-minimal-book-handout.pdf") as pdf:
        assert len(pdf.pages) >= 1


def test_same_bytes_in_other_folders_time_zones_and_locales(tmp_path):
    outputs = []
    for n, (tz, lang) in enumerate([("Pacific/Kiritimati", "C.UTF-8"), ("America/St_Johns", "POSIX")]):
        book = tmp_path / f"{'deeper/' * n}copy-{n}"
        shutil.copytree(BOOKS / "print-edge", book)
        out = tmp_path / f"out-{n}"
        env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"TZ": tz, "LC_ALL": lang,
                                                                                    "LANG": lang}
        result = subprocess.run([sys.executable, str(ROOT / "make_book.py"), str(book), "--out", str(out)],
                                cwd=ROOT, env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        outputs.append(snapshot(out))
    assert len(outputs[0]) == 4
    assert outputs[0] == outputs[1]


def test_a_2000_character_word_stays_on_the_page(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "one.md").write_text("---\ntitle: Long\n---\n\nBefore " + "abcdefghij" * 200 + " after.\n")
    out = tmp_path / "out"
    assert run_cli(str(book), "--format", "print,handout", "--out", str(out)).returncode == 0
    for pdf in out.glob("*.pdf"):
        boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True).stdout
        with pikepdf.open(pdf) as document:
            width = float(document.pages[0].trimbox[2]) if "/TrimBox" in document.pages[0] else None
        words = [line for line in boxes.splitlines() if line.strip().startswith("<word")]
        right = max(float(line.split('xMax="')[1].split('"')[0]) for line in words)
        page = float(boxes.split('<page width="')[1].split('"')[0])
        assert right <= (width or page), pdf.name
