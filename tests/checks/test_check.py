"""make-book check: the manuscript lint, EPUBCheck, Ace, the PDF checks, one report and --json."""

from __future__ import annotations

import json
import zipfile

import pikepdf
import pytest
from conftest import BOOKS, run_cli

from bookbuilder.checks import CHECKS, Subject, run
from bookbuilder.checks.epub import ace_command, ace_notices, run_ace, run_epubcheck
from bookbuilder.checks.lint import lint_book
from bookbuilder.formats import FORMATS
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build
from bookbuilder.theme import Theme


def findings(notices) -> set[tuple[str, str, str, int]]:
    return {(n.severity, n.code, n.where.path.name, n.where.line) for n in notices}


def test_lint_finds_each_rule_at_its_line():
    notices = Notices()
    lint_book(BOOKS / "lint", notices)
    assert findings(notices) == {
        ("warning", "lint-quote", "book.toml", 2),  # "The Editor's Book": printed as written
        ("warning", "lint-editor", "one.md", 2),
        ("warning", "lint-quote", "one.md", 2),  # the front-matter title
        ("warning", "lint-name", "one.md", 5),  # Shaimergenov; the quoted "Shaymergonov" is a mention
        ("error", "lint-link", "one.md", 7),  # #nowhere
        ("error", "lint-link", "one.md", 8),  # two.md
        ("error", "lint-alt", "one.md", 11),
        ("warning", "lint-quote", "one.md", 16),  # a quotation that never closes
    }


def test_lint_is_quiet_on_the_default_book():
    notices = Notices()
    lint_book(BOOKS.parent.parent / "book", notices)
    assert list(notices) == []


def test_report_is_grouped_by_severity_and_fails_on_errors(tmp_path):
    result = run_cli("check", str(BOOKS / "lint"), "--out", str(tmp_path), "--no-ace")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    # four lint findings, and the build stopping at the figure without alt text (no-alt)
    errors, warnings = lines.index("errors (5)"), lines.index("warnings (5)")
    assert errors < warnings
    assert all(line.startswith("  ") for line in lines[errors + 1:warnings])
    assert any(f"{BOOKS / 'lint' / 'one.md'}:11: the picture" in line for line in lines[errors + 1:warnings])
    assert lines[-1] == "check: 5 errors, 5 warnings, 0 info"
    assert "Traceback" not in result.stderr


def test_json_report_for_ci(tmp_path):
    result = run_cli("check", str(BOOKS / "lint"), "--out", str(tmp_path), "--no-ace", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)  # nothing but the JSON on stdout
    assert report["counts"] == {"error": 5, "warning": 5, "info": 0}
    alt = next(f for f in report["findings"] if f["code"] == "lint-alt")
    assert (alt["severity"], alt["file"], alt["line"]) == ("error", str(BOOKS / "lint" / "one.md"), 11)
    # the figure without alt text also stops the build: its error is in the report, not a traceback
    assert any(f["code"] == "no-alt" and f["line"] == 11 for f in report["findings"])


