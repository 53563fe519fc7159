"""The live preview of 'make-book serve': the book rendered for a screen, served on 127.0.0.1 with
the standard library's http.server, rebuilt when a file of the book folder changes. The web edition
is served under WEB_URL, made when first asked for in each version, as the PDFs are.

The page polls VERSION_URL and reloads itself when the version moves on (no WebSocket, no network).
The print and handout PDFs are laid out only when asked for, once per version: a page reload
should not wait for WeasyPrint.

The book folder may be a stranger's, and any web page the author has open may send requests to
127.0.0.1: the server answers only requests addressed to a localhost name (a DNS-rebinding page
sends its own host name), serves only the rendered book and its images and styles (each
stylesheet checked as the build checks it), tells the browser to load nothing from elsewhere
(Content-Security-Policy), and answers long paths, slow clients and dropped connections without a
traceback.
"""

from __future__ import annotations

import re
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .. import inputs
from ..cache import Cache
from ..css import checked_stylesheet
from ..errors import BookError, OutputError
from ..formats import FORMATS
from ..manuscript.load import load_book
from ..notices import Notices
from ..progress import Progress
from ..render.renderer import Renderer, one_document
from ..render.rendition import EPUB
from ..render.templates import environment, render_template
from ..theme import SCREEN_STYLES, Theme
from . import Making

HOST = "127.0.0.1"  # the preview is for the author's own browser, never the network
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")  # the Host headers the preview answers
VERSION_URL = "/_preview/version"
POLL_SECONDS = 0.2  # a save shows within 0.2 s plus the rebuild; a poll stats the folder's files only
WEB_URL = "/web/"
CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".jpg": "image/jpeg",
                 ".jpeg": "image/jpeg", ".png": "image/png"}
SERVED_DIRS = ("images", "styles")  # of the theme: what the page and its stylesheets load
MAX_PATH = 1024  # characters of a request's path; a longer one is answered 414
CLIENT_SECONDS = 10  # a client that sends nothing for this long is dropped
# The page runs its own small reload script and may use inline styles; nothing from elsewhere.
SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                   "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def pdfs() -> dict[str, str]:
    """'/print.pdf' -> 'print': the formats the preview offers beside the screen rendition."""
    return {f"/{name}.pdf": name for name, fmt in FORMATS.items() if fmt.preview}


def screen_page(renderer: Renderer, version: str, problem: str = "") -> str:
    """The live preview page: one HTML document for a browser, reloading itself when the server's
    version moves on from ``version``; ``problem`` is shown above the book."""
    return renderer.render("screen/preview.html.j2", stylesheets=SCREEN_STYLES, version=version,
                           version_url=VERSION_URL, problem=problem, contents=renderer.contents(one_document),
                           sections=renderer.sections_in_order(EPUB), typeface=renderer.typeface,
                           printing="")


def problem_page(theme: Theme, version: str, problem: str) -> str:
    """The preview page when the book has not loaded yet: the problem, and a reload once it is fixed."""
    return render_template(environment(theme), "screen/problem.html.j2", stylesheets=SCREEN_STYLES,
                           version=version, version_url=VERSION_URL, problem=problem)


