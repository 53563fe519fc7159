"""The print edition and the handout laid out piece by piece, then joined (join.py).

Every body section (part title, chapter, appendix …) of the print edition opens on a recto (print.css:
section.part { break-before: right }), and every one of the handout's opens a page, but the chapter
after a part's title (handout.css). So a section's pages depend only on its own text, the styles, the
settings, the page it starts on and the page numbers it prints for targets elsewhere (and, in the
handout, the page count its folios print: "3 / 40"). Each is a piece, laid out from its profile's
shell (``Plan.template``) with only those sections; the front matter (title page, contents …) is one
more. A link to a target in another piece cannot be resolved in the piece: it is written as
``xref:ID`` with the target's folio from the last round (the stylesheets print ``data-folio`` where
they would print target-counter()), and the pieces are laid out again, those whose HTML changed
only, until no start page and no printed number changes. The print edition's join then puts a blank
page after each piece of odd length, as the single document would have it.

The pieces are laid out in a process pool (``jobs``), each one cached by the SHA-256 of its HTML
(cache.PieceStore): its HTML holds everything that affects its pages but the tool, the theme files
and the settings, which the store's key holds.

A book whose folder replaces its profile's shell (pdf/print.html.j2, pdf/handout.html.j2) or one of
its stylesheets is laid out as one document (layout.shared_layout): its pages may not open each
section as the pieces assume; and so is a book the rounds do not settle (MAX_ROUNDS) and one whose
page count asks its print service for a wider gutter than the design's (layout.with_gutter widens
it, for KDP past 700 pages).

A PDF/X edition's pieces are written in its variant; the joined file goes to press once (finish.py:
colours converted, output intent, no annotations). The handout's pieces are tagged, and their
structure trees joined into one.
"""

from __future__ import annotations

import functools
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from types import SimpleNamespace

from markupsafe import Markup

from ..printing import SERVICES, book_pages, folio, gutter_inches, office_variant, press_variant
from ..formats import FORMATS
from .compose import RENDERS
from ..formats.context import Context
from .finish import finish_pdf
from .join import XREF, join_pieces
from .layout import (
    GUTTER_TOLERANCE_PT,
    blank_html,
    block_pages,
    book_block,
    front_matter_pages,
    inside_margin,
    lay_out,
    layout_once,
    map_pages,
    page_marks,
    pdf_bytes,
    placed_images,
    press,
    profile_html,
    side_of,
    unfit_notes,
    warn_long_notes,
    written,
)
from .pages import PageStart
from .stylesheets import PARSES
from .weasy import Document

MAX_ROUNDS = 6  # rounds of relayout for moved folios; a book that does not settle is one document
UNKNOWN_FOLIO = "0"  # a target's folio before the first round has placed it
POINTS_PER_PX = 0.75
ID = re.compile(r'\sid="([^"]+)"')
LINK = re.compile(r'href="#([^"]+)"')


@dataclass(frozen=True)
class Plan:
    """How the PDF of one profile is cut into pieces and joined."""

    profile: str  # 'print' or 'handout'
    shell: str  # the template a book may replace: then it is laid out as one document
    template: str  # the template of one piece
    facing: bool  # facing pages: each piece opens on a recto, front matter folios in roman, PDF/X
    tags: bool  # tagged (PDF/UA): the pieces' structure trees are joined

    def variant(self, ctx: Context) -> str:
        chosen = ctx.renderer.book.settings.pdf_variant
        return press_variant(chosen) if self.facing else office_variant(chosen)

    def length(self, pages: int) -> int:
        """The pages a piece of ``pages`` takes in the joined PDF (a blank page after an odd count)."""
        return book_pages(pages) if self.facing else pages

    def folio(self, index: int, front_pages: int) -> str:
        return folio(index, front_pages) if self.facing else str(index + 1)


PLANS = {"print": Plan("print", "templates/pdf/print.html.j2", "pdf/print-piece.html.j2", facing=True, tags=False),
         "handout": Plan("handout", "templates/pdf/handout.html.j2", "pdf/handout-piece.html.j2",
                         facing=False, tags=True)}


@dataclass(frozen=True)
class Piece:
    """What one piece's layout gives the join: plain data, for the process pool and the cache."""

    pdf: bytes
    pages: int
    anchors: dict  # element id -> index of the first of its pages that holds it
    marks: tuple  # layout.page_marks() of its pages
    bookmarks: tuple  # per page: (level, label, (x, y) in PDF points, state)
    placed: tuple  # (page index, src, width in points) of its pictures
    unfit: tuple  # ids of notes too long for the foot of a page
    inside: float  # the inside margin of its first page (a recto), in points
    renders: dict  # why -> WeasyPrint layouts its composition ran (compose.RENDERS)
    parses: int  # the most times one stylesheet was parsed in the process that laid it out, by then


