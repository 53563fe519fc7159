"""PDF layout with WeasyPrint, shared by the PDF formats: the only module that lays out (weasy.py
imports WeasyPrint for it), and the page map read off a layout for the EPUB's page list.

Resources are fetched only through the theme (book folder, then defaults); anything else, and any
resource that cannot be found, stops the build instead of being logged and skipped. Every PDF then
goes through finish.py (page labels, fixed bytes); the pipeline's guards read it back (checks/fonts.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
import mimetypes
import re
from urllib.parse import unquote, urlsplit

from PIL import Image

from ..css import checked_stylesheet
from ..errors import Location, ResourceError
from ..model import Book, Settings
from ..printing import (
    MIN_PPI,
    PDFX_VARIANTS,
    SERVICES,
    book_pages,
    effective_ppi,
    folio,
    gutter_inches,
)
from ..render.renderer import one_document
from ..theme import Theme
from ..vocabulary import note_number
from ..formats import FORMATS
from .compose import MOVED, composed
from ..formats.context import Context
from .finish import finish_pdf
from .pages import PageStart, counted
from .prepress import PROFILE, Press
from .stylesheets import STYLESHEET
from .weasy import (
    HTML,
    FatalURLFetchingError,
    FootnoteAreaBox,
    MarginBox,
    ReplacedBox,
    TextBox,
    URLFetcher,
    URLFetcherResponse,
    require_harfbuzz_subset,
)

OWN_TEXT = ("::first-line", "::first-letter")  # pseudo-elements that hold an element's text, not generated content
VIRTUAL_ROOT = "file:///book/"  # the base URL documents are laid out under; mapped onto the theme
NOTDEF_WARNING = ".notdef glyph rendered"  # WeasyPrint's word for a character no font has
PLACE = re.compile(r",? at (\d+):\d+")  # where WeasyPrint's messages put the line and column
IGNORED = re.compile(r"Ignored `(.*)`, (.*?)\.?$", re.S)  # its commonest message: a declaration it does not use
GUTTER_ROUNDS = 3  # relayouts allowed for a wider gutter: each can only add pages, and there are five bands
GUTTER_TOLERANCE_PT = 0.01


class ThemeFetcher(URLFetcher):
    """Serves file:///book/<relative> from the theme; refuses every other URL (http, ftp, data:, any
    other file://) before anything is opened, and any path that resolves outside the theme folders.
    WeasyPrint's own fetcher would read or download whatever a template or stylesheet names."""

    def __init__(self, theme: Theme):
        super().__init__(fail_on_errors=True)
        self.theme = theme
        self.refused: list[ResourceError] = []

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        relative = unquote(parts.path).removeprefix("/book/") if url.startswith(VIRTUAL_ROOT) else None
        try:
            data = None
            if relative and not parts.query:
                data = (checked_stylesheet(self.theme, relative) if relative.lower().endswith(".css")
                        else self.theme.read(relative, None))
        except ResourceError as exc:
            self.refused.append(exc)
            raise ValueError(str(exc)) from None
        if data is None:
            self.refused.append(ResourceError(None, f"the PDF asks for '{url[:200]}', which is not a file of the book",
                                              "refer to files in the book's images/ or styles/ folder by relative "
                                              "path; nothing is fetched from elsewhere", code="refused-url"))
            raise ValueError(f"refused {url}")
        content_type = mimetypes.guess_type(relative)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=data, headers={"Content-Type": content_type})

    def stylesheet_file(self, url: str):
        """The theme's file behind a stylesheet's URL, which WeasyPrint's messages about it do not
        name (stylesheets.parse reads it with this file named); None for any other URL."""
        return self.theme.find(unquote(urlsplit(url).path).removeprefix("/book/")) if url.startswith(VIRTUAL_ROOT) else None


@contextlib.contextmanager
def sandboxed(fetcher: ThemeFetcher):
    """WeasyPrint fetches while laying out (images, stylesheets, fonts) and while writing
    (<link rel=attachment>); a refused URL stops it either way and becomes the fetcher's error."""
    try:
        yield
    except FatalURLFetchingError:
        raise fetcher.refused[-1] from None


