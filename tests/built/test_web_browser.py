"""The web edition in a browser (issue 25): axe-core finds nothing on any page of the default book's
site at 390 and 1280 px, light and dark, and finds what is wrong when something is; the search finds a
word of the last chapter from file://, in English, Chinese and Arabic; a note opens as a pop-up and
closes with Escape; the pages read without JavaScript. Driven in headless Chromium by Ace's puppeteer
(tests/web/probe.js; checks/axe.js)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import BOOKS, ROOT

from bookbuilder.checks import Subject
from bookbuilder.checks.epub import ace_home, run_ace
from bookbuilder.checks.web import axe, node
from bookbuilder.formats import FORMATS
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build
from bookbuilder.theme import Theme

pytestmark = pytest.mark.slow
PROBE = Path(__file__).parent.parent / "web" / "probe.js"


@pytest.fixture(scope="module")
def browser(built):
    """Ace's installation (installed by running Ace once, as 'make-book check' does), whose puppeteer drives Chromium."""
    if node() is None:
        pytest.skip("Node.js is not installed")
    if not (ace_home() / "node_modules" / "puppeteer").is_dir():
        run_ace(built["epub"], Notices())
    return ace_home() / "node_modules"


def probe(modules: Path, url: str, width: int, scheme: str, action: str, argument: str = "") -> dict:
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": shutil.which("chromium") or ""}
    run = subprocess.run(["node", str(PROBE), str(modules), url, str(width), scheme, action, argument],
                         capture_output=True, text=True, timeout=120, env=env, check=False)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def axe_on(site: Path) -> tuple[str, Notices]:
    notices = Notices()
    said = axe(Subject(FORMATS["web"], None, Theme.defaults(), path=site, notices=notices))
    return said, notices


def test_axe_finds_nothing_on_any_page_at_either_width_in_either_theme(browser, built):
    said, notices = axe_on(built["web"])
    assert said.endswith("light and dark: 0 violations") and list(notices) == [], [str(n) for n in notices]
    assert said.startswith(f"{len(list(built['web'].glob('*.html')))} pages")


def test_axe_finds_a_picture_without_a_description(browser, built, tmp_path):
    site = shutil.copytree(built["web"], tmp_path / "site")
    page = site / "chapter-1.html"
    page.write_text(page.read_text().replace('alt="', 'data-alt="', 1))
    _, notices = axe_on(site)
    assert {n.code for n in notices} == {"axe-image-alt"} and len(notices) == 4  # 2 widths × 2 themes
    assert all(str(n.where).startswith(f"{site}/chapter-1.html (") for n in notices)


@pytest.mark.parametrize("width", [390, 1280])
def test_search_finds_a_word_of_the_last_chapter_from_a_file_url(browser, built, width):
    site = built["web"]
    word = only_in_the_last_chapter()
    found = probe(browser, (site / "index.html").as_uri(), width, "light", "search", word)
    assert found["errors"] == [] and found["links"] and not found["overflow"]
    assert all(link.startswith("appendix.html#") for link in found["links"]), found["links"]


def only_in_the_last_chapter() -> str:
    """The longest word of the default book's last chapter (appendix.md) that no other chapter has."""
    words = lambda path: set(re.findall(r"[A-Za-z]{6,}", path.read_text()))  # noqa: E731
    others = set().union(*(words(p) for p in (ROOT / "book").glob("*.md") if p.name != "appendix.md"))
    return max(sorted(words(ROOT / "book" / "appendix.md") - others), key=len)


def test_search_finds_chinese_and_arabic_words(browser, tmp_path):
    for name, word, direction in (("zh-interview", "哈萨克斯坦", "ltr"), ("ar-interview", "كازاخستان", "rtl")):
        book = shutil.copytree(BOOKS / "scripts" / name, tmp_path / name)
        [site] = build(book, ["web"], tmp_path / "out")
        found = probe(browser, (site.path / "index.html").as_uri(), 390, "dark", "search", word)
        assert found["errors"] == [] and found["links"] and word in found["text"], name
        assert f'dir="{direction}"' in (site.path / "index.html").read_text()
        said, notices = axe_on(site.path)
        assert list(notices) == [], [str(n) for n in notices]


def test_a_note_opens_as_a_pop_up_and_closes_with_escape(browser, tmp_path):
    book = shutil.copytree(BOOKS / "novel", tmp_path / "novel")
    [site] = build(book, ["web"], tmp_path / "out")
    shown = probe(browser, (site.path / "chapter-1.html").as_uri(), 390, "light", "note")
    assert shown["errors"] == [] and shown["open"] and shown["focused"] == "note-close" and shown["closed"]


def test_the_dark_theme_follows_the_system_and_the_pages_read_without_javascript(browser, built):
    page = (built["web"] / "chapter-2.html").as_uri()
    dark, light = (probe(browser, page, 1280, scheme, "look") for scheme in ("dark", "light"))
    assert (dark["theme"], light["theme"]) == ("dark", "light") and dark["background"] != light["background"]
    plain = probe(browser, page, 390, "light", "nojs")
    assert plain["searchHidden"] and len(plain["text"]) > 2000 and not plain["overflow"]
