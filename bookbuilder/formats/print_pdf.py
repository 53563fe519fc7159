"""The print edition's PDF: the print layout, ending on a left-hand page, front matter in roman;
PDF/X-4 unless book.toml asks for another variant, in the interior's ink (black unless "cmyk")."""

from __future__ import annotations

from urllib.parse import unquote

from PIL import Image

from ..model import Book
from ..notices import Notices
from ..printing import MIN_PPI, effective_ppi
from .context import Context


def write_print(book: Book, ctx: Context) -> bytes:
    warn_low_resolution(ctx.layout.placed, book, ctx.notices)
    return ctx.layout.pdf


def warn_low_resolution(placed, book: Book, notices: Notices) -> None:
    """Warn of each picture of ``placed`` ((page number, src, width in points)) printed below MIN_PPI."""
    figures = {f.image.href: f for f in book.figures}
    for number, src, width in placed:
        figure = figures[unquote(src)]  # a URL; the figure's href is the file's name
        with Image.open(figure.image.path) as picture:
            pixels = picture.width
        ppi = effective_ppi(pixels, width)
        if ppi < MIN_PPI:
            needed = round(MIN_PPI * width / 72)
            notices.warn(figure.where, f"'{figure.image.href}' prints at {ppi:.0f} ppi on page {number}, below {MIN_PPI}",
                         f"use a picture at least {needed} pixels wide (it has {pixels})", code="low-resolution")
