"""What WeasyPrint may read, and what it says: the only way in for resources and the only way out
for its messages.

Resources are fetched only through the theme (book folder, then defaults); anything else, and any
resource that cannot be found, stops the build instead of being logged and skipped. What WeasyPrint
logs (a bad stylesheet, an unknown property) becomes an error at the stylesheet's line, or at the
template line that writes the declaration.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import mimetypes
import re
import threading
from urllib.parse import unquote, urlsplit

from fontTools.ttLib import TTFont

from ..css import checked_stylesheet
from ..errors import Location, ResourceError
from ..render.faces import bad_font
from ..theme import DEFAULTS, Theme
from .stylesheets import STYLESHEET
from .weasy import FatalURLFetchingError, URLFetcher, URLFetcherResponse

VIRTUAL_ROOT = "file:///book/"  # the base URL documents are laid out under; mapped onto the theme
NOTDEF_WARNING = ".notdef glyph rendered"  # WeasyPrint's word for a character no font has
PLACE = re.compile(r",? at (\d+):\d+")  # where WeasyPrint's messages put the line and column
IGNORED = re.compile(r"Ignored `(.*)`, (.*?)\.?$", re.DOTALL)  # its commonest message: a declaration it does not use


class ThemeFetcher(URLFetcher):
    """Serves file:///book/<relative> from the theme; refuses every other URL (http, ftp, data:, any
    other file://) before anything is opened, and any path that resolves outside the theme folders.
    WeasyPrint's own fetcher would read or download whatever a template or stylesheet names."""

    def __init__(self, theme: Theme):
        super().__init__(fail_on_errors=True)
        self.theme = theme
        self.refused: list[ResourceError] = []
        self.read: dict[str, bytes] = {}  # URL -> what it served: one document's layouts read each file once

    def fetch(self, url, headers=None):
        if url in self.read:
            return URLFetcherResponse(url, body=self.read[url], headers={"Content-Type": content_type(url)})
        parts = urlsplit(url)
        relative = unquote(parts.path).removeprefix("/book/") if url.startswith(VIRTUAL_ROOT) else None
        try:
            data = None
            if relative and not parts.query:
                data = (checked_stylesheet(self.theme, relative) if relative.lower().endswith(".css")
                        else checked_font(self.theme, relative) if relative.lower().endswith(FONT_FILES)
                        else self.theme.read(relative, None))
        except ResourceError as exc:
            self.refused.append(exc)
            raise ValueError(str(exc)) from None
        if data is None:
            self.refused.append(ResourceError(None, f"the PDF asks for '{url[:200]}', which is not a file of the book",
                                              "refer to files in the book's images/ or styles/ folder by relative "
                                              "path; nothing is fetched from elsewhere", code="refused-url"))
            raise ValueError(f"refused {url}")
        self.read[url] = data
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type(url)})

    def stylesheet_file(self, url: str):
        """The theme's file behind a stylesheet's URL, which WeasyPrint's messages about it do not
        name (stylesheets.parse reads it with this file named); None for any other URL."""
        return self.theme.find(unquote(urlsplit(url).path).removeprefix("/book/")) if url.startswith(VIRTUAL_ROOT) else None


FONT_FILES = (".ttf", ".otf", ".woff", ".woff2", ".ttc")
FONTS_READ: dict[bytes, None] = {}  # SHA-256 of each font file fontTools read whole in this process


def checked_font(theme: Theme, relative: str) -> bytes:
    """The bytes of the theme's font file ``relative``, once fontTools has read every table of a book's own
    (WeasyPrint hands a font to FreeType and HarfBuzz, whose errors end the process or come back
    as a Python exception nobody can name); a file it cannot read is the book's error."""
    path, data = theme.require(relative, None), theme.read(relative, None)
    digest = hashlib.sha256(data).digest()
    packaged = path.is_relative_to(DEFAULTS.resolve()) or path in theme.face_files.values()
    if digest not in FONTS_READ and not packaged:  # the shipped and packaged faces are whole (and pinned)
        try:
            with TTFont(io.BytesIO(data), fontNumber=0) as font:
                for tag in font.keys():
                    font[tag]  # noqa: B018 - decompiling each table is the check
        except Exception as exc:  # noqa: BLE001 - fontTools raises whatever its parsers meet in a broken file
            raise bad_font(path, exc) from None
        FONTS_READ[digest] = None
    return data


def content_type(url: str) -> str:
    return mimetypes.guess_type(unquote(urlsplit(url).path))[0] or "application/octet-stream"


@contextlib.contextmanager
def sandboxed(fetcher: ThemeFetcher):
    """WeasyPrint fetches while laying out (images, stylesheets, fonts) and while writing
    (<link rel=attachment>); a refused URL stops it either way and becomes the fetcher's error."""
    try:
        yield
    except FatalURLFetchingError:
        raise fetcher.refused[-1] from None


class Warnings(logging.Handler):
    """Collects WeasyPrint's warnings so the build can fail on them instead of scrolling past,
    each with the stylesheet it was reading (or None: a style in a template, the document)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, object]] = []
        self.thread = threading.get_ident()  # the build's editions lay out in threads of one process

    def emit(self, record):
        if record.thread != self.thread:
            return
        message = record.getMessage()
        if not message.startswith(NOTDEF_WARNING):  # check.py names these with file and line
            self.messages.append((message, STYLESHEET.get()))

    def first(self, theme: Theme) -> ResourceError:
        """The first message, in the catalogue's words, at its stylesheet's line, or else at the
        template line that writes the declaration in a style attribute or element."""
        message, stylesheet = next(((m, s) for m, s in self.messages if s), self.messages[0])
        place = PLACE.search(message)
        text = PLACE.sub("", message)
        ignored = IGNORED.match(text)
        problem = (f"the PDF layout ignores '{ignored.group(1)}': {ignored.group(2)[:1].lower()}{ignored.group(2)[1:]}"
                   if ignored else f"WeasyPrint: {text}")
        where = (Location(stylesheet, int(place.group(1))) if stylesheet and place else stylesheet
                 or (template_line(theme, ignored.group(1)) if ignored else None))
        return ResourceError(where, problem,
                             "fix or remove it" if where else "fix the stylesheet or template it names",
                             code="bad-stylesheet")


def template_line(theme: Theme, declaration: str) -> Location | None:
    """The first template line (the book's own before the defaults) writing ``declaration``."""
    name, _, value = declaration.partition(":")
    written = re.compile(rf"{re.escape(name.strip())}\s*:\s*{re.escape(value.strip())}")
    for _, relative, path in sorted(theme.files()):
        if relative.startswith("templates/"):
            for number, line in enumerate(theme.read(relative, None).decode("utf-8", "replace").splitlines(), 1):
                if written.search(line):
                    return Location(path, number)
    return None


@contextlib.contextmanager
def weasyprint_log(theme: Theme):
    """Turn what WeasyPrint logs (a bad stylesheet, an unknown option) into an error."""
    logger = logging.getLogger("weasyprint")
    warnings = Warnings()
    logger.addHandler(warnings)
    try:
        yield warnings
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        raise warnings.first(theme)
