"""An edition laid out: its pieces (pieces.py) laid out in rounds until every folio they print is
right, then joined (join.py) and finished. One path: a book laid out as one document is a book of
one piece, and goes through the same rounds, join, page map, notes and padding.

A round lays out the pieces whose HTML changed since the last (the rest come from this build's
memo or the cache, cache.PieceStore, by the SHA-256 of their HTML), in the build's processes
(``pool``). What it finds feeds the next round's documents: where each piece starts and every
target's folio (Placement); the notes too long for the foot of a page, set after their chapter's
text from then on; and, for facing pages, the gutter the print service asks for the page count when
the design's inside margin is narrower (KDP past 700 pages). It ends when a round would write the
same documents it just laid out. The cache keeps the last placement as the next build's first guess.

A book whose folder replaces its edition's shell template or one of its stylesheets is laid out as
one piece: its pages may not open each section as the pieces assume; and so is a book whose pieces
do not settle in MAX_ROUNDS. (An edition's files that only a book folder has, a new edition's, are
its own, not replacements.)
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

from ..errors import ManuscriptError
from ..notices import Notice
from ..printing import SERVICES, book_pages, folio, gutter_inches
from ..render.editions import Fitting
from ..render.renderer import Renderer
from ..render.widetables import MAX_GROUPS, SMALLER
from ..scripts import require_faces
from .editions import Edition
from .grid import grid_spacing
from .layout import body_key
from .pages import PageStart
from .pieces import PIECE_RECORD, Piece, Placement, blank_html, cut, documents, lay_out_piece

MAX_ROUNDS = 8  # rounds for moved folios, long notes and the gutter; a book that does not settle is one piece
GUTTER_TOLERANCE_PT = 0.01


def serial(function, calls):
    return [function(*call) for call in calls]


@dataclass(frozen=True)
class PieceLog:
    """How one piece of the edition was made, for the build's --verbose lines and counts."""

    name: str  # 'front matter', the section's chapter file, or 'whole book'
    folio: str  # the folio it starts on
    pages: int
    seconds: float | None  # its layout's time in this build; None: it came from the cache
    renders: dict = field(default_factory=dict)  # why -> WeasyPrint layouts of this build ({} from the cache)


@dataclass(frozen=True)
class Layout:
    """An edition laid out: its page count, where each page begins (the EPUB's page list), its
    pictures' placing and how it was made. The PDF (the book block, labelled and finished) is
    written only when asked for: the EPUB's page list and the cover's spine need the layout alone."""

    edition: str
    write: Callable[[], bytes] = field(repr=False, compare=False)  # makes ``pdf``
    pages: int
    starts: tuple[PageStart, ...]
    placed: tuple  # (page number, src, width in points) of every picture
    padding: int = 0  # blank pages at the end that bring it to what its service binds
    fitting: Fitting = Fitting()  # notes too long for the foot of a page, set after their text; tables too wide
    gutter: float = 0.0  # the inside margin (inches) its service asks for its page count; 0.0: the design's
    log: tuple[PieceLog, ...] = ()
    rounds: int = 0  # rounds that laid out at least one piece (0: every piece came from the cache)
    laid_out: dict = field(default_factory=dict)  # why -> WeasyPrint layouts of every piece laid out, all rounds
    pieces_laid_out: int = 0  # pieces laid out in this build, all rounds
    parses: int = 0  # stylesheets parsed while laying them out (each process parses each once)

    @functools.cached_property
    def pdf(self) -> bytes:
        return self.write()

    @property
    def whole(self) -> bool:
        """Laid out as one document (one piece)."""
        return len(self.log) == 1


