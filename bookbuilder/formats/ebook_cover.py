"""The e-book's cover as the JPEG the stores' upload forms take beside the e-book (KDP asks for it
apart from the EPUB; Kobo, Apple and Google take it too): the EPUB's cover image (the book's own
images/cover.*, else the one drawn from its title), at most COVER_WIDTH pixels wide and never
upscaled, in RGB with no metadata."""

from __future__ import annotations

import io

from PIL import Image

from ..model import Book
from .context import Context
from .epub_documents import cover_bytes
from .pictures import JPEG_QUALITY

COVER_WIDTH = 1600  # KDP's ideal e-book cover is 1,600 × 2,560; Kobo and Apple ask for at least 1,400 wide


def write_ebook_cover(book: Book, ctx: Context) -> bytes:
    with Image.open(io.BytesIO(cover_bytes(book, ctx))) as cover:
        picture = cover.convert("RGB")
    if picture.width > COVER_WIDTH:
        picture = picture.resize((COVER_WIDTH, round(picture.height * COVER_WIDTH / picture.width)), Image.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()
