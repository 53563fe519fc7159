"""make-book serve against a hostile page or client: only localhost names, only the book's files,
long paths, dropped connections and silent clients answered without a traceback."""

from __future__ import annotations

import socket
import struct
import threading

import pytest

from bookbuilder import cli
from bookbuilder.errors import OutputError
from bookbuilder.pipeline import preview
from bookbuilder.progress import Progress

REMOTE = "http://example.org/x.png"


@pytest.fixture
def served(book_dir, monkeypatch):
    """The preview of a minimal book (whose screen.css loads a remote image) on a free port, in this process."""
    monkeypatch.setattr(preview, "CLIENT_SECONDS", 1)
    book = book_dir("minimal")
    (book / "styles").mkdir()
    (book / "styles" / "screen.css").write_text(f"body {{ color: black }}\nbody {{ background: u\\rl({REMOTE}) }}\n")
    warnings, said = [], []
    view = preview.Preview(book, Progress(lambda step: None), warnings.append)
    server = preview.Server(0, preview.handler(view, lambda line: None), said.append)
    view.rebuild()
    server.view = view  # for the tests that edit the book and build the preview again
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, book, warnings, said
    server.shutdown()
    server.server_close()


def ask(server, request: bytes, reset: bool = False) -> bytes:
    with socket.create_connection(server.server_address, timeout=30) as client:
        client.sendall(request)
        if reset:  # close with RST: the server's write or read fails with a connection reset
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return b""
        answer = b""
        while chunk := client.recv(65536):
            answer += chunk
        return answer


def get(server, path: str, host: str | None = "localhost") -> tuple[int, bytes]:
    port = server.server_address[1]
    headers = f"Host: {host.format(port=port)}\r\n" if host is not None else ""
    answer = ask(server, f"GET {path} HTTP/1.0\r\n{headers}\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), head + b"\r\n\r\n" + body


def test_binds_127_0_0_1_only(served):
    server, *_ = served
    assert server.server_address[0] == "127.0.0.1"


@pytest.mark.parametrize("host, status", [
    ("localhost:{port}", 200), ("127.0.0.1:{port}", 200), ("LOCALHOST", 200), ("[::1]:{port}", 200),
    ("evil.example:{port}", 421), ("localhost.evil.example", 421), ("127.0.0.1:1", 421), (None, 421), ("", 421),
])
def test_only_localhost_names_are_answered(served, host, status):
    server, *_ = served
    code, answer = get(server, "/", host)
    assert code == status
    assert b"Content-Security-Policy: default-src 'self'" in answer


@pytest.mark.parametrize("path, status", [
    ("/" + "a" * 5000, 414), ("/images/" + "a" * 300 + ".png", 404), ("/book.toml", 404), ("/one.md", 404),
    ("/templates/section.xhtml.j2", 404), ("/images/../book.toml", 404), ("/styles/../../../etc/passwd", 404),
    ("/styles/fonts/CharisSIL-Regular.ttf", 200), ("/styles/base.css", 200), ("/_preview/version", 200),
])
def test_only_the_book_and_its_theme_files_are_served(served, path, status, capsys):
    server, *_ = served
    assert get(server, path)[0] == status
    assert "Traceback" not in capsys.readouterr().err


def test_a_stylesheet_that_loads_a_url_is_not_served(served):
    server, book, warnings, _ = served
    assert get(server, "/styles/screen.css")[0] == 404
    assert [str(w) for w in warnings][-1].startswith(f"{book / 'styles' / 'screen.css'}:2: the stylesheet loads "
                                                     f"'{REMOTE}'")


def test_resets_and_silent_clients_are_not_tracebacks(served, capsys):
    server, _, _, said = served
    ask(server, b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n", reset=True)
    ask(server, b"GET / HTTP/1.0\r\nHo", reset=True)
    with socket.create_connection(server.server_address, timeout=30) as silent:
        assert silent.recv(1) == b""  # dropped after CLIENT_SECONDS
    assert get(server, "/")[0] == 200  # still serving
    assert said == [] and "Traceback" not in capsys.readouterr().err


def test_a_port_in_use_is_a_user_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(OutputError) as err:
            preview.Server(port, preview.handler(None, print), print)
    assert err.value.code == "port-unavailable" and f"cannot listen on port {port} (Address already in use)" in str(err.value)
    assert cli.main(["serve", "tests/books/minimal", "--port", "-1"]) == 6
    assert "error: 127.0.0.1:-1: the preview cannot listen on port -1 (not a port number)" in capsys.readouterr().err


def test_a_hostile_template_is_shown_on_the_page_and_the_server_keeps_serving(served):
    server, book, warnings, _ = served
    (book / "templates").mkdir()
    template = book / "templates" / "section.xhtml.j2"
    template.write_text("<section><p>{{ section.title }}</section>\n")  # unclosed: template-output
    preview_of(server).rebuild()
    status, page = get(server, "/")
    assert status == 200 and b"the template writes XHTML that is not well-formed" in page
    assert str(warnings[-1]).startswith(f"{template}: the template writes XHTML that is not well-formed")
    template.unlink()
    preview_of(server).rebuild()
    status, page = get(server, "/")
    assert status == 200 and b"not well-formed" not in page


def test_a_hostile_stylesheet_fails_the_pdf_alone(served):
    server, book, warnings, _ = served
    (book / "styles" / "print.css").write_text("p::after { content:" + " counter(page)" * 20_000 + " }\n")
    preview_of(server).rebuild()
    assert get(server, "/print.pdf")[0] == 503
    assert "generates 20,000 items in one content" in str(warnings[-1])
    assert get(server, "/")[0] == 200  # the page still serves


def preview_of(server) -> preview.Preview:
    return server.view
