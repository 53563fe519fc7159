"""One document laid out by WeasyPrint and written as a PDF, and what the stage reads off its pages
(notes that did not fit, the inside margin, where each page begins, where pictures are placed).

WeasyPrint has no public API for its page boxes; this module and compose.py read them. Every PDF
goes through finish.py (page labels, PDF/X, fixed bytes); the pipeline's guards read it back.
"""

from __future__ import annotations

import contextlib
import hashlib
import io

from ..errors import ResourceError
from ..model import Settings
from ..printing import PDFX_VARIANTS, SERVICES, book_pages
from ..theme import Theme
from .compose import MOVED, composed, composed_body
from .fetcher import VIRTUAL_ROOT, ThemeFetcher, sandboxed, weasyprint_log
from .finish import finish_pdf
from .pages import counted
from .prepress import PROFILE, Press
from .weasy import HTML, FootnoteAreaBox, MarginBox, ReplacedBox, TableBox, TextBox, require_harfbuzz_subset

BODY = "<body"  # where a document's body begins (the templates write one <body> element)
OWN_TEXT = ("::first-line", "::first-letter")  # pseudo-elements that hold an element's text, not generated content
POINTS_PER_PX = 0.75
OVERFLOW_PX = 0.5  # how far past the text block a box may reach before it is too wide (rounding)


def lay_out(html: str, theme: Theme, facing: bool = False):
    """HTML -> WeasyPrint Document (pages laid out and composed: compose.py, its pages justified to
    the foot if the book has ``facing`` pages); resource problems become ResourceError."""
    return lay_out_composed(html, theme, facing)[0]


def lay_out_composed(html: str, theme: Theme, facing: bool = False, body: str | None = None):
    """lay_out(), and the composed body (compose.composed_body); with ``body`` (one composed before
    for a document of the same body), ``html``'s head with that body, laid out once."""
    require_harfbuzz_subset()
    fetcher = ThemeFetcher(theme)
    if body is not None:
        html = f"{html[:html.index(BODY)]}{body}\n</html>\n"
    with sandboxed(fetcher), weasyprint_log(theme), own_design_failing(theme):
        source = HTML(string=html, base_url=VIRTUAL_ROOT, url_fetcher=fetcher)
        document = composed(source, facing, replay=body is not None)
    return document, composed_body(source)


@contextlib.contextmanager
def own_design_failing(theme: Theme):
    """A layout that fails inside WeasyPrint with a book's own stylesheets or templates (a font-size
    of millions of pixels overflows, a body of no width) is the book's error, naming them; with the
    defaults alone, the same failure is ours and stays an internal error."""
    try:
        yield
    except (ArithmeticError, ValueError, IndexError, RecursionError, MemoryError) as exc:
        own = theme.own_design()
        if not own:
            raise
        raise ResourceError(own[0], f"the PDF layout failed with the book's own stylesheets or templates "
                            f"({', '.join(path.name for path in own[:4])}{' …' if len(own) > 4 else ''}): "
                            f"{type(exc).__name__}: {str(exc)[:200]}",
                            "undo the last change to them; keep sizes within a page", code="layout-failed") from None


def body_key(html: str) -> str:
    """What a document's body is, as a digest: two documents with the same key differ at most in
    their heads (a piece's folios), so one's composition is the other's (lay_out_composed)."""
    return hashlib.sha256(html[html.index(BODY):].encode()).hexdigest()


def pdf_bytes(document, theme: Theme, variant: str, front_pages: int = 0, tags: bool = False,
              ink: str = "black") -> bytes:
    """Write the laid-out ``document`` and label its pages (``front_pages`` in roman); a PDF/X
    ``variant`` goes to press in ``ink`` (prepress.INKS) with the theme's output profile."""
    return finish_pdf(written(document, theme, variant, tags), front_pages, press(theme, variant, ink))


def press(theme: Theme, variant: str, ink: str) -> Press | None:
    """How a PDF/X ``variant`` goes to press (None: not PDF/X)."""
    return Press(variant, theme.read(PROFILE, None), ink) if variant in PDFX_VARIANTS else None


def written(document, theme: Theme, variant: str, tags: bool = False) -> bytes:
    """The laid-out ``document`` as WeasyPrint writes it (finish_pdf gives the file its /ID)."""
    out = io.BytesIO()
    with sandboxed(document.url_fetcher), weasyprint_log(theme):
        document.write_pdf(out, pdf_variant=variant or None, pdf_tags=tags)
    return out.getvalue()


