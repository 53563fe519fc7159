"""What every writer receives besides the book, as plain data: the theme, the shared renderer, the
build time, its own notices, the laid-out edition it is made from (typeset.rounds.Layout) and, for a
format that asks for it, the print edition's page map. The pipeline fills it in; writers only read it."""

from __future__ import annotations

import datetime
import os
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
    layout: object | None = None  # the laid-out edition its format is made from (typeset.rounds.Layout)
    page_starts: tuple = ()  # where the print edition's pages begin (typeset.pages.PageStart), for a page_map format

    @classmethod
    def for_book(cls, book: Book, notices: Notices | None = None) -> Context:
        theme = Theme.of_book(book)
        return cls(theme, Renderer(book, theme), build_timestamp(book), notices if notices is not None else Notices())


def build_timestamp(book: Book) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the publication date at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        earliest, latest = (datetime.datetime.combine(day, time, datetime.UTC).timestamp()
                            for day, time in ((EARLIEST, datetime.time()), (LATEST, datetime.time.max)))
        if len(epoch) > 12 or not earliest <= int(epoch) <= latest:
            raise ConfigError("SOURCE_DATE_EPOCH", f"{epoch[:20]} is outside what an EPUB (a ZIP file) can carry",
                              f"give seconds since 1970 for a time from {EARLIEST} to {LATEST}", code="bad-value")
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.combine(book.metadata.modified, datetime.time(), datetime.UTC)
