"""An edition's documents, and each laid out as a piece.

Every body section (part title, chapter, appendix …) of a facing-pages edition opens on a recto
(print.css: section.part { break-before: right }), and every one of the handout's opens a page but
the chapter after a part's title (handout.css). So a section's pages depend only on its own text,
the styles, the settings, the page it starts on and the page numbers it prints for targets
elsewhere (and, in the handout, the page count its folios print: "3 / 40"). Each is a piece, laid
out from its edition's piece template with only those sections; the front matter (title page,
contents …) is one more. A link to a target in another piece cannot be resolved in the piece: it is
written as ``xref:ID`` with the target's folio from the last round (the stylesheets print
``data-folio`` where they would print target-counter()). A book laid out as one document is a book
of one piece: its edition's shell template with every section (rounds.py says when).

A piece's layout is plain data (Piece), for the process pool and the cache: its PDF as WeasyPrint
writes it and what the join and the page map read off its pages.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, fields

from markupsafe import Markup

from ..render.editions import Fitting
from ..render.renderer import Renderer, one_document
from ..theme import Theme
from . import rendering, stylesheets
from .editions import Edition
from .layout import (
    POINTS_PER_PX,
    inside_margin,
    lay_out_composed,
    page_marks,
    past_the_page,
    placed_images,
    unfit_notes,
    wide_tables,
    written,
)

UNKNOWN_FOLIO = "0"  # a target's folio before the first round has placed it
ID = re.compile(r'\sid="([^"]+)"')
LINK = re.compile(r'href="#([^"]+)"')
XREF = "xref:"  # the URI scheme of a link whose target is in another piece (join.py links it)


@dataclass(frozen=True)
class Placement:
    """Where the pieces fall, as the last round found it (or the cache guessed): each body piece's
    first folio, every element's folio, the page count, and the gutter (inches; 0: the design's)."""

    starts: tuple[int, ...] = ()
    folios: tuple[tuple[str, str], ...] = ()
    total: int = 0
    gutter: float = 0.0


@dataclass(frozen=True)
class Piece:
    """What one piece's layout gives the join."""

    pdf: bytes
    pages: int
    anchors: dict  # element id -> index of the first of its pages that holds it
    marks: tuple  # layout.page_marks() of its pages
    bookmarks: tuple  # per page: (level, label, (x, y) in PDF points, state)
    placed: tuple  # (page index, src, width in points) of its pictures
    unfit: tuple  # ids of notes too long for the foot of a page
    wide: tuple  # (id, width over the text block's) of tables wider than the text block
    beyond: tuple  # (page index, section id, words, past the edge) of pages where something reaches past the page's
    # edge, or a picture is wider than the text block (layout.past_the_page)
    inside: float  # the inside margin of its first page (a recto), in points
    renders: dict  # why -> WeasyPrint layouts its composition ran (rendering.RENDERS)
    body: str  # its body as composition left it (compose.composed_body): a piece differing in folios only replays it
    parses: int  # the stylesheets its layout parsed (those its process had not parsed before)


PIECE_RECORD = [f.name for f in fields(Piece) if f.name != "pdf"]  # what the cache keeps beside the PDF


def cut(edition: Edition, chapters: list) -> list[list[int]]:
    """The body sections of each piece, by index: one section per piece, but a part's title shares
    the piece of the chapter after it where the edition keeps them together."""
    groups: list[list[int]] = []
    for index in range(len(chapters)):
        if groups and edition.part_with_chapter and chapters[index - 1].kind == "part":
            groups[-1].append(index)
        else:
            groups.append([index])
    return groups


