"""Words every stage shares, one home each: contributor roles, XML namespaces, URL schemes, and the
ids and file names the build makes itself. Code uses these; templates get them as data.
"""

from __future__ import annotations

import re
import unicodedata

# book.toml role -> MARC relator code (the EPUB's role refinements)
ROLES = {"author": "aut", "interviewee": "ive", "interviewer": "ivr", "editor": "edt", "translator": "trl",
         "photographer": "pht", "illustrator": "ill"}
PRIMARY_ROLES = ("author", "interviewee")  # the book's creators: the byline, dc:creator

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML = "http://www.w3.org/XML/1998/namespace"

SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)  # a URL's scheme: 'https:', 'mailto:'

# Front matter an author writes, by type, and where the print edition sets it among the pages the
# build makes (title page, colophon, contents), in roman folios; they are not in the contents but
# the foreword, preface and note on the text.
FRONT_MATTER = {"halftitle": "before_title", "dedication": "before_contents", "epigraph": "before_contents",
                "foreword": "after_contents", "preface": "after_contents", "note-on-the-text": "after_contents"}
BACK_MATTER = ("afterword", "acknowledgements", "appendix", "about-the-author", "also-by")

# The pages the build makes itself (RESERVED_IDS below).
COVER, TITLEPAGE, COLOPHON, TOC = "cover", "titlepage", "colophon", "toc"
ENDNOTES = "endnotes"  # the Notes section of a book whose notes stand at its end (also its kind)


def document_name(document_id: str) -> str:
    """The EPUB file of a document: 'chapter-1' -> 'chapter-1.xhtml'."""
    return f"{document_id}.xhtml"


def heading_id(section_id: str) -> str:
    """The id of a section's <h1> (its aria-labelledby)."""
    return f"{section_id}-title"


def contents_entry_id(section_id: str) -> str:
    """The id of a section's entry in the contents."""
    return f"toc-entry-{section_id}"


def nav_point_id(section_id: str) -> str:
    """The id of a section's navPoint in the NCX."""
    return f"nav-{section_id}"


def generated_ids(section_id: str) -> tuple[str, ...]:
    """Every id the templates give a section of this id."""
    return section_id, heading_id(section_id), contents_entry_id(section_id), nav_point_id(section_id)


# The pages the build makes itself: their ids (and EPUB file names, id + '.xhtml') are taken.
RESERVED_IDS = frozenset({COVER, TITLEPAGE, COLOPHON, TOC, "landmarks", "ncx", "nav", "toc-title", "colophon-title",
                          *generated_ids(ENDNOTES)})


def note_number(note_id: str) -> int:
    """A note's number from its id, '<chapter>-note-<n>' (manuscript/markup.py)."""
    return int(note_id.rpartition("-")[2])


def marker_id(label: str) -> str:
    """The id of the EPUB's page-break marker for printed page ``label``."""
    return f"page-{label}"


def slug(text: str, fallback: str = "book") -> str:
    """A file-name form of a title: 'Thirty Years of Gold' -> 'thirty-years-of-gold'; ``fallback``
    when no letter or digit of it has an ASCII form ('狂人日记')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or fallback