PIECE_RECORD = [f.name for f in fields(Piece) if f.name != "pdf"]  # what the cache keeps beside the PDF


@dataclass(frozen=True)
class Edition:
    """A profile's PDF (for print the book block, labelled) and what the EPUB and the cover read off
    it. The PDF is written (pieces joined, colours converted) only when asked for: the EPUB's page
    list and the cover's spine need the layout, not the file."""

    write: Callable[[], bytes] = field(repr=False, compare=False)  # makes ``pdf``
    pages: int
    starts: tuple[PageStart, ...]
    placed: tuple  # (page number, src, width in points), for layout.warn_low_resolution
    padding: int = 0  # blank pages at the end that bring it to what its service binds
    log: tuple[PieceLog, ...] = ()  # how its pieces were made; () when laid out as one document
    rounds: int = 0  # rounds of layout it took (0: every piece came from the cache)

    @functools.cached_property
    def pdf(self) -> bytes:
        return self.write()


@dataclass(frozen=True)
class PieceLog:
    """How one piece of the edition was made, for the build's --verbose lines."""

    name: str  # 'front matter' or the section's chapter file
    folio: str  # the folio it starts on
    pages: int
    seconds: float | None  # its layout's time in this build; None: it came from the cache
    renders: dict = field(default_factory=dict)  # why -> WeasyPrint layouts of this build ({} from the cache)
    parses: int = 0  # the most times one stylesheet was parsed in the process that laid it out


def print_edition(ctx: Context) -> Edition:
    """The print edition, made once per build (the print PDF, the cover and the EPUB share it)."""
    return edition(ctx, "print")


def edition(ctx: Context, profile: str) -> Edition:
    """The PDF of ``profile``, laid out once per build, with its warnings."""
    made = laid_out_edition(ctx, profile)
    warn_long_notes(ctx, profile, ctx.renderer.notes_after_text.get(profile, frozenset()))
    return made


def is_laid_out(ctx: Context, profile: str) -> bool:
    return f"{profile}-edition" in ctx.layouts


def laid_out_edition(ctx: Context, profile: str) -> Edition:
    """edition() without its warnings."""
    if not is_laid_out(ctx, profile):
        plan, defaults = PLANS[profile], ctx.theme.defaults()
        split = all(ctx.theme.candidate(name) == defaults.candidate(name)
                    for name in (plan.shell, *FORMATS[profile].styles))
        ctx.layouts[f"{profile}-edition"] = (split and split_edition(ctx, plan)) or one_document_edition(ctx, plan)
    return ctx.layouts[f"{profile}-edition"]


def page_starts(ctx: Context) -> tuple[PageStart, ...]:
    """Where each page of the print edition begins, for the EPUB's page list (same layout as the PDF)."""
    return print_edition(ctx).starts


def one_document_edition(ctx: Context, plan: Plan) -> Edition:
    document = layout_once(ctx, plan.profile)
    if not plan.facing:
        return Edition(lambda: pdf_bytes(document, ctx, plan.variant(ctx), tags=plan.tags), len(document.pages),
                       map_pages(document.pages, 0), tuple(placed_images(document)))
    settings = ctx.renderer.book.settings
    front = front_matter_pages(document, ctx.renderer.book)
    return Edition(lambda: pdf_bytes(book_block(document, ctx), ctx, plan.variant(ctx), front, ink=settings.interior),
                   block_pages(len(document.pages), settings), map_pages(document.pages, front),
                   tuple(placed_images(document)), block_pages(len(document.pages), settings) - book_pages(len(document.pages)))


