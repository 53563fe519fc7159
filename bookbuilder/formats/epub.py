"""EPUB 3 packaging with ebooklib: the only module that imports it.

ebooklib is used as a packager of documents rendered elsewhere. We never hand it EpubHtml (it
re-parses the content and drops <head>/<body> attributes) nor EpubNav/EpubNcx (it writes its own,
with a broken page-list): our nav and NCX are plain items. It also stamps the zip with the clock,
so the archive is rewritten with fixed timestamps and order.
"""

from __future__ import annotations

import io
import zipfile

from ebooklib import epub

from ..css import checked_stylesheet
from ..model import Book
from ..stores import picture_limits
from ..vocabulary import COVER, PRIMARY_ROLES, ROLES, TOC, XML, document_name
from . import FORMATS
from .accessibility import accessibility
from .context import Context
from .epub_documents import EpubRendition, cover_bytes, epub_rendition, stylesheets
from .pictures import fitted

XHTML = "application/xhtml+xml"
ZIP_FIRST, ZIP_LAST = (1980, 1, 1, 0, 0, 0), (2107, 12, 31, 23, 59, 58)  # the years a ZIP timestamp can hold
XML_LANG = f"{{{XML}}}lang"


class Writer(epub.EpubWriter):
    """ebooklib's writer, plus xml:lang on the package element."""

    def _write_opf_file(self, root):
        root.set(XML_LANG, self.book.language)
        super()._write_opf_file(root)


def write_epub(book: Book, ctx: Context) -> bytes:
    return package_rendition(book, ctx, rendition_of(book, ctx), "epub")


def rendition_of(book: Book, ctx: Context, **options) -> EpubRendition:
    """The EPUB's documents, which the store editions (kepub.py, kindle.py) change or ask for with
    ``options`` (epub_rendition's)."""
    return epub_rendition(ctx.renderer, ctx.renderer.styles(stylesheets(book, FORMATS["epub"].styles), pdf=False),
                          ctx.page_starts, **options)


def package_rendition(book: Book, ctx: Context, rendition: EpubRendition, edition: str) -> bytes:
    """``rendition`` as an EPUB file: its documents, stylesheets, cover and pictures (within the limits
    of the stores that take ``edition``: stores.picture_limits), and the metadata."""
    max_bytes, max_pixels = picture_limits(book.settings.stores, edition)
    package = epub.EpubBook()
    package.metadata = {}  # drop ebooklib's generator meta: it varies with the library version
    if book.labels.direction == "rtl":
        package.set_direction("rtl")  # the spine's page-progression-direction: pages turn to the left
    describe(package, book)
    describe_pagination(package, book, ctx, rendition)
    describe_accessibility(package, book, rendition)
    spine = []
    for doc in rendition.documents:
        item = epub.EpubItem(uid=doc.id, file_name=doc.filename, media_type=XHTML, content=doc.html.encode())
        item.properties = ["nav"] if doc.id == TOC else []
        package.add_item(item)
        spine.append(item)
    package.spine = spine
    package.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type="application/x-dtbncx+xml",
                                   content=rendition.ncx.encode()))
    for n, href in enumerate(rendition.stylesheets, 1):
        package.add_item(epub.EpubItem(uid=f"css-{n}", file_name=href, media_type="text/css",
                                       content=checked_stylesheet(ctx.theme, href)))
    cover = epub.EpubItem(uid="cover-image", file_name=rendition.cover_href, media_type=cover_type(book),
                          content=fitted(cover_bytes(book, ctx), max_bytes, max_pixels))
    cover.properties = ["cover-image"]
    package.add_item(cover)
    package.add_metadata(None, "meta", "", {"name": "cover", "content": "cover-image"})
    for n, image in enumerate(book.images, 1):
        package.add_item(epub.EpubItem(uid=f"image-{n}", file_name=image.href, media_type=image.media_type,
                                       content=fitted(image.path.read_bytes(), max_bytes, max_pixels)))
    first = next(d for d in rendition.documents if d.id == book.body_start.id)
    package.guide = [
        *([{"href": document_name(COVER), "title": book.labels["cover"], "type": "cover"}]
          if any(d.id == COVER for d in rendition.documents) else []),
        {"href": document_name(TOC), "title": book.labels["contents"], "type": "toc"},
        {"href": first.filename, "title": first.title, "type": "text"},
    ]
    raw = io.BytesIO()
    writer = Writer(raw, package, {"mtime": ctx.timestamp, "epub2_guide": True})
    writer.process()
    writer.write()
    return normalise_zip(raw.getvalue(), ctx.timestamp.timetuple()[:6])