class Work:
    """The pieces one edition's rounds lay out in this build: each once, or not at all while the cache
    has it."""

    def __init__(self, renderer: Renderer, edition: Edition, store, pool):
        self.renderer, self.edition, self.store, self.pool = renderer, edition, store, pool
        self.pieces: dict[str, Piece] = {}
        self.seconds: dict[str, float] = {}
        self.composed: dict[str, str] = {}  # layout.body_key of a piece's HTML -> its composed body
        self.rounds = 0

    def lay_out(self, htmls: list[str]) -> list[Piece]:
        """The pieces of ``htmls``; a piece whose body is one already composed (in an earlier round,
        or in the cache's pieces: only its folios moved) is laid out once with that composition."""
        todo = []
        for html in dict.fromkeys(htmls):
            found = self.store.load(html) if self.store and html not in self.pieces else None
            if found:
                data, record = found
                self.pieces[html] = Piece(data, **{name: record[name] for name in PIECE_RECORD})
                self.composed[body_key(html)] = self.pieces[html].body
            elif html not in self.pieces:
                todo.append(html)
        self.rounds += bool(todo)
        variant = self.edition.variant(self.renderer.book.settings.pdf_variant)
        calls = [(html, self.renderer.theme, variant, self.edition.facing, self.edition.tagged,
                  self.composed.get(body_key(html))) for html in todo]
        for html, (piece, seconds) in zip(todo, self.pool(lay_out_piece, calls)):
            self.pieces[html], self.seconds[html] = piece, seconds
            self.composed[body_key(html)] = piece.body
            if self.store:
                self.store.save(html, piece.pdf, {name: getattr(piece, name) for name in PIECE_RECORD})
        return [self.pieces[html] for html in htmls]

    def renders(self) -> dict:
        return dict(sum((Counter(self.pieces[html].renders) for html in self.seconds), Counter()))

    def parses(self) -> int:
        return sum(self.pieces[html].parses for html in self.seconds)


def lay_out_edition(renderer: Renderer, edition: Edition, store=None, pool=serial, whole: bool = False) -> Layout:
    """``edition`` of the renderer's book laid out (see the module's note); ``store``: the cache's
    pieces of this edition (cache.PieceStore) or None; ``pool(function, calls)``: the results of
    ``function(*call)`` for each call, in order, in the build's processes; ``whole``: as one piece."""
    require_faces(renderer.book.faces)
    theme, defaults = renderer.theme, renderer.theme.defaults()
    chapters = renderer.reading_order()[1]
    split = not whole and bool(chapters) and not any(  # the book replaces none of the edition's own files
        defaults.candidate(name) not in (None, theme.candidate(name))
        for name in (f"templates/{edition.shell}", *renderer.styles(edition.stylesheets)))
    work = Work(renderer, edition, store, pool)
    return ((split and settled(work, chapters, cut(edition, chapters))) or settled(work, chapters, None))


def settled(work: Work, chapters: list, groups: list[list[int]] | None) -> Layout | None:
    """The rounds over the pieces of ``groups`` (None: one piece); None if they do not settle."""
    renderer, edition, store = work.renderer, work.edition, work.store if groups else None
    placement = guessed(store.guess() if store else {})
    fitting, current, pieces, written = Fitting(grid=grid_spacing(renderer, edition)), None, [], None
    for _ in range(MAX_ROUNDS):
        same = (placement, fitting) == written  # the same placement writes the same documents
        htmls = current if same else documents(renderer, edition, groups, placement, fitting)
        written = placement, fitting
        if htmls == current:  # the last round laid them out: every folio they print is right
            design = htmls[0] if not placement.gutter else documents(
                renderer, edition, groups, dataclasses.replace(placement, gutter=0.0), fitting)[0]
            gutter = wanted_gutter(work, pieces, work.lay_out([design])[0])
            if gutter == placement.gutter:
                if store:
                    store.settle([*htmls, design], dataclasses.asdict(placement))
                return joined(work, chapters, groups, htmls, pieces, placement, fitting)
            placement = dataclasses.replace(placement, gutter=gutter)
            continue
        current, pieces = htmls, work.lay_out(htmls)
        refit = refitted(renderer.book, fitting, pieces)
        if refit != fitting:  # notes after their text, tables smaller or split: the next round lays those out again
            fitting, current = refit, None
            continue
        placement = placed(edition, groups, pieces, placement.gutter)
    return None


def refitted(book, fitting: Fitting, pieces: list[Piece]) -> Fitting:
    """``fitting`` with what the pieces found: notes too long for the foot of a page, set after their
    text; each table still wider than the text block set smaller, then split into as many groups of
    columns as its width asks (one more each time it is still too wide), up to MAX_GROUPS."""
    unfit = frozenset(note for piece in pieces for note in piece.unfit)
    tables = dict(fitting.tables)
    for name, over in (found for piece in pieces for found in piece.wide):
        fit = tables.get(name, 0)
        tables[name] = SMALLER if not fit else max(fit + 1, math.ceil(over * fit))
        if tables[name] > MAX_GROUPS:
            raise too_wide(book, name, over)
    return Fitting(fitting.after_text | unfit, tuple(sorted(tables.items())), fitting.grid)


