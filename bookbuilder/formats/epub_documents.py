"""The EPUB's documents: cover, title page, colophon, the navigation document and one document per
part, each wrapping the shared section markup; a page-break marker wherever a page of the print
edition begins, the page list in the nav and a pageList in the NCX. Plain text in, plain text out:
epub.py packages what this returns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from markupsafe import Markup

from ..render.artwork import cover_png
from ..render.renderer import Renderer
from ..render.rendition import EPUB
from ..typeset.pages import PageStart
from ..vocabulary import COLOPHON, COVER, TITLEPAGE, TOC, document_name, marker_id
from .pagelist import element_ids, mark_pages

COVER_HREF = "images/cover.png"  # the cover the build draws, when the book has no images/cover.*
ANCHOR_LINK = re.compile(r'href="#([^"]+)"')
CONSTRUCTS = "styles/constructs.css"
PLAIN_KINDS = ("introduction", "chapter", "appendix")
# What constructs.css sets, as it stands in a chapter body.
CONSTRUCT_MARKUP = re.compile(r'<table|<aside|<dl|class="(scene-break|letter|epigraph|page|dateline|salutation|signature)"')


@dataclass(frozen=True)
class Document:
    """One EPUB content document: ``filename`` in the package, full XHTML text."""

    id: str
    filename: str
    title: str
    html: str


@dataclass(frozen=True)
class PageTarget:
    """One entry of the EPUB's page list: a printed folio and the marker that stands for it."""

    label: str
    href: str  # 'chapter-1.xhtml#page-3'

    @property
    def front(self) -> bool:
        return not self.label.isdigit()  # roman front-matter folios


@dataclass(frozen=True)
class EpubRendition:
    documents: tuple[Document, ...]  # in reading order: cover, title page, colophon, contents, parts
    ncx: str
    stylesheets: tuple[str, ...]
    cover_href: str
    page_list: tuple[PageTarget, ...]  # in page order; empty when no print page could be placed


def cover_href(renderer: Renderer) -> str:
    return renderer.book.cover.href if renderer.book.cover else COVER_HREF


def cover_bytes(book, ctx) -> bytes:
    """The book's own images/cover.* if it has one, else a cover drawn from the title and names."""
    if book.cover:
        return book.cover.path.read_bytes()
    view = ctx.renderer.view
    return cover_png(view["title"], view["subtitle"], view["byline"], view["cover_credit"], ctx.renderer.cover_face)


def stylesheets(book, styles: tuple[str, ...]) -> tuple[str, ...]:
    """The EPUB's stylesheets: constructs.css only for a book that uses what it sets, so a book of
    running text alone is packaged as it was before there were notes, tables or parts."""
    used = any(c.kind not in PLAIN_KINDS or CONSTRUCT_MARKUP.search(c.body_html) for c in book.chapters)
    return styles if used else tuple(s for s in styles if s != CONSTRUCTS)


