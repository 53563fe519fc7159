"""The live preview of 'make-book serve': the book rendered for a screen, served on 127.0.0.1 with
the standard library's http.server, rebuilt when a file of the book folder changes.

The page polls VERSION_URL and reloads itself when the version moves on (no WebSocket, no network).
The print and handout PDFs are laid out only when asked for, once per version: a page reload
should not wait for WeasyPrint.
"""

from __future__ import annotations

import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .errors import BookError
from .formats import FORMATS, SCREEN_STYLES
from .formats.context import Context
from .manuscript.load import load_book
from .notices import Notices
from .pipeline import make_format
from .progress import Progress
from .render.editions import EPUB_FAMILY
from .render.renderer import Renderer, one_document
from .render.templates import environment, render_template
from .theme import Theme

HOST = "127.0.0.1"  # the preview is for the author's own browser, never the network
VERSION_URL = "/_preview/version"
POLL_SECONDS = 0.5
CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".jpg": "image/jpeg",
                 ".jpeg": "image/jpeg", ".png": "image/png"}


def pdfs() -> dict[str, str]:
    """'/print.pdf' -> 'print': the formats the preview offers beside the screen rendition."""
    return {f"/{name}.pdf": name for name, fmt in FORMATS.items() if fmt.preview}


def screen_page(renderer: Renderer, version: str, problem: str = "") -> str:
    """The live preview page: one HTML document for a browser, reloading itself when the server's
    version moves on from ``version``; ``problem`` is shown above the book."""
    return renderer.render("screen/preview.html.j2", stylesheets=SCREEN_STYLES, version=version,
                           version_url=VERSION_URL, problem=problem, contents=renderer.contents(one_document),
                           sections=renderer.sections_in_order(EPUB_FAMILY))


def problem_page(theme: Theme, version: str, problem: str) -> str:
    """The preview page when the book has not loaded yet: the problem, and a reload once it is fixed."""
    return render_template(environment(theme), "screen/problem.html.j2", stylesheets=SCREEN_STYLES,
                           version=version, version_url=VERSION_URL, problem=problem)


class Preview:
    """The current rendering of one book folder; rebuilt by the watcher, read by request threads."""

    def __init__(self, book_dir: Path, progress: Progress, warn):
        """``warn`` gets each Notice of a rebuild, errors included."""
        self.book_dir = book_dir.resolve()
        self.theme = Theme.for_book(self.book_dir)
        self.progress, self.warn = progress, warn
        self.lock = threading.Lock()
        self.version = 0
        self.page = ""
        self.book = self.ctx = None
        self.pdfs: dict[str, bytes] = {}

    def rebuild(self) -> None:
        """Load and render again; a mistake in the book is shown on the page above the last good
        rendering (or alone, if there never was one), and printed like a build error."""
        notices = Notices()
        with self.progress.stage("preview") as step, self.lock:
            version = str(self.version + 1)
            try:
                book = load_book(self.book_dir, None, notices)
                ctx = Context.for_book(book, notices)
                page = screen_page(ctx.renderer, version)
                self.book, self.ctx, self.pdfs = book, ctx, {}
                step.detail = f"version {version}"
            except BookError as exc:  # the last good book stays, under the problem
                notices.error(exc)
                page = (screen_page(self.ctx.renderer, version, str(exc)) if self.ctx
                        else problem_page(self.theme, version, str(exc)))
                step.detail = f"version {version}  (the book has a mistake: shown on the page)"
            self.page, self.version = page, int(version)
        for notice in notices:
            self.warn(notice)

    def pdf(self, name: str) -> bytes | None:
        with self.lock:  # one layout at a time, and at most once per version
            if self.ctx is not None and name not in self.pdfs:
                self.pdfs[name] = make_format(self.book, self.ctx, name).data  # with the build's guards
            return self.pdfs.get(name)

    def snapshot(self) -> dict[Path, tuple[int, int]]:
        """Modification time and size of every file in the book folder, hidden ones (editors'
        swap files, .git) left out."""
        found = {}
        for path in self.book_dir.rglob("*"):
            if path.is_file() and not any(part.startswith(".") for part in path.relative_to(self.book_dir).parts):
                stat = path.stat()
                found[path] = (stat.st_mtime_ns, stat.st_size)
        return found

    def watch(self, stop: threading.Event) -> None:
        seen = self.snapshot()
        while not stop.wait(POLL_SECONDS):
            now = self.snapshot()
            if now != seen:
                seen = now
                self.rebuild()


def handler(preview: Preview, log):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # http.server calls it by this name
            path = unquote(urlsplit(self.path).path)
            if path in ("/", "/index.html"):
                with preview.lock:
                    self.send(preview.page.encode(), "text/html; charset=utf-8")
            elif path == VERSION_URL:
                self.send(str(preview.version).encode(), "text/plain")
            elif path in pdfs():
                try:
                    data = preview.pdf(pdfs()[path])
                except BookError as exc:
                    data = None
                    problems = Notices()
                    problems.error(exc)
                    preview.warn(problems[0])
                if data is None:
                    self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "the book does not build; see the preview page")
                else:
                    self.send(data, "application/pdf")
            elif (found := preview.theme.find(path.lstrip("/"))) and found.suffix.lower() in CONTENT_TYPES:
                self.send(found.read_bytes(), CONTENT_TYPES[found.suffix.lower()])
            else:
                self.send_error(HTTPStatus.NOT_FOUND)

        def send(self, data: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")  # every reload shows the current files
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *args):  # http.server's signature
            log(format % args)

    return Handler


def serve(book_dir: Path, port: int, progress: Progress, warn, say, log) -> None:
    """Serve until interrupted; ``say`` gets the address once the server listens."""
    preview = Preview(book_dir, progress, warn)
    preview.rebuild()
    server = ThreadingHTTPServer((HOST, port), handler(preview, log))
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    say(f"serving {book_dir} at http://{HOST}:{server.server_address[1]}/  (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
