"""The Kobo edition (KEPUB): the EPUB with the markup Kobo's reader builds its highlights, reading
statistics and page turns on. Every sentence is a span of class 'koboSpan' with the id
kobo.PARAGRAPH.SENTENCE, and each document's body is wrapped in div#book-columns > div#book-inner,
as Kobo's own conversion (and kepubify, Calibre's Kobo driver) does. Its notes are already what
Kobo's reader pops up: <aside epub:type="footnote">. The file is named .kepub.epub, which is how
Kobo's devices and store tell a KEPUB from a plain EPUB. Nothing is added to the text: the words
are the EPUB's, in the same elements.
"""

from __future__ import annotations

import re
from dataclasses import replace

from lxml import etree

from ..model import Book
from ..vocabulary import COVER, TOC
from ..vocabulary import XHTML as XHTML_NS
from .context import Context
from .epub import package_rendition, rendition_of

# Where a sentence ends: its closing punctuation (and quotes or brackets after it), then a space; or
# a full-width stop, which no space follows.
SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*\s+|[。！？]+[」』”’）]*")
BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "figcaption", "caption", "div"}
LEFT_ALONE = {"script", "style", "pre", "code", "svg", "math"}  # as Kobo's conversion leaves them
# Kobo's reader sets the margins of the page itself.
STYLE_HACKS = "div#book-inner { margin-top: 0; margin-bottom: 0; }"


def write_kepub(book: Book, ctx: Context) -> bytes:
    rendition = rendition_of(book, ctx)
    documents = tuple(doc if doc.id in (COVER, TOC) else replace(doc, html=kobo_document(doc.html))
                      for doc in rendition.documents)
    return package_rendition(book, ctx, replace(rendition, documents=documents), "kepub")


def kobo_document(html: str) -> str:
    """One XHTML content document with Kobo's sentence spans and page wrappers."""
    root = etree.fromstring(html.encode())
    head, body = root.find(f"{{{XHTML_NS}}}head"), root.find(f"{{{XHTML_NS}}}body")
    Spans().visit(body)
    style = etree.SubElement(head, f"{{{XHTML_NS}}}style", id="kobostylehacks", type="text/css")
    style.text = STYLE_HACKS
    columns = etree.Element(f"{{{XHTML_NS}}}div", id="book-columns")
    inner = etree.SubElement(columns, f"{{{XHTML_NS}}}div", id="book-inner")
    inner.text, body.text = body.text, "\n"
    for child in list(body):
        inner.append(child)
    body.append(columns)
    return etree.tostring(root.getroottree(), encoding="utf-8", xml_declaration=True).decode()


class Spans:
    """Numbers the sentences of one document: a new paragraph number at each block, a new sentence
    number at each span."""

    def __init__(self):
        self.paragraph, self.sentence = 0, 0

    def visit(self, element: etree._Element) -> None:
        name = etree.QName(element).localname
        if name in LEFT_ALONE:
            return
        if name in BLOCKS:
            self.paragraph, self.sentence = self.paragraph + 1, 0
        children = [c for c in element if isinstance(c.tag, str)]  # before any span is added
        if element.text and element.text.strip():
            spans = self.spans(element.text)
            element.text = None
            for n, span in enumerate(spans):
                element.insert(n, span)
        for child in children:
            self.visit(child)
            if child.tail and child.tail.strip():
                spans = self.spans(child.tail)
                child.tail = None
                at = element.index(child)
                for n, span in enumerate(spans, 1):
                    element.insert(at + n, span)

    def spans(self, text: str) -> list[etree._Element]:
        found = []
        if not self.paragraph:  # text before any block (a caption's container, say) has a number too
            self.paragraph = 1
        for sentence in sentences(text):
            self.sentence += 1
            span = etree.Element(f"{{{XHTML_NS}}}span", {"class": "koboSpan", "id": f"kobo.{self.paragraph}.{self.sentence}"})
            span.text = sentence
            found.append(span)
        return found


def sentences(text: str) -> list[str]:
    """``text`` cut after each sentence's end, the space after it kept with it: the pieces join to ``text``."""
    pieces, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if match.end() < len(text):
            pieces.append(text[start:match.end()])
            start = match.end()
    return [*pieces, text[start:]]
