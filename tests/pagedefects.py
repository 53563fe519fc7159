"""What a compositor would send back in a print PDF, read back from the file: pages that end short
of the text block's foot (holes), facing pages of unequal depth, pages ending on a hyphen, chapters
ending with a few lines alone on a page, contents entries split across pages.

The text block is the default design's (styles/print.css: margins 0.75 in at the head, 0.8 in at
the foot, from the trim box). Lines come from tests/pdflines.py, pictures from the page's content
stream (pikepdf). A page is the last of its section when the next page is blank or carries no
running head (an opening or display page), or it is the book's last.

    python tests/pagedefects.py BOOK-print.pdf   # the counts, and each defect's folio
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pdflines import FOLIO, Line, pages

HEAD_IN, FOOT_IN = 0.75, 0.8  # print.css @page margins
HYPHENS = ("\u2010", "-")
HOLE_LINES = 2.5  # a page that is not a section's last may end this many lines short: more is a hole
SPREAD_PT = 2.0  # facing pages' depths may differ by this much
ALONE_LINES = 4  # a section's last page, when it is not its first, holds at least this many lines
KINDS = ("hole", "uneven-spread", "hyphen-at-foot", "lines-alone", "split-entry")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based index in the file
    folio: str
    head: bool  # a running head
    lines: tuple[Line, ...]  # the text block's lines
    pictures: tuple[tuple[float, float], ...]  # (top, bottom) of each picture, from the media box's top
    top: float  # the text block's top and foot, from the media box's top
    foot: float

    @property
    def depth(self) -> float | None:
        """Where the page's text or pictures end, from the media box's top (None: blank)."""
        bottoms = [line.bottom for line in self.lines] + [bottom for _, bottom in self.pictures]
        return max(bottoms) if bottoms else None


def read(pdf: Path) -> list[Page]:
    made = []
    with pikepdf.open(pdf) as document:
        for number, (page, lines) in enumerate(zip(document.pages, pages(pdf)), 1):
            media, trim = [float(v) for v in page.mediabox], [float(v) for v in page.trimbox]
            top = media[3] - trim[3] + HEAD_IN * 72
            foot = media[3] - trim[1] - FOOT_IN * 72
            body = tuple(line for line in lines if line.bottom > top and line.top < foot)
            below = [line for line in lines if line.top >= foot]
            made.append(Page(number, below[-1].text if below and FOLIO.fullmatch(below[-1].text) else "",
                             any(line.bottom <= top for line in lines), body,
                             tuple(pictures(page, media[3])), top, foot))
    return made


def pictures(page, height: float):
    """(top, bottom) of every image the page draws, from the top of the media box."""
    for left, bottom, right, top in drawn_images(page.obj, pikepdf.Matrix()):
        yield height - top, height - bottom


def drawn_images(container, matrix):
    stack, ctm = [], matrix
    resources = container.get("/Resources", {})
    for operands, operator in pikepdf.parse_content_stream(container):
        name = str(operator)
        if name == "q":
            stack.append(ctm)
        elif name == "Q":
            ctm = stack.pop()
        elif name == "cm":
            ctm = pikepdf.Matrix(*[float(v) for v in operands]) @ ctm
        elif name == "Do":
            xobject = resources.get("/XObject", {}).get(operands[0])
            if xobject is None:
                continue
            if xobject.get("/Subtype") == "/Image":
                corners = [ctm.transform(point) for point in ((0, 0), (1, 0), (0, 1), (1, 1))]
                xs, ys = [x for x, _ in corners], [y for _, y in corners]
                yield min(xs), min(ys), max(xs), max(ys)
            elif xobject.get("/Subtype") == "/Form":
                inner = pikepdf.Matrix(*[float(v) for v in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0])])
                yield from drawn_images(xobject, inner @ ctm)


def pitch(book: list[Page]) -> float:
    """The body text's line spacing: the commonest distance between two lines' tops."""
    steps = Counter(round(b.top - a.top, 1) for page in book for a, b in zip(page.lines, page.lines[1:])
                    if 8 < b.top - a.top < 20)
    return steps.most_common(1)[0][0]


def section_ends(book: list[Page]) -> list[bool]:
    """For each page: is it the last of its section?"""
    return [n + 1 == len(book) or book[n + 1].depth is None or not book[n + 1].head for n in range(len(book))]


def defects(pdf: Path) -> dict[str, list[str]]:
    """Kind -> the folios (or page numbers, in brackets) of the pages that have it."""
    book = read(pdf)
    step = pitch(book)
    ends = section_ends(book)
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    full = statistics.median([page.depth for page, end in zip(book, ends) if page.depth and not end] or [0])

    def short(page: Page) -> float:
        """How far, in points, the page ends above a full page's last line (a page whose notes
        end lower, at the foot of the text block, is full)."""
        return max(0.0, full - page.depth)

    def name(page: Page) -> str:
        return page.folio or f"[{page.number}]"

    for n, page in enumerate(book):
        if page.depth is None:
            continue
        if not ends[n] and short(page) / step > HOLE_LINES:
            found["hole"].append(name(page))
        tallest = max(line.bottom - line.top for line in page.lines) if page.lines else 0
        text = [line for line in page.lines if line.bottom - line.top > 0.8 * tallest]  # not notes
        if not ends[n] and text and text[-1].text.endswith(HYPHENS):
            found["hyphen-at-foot"].append(name(page))
        opens = n == 0 or not page.head
        if ends[n] and not opens and not page.pictures and len(page.lines) < ALONE_LINES:
            found["lines-alone"].append(name(page))
        if page.folio.isdigit() and int(page.folio) % 2 == 0 and n + 1 < len(book) and book[n + 1].depth:
            recto = book[n + 1]
            if not ends[n] and not ends[n + 1] and abs(short(recto) - short(page)) > SPREAD_PT:
                found["uneven-spread"].append(f"{name(page)}-{name(recto)}")
    found["split-entry"] = split_entries(book)
    return found


def split_entries(book: list[Page]) -> list[str]:
    """Contents pages (those after the page headed 'Contents', while their lines end in folios) whose
    last line is an entry without its page number."""
    found, inside = [], False
    for page in book:
        if page.lines and page.lines[0].text == "Contents":
            inside = True
        elif inside and not any(FOLIO.fullmatch(line.words[-1].text) for line in page.lines):
            break
        if inside and page.lines and not FOLIO.fullmatch(page.lines[-1].words[-1].text):
            found.append(page.folio or f"[{page.number}]")
    return found


def orphans(pdf: Path) -> list[str]:
    """Pages (by their index from 1) whose last line of body text opens a paragraph (it is indented)
    that goes on overleaf (the next page opens with a lower-case word at the margin): a paragraph's
    one line alone at the foot. Body lines are those of the book's commonest line height (not notes,
    headings or running heads); the margin is the commonest left edge of two facing pages' lines."""
    book = pages(pdf)
    height = statistics.mode(round(line.bottom - line.top, 1) for page in book for line in page)

    def body(page) -> list[Line]:
        return sorted((line for line in page if abs(line.bottom - line.top - height) < 0.6
                       and not FOLIO.fullmatch(line.text)), key=lambda line: line.top)
    found = []
    for number, (page, following) in enumerate(zip(book, book[1:]), 1):
        here, there = body(page), body(following)
        if len(here) < 4 or len(there) < 4:
            continue
        margin = statistics.mode(round(line.words[0].left) for line in here + there)
        last, first = here[-1], there[0]
        if last.words[0].left - margin > 5 and abs(first.words[0].left - margin) < 2 and first.text[:1].islower():
            found.append(str(number))
    return found


if __name__ == "__main__":
    for kind, where in defects(Path(sys.argv[1])).items():
        print(f"{kind:15} {len(where):4}  {' '.join(where[:40])}")