def documents(renderer: Renderer, edition: Edition, groups: list[list[int]] | None, placement: Placement,
              fitting: Fitting) -> list[str]:
    """The HTML of each piece: the front matter and one per group of body sections, or (``groups``
    None) the whole document."""
    front, body = renderer.front_and_body(edition.rendition, fitting)
    if groups is None:
        return [edition_html(renderer, edition, edition.shell, front, body, placement.gutter, fitting.grid)]
    starts = placement.starts if len(placement.starts) == len(groups) else (1,) * len(groups)
    return [piece_html(renderer, edition, front, None, 1, placement, False, fitting.grid),
            *(piece_html(renderer, edition, front, [body[i] for i in group], start, placement, n == len(groups) - 1,
                         fitting.grid)
              for n, (group, start) in enumerate(zip(groups, starts)))]


def edition_html(renderer: Renderer, edition: Edition, template: str, front: dict, sections: list,
                 gutter: float = 0.0, grid: float = 0.0, **more) -> str:
    """``template`` rendered with what a document of ``edition`` shows; ``grid``: the letter-spacing
    of a Chinese or Japanese body paragraph (grid.py)."""
    return renderer.render(template, stylesheets=renderer.styles(edition.stylesheets),
                           page=edition.page(renderer.book.settings, gutter=gutter),
                           contents=renderer.contents(one_document),
                           lists=renderer.lists(one_document), front=front, sections=sections,
                           typeface=renderer.typeface,
                           printing=renderer.view["printing_line"] if edition.printing_line else "",
                           grid=f"{grid:.4f}" if grid else "", **more)


def piece_html(renderer: Renderer, edition: Edition, front: dict, sections: list[Markup] | None, start: int,
               placement: Placement, last: bool = False, grid: float = 0.0) -> str:
    """The document of one piece: the front matter (``sections`` None) or body sections starting
    on page ``start`` (of ``placement.total``, which the handout's folios print); links to other
    pieces carry their target's folio."""
    html = edition_html(renderer, edition, edition.piece, front, sections or [], placement.gutter, grid,
                        piece={"front": sections is None, "start": start, "total": placement.total, "last": last,
                               "running_title": css_string(renderer.book.metadata.title)})
    own, folios = set(ID.findall(html)), dict(placement.folios)
    return LINK.sub(lambda link: link.group(0) if link.group(1) in own else
                    f'href="{XREF}{link.group(1)}" data-folio="{folios.get(link.group(1), UNKNOWN_FOLIO)}"', html)


def blank_html(renderer: Renderer, edition: Edition, side: str) -> str:
    """A blank page of ``side``: what ends a piece of odd length or pads a book block."""
    return renderer.render("pdf/document.html.j2", stylesheets=(), grid="",
                           page=edition.page(renderer.book.settings, side=side))


def css_string(text: str) -> Markup:
    """``text`` for a CSS string in a <style> element: every character but letters, digits and
    spaces escaped, so no quote or tag can end it."""
    return Markup("".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text))


def lay_out_piece(html: str, theme: Theme, variant: str, facing: bool = True, tags: bool = False,
                  body: str | None = None) -> tuple[Piece, float]:
    """One piece laid out and written, and how long that took; with ``body``, the composed body of
    a piece laid out before whose HTML differed only in its head (layout.lay_out_composed)."""
    started, before, parsed = time.perf_counter(), Counter(rendering.RENDERS), sum(stylesheets.PARSES.values())
    document, composed = lay_out_composed(html, theme, facing, body)
    pages = document.pages
    anchors = {element: index for index in reversed(range(len(pages))) for element in pages[index].anchors}
    bookmarks = tuple(tuple((level, label, (x * POINTS_PER_PX, (page.height - y) * POINTS_PER_PX), state)
                            for level, label, (x, y), state in page.bookmarks) for page in pages)
    piece = Piece(written(document, theme, variant, tags), len(pages), anchors, tuple(page_marks(pages)), bookmarks,
                  tuple((number - 1, src, width) for number, src, width in placed_images(document)),
                  tuple(sorted(unfit_notes(document))), tuple(sorted(wide_tables(document).items())),
                  past_the_page(document),
                  inside_margin(document), dict(rendering.RENDERS - before),
                  composed, sum(stylesheets.PARSES.values()) - parsed)
    return piece, time.perf_counter() - started