class Preview:
    """The current rendering of one book folder; rebuilt by the watcher, read by request threads."""

    def __init__(self, book_dir: Path, progress: Progress, warn, out_dir: Path | None = None):
        """``warn`` gets each Notice of a rebuild, errors included; the PDFs' pieces are kept in the
        cache of ``out_dir`` (a build's output folder: the preview and the builds share them)."""
        self.book_dir = book_dir.resolve()
        self.out_dir = out_dir
        self.theme = Theme.for_book(self.book_dir)
        self.progress, self.warn = progress, warn
        self.lock = threading.Lock()
        self.version = 0
        self.page = ""
        self.making: Making | None = None  # this version's formats and the editions they are made from
        self.pdfs: dict[str, bytes] = {}
        self.site: dict[str, bytes] | None = None  # this version's web edition, once asked for

    def rebuild(self) -> None:
        """Load and render again; a mistake in the book is shown on the page above the last good
        rendering (or alone, if there never was one), and printed like a build error."""
        notices = Notices()
        with self.progress.stage("preview") as step, self.lock:
            version = str(self.version + 1)
            try:
                book = load_book(self.book_dir, None, notices)
                cache = Cache(self.book_dir, self.out_dir, {}, FORMATS) if self.out_dir else None
                making = Making(book, cache)
                page = screen_page(making.ctx.renderer, version)
                self.making, self.pdfs, self.site = making, {}, None
                step.detail = f"version {version}"
            except BookError as exc:  # the last good book stays, under the problem
                notices.error(exc)
                page = (screen_page(self.making.ctx.renderer, version, str(exc)) if self.making
                        else problem_page(self.theme, version, str(exc)))
                step.detail = f"version {version}  (the book has a mistake: shown on the page)"
            self.page, self.version = page, int(version)
        for notice in notices:
            self.warn(notice)

    def pdf(self, name: str) -> bytes | None:
        with self.lock:  # one layout at a time, and at most once per version
            if self.making is not None and name not in self.pdfs:
                self.pdfs[name] = self.making.made(name).data  # with the build's guards; unchanged pieces cached
            return self.pdfs.get(name)

    def web(self, relative: str) -> bytes | None:
        """A file of the web edition (made with the build's cache, once per version)."""
        with self.lock:
            if self.making is not None and self.site is None:
                self.site = dict(self.making.made("web").data.files)
            return (self.site or {}).get(relative)

    def snapshot(self) -> dict[Path, tuple[int, int]]:
        """Modification time and size of every file in the book folder, hidden ones (editors'
        swap files, .git) left out."""
        found = {}
        for path in inputs.walk(self.book_dir):  # never into a symlinked folder leading elsewhere
            if not any(part.startswith(".") for part in path.relative_to(self.book_dir).parts):
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
        timeout = CLIENT_SECONDS  # socketserver sets it on the connection: a silent client is dropped

        def do_GET(self):  # http.server calls it by this name
            path = unquote(urlsplit(self.path).path)
            if not local_host(self.headers.get("Host", ""), self.server.server_address[1]):
                self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "the preview answers only localhost names")
            elif len(path) > MAX_PATH:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            elif path in ("/", "/index.html"):
                with preview.lock:
                    self.send(preview.page.encode(), "text/html; charset=utf-8")
            elif path == VERSION_URL:
                self.send(str(preview.version).encode(), "text/plain")
            elif path in pdfs():
                self.send_pdf(pdfs()[path])
            elif path.startswith(WEB_URL):
                self.send_web_file(path.removeprefix(WEB_URL) or "index.html")
            else:
                self.send_theme_file(path.lstrip("/"))

        def send_pdf(self, name: str) -> None:
            data = made(lambda: preview.pdf(name))
            if data is None:
                self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "the book does not build; see the preview page")
            else:
                self.send(data, "application/pdf")

        def send_web_file(self, relative: str) -> None:
            data = made(lambda: preview.web(relative))
            suffix = Path(relative).suffix.lower()
            if data is None or suffix not in CONTENT_TYPES:
                self.send_error(HTTPStatus.NOT_FOUND)
            else:
                self.send(data, CONTENT_TYPES[suffix])

        def send_theme_file(self, relative: str) -> None:
            suffix = Path(relative).suffix.lower()
            try:
                found = (preview.theme.find(relative) if relative.split("/")[0] in SERVED_DIRS
                         and suffix in CONTENT_TYPES else None)
                data = found and (checked_stylesheet(preview.theme, relative) if suffix == ".css"
                                  else preview.theme.read(relative, None))
            except OSError:  # a name too long for the file system, a file that went away
                data = None
            except BookError as exc:
                report(exc)
                data = None
            if data is None:
                self.send_error(HTTPStatus.NOT_FOUND)
            else:
                self.send(data, CONTENT_TYPES[suffix])

        def send(self, data: bytes, content_type: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")  # every reload shows the current files
            self.end_headers()
            self.wfile.write(data)

        def end_headers(self):  # every answer, errors included
            self.send_header("Content-Security-Policy", SECURITY_POLICY)
            self.send_header("X-Content-Type-Options", "nosniff")
            super().end_headers()

        def log_message(self, format, *args):  # http.server's signature
            log(format % args)

    def report(exc: BookError) -> None:
        problems = Notices()
        problems.error(exc)
        preview.warn(problems[0])

    def made(make):
        """What ``make`` returns, or None when the book does not build (said in the terminal)."""
        try:
            return make()
        except BookError as exc:
            report(exc)
            return None

    return Handler


def local_host(host: str, port: int) -> bool:
    """A Host header naming this machine (with or without the port): what a DNS-rebinding page,
    which reaches 127.0.0.1 under a name of its own, cannot send."""
    name, _, given = host.rpartition(":") if re.search(r":\d+$", host) else (host, "", "")
    return name.lower() in LOCAL_NAMES and given in ("", str(port))


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, handler_class, say):
        if not 0 <= port <= 65535:
            raise unavailable(port, "not a port number")
        try:
            super().__init__((HOST, port), handler_class)
        except OSError as exc:
            raise unavailable(port, exc.strerror or str(exc)) from None
        self.say = say

    def handle_error(self, request, client_address):
        """A client that drops the connection or stays silent is not our error; anything else is one
        line, not a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, ConnectionError | TimeoutError):
            self.say(f"internal error answering a request: {type(exc).__name__}: {exc}")


def unavailable(port: int, reason: str) -> OutputError:
    return OutputError(f"{HOST}:{port}", f"the preview cannot listen on port {port} ({reason})",
                       "choose another with --port (1024–65535, or 0 for any free port)", code="port-unavailable")
def serve(book_dir: Path, port: int, progress: Progress, warn, say, log, out_dir: Path | None = None) -> None:
    """Serve until interrupted; ``say`` gets the address once the server listens; the PDFs' pieces
    are kept in ``out_dir``'s cache."""
    preview = Preview(book_dir, progress, warn, out_dir)
    server = Server(port, handler(preview, log), say)  # a port in use is said before the book is built
    stop = threading.Event()
    try:
        preview.rebuild()
        watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
        watcher.start()
        say(f"serving {book_dir} at http://{HOST}:{server.server_address[1]}/  (Ctrl-C to stop)")
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