def too_wide(book, name: str, over: float) -> ManuscriptError:
    """The error for a table no split fits: at its line in its chapter (read again: only now)."""
    from ..manuscript.markup import render_markdown

    chapter = next((c for c in book.chapters if name.startswith(f"{c.id}-")), None)
    where = chapter.source if chapter else None
    if chapter:
        text = chapter.source.read_text(encoding="utf-8")
        where = next((at for i, at in render_markdown(text, chapter.source, book.settings.speakers, chapter.id,
                                                      longest=book.settings.limits.paragraph_characters).ids
                      if i == name), where)
    return ManuscriptError(where, f"the table is still {over:.1f} times as wide as the page's text block, set smaller "
                           "and split into groups of columns that each repeat its first", "shorten its widest cells "
                           "(a long word or name in the first column is in every group; a long remark can be a note), "
                           "or split it into tables of its own", code="table-too-wide")


def beyond_the_page(book, edition: Edition, front: int, page: int, section: str, words: str,
                  past: bool) -> ManuscriptError:
    """The error for text or a picture past the page's edge, or a picture wider than the text block."""
    return ManuscriptError(next((c.source for c in book.chapters if c.id == section), None),
                           f"in the {edition.label}, on the page with folio {folio_of(edition, page, front)}, "
                           f"'{words.strip()[:60]}' " + ("reaches past the edge of the page, where it would be cut "
                                                         "off" if past else "is wider than the page's text block"),
                           "look for what the book's own stylesheets make wider than the text block or the page (a "
                           "width, a margin, a word that may not break)", code="past-the-page")


def guessed(state: dict) -> Placement:
    """The cache's guess at the placement (cache.PieceStore.guess), or none where it is not one."""
    try:
        return Placement(tuple(state.get("starts", ())), tuple(map(tuple, state.get("folios", ()))),
                         int(state.get("total", 0)), float(state.get("gutter", 0.0)))
    except (TypeError, ValueError):
        return Placement()


def wanted_gutter(work: Work, pieces: list[Piece], design: Piece) -> float:
    """The inside margin (inches) the print service asks for the edition's page count where the
    design's (``design``: its first page laid out with no gutter) is narrower; 0.0 where it is not:
    a function of the page count, so a build that starts from the cache's guess ends where a first
    build does."""
    edition = work.edition
    if not edition.facing:
        return 0.0
    needed = gutter_inches(SERVICES[work.renderer.book.settings.service], edition_pages(edition, pieces))
    return needed if design.inside < needed * 72 - GUTTER_TOLERANCE_PT else 0.0


def edition_pages(edition: Edition, pieces: list[Piece]) -> int:
    """The pages of the joined pieces (a facing edition's pieces each take an even number)."""
    return sum(length(edition, piece.pages) for piece in pieces)


def length(edition: Edition, pages: int) -> int:
    """The pages a piece of ``pages`` takes in the joined PDF (a blank page after an odd count)."""
    return book_pages(pages) if edition.facing else pages


def front_pages(edition: Edition, groups, pieces: list[Piece], body_start: str) -> int:
    """The pages before the body's first (roman folios): the front matter's piece, or the pages of
    the one piece before the page where the body begins."""
    if not edition.facing:
        return 0
    return length(edition, pieces[0].pages) if groups is not None else pieces[0].anchors.get(body_start, 0)


def folio_of(edition: Edition, index: int, front: int) -> str:
    return folio(index, front) if edition.facing else str(index + 1)


def placed(edition: Edition, groups, pieces: list[Piece], gutter: float) -> Placement:
    """Where the pieces fall in the PDF: each body piece's first folio, every element's folio, the
    page count."""
    front = length(edition, pieces[0].pages) if edition.facing else 0
    firsts, index = [], 0
    for piece in pieces:
        firsts.append(index)
        index += length(edition, piece.pages)
    folios = tuple((element, folio_of(edition, first + page, front)) for piece, first in zip(pieces, firsts)
                   for element, page in piece.anchors.items())
    return Placement(tuple(first - front + 1 for first in firsts[1:]), folios if groups else (), index, gutter)