class Warnings(logging.Handler):
    """Collects WeasyPrint's warnings so the build can fail on them instead of scrolling past,
    each with the stylesheet it was reading (or None: a style in a template, the document)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[tuple[str, object]] = []

    def emit(self, record):
        message = record.getMessage()
        if not message.startswith(NOTDEF_WARNING):  # check.py names these with file and line
            self.messages.append((message, STYLESHEET.get()))

    def first(self, theme: Theme) -> ResourceError:
        """The first message, in the catalogue's words, at its stylesheet's line, or else at the
        template line that writes the declaration in a style attribute or element."""
        message, stylesheet = next(((m, s) for m, s in self.messages if s), self.messages[0])
        place = PLACE.search(message)
        text = PLACE.sub("", message)
        ignored = IGNORED.match(text)
        problem = (f"the PDF layout ignores '{ignored.group(1)}': {ignored.group(2)[:1].lower()}{ignored.group(2)[1:]}"
                   if ignored else f"WeasyPrint: {text}")
        where = (Location(stylesheet, int(place.group(1))) if stylesheet and place else stylesheet
                 or (template_line(theme, ignored.group(1)) if ignored else None))
        return ResourceError(where, problem,
                             "fix or remove it" if where else "fix the stylesheet or template it names",
                             code="bad-stylesheet")


def lay_out(html: str, theme: Theme, facing: bool = False):
    """HTML -> WeasyPrint Document (pages laid out and composed: compose.py, its pages justified to
    the foot if the book has ``facing`` pages); resource problems become ResourceError."""
    require_harfbuzz_subset()
    fetcher = ThemeFetcher(theme)
    with sandboxed(fetcher), weasyprint_log(theme):
        source = HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=fetcher)
        document = composed(source, facing)
    return document


def template_line(theme: Theme, declaration: str) -> Location | None:
    """The first template line (the book's own before the defaults) writing ``declaration``."""
    name, _, value = declaration.partition(":")
    written = re.compile(rf"{re.escape(name.strip())}\s*:\s*{re.escape(value.strip())}")
    for _, relative, path in sorted(theme.files()):
        if relative.startswith("templates/"):
            for number, line in enumerate(theme.read(relative, None).decode("utf-8", "replace").splitlines(), 1):
                if written.search(line):
                    return Location(path, number)
    return None


@contextlib.contextmanager
def weasyprint_log(theme: Theme):
    """Turn what WeasyPrint logs (a bad stylesheet, an unknown option) into an error."""
    logger = logging.getLogger("weasyprint")
    warnings = Warnings()
    logger.addHandler(warnings)
    try:
        yield warnings
    finally:
        logger.removeHandler(warnings)
    if warnings.messages:
        raise warnings.first(theme)


def pdf_bytes(document, ctx: Context, variant: str, front_pages: int = 0, tags: bool = False,
              ink: str = "black") -> bytes:
    """Write the laid-out ``document`` and label its pages (``front_pages`` in roman); a PDF/X
    ``variant`` goes to press in ``ink`` (prepress.INKS) with the theme's output profile."""
    return finish_pdf(written(document, ctx.theme, variant, tags), front_pages, press(ctx, variant, ink))


def press(ctx: Context, variant: str, ink: str) -> Press | None:
    """How a PDF/X ``variant`` goes to press (None: not PDF/X)."""
    return Press(variant, ctx.theme.read(PROFILE, None), ink) if variant in PDFX_VARIANTS else None


def written(document, theme: Theme, variant: str, tags: bool = False) -> bytes:
    """The laid-out ``document`` as WeasyPrint writes it (finish_pdf gives the file its /ID)."""
    out = io.BytesIO()
    with sandboxed(document.url_fetcher), weasyprint_log(theme):
        document.write_pdf(out, pdf_variant=variant or None, pdf_tags=tags)
    return out.getvalue()


def page_settings(settings: Settings, profile: str, size: str | None = None, gutter: float = 0.0,
                  side: str | None = None) -> dict:
    """The @page settings of a PDF. Handout pages go to an office printer: no bleed, no marks. The
    cover has bleed all round. Print pages have it where the service trims (printing.SERVICES):
    for print-on-demand only on the outside, top and bottom, so left and right pages differ, and
    an inside margin of ``gutter`` inches when the design's is narrower than the service asks.
    ``side`` ('left') sets every page as that side: the blank page that ends a book block."""
    if profile == "handout":
        return {"size": settings.handout_paper, "bleed": "0", "marks": "none", "sides": ()}
    service = SERVICES[settings.service]
    marks = "crop" if (service.marks if settings.marks is None else settings.marks) else "none"
    page = {"size": size or " ".join(settings.trim), "bleed": settings.bleed, "marks": marks, "sides": ()}
    if profile == "print" and (service.bleed_sides != "all" or gutter):
        bleed = settings.bleed
        sides = {"left": {"bleed": f"{bleed} 0 {bleed} {bleed}", "inside": "right"},
                 "right": {"bleed": f"{bleed} {bleed} {bleed} 0", "inside": "left"}}
        if service.bleed_sides == "all":
            sides = {name: {**values, "bleed": bleed} for name, values in sides.items()}
        page["sides"] = tuple({"selector": "" if side else f":{name}", **values, "gutter": f"{gutter:g}in" if gutter else ""}
                              for name, values in sides.items() if side in (None, name))
    return page


def document_html(ctx: Context, profile: str, gutter: float = 0.0) -> str:
    """The single HTML document the PDF of ``profile`` ('print' or 'handout') is laid out from."""
    front, body = ctx.renderer.front_and_body(profile)
    return profile_html(ctx, profile, f"pdf/{profile}.html.j2", front, body, gutter)


def profile_html(ctx: Context, profile: str, template: str, front: dict, sections: list, gutter: float = 0.0,
                 **more) -> str:
    """``template`` rendered with what a PDF document of ``profile`` shows (also one print piece's)."""
    renderer = ctx.renderer
    return renderer.render(template, stylesheets=FORMATS[profile].styles,
                           page=page_settings(renderer.book.settings, profile, gutter=gutter),
                           contents=renderer.contents(one_document), front=front, sections=sections,
                           typeface=renderer.typeface,
                           printing=renderer.view["printing_line"] if profile == "print" else "", **more)


def shared_layout(ctx: Context, profile: str):
    """The laid-out document of a profile, made once per build and shared (PDF, page mapping). A note
    too long for the foot of a page would be cut off or lost: it is set after its chapter instead, and
    each caller (each format with its own notices) is told."""
    document = layout_once(ctx, profile)
    warn_long_notes(ctx, profile, ctx.renderer.notes_after_text.get(profile, frozenset()))
    return document


def layout_once(ctx: Context, profile: str):
    """shared_layout() without its warnings."""
    if profile not in ctx.layouts:
        facing = profile == "print"
        document = lay_out(document_html(ctx, profile), ctx.theme, facing)
        unfit = unfit_notes(document)
        if unfit:
            ctx.renderer.keep_notes_after_text(profile, unfit)
            document = lay_out(document_html(ctx, profile), ctx.theme, facing)
        ctx.layouts[profile] = with_gutter(document, ctx) if profile == "print" else document
    return ctx.layouts[profile]


def unfit_notes(document) -> set[str]:
    """The ids of notes WeasyPrint could not set at the foot of a page: a note area that rises above
    the page's top edge (its start is cut off), or a note called but never set (it is lost)."""
    called, placed, cut = set(), set(), set()
    for page in document.pages:
        box = page._page_box  # no public API for the footnote area
        root, *areas = box.children or [box]
        called |= {b.element.get("id") for b in root.descendants() if (b.element_tag or "").endswith("::footnote-call")}
        for area in (a for a in areas if isinstance(a, FootnoteAreaBox)):
            notes = {b.element.get("id") for b in area.children}
            placed |= notes
            cut |= notes if area.position_y < box.content_box_y() - 0.5 else set()
    return (called - placed) | cut


def warn_long_notes(ctx: Context, profile: str, note_ids: frozenset[str]) -> None:
    for chapter in ctx.renderer.book.chapters:
        numbers = sorted(note_number(i) for i in note_ids if i.startswith(f"{chapter.id}-note-"))
        if numbers:
            ctx.notices.warn(chapter.source, f"note {', '.join(map(str, numbers))} is longer than the foot of a "
                             f"{profile} page can hold; it is printed after the chapter's text instead",
                             "shorten the note, or set notes = \"chapter-end\" in book.toml's [structure]",
                             code="long-note")


def with_gutter(document, ctx: Context):
    """The print layout with the inside margin its service asks for its page count: the count is
    known only after a layout, so a design's gutter narrower than the band's is widened and the
    book laid out again, until the count stays in a band the gutter satisfies."""
    service = SERVICES[ctx.renderer.book.settings.service]
    design = inside_margin(document)
    for _ in range(GUTTER_ROUNDS):
        needed = gutter_inches(service, book_pages(len(document.pages)))
        if inside_margin(document) >= needed * 72 - GUTTER_TOLERANCE_PT:
            break
        document = lay_out(document_html(ctx, "print", gutter=max(needed, design / 72)), ctx.theme, facing=True)
    return document


def inside_margin(document) -> float:
    """The inside margin of the first page (a right-hand page: its left margin), in points."""
    return document.pages[0]._page_box.margin_left * 0.75  # CSS px; no public API for page boxes


def front_matter_pages(document, book: Book) -> int:
    """Pages before the one where the first part begins: they carry roman folios."""
    first = book.body_start.id
    return next(n for n, page in enumerate(document.pages) if first in page.anchors)


def map_pages(pages, front_pages: int) -> tuple[PageStart, ...]:
    """For each page that prints anything: its folio, the innermost element with an id around its
    first word or picture, and how many characters of that element earlier pages printed. Blank
    pages carry no folio and get no entry. A function of the laid-out pages alone."""
    return tuple(PageStart(folio(index, front_pages), element_id, before)
                 for index, element_id, before in page_marks(pages))


def page_marks(pages) -> list[tuple[int, str, int]]:
    """map_pages() with page indexes for folios: (index, element id, characters before)."""
    printed: dict[str, int] = {}  # element id -> counted characters laid out so far
    marks = []
    for index, page in enumerate(pages):
        first = {}  # moved or not -> the page's first mark of that kind
        for ids, text, picture, moved in page_content(page._page_box, ()):  # no public API for boxes
            if moved not in first and ids and (picture or counted(text)):
                first[moved] = (index, ids[-1], printed.get(ids[-1], 0))
            for element_id in ids:
                printed[element_id] = printed.get(element_id, 0) + counted(text)
        if first:  # a page does not begin at a float moved later than the EPUB has it
            marks.append(first.get(False, first.get(True)))
    return marks


def page_content(box, ids: tuple[str, ...], moved: bool = False):
    """(ids of the elements around it, text, is a picture, is in a float compose.py moved) for each
    text and picture in ``box``, in reading order. Folios, running heads and generated content (::before, ::after, list markers)
    are not the book's text: the EPUB does not have them. A first line or letter styled apart
    (::first-line, ::first-letter) is the element's own text."""
    tag = box.element_tag or ""
    if isinstance(box, MarginBox) or ("::" in tag and not tag.endswith(OWN_TEXT)):
        return
    element_id = box.element.get("id") if box.element is not None else None
    if element_id and element_id not in ids:
        ids = (*ids, element_id)
    moved = moved or (box.element is not None and box.element.get(MOVED) is not None)
    if isinstance(box, (TextBox, ReplacedBox)):
        yield ids, getattr(box, "text", ""), isinstance(box, ReplacedBox), moved
    for child in getattr(box, "children", ()):
        yield from page_content(child, ids, moved)


def placed_images(document):
    """(page number, src, placed width in points) of every <img> in the layout."""
    for number, page in enumerate(document.pages, 1):
        for box in page._page_box.descendants():  # WeasyPrint has no public API for placed boxes
            if box.element_tag == "img" and box.element is not None:
                yield number, box.element.get("src"), box.width * 0.75  # CSS px -> pt


def warn_low_resolution(placed, book: Book, ctx: Context) -> None:
    """Warn of each picture of ``placed`` (placed_images()) printed below MIN_PPI."""
    figures = {f.image.href: f for f in book.figures}
    for number, src, width in placed:
        figure = figures[unquote(src)]  # a URL; the figure's href is the file's name
        with Image.open(figure.image.path) as picture:
            pixels = picture.width
        ppi = effective_ppi(pixels, width)
        if ppi < MIN_PPI:
            needed = round(MIN_PPI * width / 72)
            ctx.notices.warn(figure.where, f"'{figure.image.href}' prints at {ppi:.0f} ppi on page {number}, below {MIN_PPI}",
                             f"use a picture at least {needed} pixels wide (it has {pixels})", code="low-resolution")



def book_block(document, ctx: Context):
    """The print edition's pages, as many as its book block has (block_pages()): blank pages after
    the last, each laid out with the @page rule of its side (same boxes, same crop marks)."""
    count = len(document.pages)
    total = block_pages(count, ctx.renderer.book.settings)
    if total == count:
        return document
    sides = [side_of(index) for index in range(count, total)]
    blanks = {side: lay_out(blank_html(ctx, side), ctx.theme).pages[0] for side in dict.fromkeys(sides)}
    return document.copy([*document.pages, *(blanks[side] for side in sides)])


def block_pages(laid_out: int, settings: Settings) -> int:
    """The book block's pages for ``laid_out`` pages: even, and at least what the service binds."""
    return book_pages(laid_out, SERVICES[settings.service].min_pages)


def side_of(index: int) -> str:
    """The side of the book's page ``index`` (0: the first recto)."""
    return "left" if index % 2 else "right"


def blank_html(ctx: Context, side: str) -> str:
    """A blank print page of ``side``: what ends a piece of odd length or pads a short book."""
    return ctx.renderer.render("pdf/document.html.j2", stylesheets=(),
                               page=page_settings(ctx.renderer.book.settings, "print", side=side))
