"""What the command prints: one line per stage with its time, --quiet, --verbose, colour only on a
terminal, no traceback without --debug; and the verbs it knows."""

from __future__ import annotations

import io
import re
import subprocess
import sys

import pytest
from conftest import ROOT, run_cli

from bookbuilder import cli
from bookbuilder.console import Console
from bookbuilder.notices import Notice
from bookbuilder.progress import Stage

STAGE = re.compile(r"^(\w+) +(.*?)\s*(\d+\.\d\d) s$")


def test_one_line_per_stage_with_its_time(book_dir, tmp_path):
    result = run_cli("build", str(book_dir("minimal")), "--format", "epub,cover", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    matches = [STAGE.match(line) for line in result.stdout.splitlines()]
    assert all(matches), result.stdout
    assert [m.group(1) for m in matches] == ["load", "layout", "epub", "cover"]  # the print edition's own line


def test_quiet_prints_nothing_but_problems(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "stray.md").write_text("---\ntitle: Stray\n---\n")
    result = run_cli(str(book), "--format", "epub", "--out", str(tmp_path), "--quiet")
    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.startswith("warning: ") and "stray.md" in result.stderr


def test_verbose_adds_each_stages_details(book_dir, tmp_path):
    result = run_cli(str(book_dir("minimal")), "--format", "epub", "--out", str(tmp_path), "--verbose")
    lines = result.stdout.splitlines()
    assert "  one.md: chapter 'The Only Chapter'" in lines
    assert any(re.fullmatch(r"layout +print edition  24 pages \(18 blank at the end: KDP binds no fewer than 24\), "
                            r"2 pieces: 2 laid out, 0 from the cache \(2 rounds\)"
                            r"  \d+\.\d\d s", line) for line in lines), lines
    assert any(re.fullmatch(r"  one\.md  from page 1  \d+ pages?  laid out in \d+\.\d\d s", line) for line in lines)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_colour_only_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    notice = Notice("one.md:3", "a problem", "a fix")
    for stream, coloured in ((Terminal(), True), (io.StringIO(), False)):
        console = Console(out=stream, err=stream)
        console.stage(Stage("epub", "dist/x.epub", 0.5))
        console.notice(notice)
        assert ("\033[" in stream.getvalue()) is coloured
    monkeypatch.setenv("NO_COLOR", "1")
    stream = Terminal()
    Console(out=stream, err=stream).notice(notice)
    assert stream.getvalue() == "warning: one.md:3: a problem; a fix\n"


def test_no_traceback_without_debug(monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug of ours")

    monkeypatch.setattr("bookbuilder.commands.build.build", broken)
    assert cli.main(["--format", "epub"]) == cli.INTERNAL_ERROR
    err = capsys.readouterr().err
    assert err == "error: internal error: RuntimeError: a bug of ours (run again with --debug for details)\n"
    assert cli.main(["--format", "epub", "--debug"]) == cli.INTERNAL_ERROR
    assert "Traceback" in capsys.readouterr().err


def test_build_is_the_default_verb_and_every_verb_has_help():
    assert cli.with_command([]) == ["build"]
    assert cli.with_command(["book", "--out", "x"]) == ["build", "book", "--out", "x"]
    assert cli.with_command(["check", "book"]) == ["check", "book"]
    result = run_cli("--help")
    assert all(verb in result.stdout for verb in ("build", "new", "check", "serve", "import"))


@pytest.mark.parametrize("redirect", ["| head -1", "> /dev/full", ">&-", "> /dev/full 2> /dev/full"])
def test_a_reader_that_goes_away_is_not_an_error(book_dir, tmp_path, redirect):
    """make-book | head -1, a closed stdout, a full one: the build finishes quietly, outputs in place."""
    book, out = book_dir("minimal"), tmp_path / "out"
    command = (f"'{sys.executable}' '{ROOT / 'make_book.py'}' '{book}' --format epub,print --out '{out}' {redirect}"
               "; echo ${PIPESTATUS[0]} > status")
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=tmp_path)
    assert (tmp_path / "status").read_text() == "0\n" and "rror" not in result.stderr, result.stderr
    assert sorted(p.name for p in out.glob("a-*")) == ["a-minimal-book-print.pdf", "a-minimal-book.epub"]