def joined(work: Work, chapters: list, groups, htmls: list[str], pieces: list[Piece], placement: Placement,
           fitting: Fitting) -> Layout:
    renderer, edition = work.renderer, work.edition
    front = front_pages(edition, groups, pieces, renderer.book.body_start.id)
    firsts = [0, *(start - 1 + front for start in placement.starts)] if groups else [0]
    marks = tuple(PageStart(folio_of(edition, first + index, front), element, before)
                  for piece, first in zip(pieces, firsts) for index, element, before in piece.marks)
    pictures = tuple((first + index + 1, src, width)
                     for piece, first in zip(pieces, firsts) for index, src, width in piece.placed)
    laid = firsts[-1] + length(edition, pieces[-1].pages)
    total = book_pages(laid, SERVICES[renderer.book.settings.service].min_pages) if edition.facing else laid
    names = ["front matter", *(chapters[group[0]].source.name for group in groups)] if groups else ["whole book"]
    beyond = next(((first + index, section, words, past) for piece, first in zip(pieces, firsts)
                   for index, section, words, past in piece.beyond), None)
    if beyond:
        raise beyond_the_page(renderer.book, edition, front, *beyond)
    log = tuple(PieceLog(name, folio_of(edition, first, front), piece.pages, work.seconds.get(html),
                         piece.renders if html in work.seconds else {})
                for name, first, piece, html in zip(names, firsts, pieces, htmls))
    write = functools.partial(joined_pdf, renderer, edition, pieces, firsts, front, total - laid)
    return Layout(edition.name, write, total, marks, pictures, total - laid, fitting, placement.gutter, log,
                  work.rounds, work.renders(), len(work.seconds), work.parses())


def joined_pdf(renderer: Renderer, edition: Edition, pieces: list[Piece], firsts: list[int], front: int,
               padding: int) -> bytes:
    """The pieces' PDFs joined, each starting on page index ``firsts[n]``, and ``padding`` blank
    pages after them (an even number, from a recto); labelled and finished."""
    from .finish import finish_pdf
    from .join import join_pieces
    from .layout import lay_out, press, side_of, written
    from .weasy import Document

    theme, settings = renderer.theme, renderer.book.settings
    variant = edition.variant(settings.pdf_variant)
    rtl = renderer.book.labels.direction == "rtl"
    sides, verso = [side_of(index, rtl) for index in range(padding)], side_of(1, rtl)  # the padding starts on a recto
    if edition.facing and any(piece.pages % 2 for piece in pieces):
        sides.append(verso)  # after each piece of odd length
    blank = {side: written(lay_out(blank_html(renderer, edition, side), theme), theme, variant)
             for side in dict.fromkeys(sides)}
    pages = [(first + i, marks) for piece, first in zip(pieces, firsts) for i, marks in enumerate(piece.bookmarks)]
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=bookmarked(pages)))  # WeasyPrint's nesting
    tail = [blank[side] for side in sides[:padding]]
    data = join_pieces([piece.pdf for piece in pieces], blank.get(verso), tree, tail, tags=edition.tagged)
    return finish_pdf(data, front, press(theme, variant, settings.interior))


def bookmarked(pages: list[tuple[int, tuple]]) -> list:
    """Page stand-ins for WeasyPrint's make_bookmark_tree: every page of the book with its bookmarks
    (already in PDF points), blank pages with none."""
    total = pages[-1][0] + 1 if pages else 0
    marks = dict(pages)
    return [SimpleNamespace(bookmarks=marks.get(i, ()), height=0) for i in range(total)]


def long_note_notices(book, layout: Layout) -> list[Notice]:
    """A warning per chapter whose notes the layout set after its text (too long for the foot of a page)."""
    notices = []
    for chapter in book.chapters:
        numbers = sorted(chapter.shown_note(i) for i in layout.fitting.after_text if i.startswith(f"{chapter.id}-note-"))
        if numbers:
            notices.append(Notice(chapter.source, f"note {', '.join(map(str, numbers))} cannot stand at the foot "
                                  f"of the {layout.edition} page of its call (it needs more room than is left below the call, "
                                  "and the call's line cannot go overleaf without leaving a line of its paragraph "
                                  "alone); it is printed after the chapter's text instead", "shorten the note, move "
                                  "its call earlier, or set notes = \"chapter-end\" in book.toml's [structure]",
                                  code="long-note"))
    return notices
