"""The command: outputs, options, exit codes, no tracebacks."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_cli

from bookbuilder import cli
from bookbuilder.commands import COMMANDS


def test_builds_requested_formats_into_out(book_dir, tmp_path):
    book = book_dir("minimal")
    result = run_cli(str(book), "--format", "epub,handout", "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    stages = [line.split()[:2] for line in result.stdout.splitlines()]
    assert stages[1:] == [["layout", "print"], ["epub", str(tmp_path / "out" / "a-minimal-book.epub")],
                          ["layout", "handout"], ["handout", str(tmp_path / "out" / "a-minimal-book-handout.pdf")]]
    assert stages[0][0] == "load"
    made = sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith("."))  # not the cache
    assert made == ["a-minimal-book-handout.pdf", "a-minimal-book.epub"]


def test_repeated_format_options_add_up():
    from bookbuilder.cli import parser

    args = parser().parse_args(["build", "--format", "print", "--format", "epub,print"])
    assert args.format == ["print", "epub"]
    assert parser().parse_args(["build"]).format is None  # book.toml's [output] formats, else the defaults


def test_unknown_format_is_a_usage_error(tmp_path):
    result = run_cli("--format", "mobi", "--out", str(tmp_path))
    assert result.returncode == 2
    assert "unknown format mobi" in result.stderr


def test_user_error_is_one_line_with_file_and_line(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "book.toml").write_text('[book]\ntitle = "x"\nlanguage = en\n')
    result = run_cli(str(book), "--out", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"{book / 'book.toml'}:3:" in result.stderr


def test_missing_book_folder(tmp_path):
    result = run_cli(str(tmp_path / "nowhere"), "--out", str(tmp_path))
    assert result.returncode == 2
    assert "no book.toml" in result.stderr
    assert result.stderr.rstrip().endswith("  [no-book-toml: docs/errors.md]")  # its entry in the manual
    assert "| `no-book-toml` |" in (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("verb", [*COMMANDS, None])
def test_each_command_help_fits_one_screen(verb, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        cli.main([verb, "--help"] if verb else ["--help"])
    assert len(capsys.readouterr().out.strip().splitlines()) <= 24  # an 80 × 24 terminal


@pytest.mark.parametrize("verb", COMMANDS)
def test_each_command_help_ends_with_its_section_of_the_manual(verb, capsys):
    with pytest.raises(SystemExit):
        cli.main([verb, "--help"])
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f"The manual: docs/commands.md, 'make-book {verb}'."
    assert f"## [make-book {verb}]" in (ROOT / "docs" / "commands.md").read_text(encoding="utf-8")
