"""The sandbox: a build reads only files of the book and the theme, and fetches nothing.

A local HTTP server stands in for the network: manuscript, templates and stylesheets all point at it,
and it must see no request at all. Symlinks and '..' that lead outside the book are refused.
"""

from __future__ import annotations

import http.server
import threading
import zipfile

import pytest
from conftest import ROOT

from bookbuilder import cli


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"body { color: red }")

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def build(book, out, *formats):
    return cli.main([str(book), "--format", ",".join(formats), "--out", str(out)])


def test_manuscript_pointing_at_a_server_builds_without_fetching(book_dir, tmp_path, server, capsys):
    url, requests = server
    book = book_dir("minimal")
    (book / "one.md").write_text(
        f"---\ntitle: Remote\n---\n\nA [link]({url}/page) is not fetched.\n\n"
        f'<img src="{url}/img.png" alt="x"/> <span style="background: url({url}/bg.png)">styled</span>\n\n'
        f'<iframe src="{url}/frame"></iframe><object data="{url}/obj"></object>\n\n'
        f'<a rel="attachment" href="{url}/attached">attached</a> <a href="javascript:alert(1)" onclick="x()">js</a>\n')
    assert build(book, tmp_path / "out", "epub", "print") == 0
    err = capsys.readouterr().err
    assert requests == []
    for removed in ("<img> removed", "a style that loads a URL", "<iframe> removed", "<object> removed",
                    "attribute 'rel' removed", "link 'javascript:alert(1)' removed", "event handler 'onclick'"):
        assert removed in err
    chapter = zipfile.ZipFile(tmp_path / "out" / "a-minimal-book.epub").read("EPUB/one.xhtml").decode()
    for gone in ("iframe", "object", "<img", "javascript:", "onclick", "url(", "attachment"):
        assert gone not in chapter
    assert f'href="{url}/page"' in chapter


@pytest.mark.parametrize("where, text", [
    ("templates/section.xhtml.j2", '{% extends "default:section.xhtml.j2" %}{% block body %}'
     '<link rel="stylesheet" href="URL/x.css"/>{{ section.body }}{% endblock %}'),
    ("templates/section.xhtml.j2", '{% extends "default:section.xhtml.j2" %}{% block body %}'
     '<img src="URL/x.png" alt=""/>{{ section.body }}{% endblock %}'),
    ("templates/section.xhtml.j2", '{% extends "default:section.xhtml.j2" %}{% block body %}'
     '<a rel="attachment" href="URL/file.txt">x</a>{{ section.body }}{% endblock %}'),
    ("styles/print.css", '@import url("URL/more.css");'),
    ("styles/print.css", "body { background: url(URL/bg.png) }"),
    ("styles/print.css", '@font-face { font-family: X; src: url(URL/x.woff) } body { font-family: X }'),
])
def test_templates_and_styles_pointing_at_a_server_are_refused(book_dir, tmp_path, server, capsys, where, text):
    url, requests = server
    book = book_dir("minimal")
    (book / where).parent.mkdir()
    (book / where).write_text(text.replace("URL", url))
    assert build(book, tmp_path / "out", "print") == 4
    expected = (f"{book / where}:1: the stylesheet loads '{url}/" if where.startswith("styles/")
                else f"the PDF asks for '{url}/")  # a stylesheet is read before it is used, with its line
    assert expected in capsys.readouterr().err
    assert requests == []
    assert not (tmp_path / "out" / "a-minimal-book-print.pdf").exists()


def test_epub_stylesheet_pointing_at_a_server_is_refused(book_dir, tmp_path, server, capsys):
    url, requests = server
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "epub.css").write_text(f"p {{ color: black }}\n@import url({url}/x.css);\n")
    assert build(book, tmp_path / "out", "epub") == 4
    assert f"{book / 'styles' / 'epub.css'}:2: the stylesheet loads '{url}/x.css'" in capsys.readouterr().err
    assert requests == []


@pytest.mark.parametrize("reference", [
    "../../secret.txt", "../secret.txt", "file:///SECRET", "/SECRET", "images/../../secret.txt",
    "%2e%2e/%2e%2e/secret.txt", "images/escape/secret.txt", "data:text/plain,hello",
])
def test_paths_leading_out_of_the_book_are_refused(book_dir, tmp_path, capsys, reference):
    book = book_dir("minimal")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not attach me")
    (book / "images").mkdir()
    (book / "images" / "escape").symlink_to(tmp_path)  # a symlinked folder inside images/
    (book / "templates").mkdir()
    (book / "templates" / "section.xhtml.j2").write_text(
        '{% extends "default:section.xhtml.j2" %}{% block body %}'
        f'<a rel="attachment" href="{reference.replace("SECRET", str(secret)[1:])}">x</a>{{{{ section.body }}}}'
        "{% endblock %}")
    assert build(book, tmp_path / "out", "print") == 4
    assert "error: " in capsys.readouterr().err


def test_symlinked_template_folder_is_not_read(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "section.xhtml.j2").write_text("{{ undefined_variable }}")
    (book / "templates").symlink_to(elsewhere)
    assert build(book, tmp_path / "out", "epub") == 0  # the defaults are used, the outside one never read
    capsys.readouterr()


def test_chapter_symlinked_out_of_the_book_is_refused(book_dir, tmp_path, capsys):
    book = book_dir("minimal")
    (tmp_path / "elsewhere.md").write_text((book / "one.md").read_text())
    (book / "one.md").unlink()
    (book / "one.md").symlink_to(tmp_path / "elsewhere.md")
    assert build(book, tmp_path / "out", "epub") == 3
    assert "chapter file 'one.md' is outside the book folder" in capsys.readouterr().err


def test_default_theme_is_allowed_and_nothing_else():
    from bookbuilder.theme import Theme

    theme = Theme.for_book(ROOT / "tests" / "books" / "minimal")
    assert theme.find("styles/base.css") == ROOT / "styles" / "base.css"
    assert theme.find("book.toml") is None and theme.find("../README.md") is None
    assert theme.find("styles/../bookbuilder/cli.py") is None
