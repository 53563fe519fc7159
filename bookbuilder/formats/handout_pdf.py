"""The handout: A4 or Letter for an office printer, tagged PDF/UA-1 by default, since handouts
travel as files and get read aloud (a PDF/X variant is for the print shop's files only)."""

from __future__ import annotations

from ..model import Book
from ..printing import office_variant
from .context import Context
from .layout import pdf_bytes, shared_layout


def write_handout(book: Book, ctx: Context) -> bytes:
    return pdf_bytes(shared_layout(ctx, "handout"), ctx, office_variant(book.settings.pdf_variant), tags=True)
