"""One section's markup for one family of formats: content marked for other families goes (Quarto's
``.content-visible`` / ``.content-hidden`` with ``when-format``). The manuscript is rendered as the EPUB wants it:
a note is a call linking to an <aside> after the text. The PDFs set each note at the foot of the
page where it is first called (WeasyPrint's ``float: footnote``), so there the note's text moves
into the paragraph, at its call; a later call of the same note stays a link to it. In the PDFs,
names and captions' last words are kept whole (hyphenation.py).
"""

from __future__ import annotations

from lxml import etree

from ..manuscript.sanitise import PHRASING, drop, fragment_html, fragment_root, inside
from ..vocabulary import XHTML, note_number
from .hyphenation import keep_whole

EPUB_FAMILY = "epub"  # the e-book and the screen preview; the other families are PDF profiles
PDF_FAMILIES = {"print", "handout"}  # what when-format="pdf" means
RUNNING_HEADS = {"print"}  # the families whose pages carry running heads (from each heading's data-running-head)
FOOTNOTES = "footnotes"  # book.toml [structure] notes: at the foot of the printed page


def section_markup(html: str, family: str, notes: str, after_text: frozenset[str] = frozenset(),
                   unbroken: tuple[str, ...] = ()) -> str:
    """``html`` (a chapter body) as the formats of ``family`` print it; the notes whose ids are in
    ``after_text`` stay after the chapter's text even as footnotes (too long for the foot of a page);
    in a PDF, the words ``unbroken`` are never hyphenated."""
    footnotes = family != EPUB_FAMILY and notes == FOOTNOTES and 'class="notes"' in html
    only = 'class="content-' in html
    whole = family in PDF_FAMILIES and (unbroken or "caption" in html)
    if not footnotes and not only and not whole:
        return html
    root = fragment_root(html)
    for element in [e for e in root.iter() if str(e.get("class", "")).startswith("content-")]:
        kind, when = element.get("class").split()  # 'content-visible when-print' (markup.format_class)
        marked = PDF_FAMILIES if when == "when-pdf" else {when.removeprefix("when-")}
        if (family in marked) != (kind == "content-visible") and inside(element, root):
            drop(element)
    if footnotes:
        set_footnotes(root, after_text)
    if whole:
        keep_whole(root, unbroken)
    return fragment_html(root)


def set_footnotes(root: etree._Element, after_text: frozenset[str]) -> None:
    """Each note's text moves to its first call, but those in ``after_text``; the notes moved go
    from the notes after the text, and the block of notes with them when none is left."""
    asides = {a.get("id"): a for a in root.iter(f"{{{XHTML}}}aside")
              if a.get("class") == "note" and a.get("id") not in after_text}
    for call in [a for a in root.iter(f"{{{XHTML}}}a") if a.get("class") == "noteref"]:
        aside = asides.get(call.get("href")[1:])
        if aside is not None and aside.getparent() is not None:
            call.getparent().replace(call, footnote(aside, call.tail))
            drop(aside)
    for block in [d for d in root.iter(f"{{{XHTML}}}div") if d.get("class") == "notes" and not len(d)]:
        drop(block)


def footnote(aside: etree._Element, tail: str | None) -> etree._Element:
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
    number = str(note_number(aside.get("id")))  # the call and the marker show it
    note = etree.Element(f"{{{XHTML}}}span", {"class": "footnote", "id": aside.get("id"), "data-number": number})
    note.tail = tail
    for block in aside:  # the line breaks between blocks would break the line after the marker
        block.tail = None
        note.append(block)
    return note

