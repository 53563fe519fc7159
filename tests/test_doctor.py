"""make-book doctor: a line per thing a build or a check needs, ok or what to install."""

from __future__ import annotations

from bookbuilder import cli

NAMES = ["Python", "WeasyPrint", "Pango", "HarfBuzz-subset", "fonts", "face Hans", "face Hant", "face Jpan",
         "face Arab", "Java", "EPUBCheck", "Chromium", "Ace by DAISY", "cache"]


def report(capsys, *args: str) -> tuple[int, dict[str, tuple[str, str]]]:
    status = cli.main(["doctor", *args])
    lines = capsys.readouterr().out.splitlines()
    found = {}
    for line in lines:
        status_word, rest = line.split(None, 1)
        name = next(n for n in NAMES if rest.startswith(n))
        found[name] = (status_word, rest[len(name):].strip())
    return status, found


def test_reports_every_item_and_passes_on_a_machine_that_builds(capsys, tmp_path):
    status, found = report(capsys, "--out", str(tmp_path / "dist"))
    assert list(found) == NAMES
    assert status == 0
    assert all(found[n][0] == "ok" for n in NAMES[:5])
    assert "Charis-SIL, Charis-SIL-Bold, Charis-SIL-Bold-Italic, Charis-SIL-Italic" in found["fonts"][1]
    assert "no system font visible" in found["fonts"][1]
    assert found["cache"] == ("ok", f"{tmp_path / 'dist' / '.make-book-cache'} (0 entries)")
    assert found["face Hans"][1].startswith("Noto Serif SC (Simplified Chinese) from ")  # the test extras install it


def test_a_script_face_not_installed_is_optional_and_names_its_extra(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr("bookbuilder.scripts.installed", lambda key: None)
    status, found = report(capsys, "--out", str(tmp_path / "dist"))
    assert status == 0  # only books in Arabic need Amiri
    assert found["face Arab"] == ("optional", "Amiri (Arabic, Persian and Urdu) is not installed (only books in it "
                                             "need it): pip install 'bookbuilder[ar]'")


def test_missing_harfbuzz_subset_names_the_debian_package_and_fails(capsys, monkeypatch):
    monkeypatch.setattr("bookbuilder.typeset.weasy.harfbuzz_subset", None)
    status, found = report(capsys)
    assert status == 1
    assert found["HarfBuzz-subset"] == ("missing", "install libharfbuzz-subset0 (Debian)")
    assert "fonts" not in found  # nothing to lay out with


def test_a_check_tool_missing_is_optional(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no java, no chromium
    monkeypatch.delenv("PUPPETEER_EXECUTABLE_PATH", raising=False)
    status, found = report(capsys)
    assert status == 0
    assert found["Java"] == ("optional", "install a Java runtime (Debian: default-jre-headless) for EPUBCheck")
    assert found["Chromium"][0] == "optional" and "chromium" in found["Chromium"][1]


def test_an_unwritable_cache_folder_fails(capsys, tmp_path):
    (tmp_path / "file").write_text("")
    status, found = report(capsys, "--out", str(tmp_path / "file" / "dist"))
    assert status == 1 and found["cache"][0] == "missing"
