"""PDF layout with WeasyPrint: the only module that imports it.

Resources are fetched only through the theme (book folder, then defaults); anything else, and any
resource that cannot be found, stops the build instead of being logged and skipped.
"""

from __future__ import annotations

import io
import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from .context import Context
from .errors import ResourceError
from .model import Book
from .theme import Theme

VIRTUAL_ROOT = "file:///book/"  # the base URL documents are laid out under; mapped onto the theme


class ThemeFetcher(URLFetcher):
    """Serves file:///book/<relative> from the theme; refuses every other URL."""

    def __init__(self, theme: Theme):
        super().__init__(fail_on_errors=True)
        self.theme = theme
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        relative = unquote(parts.path).removeprefix("/book/") if url.startswith(VIRTUAL_ROOT) else None
        path = self.theme.find(relative) if relative else None
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


class Warnings(logging.Handler):
    """Collects WeasyPrint's warnings so the build can fail on them instead of scrolling past."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


def lay_out(html: str, theme: Theme):
    """HTML -> WeasyPrint Document (pages laid out); resource problems become ResourceError."""
    fetcher = ThemeFetcher(theme)
    logger = logging.getLogger("weasyprint")
    warnings = Warnings()
    logger.addHandler(warnings)
    try:
        document = HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=fetcher).render(
            font_config=FontConfiguration())
    except FatalURLFetchingError:
        url = fetcher.refused[-1]
        raise ResourceError(describe_url(url), "the PDF needs a file that is missing or outside the book",
                            "put it in the book's images/ or styles/ folder and refer to it by a relative path") \
            from None
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        raise ResourceError(None, f"WeasyPrint: {warnings.messages[0]}", "fix the stylesheet or template it names")
    return document


def describe_url(url: str) -> str:
    return url.removeprefix(VIRTUAL_ROOT) if url.startswith(VIRTUAL_ROOT) else url


def pdf_bytes(document, book: Book) -> bytes:
    out = io.BytesIO()
    document.write_pdf(out, identifier=book.metadata.identifier.encode())
    return out.getvalue()


def layout(ctx: Context, profile: str):
    """The laid-out document of a profile, made once per build and shared (PDF, page mapping)."""
    if profile not in ctx.layouts:
        ctx.layouts[profile] = lay_out(ctx.renderer.pdf(profile), ctx.theme)
    return ctx.layouts[profile]


def print_pdf(book: Book, ctx: Context) -> bytes:
    return pdf_bytes(layout(ctx, "print"), book)


def handout_pdf(book: Book, ctx: Context) -> bytes:
    return pdf_bytes(layout(ctx, "handout"), book)
