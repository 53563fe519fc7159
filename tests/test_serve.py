"""make-book serve, driven in headless Chromium over the DevTools protocol: the page shows the
chapter titles, and after a chapter file is edited the page reloads itself and shows the edit."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
import websocket
from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--remote-debugging-port=0"]
DEADLINE = 90  # seconds to wait for something that should take well under one; a guard, not a measure

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (Debian: apt-get install chromium)")


def wait_for(probe, what: str):
    """Poll ``probe`` until it returns something truthy; fail naming ``what`` if it never does."""
    until = time.monotonic() + DEADLINE
    while time.monotonic() < until:
        if value := probe():
            return value
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


class DevTools:
    def __init__(self, url: str):
        # no Origin header: Chromium refuses a DevTools connection from an origin it was not told of
        self.ws = websocket.create_connection(url, timeout=DEADLINE, suppress_origin=True)
        self.last = 0

    def call(self, method: str, **params) -> dict:
        self.last += 1
        self.ws.send(json.dumps({"id": self.last, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.last:  # events in between are not ours
                return message.get("result", {})

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"].get("value")


@pytest.fixture
def server(book_dir, tmp_path):
    book = book_dir("minimal")
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen([sys.executable, str(ROOT / "make_book.py"), "serve", str(book), "--port", "0"],
                               stdout=log, stderr=subprocess.STDOUT, text=True)

    def address():
        log.seek(0)
        return next((line.split(" at ")[1].split()[0] for line in log if line.startswith("serving ")), None)

    url = wait_for(address, "the server's address")
    yield url, book, log
    process.terminate()
    process.wait()
    log.close()


@pytest.fixture
def browser(tmp_path):
    profile = tmp_path / "chromium-profile"
    process = subprocess.Popen([CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        port = wait_for(lambda: port_file.is_file() and port_file.read_text().split("\n")[0], "Chromium's DevTools port")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as response:
            targets = json.load(response)
        tools = DevTools(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        yield tools
        tools.ws.close()
    finally:  # a Chromium left running would be reported against whichever test comes next
        process.terminate()
        process.wait()


def page_text(browser: DevTools) -> str:
    return browser.evaluate("document.body ? document.body.innerText : ''") or ""


def test_preview_shows_titles_and_reloads_after_an_edit(server, browser):
    url, book, log = server
    assert url.startswith("http://127.0.0.1:")  # never on the network
    browser.call("Page.navigate", url=url)
    text = wait_for(lambda: "Only Chapter" in (t := page_text(browser)) and t, "the chapter title on the page")
    assert "A Minimal Book" in text and "Contents" in text
    browser.evaluate("window.beforeTheEdit = true")  # gone once the page has reloaded itself
    chapter = book / "one.md"
    chapter.write_text(chapter.read_text() + "\nA sentence written while the preview was open.\n")
    wait_for(lambda: "written while the preview was open" in page_text(browser), "the edit on the page")
    assert browser.evaluate("window.beforeTheEdit === undefined") is True
    log.seek(0)
    assert "preview   version 2" in log.read()


def test_a_mistake_is_shown_on_the_page_until_it_is_fixed(server, browser):
    url, book, _ = server
    browser.call("Page.navigate", url=url)
    wait_for(lambda: "Only Chapter" in page_text(browser), "the chapter title on the page")
    chapter = book / "one.md"
    good = chapter.read_text()
    chapter.write_text(good + "\n# A level-one heading\n")
    problem = wait_for(lambda: browser.evaluate(
        "(document.querySelector('.preview-problem') || {}).textContent"), "the problem on the page")
    assert f"{chapter}:" in problem and "level-1 heading" in problem
    assert "Only Chapter" in page_text(browser)  # the last good rendering stays readable
    chapter.write_text(good)
    wait_for(lambda: browser.evaluate("document.querySelector('.preview-problem') === null"), "the problem to go")


def test_print_view_is_the_print_pdf(server):
    url, _, _ = server
    with urllib.request.urlopen(url + "print.pdf") as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")


def test_the_web_edition_is_served_under_web(server):
    url, _, _ = server
    with urllib.request.urlopen(url + "web/") as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        page = response.read().decode()
    assert "<title>A Minimal Book</title>" in page and 'src="book.js"' in page
    with urllib.request.urlopen(url + "web/search.js") as response:
        assert response.headers["Content-Type"] == "text/javascript"
        assert response.read().startswith(b"window.bookSearch = ")
    for name in ("web/../book.toml", "web/nothing.html"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url + name)
        refused.value.close()
        assert refused.value.code == 404


def test_files_outside_the_theme_folders_are_not_served(server):
    url, _, _ = server
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(url + "book.toml")
    refused.value.close()
    assert refused.value.code == 404



def test_the_previews_pdfs_are_the_builds_pieces_and_an_edit_lays_out_one(book_dir, tmp_path, monkeypatch):
    """The preview keeps its PDFs' pieces in the output folder's cache: right after a build it lays
    nothing out, and after a one-word correction only the edited chapter's piece (issue 21: the
    preview laid the whole book out in one process, four times a build's time)."""
    from bookbuilder.notices import Notices
    from bookbuilder.pipeline import build
    from bookbuilder.pipeline.preview import Preview
    from bookbuilder.progress import Progress
    from bookbuilder.typeset import rounds

    folder = book_dir("novel")
    out = tmp_path / "out"
    built = {o.format: o.path.read_bytes() for o in build(folder, ["print"], out, notices=Notices())}
    laid_out = []
    lay_out_piece = rounds.lay_out_piece
    monkeypatch.setattr(rounds, "lay_out_piece", lambda html, *rest: laid_out.append(html) or lay_out_piece(html, *rest))
    preview = Preview(folder, Progress(lambda step: None), lambda notice: None, out)
    preview.rebuild()
    assert preview.pdf("print") == built["print"] and laid_out == []
    chapter = folder / "chapter-2.md"
    chapter.write_text(chapter.read_text().replace(" the ", " thy ", 1))
    preview.rebuild()
    assert preview.pdf("print") != built["print"]
    assert len(laid_out) == 1
