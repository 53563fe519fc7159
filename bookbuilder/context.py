"""What every writer receives besides the book: the theme, the shared renderer and the build time."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from .model import Book
from .render import Renderer
from .theme import Theme


@dataclass(frozen=True)
class Context:
    theme: Theme
    renderer: Renderer
    timestamp: datetime.datetime  # every date written into an output comes from here

    @classmethod
    def for_book(cls, book: Book) -> "Context":
        theme = Theme.for_book(book.root)
        return cls(theme, Renderer(book, theme), build_timestamp(book))


def build_timestamp(book: Book) -> datetime.datetime:
    """SOURCE_DATE_EPOCH when set (reproducible-builds.org), else the publication date at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    return datetime.datetime.combine(book.metadata.date, datetime.time(), datetime.timezone.utc)
