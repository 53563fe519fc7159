"""book.toml [structure] notes = "book-end": every chapter's notes leave the chapter and are gathered
after the text of the book, under the chapter's label and title, in a Notes section of their own
(an EPUB document, a contents entry, a print section), before "about the author" and "also by".

A note keeps its id, so its call (a link to '#id') and its number (a link back to the call) work
unchanged: the EPUB rehomes such links to the document the id lands in.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from ..model import Chapter, Settings
from ..vocabulary import ENDNOTES, EPUB, XHTML
from .labels import Labels, chapter_label
from .sanitise import drop, fragment_html, fragment_root

BOOK_END = "book-end"
LAST_PAGES = ("about-the-author", "also-by")  # what follows the notes at the back of a book


def gathered(chapters: list[Chapter], settings: Settings, labels: Labels, config_path: Path) -> list[Chapter]:
    """``chapters`` with their notes moved to one Notes section, when book.toml asks for it."""
    if settings.notes != BOOK_END:
        return chapters
    result, notes_root = [], fragment_root("")
    for chapter in chapters:
        body, notes = split_notes(chapter.body_html)
        result.append(replace(chapter, body_html=body))
        if notes:
            label = chapter_label(chapter.number, settings.chapter_labels, labels)
            heading = etree.SubElement(notes_root, f"{{{XHTML}}}h2", {"class": "notes-heading"})
            heading.text = f"{label}: {chapter.title}" if label else chapter.title
            etree.SubElement(notes_root, f"{{{XHTML}}}div", {"class": "book-notes"}).extend(notes)
    if not len(notes_root):
        return chapters
    notes_section = Chapter(id=ENDNOTES, kind=ENDNOTES, title=labels["notes"], number=None,
                            body_html=fragment_html(notes_root), figures=(), source=config_path)
    at = next((n for n, c in enumerate(result) if c.kind in LAST_PAGES), len(result))
    return [*result[:at], notes_section, *result[at:]]


def split_notes(html: str) -> tuple[str, list[etree._Element]]:
    """A chapter body -> (the body without its notes, the notes' <aside> elements)."""
    if 'class="notes"' not in html:
        return html, []
    root = fragment_root(html)
    notes = []
    for block in [d for d in root.iter(f"{{{XHTML}}}div") if d.get("class") == "notes"]:
        notes += list(block)
        drop(block)
    for note in notes:  # reading systems hide a footnote from the text (it pops up at its call): not these
        note.set(f"{{{EPUB}}}type", "endnote")
    return fragment_html(root), notes
