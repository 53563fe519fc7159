"""The print edition's wraparound cover: back, spine and front on one sheet with bleed. Its spine
is as wide as the print edition's page count makes it; the front repeats the EPUB cover's design."""

from __future__ import annotations

from ..manuscript.labels import Labels
from ..model import Book
from ..printing import SERVICES, points, press_variant, spine_has_text, spine_inches
from ..render.artwork import COVER, cover_lines
from ..typeset.editions import TRIM, page_settings
from ..typeset.layout import lay_out, pdf_bytes
from . import FORMATS
from .context import Context

EAN_MODULE_MM = 0.33  # the module of an EAN symbol at 100 % size (GS1): 37.29 mm with its quiet zones


def write_cover(book: Book, ctx: Context) -> bytes:
    return pdf_bytes(lay_out(cover_html(book, ctx, ctx.layout.pages), ctx.theme), ctx.theme,
                     press_variant(book.settings.pdf_variant), ink="cmyk")


def cover_html(book: Book, ctx: Context, pages: int) -> str:
    """The cover's document for a print edition of ``pages`` pages."""
    settings = book.settings
    panel, height = (points(length) for length in settings.trim)
    spine = spine_inches(pages, settings.pages_per_inch) * 72
    size = f"{2 * panel + spine:.2f}pt {height:.2f}pt"
    title_lines, subtitle_lines = cover_lines(book.metadata.title, book.metadata.subtitle, ctx.renderer.cover_face)
    panels = {"panel": f"{panel:.2f}pt", "spine": f"{spine:.2f}pt", "height": f"{height:.2f}pt",
              "spine_text": spine_has_text(pages, settings.pages_per_inch, SERVICES[settings.service]),
              "title_lines": title_lines, "subtitle_lines": subtitle_lines,
              "barcode": barcode(book.metadata.isbn_print, settings.barcode_price, book.labels)
              if book.metadata.isbn_print else None}
    return ctx.renderer.render("pdf/cover.html.j2", stylesheets=ctx.renderer.styles(FORMATS["cover"].styles), grid="",
                               page=page_settings(settings, TRIM, size), cover=panels, design=COVER)


def barcode(isbn: str, price: str, labels: Labels) -> dict:
    """The EAN-13 symbol of ``isbn``, with the EAN-5 add-on of ``price`` when given, as Zint encodes
    and lays it out (guard bars longer, digits under the bars, the add-on's digits above it): its
    bars and digits in module units for the template, and its width at 100 % size."""
    import zint

    symbol = zint.Symbol()
    symbol.symbology = zint.Symbology.EANX
    symbol.encode(isbn.replace("-", "") + (f"+{price}" if price else ""))
    symbol.buffer_vector()
    vector = symbol.vector
    unit = min(r.width for r in vector.rectangles)  # EAN's narrowest bar is one module
    bars = [{"x": r.x / unit, "y": r.y / unit, "width": r.width / unit, "height": r.height / unit}
            for r in vector.rectangles]
    digits = [{"x": round(t.x / unit, 2), "y": round(t.y / unit, 2), "text": t.text, "size": round(t.fsize / unit, 2)}
              for t in vector.strings]
    width, height = vector.width / unit, vector.height / unit
    label = labels.fill("barcode_price", isbn=isbn, price=price) if price else labels.fill("barcode", isbn=isbn)
    return {"isbn": isbn, "price": price, "label": label, "bars": bars, "digits": digits, "width": width, "height": height,
            "width_mm": round(width * EAN_MODULE_MM, 2)}
