"""The print edition's page numbers in the EPUB: where each printed page begins, and its marker.

The typeset stage measures the laid-out print edition into PageStart records (typeset/pages.py), plain data that can be cached
so an EPUB can be built without laying the print edition out again. mark_pages() then puts a
page-break marker into an EPUB document at each of them. Both sides count characters the same
way (counted()), so a page that begins in mid-paragraph gets its marker at the word that begins
the printed page, not at the paragraph.
"""

from __future__ import annotations

from lxml import etree

from ..typeset.pages import PageStart, counted
from ..vocabulary import EPUB as EPUB_NS
from ..vocabulary import XHTML as XHTML_NS
from ..vocabulary import marker_id

# Elements whose children must be list items or table parts: a marker goes inside, not beside.
NO_LOOSE_CHILDREN = {"ol", "ul", "dl", "table", "thead", "tbody", "tfoot", "tr", "html", "head"}


def mark_pages(html: str, starts: list[PageStart]) -> str:
    """``html`` (a whole XHTML document) with a page-break marker at each of ``starts``; every
    start's element must be in the document."""
    root = etree.fromstring(html.encode())
    elements = {e.get("id"): e for e in root.iter() if e.get("id")}
    for start in starts:
        place(elements[start.element], start.offset, marker(start.label))
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True).decode()


def element_ids(html: str) -> set[str]:
    return {e.get("id") for e in etree.fromstring(html.encode()).iter() if e.get("id")}


def marker(label: str) -> etree._Element:
    """The EPUB 3 page-break marker: DPUB-ARIA role for screen readers, epub:type for reading systems."""
    span = etree.Element(f"{{{XHTML_NS}}}span", nsmap={None: XHTML_NS, "epub": EPUB_NS})
    span.set(f"{{{EPUB_NS}}}type", "pagebreak")
    span.set("role", "doc-pagebreak")
    span.set("id", marker_id(label))
    span.set("aria-label", label)
    return span


def place(element: etree._Element, offset: int, span: etree._Element) -> None:
    """Put ``span`` before the first word of ``element`` that begins after ``offset`` counted
    characters; a word split across pages belongs to the page it began on."""
    nav = next(element.iterancestors(f"{{{XHTML_NS}}}nav"), None)
    if nav is not None:  # EPUB nav elements allow a heading and a list only: the marker goes before
        element, offset = nav, 0
    if offset == 0:
        element = outermost_opening(element)
        if etree.QName(element.getparent()).localname not in NO_LOOSE_CHILDREN:
            element.addprevious(span)
        else:
            insert(element, "text", 0, span)
        return
    remaining = offset
    for node, slot in text_slots(element):
        text = getattr(node, slot) or ""
        for i, c in enumerate(text):
            remaining -= counted(c)
            if remaining == 0:
                insert(node, slot, next_word(text, i + 1), span)
                return
    element.append(span)  # the element is shorter than the offset: its page begins after it


def outermost_opening(element: etree._Element) -> etree._Element:
    """The outermost element (below <body>) that ``element`` opens: a page that begins with a
    chapter's heading begins with the chapter."""
    parent = element.getparent()
    while (etree.QName(parent).localname != "body" and parent.index(element) == 0
           and not (parent.text or "").strip()):
        element, parent = parent, parent.getparent()
    return element


def next_word(text: str, position: int) -> int:
    """The position, at or after ``position``, where the next whole word begins (or the end)."""
    while position < len(text) and not text[position].isspace():
        position += 1
    while position < len(text) and text[position].isspace():
        position += 1
    return position


def text_slots(element: etree._Element):
    """(node, 'text' | 'tail') pairs that hold ``element``'s text, in reading order."""
    if isinstance(element.tag, str):  # comments and processing instructions hold no text
        yield element, "text"
    for child in element:
        yield from text_slots(child)
        yield child, "tail"


def insert(node: etree._Element, slot: str, position: int, span: etree._Element) -> None:
    text = getattr(node, slot)
    setattr(node, slot, text[:position] or None)
    span.tail = text[position:] or None
    if slot == "text":
        node.insert(0, span)
    else:
        node.addnext(span)