def epub_rendition(renderer: Renderer, styles: tuple[str, ...], starts: tuple[PageStart, ...],
                   cover_page: bool = True, ncx_depth: int | None = None) -> EpubRendition:
    """The EPUB's documents, marked where the print edition's pages begin (``starts``); with no
    document for the cover when not ``cover_page`` (a store that shows the cover image itself), and
    the NCX's entries nested no deeper than ``ncx_depth`` (deeper ones follow their parent)."""
    book = renderer.book
    # the same entries as the print contents page
    link = lambda c, anchor: document_name(c.id) + (f"#{anchor}" if anchor else "")  # noqa: E731
    contents, lists = renderer.contents(link), renderer.lists(link)

    def document(doc_id: str, title: str, matter: str, content: str) -> Document:
        html = renderer.render("epub/document.xhtml.j2", title=title, matter=matter, stylesheets=styles,
                               content=Markup(content))
        return Document(doc_id, document_name(doc_id), title, html)

    def nav(page_list: tuple[PageTarget, ...]) -> Document:
        return Document(TOC, document_name(TOC), book.labels["contents"],
                        renderer.render("epub/nav.xhtml.j2", title=book.labels["contents"], matter="frontmatter",
                                        stylesheets=styles, contents=contents, lists=lists, page_list=page_list,
                                        first=document_name(book.body_start.id), cover_page=cover_page))

    def chapters(listed) -> list[Document]:
        return [document(c.id, c.title, renderer.section_view(c)["matter"], renderer.sections(EPUB)[c.id])
                for c in listed]

    front, body = renderer.reading_order()  # the print edition's order
    labels = book.labels
    documents = [
        *[Document(COVER, document_name(COVER), labels["cover"],
                   renderer.render("epub/cover.xhtml.j2", title=labels["cover"], matter="frontmatter", stylesheets=styles,
                                   cover_href=cover_href(renderer)))][:cover_page],
        *chapters(front["before_title"]),
        document(TITLEPAGE, labels["title_page"], "frontmatter", renderer.render("titlepage.xhtml.j2")),
        # The EPUB embeds no font: the reading system's face sets it, so the colophon names none
        document(COLOPHON, labels["colophon"], "frontmatter", renderer.render("colophon.xhtml.j2", typeface="", printing="")),
        *chapters(front["before_contents"]),
        nav(()),
        *chapters(front["after_contents"] + body),
    ]
    at_nav = next(n for n, doc in enumerate(documents) if doc.id == TOC)
    # Which document a marker lands in is known only once every document exists, the nav
    # included; the nav is then rendered again, now with the page list.
    homes = {element: doc.filename for doc in documents for element in element_ids(doc.html)}
    placed = [s for s in starts if s.element in homes]
    page_list = tuple(PageTarget(s.label, f"{homes[s.element]}#{marker_id(s.label)}") for s in placed)
    documents[at_nav] = nav(page_list)

    def marked(doc: Document) -> Document:
        here = [s for s in placed if homes[s.element] == doc.filename]
        return replace(doc, html=mark_pages(doc.html, here)) if here else doc

    documents = [marked(linked(doc, homes)) for doc in documents]
    ncx = renderer.render("epub/toc.ncx.j2", **ncx_view(documents, nested(contents, ncx_depth), page_list))
    return EpubRendition(tuple(documents), ncx, styles, cover_href(renderer), page_list)


def linked(doc: Document, homes: dict[str, str]) -> Document:
    """Links to an id in another document (one chapter to another) name that document's file."""
    def target(match: re.Match) -> str:
        home = homes.get(match.group(1), doc.filename)
        return match.group(0) if home == doc.filename else f'href="{home}#{match.group(1)}"'

    return replace(doc, html=ANCHOR_LINK.sub(target, doc.html))


def nested(entries: list[dict], depth: int | None) -> list[dict]:
    """``entries`` nested no deeper than ``depth`` (None: as they are): at the last level an entry is
    followed by its descendants, in reading order."""
    if depth is None:
        return entries
    if depth == 1:
        return [{**e, "children": []} for e in flattened(entries)]
    return [{**e, "children": nested(e["children"], depth - 1)} for e in entries]


def flattened(entries: list[dict]) -> list[dict]:
    return [e for entry in entries for e in (entry, *flattened(entry["children"]))]


def ncx_view(documents: list[Document], contents: list[dict], page_list: tuple[PageTarget, ...]) -> dict:
    """The NCX's navMap (nested like the contents) and pageList with one dense playOrder in reading
    order: a document's navPoint (its start) comes first, then its sections and page markers in
    the order they stand in it."""
    spine = {doc.filename: n for n, doc in enumerate(documents)}
    html = {doc.filename: doc.html for doc in documents}

    def place(href: str) -> tuple[int, int]:
        name, _, anchor = href.partition("#")
        return spine[name], html[name].find(f' id="{anchor}"') if anchor else -1

    targets = [(place(e["href"]), e["href"]) for e in flattened(contents)]
    targets += [(place(p.href), p.href) for p in page_list]
    order = {href: n for n, (_, href) in enumerate(sorted(targets), 1)}
    numbers = [int(p.label) for p in page_list if not p.front]

    def numbered(entries: list[dict]) -> list[dict]:
        return [{**e, "play_order": order[e["href"]], "children": numbered(e["children"])} for e in entries]

    def depth(entries: list[dict]) -> int:
        return max((1 + depth(e["children"]) for e in entries), default=0)

    return {
        "contents": numbered(contents),
        "depth": depth(contents),
        "pages": [{"label": p.label, "href": p.href, "id": p.href.split("#")[1], "play_order": order[p.href],
                   "type": "front" if p.front else "normal", "value": "" if p.front else p.label}
                  for p in page_list],
        "max_page": max(numbers, default=0),
    }