def unfit_notes(document) -> set[str]:
    """The ids of notes WeasyPrint could not set at the foot of the page of their call: a note area
    that rises above the page's top edge (its start is cut off), a note called but never set (it is
    lost), or a note set on another page than its call (deferred: too long for what is left of the
    page, and its line could not move with it)."""
    called, placed, cut, elsewhere = set(), set(), set(), set()
    for page in document.pages:
        box = page._page_box  # no public API for the footnote area
        root, *areas = box.children or [box]
        here = {b.element.get("id") for b in root.descendants() if (b.element_tag or "").endswith("::footnote-call")}
        called |= here
        for area in (a for a in areas if isinstance(a, FootnoteAreaBox)):
            notes = {b.element.get("id") for b in area.children}
            placed |= notes
            cut |= notes if area.position_y < box.content_box_y() - 0.5 else set()
            elsewhere |= notes - here
    return (called - placed) | cut or elsewhere  # a note deferred by another that is cut may fit once that one moves


def wide_tables(document) -> dict[str, float]:
    """The tables wider than the text block, by id (a split table's, data-table), each with its width
    over the text block's at its widest: what the next round sets smaller or splits (widetables.py)."""
    found: dict[str, float] = {}
    for page in document.pages:
        box = page._page_box  # no public API for page boxes
        right = box.content_box_x() + box.width
        for table in (b for b in box.descendants() if isinstance(b, TableBox) and b.element is not None):
            name = table.element.get("data-table") or table.element.get("id")
            if name and table.border_box_x() + table.border_width() > right + OVERFLOW_PX:
                found[name] = max(found.get(name, 0.0), round(table.border_width() / box.width, 3))
    return found


def past_the_page(document) -> tuple[tuple[int, str, str, bool], ...]:
    """(page index, id of the section, the words, whether it is past the page's edge) of the first
    text or picture on each page that reaches past the page's edge, left or right (what a printer's
    trim or a desk printer's sheet would cut off), or of a picture wider than the text block."""
    found = []
    for index, page in enumerate(document.pages):
        box = page._page_box  # no public API for page boxes
        edge, measure = box.margin_width(), box.width
        for section, inner in boxes_in_sections(box, ""):
            past = inner.content_box_x() < -OVERFLOW_PX or inner.content_box_x() + inner.width > edge + OVERFLOW_PX
            if past or (isinstance(inner, ReplacedBox) and inner.width > measure + OVERFLOW_PX):
                what = getattr(inner, "text", "") or f"a picture ({inner.element.get('src')})"
                found.append((index, section, what, past))
                break
    return tuple(found)


def boxes_in_sections(box, section: str):
    """(id of the <section> around it, box) of each text and picture in ``box``."""
    if box.element_tag == "section" and box.element is not None:
        section = box.element.get("id") or section
    if isinstance(box, (TextBox, ReplacedBox)):
        yield section, box
    for child in getattr(box, "children", ()):
        yield from boxes_in_sections(child, section)


def inside_margin(document) -> float:
    """The inside margin of the first page (a recto: its left margin, or in a right-to-left book, whose
    rectos are left-hand pages, its right margin), in points."""
    box = document.pages[0]._page_box  # no public API for page boxes
    return (box.margin_right if box.style["direction"] == "rtl" else box.margin_left) * POINTS_PER_PX


def page_marks(pages) -> list[tuple[int, str, int]]:
    """Where each page begins, for the EPUB's page list: (page index, id of the innermost element with
    an id around its first word or picture, how many characters of that element earlier pages
    printed). Blank pages get no entry. A function of the laid-out pages alone."""
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
                yield number, box.element.get("src"), box.width * POINTS_PER_PX


def block_pages(laid_out: int, settings: Settings) -> int:
    """The book block's pages for ``laid_out`` pages: even, and at least what the service binds."""
    return book_pages(laid_out, SERVICES[settings.service].min_pages)


def side_of(index: int, rtl: bool = False) -> str:
    """The side of the book's page ``index`` (0: the first recto; a right-to-left book's rectos are
    left-hand pages, as its pages turn to the left)."""
    return "right" if (index % 2 == 0) != rtl else "left"
