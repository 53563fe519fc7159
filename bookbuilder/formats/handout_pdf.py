"""The handout: A4 or Letter for an office printer, tagged PDF/UA-1 by default, since handouts
travel as files and get read aloud."""

from __future__ import annotations

from ..model import Book
from .context import Context
from .layout import pdf_bytes, shared_layout


def write_handout(book: Book, ctx: Context) -> bytes:
    return pdf_bytes(shared_layout(ctx, "handout"), ctx, book.settings.pdf_variant or "pdf/ua-1", tags=True)
