"""The Kindle edition: the EPUB as Send to Kindle and KDP take it. What they reject or mishandle, and
pandoc's and Quarto's users report year after year, is ruled out here:
- a language Kindle does not take: Send to Kindle fails with E999. The book's language (its primary
  subtag, which is all Send to Kindle reads) must be one KDP lists for e-books (KINDLE_LANGUAGES);
- a cover page beside the cover image: Kindle shows the cover image (the package's cover-image) and
  would show the page too; the edition has no cover document, and its cover is uploaded apart
  (the ebook-cover JPEG);
- an NCX nested deeper than two levels, which Kindle's Go To menu does not show: deeper entries follow
  their parent;
- a file over 50 MB: Send to Kindle documents 200 MB, but fails with E999 well below it;
- notes whose backlink is not first: Kindle's pop-up footnotes need it first, as every note here has it.
"""

from __future__ import annotations

from ..errors import ConfigError, Location, OutputError
from ..model import Book
from .context import Context
from .epub import package_rendition, rendition_of

# ISO 639-1 and 639-2 codes of the languages KDP publishes e-books in (kdp.amazon.com/help/topic/
# G200673300, as kindle-epub-fix recorded it on 2022-09-13).
KINDLE_LANGUAGES = frozenset("""
    af gsw ar eu nb br ca zh kw co da nl stq en fi fr fy gl de gu hi is ga it ja lb mr ml gv frr nn pl pt oc rm
    sco gd es sv ta cy afr ara eus baq nob bre cat zho chi cor cos dan nld dut eng fin fra fre fry glg deu ger guj
    hin isl ice gle ita jpn ltz mar mal glv nor nno por oci roh gla spa swe tam cym wel""".split())
MAX_BYTES = 50 * 1024 * 1024
NCX_DEPTH = 2


def write_kindle(book: Book, ctx: Context) -> bytes:
    language = book.metadata.language
    if language.split("-")[0].lower() not in KINDLE_LANGUAGES:
        raise ConfigError(Location(book.root / "book.toml"), f"Kindle does not take e-books in '{language}': Send to "
                          "Kindle refuses them (E999) and KDP does not list the language",
                          "leave 'kindle' out of [output] stores for this book (the manual lists the languages "
                          "Kindle takes)", code="kindle-language")
    rendition = rendition_of(book, ctx, cover_page=False, ncx_depth=NCX_DEPTH)
    data = package_rendition(book, ctx, rendition, "kindle")
    if len(data) > MAX_BYTES:
        raise OutputError(Location(book.root), f"the Kindle edition is {len(data) / 1024 / 1024:.0f} MB, over the "
                          f"{MAX_BYTES // 1024 // 1024} MB Send to Kindle takes", "make the pictures in images/ smaller",
                          code="kindle-size")
    return data
