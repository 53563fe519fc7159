"""The print edition's wraparound cover: back, spine and front on one sheet with bleed. Its spine
is as wide as the print edition's page count makes it; the front repeats the EPUB cover's design."""

from __future__ import annotations

from ..model import Book
from ..printing import points, spine_has_text, spine_inches
from ..render.artwork import COVER, cover_lines
from . import FORMATS
from .context import Context
from .layout import lay_out, page_settings, pdf_bytes
from .pieces import print_edition


def write_cover(book: Book, ctx: Context) -> bytes:
    pages = print_edition(ctx).pages
    return pdf_bytes(lay_out(cover_html(book, ctx, pages), ctx.theme), ctx, book.settings.pdf_variant)


def cover_html(book: Book, ctx: Context, pages: int) -> str:
    """The cover's document for a print edition of ``pages`` pages."""
    settings = book.settings
    panel, height = (points(length) for length in settings.trim)
    spine = spine_inches(pages, settings.pages_per_inch) * 72
    size = f"{2 * panel + spine:.2f}pt {height:.2f}pt"
    title_lines, subtitle_lines = cover_lines(book.metadata.title, book.metadata.subtitle)
    panels = {"panel": f"{panel:.2f}pt", "spine": f"{spine:.2f}pt", "height": f"{height:.2f}pt",
              "spine_text": spine_has_text(pages, settings.pages_per_inch),
              "title_lines": title_lines, "subtitle_lines": subtitle_lines,
              "barcode": barcode(book.metadata.isbn_print) if book.metadata.isbn_print else None}
    return ctx.renderer.render("pdf/cover.html.j2", stylesheets=FORMATS["cover"].styles,
                               page=page_settings(settings, "cover", size), cover=panels, design=COVER)


def barcode(isbn: str) -> dict:
    """The EAN-13 symbol of ``isbn`` as bars for the template: python-barcode encodes the digits
    (95 modules: guards, left digits in L/G sets chosen by the first, right digits); each run of
    dark modules becomes one bar, in module units. Guard bars reach below the digits, as printed."""
    from barcode import EAN13

    digits = isbn.replace("-", "")
    modules = EAN13(digits).build()[0]
    bars, start = [], None
    for x, module in enumerate(modules + "0"):
        if module == "1" and start is None:
            start = x
        elif module == "0" and start is not None:
            bars.append({"x": start, "width": x - start, "guard": start < 3 or 45 <= start < 50 or start >= 92})
            start = None
    return {"isbn": isbn, "modules": len(modules), "bars": bars,
            "digits": (digits[0], digits[1:7], digits[7:])}

