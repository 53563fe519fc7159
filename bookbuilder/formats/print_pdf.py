"""The print edition's PDF: the print layout, ending on a left-hand page, front matter in roman;
PDF/X-4 unless book.toml asks for another variant, in the interior's ink (black unless "cmyk")."""

from __future__ import annotations

from ..model import Book
from ..printing import press_variant
from .context import Context
from .layout import book_block, front_matter_pages, pdf_bytes, shared_layout, warn_low_resolution


def write_print(book: Book, ctx: Context) -> bytes:
    document = shared_layout(ctx, "print")
    warn_low_resolution(document, book, ctx)
    return pdf_bytes(book_block(document, ctx), ctx, press_variant(book.settings.pdf_variant),
                     front_matter_pages(document, book), ink=book.settings.interior)
