"""One section's markup for one family of formats: content marked for other families goes (Quarto's
``.content-visible`` / ``.content-hidden`` with ``when-format``). The manuscript is rendered as the EPUB wants it:
a note is a call linking to an <aside> after the text. The PDFs set each note at the foot of the
page where it is first called (WeasyPrint's ``float: footnote``), so there the note's text moves
into the paragraph, at its call; a later call of the same note stays a link to it. In the PDFs,
names and captions' last words are kept whole (hyphenation.py), and the paragraph a chapter's text
opens with is marked for the stylesheets' lead-in (book.toml [typography] opening).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from ..manuscript.labels import ENGLISH, Labels
from ..manuscript.markup import PAGE_REFERENCE
from ..manuscript.sanitise import PHRASING, drop, fragment_html, fragment_root, inside, local
from ..vocabulary import XHTML
from .hyphenation import LONG, keep_whole
from .rendition import PDF, Rendition
from .widetables import fit_tables

FOOTNOTES = "footnotes"  # book.toml [structure] notes: at the foot of the printed page
OPENING = "opening"  # the class of the paragraph a chapter's text opens with (fonts.css sets the lead-in)
INITIAL = "initial"  # the class of its first letter, set as a drop cap (fonts.css)
DROP_CAP = "drop-cap"  # book.toml [typography] opening: the first letter as a drop cap
NO_LEAD_IN = "none"  # book.toml [typography] opening: the first paragraph set as the rest
FIRST_LETTER = re.compile(r"^(\s*)([^\w\s]*\w)")  # a letter with the quotation marks before it
MARKS_ONLY = re.compile(r"^\s*[^\w\s]+$")  # the text before an element is only quotation marks


@dataclass(frozen=True)
class Fitting:
    """What a PDF edition's rounds found its pages could not hold as written, for the next round's
    documents (typeset/rounds.py): notes too long for the foot of a page, set after their chapter's
    text; tables wider than the text block, by id: set smaller or split (widetables.py)."""

    after_text: frozenset[str] = frozenset()
    tables: tuple[tuple[str, int], ...] = ()
    grid: float = 0.0  # px between the characters of a Chinese or Japanese body paragraph (typeset/grid.py)


def section_markup(html: str, rendition: Rendition, notes: str, fitting: Fitting = Fitting(),
                   unbroken: tuple[str, ...] = (), opening: str = NO_LEAD_IN, labels: Labels = ENGLISH) -> str:
    """``html`` (a chapter body) as the formats of ``rendition`` print it, fitted as ``fitting`` says;
    in a PDF, the words ``unbroken`` are never hyphenated, the text opens as ``opening`` says and a
    page reference carries the words around its page number (``labels``: the stylesheets print them)."""
    footnotes = rendition.pdf and notes == FOOTNOTES and 'class="notes"' in html
    only = 'class="content-' in html
    whole = rendition.pdf and (unbroken or "caption" in html or LONG.search(html))
    lead_in = rendition.pdf and opening != NO_LEAD_IN
    scrolled = not rendition.pdf and "<table" in html
    fitted = rendition.pdf and bool(fitting.tables) and "<table" in html
    referred = rendition.pdf and 'class="page"' in html
    if not footnotes and not only and not whole and not lead_in and not scrolled and not fitted and not referred:
        return html
    root = fragment_root(html)
    for element in [e for e in root.iter() if str(e.get("class", "")).startswith("content-")]:
        kind, when = element.get("class").split()  # 'content-visible when-print' (markup.format_class)
        when = when.removeprefix("when-")
        if (rendition.pdf if when == PDF else rendition.name == when) != (kind == "content-visible") \
                and inside(element, root):
            drop(element)
    if footnotes:
        set_footnotes(root, fitting.after_text)
    if whole:
        keep_whole(root, unbroken)
    if lead_in:
        mark_opening(root, opening == DROP_CAP and rendition.drop_cap)
    if scrolled:
        for number, table in enumerate(list(root.iter(f"{{{XHTML}}}table")), 1):
            scroll_region(table, f"{labels['table']} {number}")
    if fitted:
        fit_tables(root, dict(fitting.tables), labels)
    if referred:
        for link in root.iter(f"{{{XHTML}}}a"):
            if link.get("class") == PAGE_REFERENCE:
                link.set("data-page-before", labels["page_before"])
                link.set("data-page-after", labels["page_after"])
    return fragment_html(root)


def scroll_region(table: etree._Element, name: str) -> None:
    """On a screen a table wider than the page scrolls sideways inside a region of its own, which a
    screen reader announces by the table's caption (else by ``name``, 'Table 2': each region's name
    is its own), and a keyboard can reach and scroll (tabindex); its header cells keep their scope."""
    region = etree.Element(f"{{{XHTML}}}div", {"class": "table-region", "role": "region", "tabindex": "0"})
    caption = table.find(f"{{{XHTML}}}caption")
    if caption is not None and table.get("id"):
        caption.set("id", f"{table.get('id')}-caption")
        region.set("aria-labelledby", caption.get("id"))
    elif caption is not None:  # a table of raw HTML has no id of ours
        region.set("aria-label", " ".join("".join(caption.itertext()).split()) or name)
    else:
        region.set("aria-label", name)
    table.addprevious(region)
    region.tail, table.tail = table.tail, None
    region.append(table)


def mark_opening(root: etree._Element, drop_cap: bool) -> None:
    """The paragraph the text opens with gets the class OPENING; with ``drop_cap``, its first letter
    goes into a span of class INITIAL, which print.css floats. (WeasyPrint's floated
    ::first-letter sets the first line under the letter, Kozea/WeasyPrint#1859, and fails when the
    paragraph is laid out again at a page break.)"""
    paragraph = opening_paragraph(root)
    if paragraph is None:
        return
    paragraph.set("class", " ".join(filter(None, (paragraph.get("class"), OPENING))))
    found = first_text(paragraph) if drop_cap else None
    if found:
        element, tail = found
        text = element.tail if tail else element.text
        space, letter = FIRST_LETTER.match(text).groups()
        initial = etree.Element(f"{{{XHTML}}}span", {"class": INITIAL})
        initial.text, initial.tail = letter, text[len(space) + len(letter):]
        if tail:
            element.tail = space
            element.addnext(initial)
        else:
            element.text = space
            element.insert(0, initial)


def opening_paragraph(root: etree._Element) -> etree._Element | None:
    """The paragraph the text starts with: the first block after an epigraph, or the first paragraph
    of that block after its speaker's label. In an interview each chapter opens with a question, set
    apart: the lead-in goes to the question, the first words read, not to the answer below it."""
    blocks = [e for e in root if isinstance(e.tag, str)]
    if blocks and blocks[0].get("class") == "epigraph":
        blocks = blocks[1:]
    if blocks and local(blocks[0]) == "div":
        blocks = [e for e in blocks[0] if isinstance(e.tag, str) and e.get("class") != "speaker"][:1]
    return blocks[0] if blocks and local(blocks[0]) == "p" else None


def first_text(element: etree._Element) -> tuple[etree._Element, bool] | None:
    """(element, whether its tail) of the first text in ``element`` that starts with a letter, a
    note's text left out; None when the paragraph starts otherwise (with a picture …). A quotation
    mark before an element (a name kept whole) moves into it, to stand with the letter."""
    text = element.text or ""
    if MARKS_ONLY.match(text) and len(element) and (element[0].text or "")[:1].isalnum():
        element.text, element[0].text = text[:len(text) - len(text.lstrip())], text.lstrip() + element[0].text
    if (element.text or "").strip():
        return (element, False) if FIRST_LETTER.match(element.text) else None
    for child in element:
        if local(child) == "img":
            return None
        if child.get("class") != "footnote" and (found := first_text(child)):
            return found
        if (child.tail or "").strip():
            return (child, True) if FIRST_LETTER.match(child.tail) else None
    return None


def set_footnotes(root: etree._Element, after_text: frozenset[str]) -> None:
    """Each note's text moves to its first call, but those in ``after_text``; the notes moved go
    from the notes after the text, and the block of notes with them when none is left."""
    asides = {a.get("id"): a for a in root.iter(f"{{{XHTML}}}aside")
              if a.get("class") == "note" and a.get("id") not in after_text}
    for call in [a for a in root.iter(f"{{{XHTML}}}a") if a.get("class") == "noteref"]:
        aside = asides.get(call.get("href")[1:])
        if aside is not None and aside.getparent() is not None:
            call.getparent().replace(call, footnote(aside, call.text, call.tail))
            drop(aside)
    for block in [d for d in root.iter(f"{{{XHTML}}}div") if d.get("class") == "notes" and not len(d)]:
        drop(block)


def footnote(aside: etree._Element, number: str, tail: str | None) -> etree._Element:
    """The note as phrasing content that can stand at its call: its blocks become spans (set as
    blocks by the stylesheet), its number (the EPUB's back-link) goes: the PDF draws the marker."""
    for back in [a for a in aside.iter(f"{{{XHTML}}}a") if a.get("class") == "note-number"]:
        parent = back.getparent()
        parent.text = (parent.text or "") + (back.tail or "").lstrip()
        parent.remove(back)
    for element in aside.iter():
        name = etree.QName(element).localname
        if element is not aside and name not in PHRASING:
            element.tag = f"{{{XHTML}}}span"
            element.set("class", f"note-{name}")
            # WeasyPrint breaks a footnote's line at a block's leading white space (after a list marker)
            element.text = (element.text or "").lstrip() or None
            element.tail = element.tail if (element.tail or "").strip() else None
    note = etree.Element(f"{{{XHTML}}}span", {"class": "footnote", "id": aside.get("id"), "data-number": number})
    note.tail = tail
    for block in aside:  # the line breaks between blocks would break the line after the marker
        block.tail = None
        note.append(block)
    return note