def split_edition(ctx: Context, plan: Plan) -> Edition | None:
    """The pieces laid out and joined, or None if the book has no body or its folios do not settle."""
    renderer, store = ctx.renderer, ctx.pieces(plan.profile) if ctx.pieces else None
    chapters = renderer.reading_order()[1]
    if not chapters:
        return None
    guess = store.guess() if store else {}
    starts, folios, total, pieces, current = guess.get("starts"), guess.get("folios", {}), guess.get("total", 0), [], None
    used = None  # the placement ``current`` was written with
    for _ in range(MAX_ROUNDS):
        front, body = renderer.front_and_body(plan.profile)
        groups = grouped(plan, chapters)
        starts = starts if starts and len(starts) == len(groups) else [1] * len(groups)
        placement = (starts, folios, total)
        htmls = current if placement == used else [  # the same placement writes the same HTML
            piece_html(ctx, plan, front, None, 1, folios, total),
            *(piece_html(ctx, plan, front, [body[i] for i in group], start, folios, total, n == len(groups) - 1)
              for n, (group, start) in enumerate(zip(groups, starts)))]
        if htmls == current:  # the last round laid them out: every folio they print is right
            if store:
                store.settle(htmls, {"starts": starts, "folios": folios, "total": total})
            if plan.facing and not gutter_suffices(ctx, pieces, starts):
                return None
            names = ["front matter", *(chapters[group[0]].source.name for group in groups)]
            times = ctx.layouts.get(f"{plan.profile}-piece-times", {})
            firsts = ["i" if plan.facing else "1", *map(str, starts)]
            log = tuple(PieceLog(name, first, piece.pages, times.get(html),
                                 *((piece.renders, piece.parses) if html in times else ()))
                        for name, first, piece, html in zip(names, firsts, pieces, htmls))
            return replace(joined(ctx, plan, pieces, starts), log=log,
                           rounds=ctx.layouts.get(f"{plan.profile}-rounds", 0))
        current, used = htmls, placement
        pieces = laid_out(ctx, plan, htmls)
        unfit = {note for piece in pieces for note in piece.unfit}
        if unfit:  # set after their chapters from now on: the next round lays those out again
            renderer.keep_notes_after_text(plan.profile, unfit)
            used = None
            continue
        starts, folios, total = placed(plan, pieces)
    return None


def grouped(plan: Plan, chapters: list) -> list[list[int]]:
    """The body sections of each piece, by index: one section per piece in print; in the handout a
    part's title and the chapter after it share one (handout.css opens a page before the part only)."""
    groups: list[list[int]] = []
    for index in range(len(chapters)):
        if groups and not plan.facing and chapters[index - 1].kind == "part":
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def gutter_suffices(ctx: Context, pieces: list[Piece], starts: list[int]) -> bool:
    """The design's inside margin is at least what the print service asks for the book's page count."""
    total = book_pages(pieces[0].pages) + starts[-1] - 1 + book_pages(pieces[-1].pages)
    needed = gutter_inches(SERVICES[ctx.renderer.book.settings.service], total)
    return pieces[0].inside >= needed * 72 - GUTTER_TOLERANCE_PT


def piece_html(ctx: Context, plan: Plan, front: dict, sections: list[Markup] | None, start: int,
               folios: dict[str, str], total: int, last: bool = False) -> str:
    """The document of one piece: the front matter (``sections`` None) or body sections starting
    on page ``start`` (of ``total``, which the handout's folios print); links to other pieces carry
    their target's folio."""
    html = profile_html(ctx, plan.profile, plan.template, front, sections or [],
                        piece={"front": sections is None, "start": start, "total": total, "last": last,
                               "running_title": css_string(ctx.renderer.book.metadata.title)})
    own = set(ID.findall(html))
    return LINK.sub(lambda link: link.group(0) if link.group(1) in own else
                    f'href="{XREF}{link.group(1)}" data-folio="{folios.get(link.group(1), UNKNOWN_FOLIO)}"', html)


def css_string(text: str) -> Markup:
    """``text`` for a CSS string in a <style> element: every character but letters, digits and
    spaces escaped, so no quote or tag can end it."""
    return Markup("".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text))


def placed(plan: Plan, pieces: list[Piece]) -> tuple[list[int], dict[str, str], int]:
    """Where the pieces fall in the PDF: each body piece's first folio, every element's folio, and
    the page count."""
    front_pages = plan.length(pieces[0].pages)
    firsts, index = [], 0
    for piece in pieces:
        firsts.append(index)
        index += plan.length(piece.pages)
    folios = {element: plan.folio(first + page, front_pages) for piece, first in zip(pieces, firsts)
              for element, page in piece.anchors.items()}
    offset = front_pages if plan.facing else 0  # print numbers the body from 1, the handout every page
    return [first - offset + 1 for first in firsts[1:]], folios, index


