"""The book as plain data. No I/O here: load.py builds these, the later stages only read them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from .errors import Location
from .limits import Limits
from .manuscript.labels import Labels, labels_for
from .vocabulary import FRONT_MATTER, note_number


@dataclass(frozen=True)
class Contributor:
    name: str
    role: str  # MARC relator term, e.g. "interviewer"
    sort_as: str


@dataclass(frozen=True)
class Price:
    edition: str  # "print" or "epub"
    amount: str  # as written, e.g. "12.99"
    currency: str  # ISO 4217
    territory: str  # "WORLD", or ISO 3166-1 country codes separated by spaces


@dataclass(frozen=True)
class Trade:
    """book.toml's [trade]: what retailers, libraries and distributors take besides the EPUB's metadata."""

    bisac: tuple[str, ...] = ()  # BISAC subject codes, the first the main one
    thema: tuple[str, ...] = ()  # Thema subject category codes
    audience: str = "general"  # manuscript.config.AUDIENCES
    prices: tuple[Price, ...] = ()


@dataclass(frozen=True)
class Metadata:
    title: str
    subtitle: str
    language: str
    identifier: str
    date: datetime.date
    publisher: str
    source: str
    rights: str
    description: str
    subjects: tuple[str, ...]
    contributors: tuple[Contributor, ...]
    editorial_note_html: str = ""
    accessibility_summary: str = ""  # book.toml's own words; empty: the EPUB composes one
    edition_date: datetime.date | None = None  # this edition's date; None: the first publication's
    accessibility_certified_by: str = ""  # who evaluated the EPUB's accessibility; empty: no claim is made
    isbn_print: str = ""  # ISBN-13 with hyphens, validated; the cover's barcode
    isbn_epub: str = ""
    edition: str = ""  # the edition statement, as given ("Second edition"); none is made up
    printing: int = 1  # this printing: the printing line counts down to it
    credits: tuple[str, ...] = ()  # [credits]: cover, photographs
    series: str = ""  # the series the book belongs to, and its number in it (0: none given)
    series_number: int = 0
    trade: Trade | None = None  # [trade]: what the ONIX record adds (formats/onix.py)

    @property
    def modified(self) -> datetime.date:
        """The date of this edition: what the outputs call their modification date."""
        return self.edition_date or self.date


@dataclass(frozen=True)
class Image:
    """An image file the book uses; ``href`` is its path inside every output."""

    href: str
    path: Path
    media_type: str


@dataclass(frozen=True)
class Figure:
    id: str
    image: Image
    alt: str
    caption_html: str
    credit: str
    where: Location


@dataclass(frozen=True)
class Section:
    """A ``##`` heading of a chapter, for the contents when they go two levels deep."""

    id: str
    title: str


@dataclass(frozen=True)
class Chapter:
    """One file of the manuscript: a chapter, a part title (which groups the chapters after it),
    or a page of front or back matter (introduction, dedication, appendix …: load.KINDS)."""

    id: str
    kind: str
    title: str
    number: int | None  # chapters are numbered, other kinds are not
    body_html: str
    figures: tuple[Figure, ...]
    source: Path
    part: str | None = None  # the id of the part it belongs to
    sections: tuple[Section, ...] = ()
    first_note: int = 1  # the number its first note shows (book.toml [structure] note_numbering)

    def shown_note(self, note_id: str) -> int:
        """The number the note ``note_id`` ('<chapter>-note-<n>') shows."""
        return note_number(note_id) + self.first_note - 1


@dataclass(frozen=True)
class Settings:
    """Output settings: defaults live here, book.toml's [output] and the command line override."""

    trim: tuple[str, str] = ("6in", "9in")
    handout_paper: str = "A4"
    bleed: str = "0.125in"  # the print-on-demand standard (KDP, IngramSpark)
    marks: bool | None = None  # crop marks in the bleed; None: the service's (print-on-demand none, "offset" crop)
    barcode_price: str = ""  # the EAN-5 price add-on beside the barcode, e.g. "51299" (US$12.99), "90000" (none)
    service: str = "kdp"  # who prints it (printing.SERVICES): where the bleed goes, the least gutter per page count
    pages_per_inch: int = 444  # white 50-55 lb book paper (KDP: 0.002252 in a page); cream is about 400
    pdf_variant: str = ""  # a WeasyPrint PDF/A, PDF/UA or PDF/X variant; "": print and cover PDF/X-4, handout PDF/UA-1
    interior: str = "black"  # the print interior's ink: "black" (pictures greyscale) or "cmyk" (process colours)
    stores: tuple[str, ...] = ()  # the stores the e-book goes to (stores.STORES): their editions are built too
    speakers: dict[str, str] = field(default_factory=dict)
    chapter_labels: str = "arabic"  # "Chapter 1"; or roman ("Chapter I"), words ("Chapter One"), none
    numbering: str = "book"  # chapters numbered through the book, or "part": again from 1 in each part
    contents_depth: int = 1  # 2: the contents list each chapter's ## sections too
    notes: str = "footnotes"  # at the foot of the printed page; "chapter-end", "book-end": after the text
    note_numbering: str = "chapter"  # notes numbered from 1 in each chapter, or "book": through the book
    lists: tuple[str, ...] = ()  # [structure] lists after the contents: "illustrations", "tables"
    no_hyphenate: tuple[str, ...] = ()  # [typography]: words and names the PDFs never hyphenate
    hyphenate: tuple[str, ...] = ()  # [typography]: words with their break points, "Shay-mer-ge-nov"
    opening: str = "small-caps"  # [typography]: a chapter's first line in print, or "none"
    limits: Limits = Limits()  # [limits]: the sizes a trusted book may raise (limits.py)
    labels: dict[str, str] = field(default_factory=dict)  # [labels]: the book's own words for the tool's labels


@dataclass(frozen=True)
class Book:
    root: Path
    metadata: Metadata
    chapters: tuple[Chapter, ...]
    cover: Image | None
    settings: Settings
    faces: tuple[str, ...] = ()  # the packaged faces its printed text needs besides the shipped one (scripts.FACES)

    @property
    def labels(self) -> Labels:
        """The words the tool prints, in the book's language (locales/, book.toml's [labels])."""
        return labels_for(self.metadata.language, self.settings.labels)

    @property
    def places(self) -> dict[str, str | None]:
        """Chapter id -> where the editions set it: its kind's place in the front matter (FRONT_MATTER),
        but never ahead of a chapter listed before it, so book.toml's order is the reading order of
        every output (a preface listed after the introduction is set after it, in the body); None:
        the body."""
        order = (*dict.fromkeys(FRONT_MATTER.values()), None)
        rank, places = 0, {}
        for chapter in self.chapters:
            rank = max(rank, order.index(FRONT_MATTER.get(chapter.kind)))
            places[chapter.id] = order[rank]
        return places

    @property
    def body_start(self) -> Chapter:
        """The first chapter (of any type) after the front matter: page 1 in print."""
        places = self.places
        return next((c for c in self.chapters if places[c.id] is None), self.chapters[0])

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(f for c in self.chapters for f in c.figures)

    @property
    def images(self) -> tuple[Image, ...]:
        seen: dict[str, Image] = {}
        for fig in self.figures:
            seen.setdefault(fig.image.href, fig.image)
        return tuple(seen.values())