@pytest.mark.slow  # EPUBCheck twice
def test_clean_book_passes_every_validator(tmp_path):
    """Only the preflight speaks: KDP would not print a 6-page book without an ISBN."""
    result = run_cli("check", str(BOOKS / "minimal"), "--out", str(tmp_path), "--no-ace", "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["counts"] == {"error": 0, "warning": 1, "info": 0}
    assert {f["code"] for f in report["findings"]} == {"pdf-isbn"}  # padded to 24 pages, KDP binds it
    result = run_cli("check", str(BOOKS / "minimal"), "--out", str(tmp_path), "--no-ace")
    lines = [line for line in result.stdout.splitlines() if not line.startswith(("warnings", "  "))]
    assert [line.split()[0] for line in lines] == ["lint", "epub", "print", "handout", "cover", "epubcheck", "ace",
                                                   "pdf", "check:"]
    assert all("  unchanged" in line for line in lines[1:5])  # the last check's outputs: nothing laid out
    assert "warnings (1)" in result.stdout and "[pdf-isbn]" in result.stdout  # the same report


@pytest.fixture(scope="module")
def minimal_outputs(tmp_path_factory):
    out = tmp_path_factory.mktemp("minimal")
    return {o.format: o.path for o in build(BOOKS / "minimal", ["epub", "print", "cover", "handout"], out)}


def check_pdfs(book, paths: dict, notices: Notices) -> None:
    """The PDF checks of each format's row, on ``paths`` (format -> written file)."""
    theme = Theme.for_book(book.root)
    for name, path in paths.items():
        for check in FORMATS[name].checks:
            if CHECKS[check].stage == "pdf":
                run(check, Subject(FORMATS[name], book, theme, path=path, notices=notices))


def test_pdf_checks_catch_wrong_boxes_and_labels(minimal_outputs, tmp_path):
    book = load_book(BOOKS / "minimal")
    clean = Notices()
    check_pdfs(book, minimal_outputs, clean)
    assert {(n.severity, n.code) for n in clean} == {("warning", "pdf-isbn")}  # the preflight
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(minimal_outputs["print"]) as pdf:
        pdf.pages[1].obj.TrimBox = pikepdf.Array([0, 0, 420, 648])
        del pdf.Root.PageLabels
        pdf.save(broken)
    notices = Notices()
    check_pdfs(book, {"print": broken}, notices)
    assert [(n.severity, n.code) for n in notices if n.severity == "error"] == [("error", "pdf-boxes"),
                                                                                ("error", "pdf-labels")]
    assert "page 2: TrimBox is 420.00 x 648.00 pt" in str(notices[0])


@pytest.mark.slow  # EPUBCheck
def test_epubcheck_messages_become_findings(minimal_outputs, tmp_path):
    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(minimal_outputs["epub"]) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            if item.filename != "EPUB/styles/epub.css":  # listed in the OPF, missing from the zip
                target.writestr(item, source.read(item.filename))
    notices = Notices()
    assert run_epubcheck(broken, notices) >= 1
    codes = {(n.severity, n.code) for n in notices}
    assert ("error", "epubcheck-RSC-001") in codes
    assert any("epub.css" in str(n) for n in notices)


def test_ace_report_maps_impact_to_severity(tmp_path):
    def violation(impact, title):
        return {"earl:test": {"earl:impact": impact, "dct:title": title,
                              "help": {"url": "http://kb.daisy.org/x", "dct:description": "fix it"}},
                "earl:result": {"dct:description": f"{title} failed"}}

    report = {"assertions": [{"earl:testSubject": {"url": "EPUB/one.xhtml"},
                              "assertions": [violation("serious", "image-alt"), violation("minor", "region")]}]}
    notices = Notices()
    assert ace_notices(report, tmp_path / "b.epub", notices) == 2
    assert [(n.severity, n.code, n.where) for n in notices] == [
        ("error", "ace-image-alt", f"{tmp_path / 'b.epub'}/EPUB/one.xhtml"),
        ("warning", "ace-region", f"{tmp_path / 'b.epub'}/EPUB/one.xhtml")]


@pytest.mark.slow  # Ace starts a headless Chromium
@pytest.mark.skipif(ace_command() is None, reason="Ace by DAISY is not installed (../shared/tools/ace installs it)")
def test_ace_runs_when_installed(minimal_outputs):
    notices = Notices()
    count = run_ace(minimal_outputs["epub"], notices)
    assert count == len(notices)
    assert all(n.code.startswith("ace-") and n.severity in ("error", "warning") for n in notices)


def test_lint_follows_links_to_the_books_chapters_and_refuses_other_files(book_dir, tmp_path):
    from bookbuilder.checks.lint import lint_book

    book = book_dir("pages")
    (book / "two.md").write_text((book / "two.md").read_text() + "\nSee [the first](one.md) and [notes](notes.md).\n")
    notices = Notices()
    lint_book(book, notices)
    links = [str(n) for n in notices if n.code == "lint-link"]
    assert len(links) == 1 and "'notes.md' points at a file that is not a chapter of the book" in links[0]


def test_an_editor_mark_shown_in_code_is_no_note_for_the_editor(tmp_path):
    from bookbuilder.checks.lint import lint_lines
    from bookbuilder.notices import Notices

    notices = Notices()
    text = "The import writes `EDITOR: check this` for the editor.\nEDITOR: the date is wrong\n"
    lint_lines(tmp_path / "one.md", text, [], notices)
    assert [(n.code, n.where.line) for n in notices] == [("lint-editor", 2)]