def joined(ctx: Context, plan: Plan, pieces: list[Piece], starts: list[int]) -> Edition:
    front_pages = plan.length(pieces[0].pages)
    firsts = [0, *(start - 1 + (front_pages if plan.facing else 0) for start in starts)]
    marks = tuple(PageStart(plan.folio(first + index, front_pages), element, before)
                  for piece, first in zip(pieces, firsts) for index, element, before in piece.marks)
    placed_pictures = tuple((first + index + 1, src, width)
                            for piece, first in zip(pieces, firsts) for index, src, width in piece.placed)
    laid = firsts[-1] + plan.length(pieces[-1].pages)
    total = block_pages(laid, ctx.renderer.book.settings) if plan.facing else laid
    return Edition(functools.partial(joined_pdf, ctx, plan, pieces, firsts, total - laid), total, marks,
                   placed_pictures, total - laid)


def joined_pdf(ctx: Context, plan: Plan, pieces: list[Piece], firsts: list[int], padding: int) -> bytes:
    """The pieces' PDFs joined, each starting on page index ``firsts[n]``, and ``padding`` blank
    pages after them (an even number, from a recto); labelled and finished."""
    settings, variant = ctx.renderer.book.settings, plan.variant(ctx)
    sides = [side_of(index) for index in range(padding)]  # the padding starts on a recto
    if plan.facing and any(piece.pages % 2 for piece in pieces):
        sides.append("left")  # after each piece of odd length
    blank = {side: written(lay_out(blank_html(ctx, side), ctx.theme), ctx.theme, variant) for side in dict.fromkeys(sides)}
    pages = [(first + i, marks) for piece, first in zip(pieces, firsts) for i, marks in enumerate(piece.bookmarks)]
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=bookmarked(pages)))  # WeasyPrint's nesting
    tail = [blank[side] for side in sides[:padding]]
    data = join_pieces([piece.pdf for piece in pieces], blank.get("left"), tree, tail, tags=plan.tags)
    front_pages = plan.length(pieces[0].pages) if plan.facing else 0
    return finish_pdf(data, front_pages, press(ctx, variant, settings.interior))


def bookmarked(pages: list[tuple[int, tuple]]) -> list:
    """Page stand-ins for WeasyPrint's make_bookmark_tree: every page of the book with its bookmarks
    (already in PDF points), blank pages with none."""
    total = pages[-1][0] + 1 if pages else 0
    marks = dict(pages)
    return [SimpleNamespace(bookmarks=marks.get(i, ()), height=0) for i in range(total)]


def laid_out(ctx: Context, plan: Plan, htmls: list[str]) -> list[Piece]:
    """The pieces of ``htmls``: each laid out once per build, or not at all while the cache has it;
    those to lay out in the build's processes."""
    memo = ctx.layouts.setdefault(f"{plan.profile}-pieces", {})
    store = ctx.pieces(plan.profile) if ctx.pieces else None
    todo = []
    for html in dict.fromkeys(htmls):
        found = store.load(html) if store and html not in memo else None
        if found:
            data, record = found
            memo[html] = Piece(data, **{name: record[name] for name in PIECE_RECORD})
        elif html not in memo:
            todo.append(html)
    if todo:
        ctx.layouts[f"{plan.profile}-rounds"] = ctx.layouts.get(f"{plan.profile}-rounds", 0) + 1
    times = ctx.layouts.setdefault(f"{plan.profile}-piece-times", {})  # HTML -> seconds, of those laid out here
    calls = [(html, ctx.theme, plan.variant(ctx), plan.facing, plan.tags) for html in todo]
    for html, (piece, seconds) in zip(todo, ctx.pool(lay_out_piece, calls)):
        memo[html], times[html] = piece, seconds
        if store:
            store.save(html, piece.pdf, {name: getattr(piece, name) for name in PIECE_RECORD})
    return [memo[html] for html in htmls]


def lay_out_piece(html: str, theme, variant: str, facing: bool = True, tags: bool = False) -> tuple[Piece, float]:
    """One piece laid out and written, and how long that took."""
    started, before = time.perf_counter(), Counter(RENDERS)
    document = lay_out(html, theme, facing)
    pages = document.pages
    anchors = {element: index for index in reversed(range(len(pages))) for element in pages[index].anchors}
    bookmarks = tuple(tuple((level, label, (x * POINTS_PER_PX, (page.height - y) * POINTS_PER_PX), state)
                            for level, label, (x, y), state in page.bookmarks) for page in pages)
    piece = Piece(written(document, theme, variant, tags), len(pages), anchors, tuple(page_marks(pages)), bookmarks,
                  tuple((number - 1, src, width) for number, src, width in placed_images(document)),
                  tuple(sorted(unfit_notes(document))), inside_margin(document), dict(RENDERS - before),
                  max(PARSES.values(), default=0))
    return piece, time.perf_counter() - started
