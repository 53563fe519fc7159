"""The stores a book goes out through (book.toml's [output] stores): the e-book edition each takes
and the limits of its ingestion, as each store's guide states them. Plain data, read by the build's
choice of outputs (pipeline.build.chosen_formats), the store editions' writers and the store
preflight of 'make-book check' (checks/stores.py).
"""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Store:
    label: str
    edition: str  # the format row of the e-book it takes
    image_bytes: int | None = None  # the largest picture file it takes
    image_pixels: int | None = None  # the most pixels in one picture
    document_bytes: int | None = None  # the largest XHTML document
    book_bytes: int | None = None  # the largest e-book file
    table_columns: int | None = None  # wider tables may not show whole
    ncx_depth: int | None = None  # levels of the NCX its reader shows


STORES = {
    # Kobo's EPUB and KEPUB guidelines: pictures up to 5 MB, documents up to 10 MB, tables of more
    # than four columns may not fit the screen.
    "kobo": Store("Kobo", "kepub", image_bytes=5 * MB, document_bytes=10 * MB, table_columns=4),
    # Send to Kindle and KDP: E999 above about 50 MB; the Go To menu shows two levels.
    "kindle": Store("Kindle", "kindle", book_bytes=50 * MB, ncx_depth=2),
    # Apple Books: pictures up to 4 million pixels.
    "apple": Store("Apple Books", "epub", image_pixels=4_000_000),
    "google": Store("Google Play Books", "epub"),
}
EBOOK_COVER = "ebook-cover"  # the format row of the cover JPEG the stores' upload forms take


def store_formats(stores: tuple[str, ...] | list[str]) -> list[str]:
    """The outputs the book's stores need: each one's e-book edition and the cover JPEG."""
    return [*dict.fromkeys(STORES[name].edition for name in stores), EBOOK_COVER] if stores else []


def picture_limits(stores: tuple[str, ...], edition: str) -> tuple[int | None, int | None]:
    """(bytes, pixels): the strictest limits of the stores that take ``edition``."""
    taking = [STORES[name] for name in stores if STORES[name].edition == edition]
    least = lambda values: min((v for v in values if v), default=None)  # noqa: E731
    return least(s.image_bytes for s in taking), least(s.image_pixels for s in taking)
