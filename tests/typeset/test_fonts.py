"""Hermetic fonts: the PDFs are set only in the theme's faces, whatever fonts the machine has.

Each case builds the default book's PDFs in a fresh process whose fontconfig would see other fonts
(a user font folder through HOME and XDG_DATA_HOME, or no system fonts at all) and compares the
bytes with the session's normal build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from fontTools.ttLib import TTFont

PDFS = ("print", "cover", "handout")
SHIPPED = ROOT / "styles" / "fonts"


def build_pdfs(out: Path, env: dict[str, str], prefix: list[str] = ()) -> dict[str, bytes]:
    command = [*prefix, sys.executable, str(ROOT / "make_book.py"), str(ROOT / "book"), "--format", ",".join(PDFS),
               "--out", str(out), "--force", "-q"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return {name: path.read_bytes() for name in PDFS for path in out.glob(f"*-{name}.pdf")}


def normal(built) -> dict[str, bytes]:
    return {name: built[name].read_bytes() for name in PDFS}


def user_fonts(tmp_path: Path, fonts: dict[str, Path | TTFont]) -> dict[str, str]:
    """An environment whose user font folders (~/.fonts, ~/.local/share/fonts, $XDG_DATA_HOME/fonts)
    hold ``fonts``; fontconfig's own configuration would read them."""
    home = tmp_path / "home"
    for folder in (home / ".fonts", home / ".local/share/fonts", tmp_path / "xdg" / "fonts"):
        folder.mkdir(parents=True)
        for name, font in fonts.items():
            font.save(folder / name) if isinstance(font, TTFont) else shutil.copy(font, folder / name)
    return {**os.environ, "HOME": str(home), "XDG_DATA_HOME": str(tmp_path / "xdg")}


def impostor() -> TTFont:
    """The bold face renamed: a different font that claims to be Charis SIL Regular."""
    font = TTFont(SHIPPED / "CharisSIL-Bold.ttf")
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Charis SIL"
        elif record.nameID in (2, 17):
            record.string = "Regular"
        elif record.nameID == 6:
            record.string = "CharisSIL"
    font["OS/2"].usWeightClass = 400
    return font


@pytest.mark.slow
def test_the_same_faces_installed_for_the_user_change_no_byte(built, tmp_path):
    env = user_fonts(tmp_path, {p.name: p for p in SHIPPED.glob("*.ttf")})
    assert build_pdfs(tmp_path / "out", env) == normal(built)


@pytest.mark.slow
def test_a_font_claiming_the_family_name_changes_no_byte(built, tmp_path):
    env = user_fonts(tmp_path, {"Impostor.ttf": impostor()})
    if shutil.which("fc-list"):  # the machine's own fontconfig does see it
        listed = subprocess.run(["fc-list", ":family=Charis SIL"], env=env, capture_output=True, text=True).stdout
        assert "Impostor.ttf" in listed
    assert build_pdfs(tmp_path / "out", env) == normal(built)


@pytest.mark.slow
def test_no_system_fonts_at_all_changes_no_byte(built, tmp_path):
    """Every system font folder hidden in a private mount namespace (needs root and unshare)."""
    folders = [f for f in ("/usr/share/fonts", "/usr/local/share/fonts") if Path(f).is_dir()]
    empty = tmp_path / "empty"
    empty.mkdir()
    mounts = " && ".join(f"mount --bind {empty} {f}" for f in folders) or "true"
    probe = subprocess.run(["unshare", "-m", "sh", "-c", f"{mounts} && find {' '.join(folders)} -mindepth 1 -print -quit"],
                           capture_output=True, text=True) if shutil.which("unshare") else None
    if probe is None or probe.returncode != 0 or probe.stdout.strip():
        pytest.skip("cannot hide the system fonts here (needs util-linux's unshare, run as root)")
    script = f'{mounts} && exec "$@"'
    assert build_pdfs(tmp_path / "out", dict(os.environ), ["unshare", "-m", "sh", "-c", script, "sh"]) == normal(built)


def test_layouts_see_no_system_font():
    from bookbuilder.typeset.weasy import visible_system_fonts

    assert visible_system_fonts() == 0


def test_the_fontconfig_variable_is_restored_for_other_programs(monkeypatch):
    from bookbuilder.typeset.weasy import FONTS_CONF, font_configuration, private_fontconfig

    monkeypatch.setenv("FONTCONFIG_FILE", "/etc/fonts/fonts.conf")
    with private_fontconfig():
        assert os.environ["FONTCONFIG_FILE"] == str(FONTS_CONF)
    font_configuration()
    assert os.environ["FONTCONFIG_FILE"] == "/etc/fonts/fonts.conf"