def describe(package: epub.EpubBook, book: Book) -> None:
    meta = book.metadata
    package.set_identifier(meta.identifier)
    if meta.isbn_epub:
        package.add_metadata("DC", "identifier", "urn:isbn:" + meta.isbn_epub.replace("-", ""), {"id": "isbn"})
    package.set_language(meta.language)
    package.add_metadata("DC", "title", meta.title, {"id": "title"})
    package.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
    if meta.subtitle:
        package.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
        package.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
    for n, person in enumerate(meta.contributors, 1):
        element = "creator" if person.role in PRIMARY_ROLES else "contributor"
        uid = f"{element}-{n}"
        package.add_metadata("DC", element, person.name, {"id": uid})
        # Readers (Calibre, Kobo) take as the author only a creator with the role 'aut': an
        # interviewee, who is the book's creator, carries both.
        roles = dict.fromkeys(["aut", ROLES[person.role]] if element == "creator" else [ROLES[person.role]])
        for role in roles:
            package.add_metadata(None, "meta", role,
                                 {"refines": f"#{uid}", "property": "role", "scheme": "marc:relators"})
        package.add_metadata(None, "meta", person.sort_as, {"refines": f"#{uid}", "property": "file-as"})
    package.add_metadata("DC", "date", meta.date.isoformat())
    for name in ("publisher", "rights", "description", "source"):
        if getattr(meta, name):
            package.add_metadata("DC", name, getattr(meta, name))
    for subject in meta.subjects:
        package.add_metadata("DC", "subject", subject)
    if meta.series:
        package.add_metadata(None, "meta", meta.series, {"property": "belongs-to-collection", "id": "series"})
        package.add_metadata(None, "meta", "series", {"refines": "#series", "property": "collection-type"})
        if meta.series_number:
            package.add_metadata(None, "meta", str(meta.series_number), {"refines": "#series",
                                                                         "property": "group-position"})


def describe_pagination(package: epub.EpubBook, book: Book, ctx: Context, rendition: EpubRendition) -> None:
    """Name the print edition the page list follows ('source-of pagination', EPUB 3.2 and later;
    EPUBCheck 4.2.6 refuses the older pageBreakSource)."""
    if not rendition.page_list:
        return
    width, height = book.settings.trim
    edition = f"{ctx.renderer.view['full_title']}, print edition ({width} × {height})"
    if book.metadata.publisher:
        edition += f", {book.metadata.publisher}, {book.metadata.date.year}"
    package.add_metadata("DC", "source", edition, {"id": "print-edition"})
    package.add_metadata(None, "meta", "pagination", {"refines": "#print-edition", "property": "source-of"})


def describe_accessibility(package: epub.EpubBook, book: Book, rendition: EpubRendition) -> None:
    """EPUB Accessibility 1.1 metadata, worked out from the book and this rendition."""
    facts = accessibility(book, tuple(p.label for p in rendition.page_list))
    for prop, values in (("accessMode", facts.modes), ("accessModeSufficient", facts.sufficient),
                         ("accessibilityFeature", facts.features), ("accessibilityHazard", facts.hazards),
                         ("accessibilitySummary", (facts.summary,))):
        for value in values:
            package.add_metadata(None, "meta", value, {"property": f"schema:{prop}"})
    if facts.conforms_to:
        package.add_metadata(None, "meta", facts.conforms_to, {"property": "dcterms:conformsTo", "id": "conformance"})
        package.add_metadata(None, "meta", facts.certified_by, {"property": "a11y:certifiedBy",
                                                                 "refines": "#conformance"})


def cover_type(book: Book) -> str:
    return book.cover.media_type if book.cover else "image/png"


def normalise_zip(data: bytes, date_time: tuple) -> bytes:
    """Same entries, fixed timestamps: 'mimetype' first and stored, the rest deflated in order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        names = ["mimetype"] + [n for n in source.namelist() if n != "mimetype"]
        for name in names:
            info = zipfile.ZipInfo(name, date_time=min(max(date_time, ZIP_FIRST), ZIP_LAST))
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(name), compresslevel=9)
    return out.getvalue()
