"""The print edition's PDF: the print layout, ending on a left-hand page, front matter in roman;
PDF/X-4 unless book.toml asks for another variant, in the interior's ink (black unless "cmyk")."""

from __future__ import annotations

from ..model import Book
from .context import Context
from ..typeset.layout import warn_low_resolution
from ..typeset.pieces import print_edition


def write_print(book: Book, ctx: Context) -> bytes:
    edition = print_edition(ctx)
    warn_low_resolution(edition.placed, book, ctx)
    return edition.pdf
