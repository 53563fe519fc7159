"""What every writer receives besides the book: the theme, the shared renderer, the build time, the
shared layouts and, for a format that asks for it, the print edition's page map; for the pieces of
the print edition and the handout, their cache and the build's processes (``pool(function, calls)``: the results of
``function(*call)`` for each call, in order)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import ConfigError
from ..manuscript.config import EARLIEST, LATEST
from ..model import Book
from ..notices import Notices
from ..render.renderer import Renderer
from ..theme import Theme


@dataclass(frozen=True)
class Context:
    theme: Theme
    renderer: Renderer
    timestamp: datetime.datetime  # every date written into an output comes from here
    notices: Notices = field(default_factory=Notices)
    layouts: dict = field(default_factory=dict)  # profile -> laid-out document, so no layout runs twice
    page_starts: tuple = ()  # where the print edition's pages begin (typeset.pages.PageStart), for a page_map format
    pieces: Callable | None = None  # profile -> the laid-out pieces of earlier builds (cache.PieceStore), if cached
    pool: Callable = field(default=lambda function, calls: [function(*call) for call in calls])  # map over calls

    @classmethod
    def for_book(cls, book: Book, notices: Notices | None = None) -> "Context":
        theme = Theme.for_book(book.root)
        return cls(theme, Renderer(book, theme), build_timestamp(book), notices if notices is not None else Notices())


def build_timestamp(book: Book) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the publication date at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        earliest, latest = (datetime.datetime.combine(day, time, datetime.timezone.utc).timestamp()
                            for day, time in ((EARLIEST, datetime.time()), (LATEST, datetime.time.max)))
        if len(epoch) > 12 or not earliest <= int(epoch) <= latest:
            raise ConfigError("SOURCE_DATE_EPOCH", f"{epoch[:20]} is outside what an EPUB (a ZIP file) can carry",
                              f"give seconds since 1970 for a time from {EARLIEST} to {LATEST}", code="bad-value")
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(book.metadata.modified, datetime.time(), datetime.timezone.utc)
