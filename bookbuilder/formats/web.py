"""The web edition: a static site in one folder (files.Folder), one page per part of the book.

Its pages are the EPUB's documents (epub_documents.py: the same sections, the print edition's page
markers, links between chapters), each set in templates/web/page.html.j2 with the contents beside
it and links to the pages before and after. Chapter pages are named after their Markdown files, so
their addresses stay while chapters are added or moved. The search index is a script of its own
(search.js), loaded with a <script> element when the reader first searches: browsers refuse
fetch() from file://, and the site must work opened from a folder as well as from a server. It
reads without JavaScript; the script adds the search, the notes as pop-ups and the theme switch.
Every byte comes from the book and the build's date, so the site is the same from run to run.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
from dataclasses import dataclass, replace

from lxml import etree
from markupsafe import Markup
from PIL import Image

from ..css import checked_stylesheet, references
from ..files import Folder
from ..model import Book
from ..theme import WEB_STYLES
from ..vocabulary import COLOPHON, COVER, TITLEPAGE, TOC, document_name, slug
from .context import Context
from .epub_documents import cover_bytes, epub_rendition, stylesheets
from .pictures import resized

INDEX = "index.html"  # the cover, the title page and the contents
WIDTHS = (480, 960, 1600)  # the widths a picture is offered at (srcset), never above its own
SHOWN = 960  # the width of the picture a browser without srcset loads
PICTURE_SIZES = "(min-width: 40em) 36em, 100vw"  # the text column's width (web.css)
BLOCKS = {"p", "h1", "h2", "h3", "h4", "li", "figcaption", "td", "th", "dt", "dd", "pre", "blockquote"}
SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Page:
    name: str  # its file in the site
    title: str
    bodies: tuple[etree._Element, ...]  # the <body> of each EPUB document it shows, as site markup


def write_web(book: Book, ctx: Context) -> Folder:
    renderer = ctx.renderer
    styles = renderer.styles(stylesheets(book, WEB_STYLES), pdf=False)
    rendition = epub_rendition(renderer, styles, ctx.page_starts)
    names = page_names(book)
    documents = {doc.id: doc for doc in rendition.documents}
    files: dict[str, bytes] = {}
    pictures = Pictures(files)
    pictures.add(rendition.cover_href, cover_bytes(book, ctx))
    for image in book.images:
        pictures.add(image.href, image.path.read_bytes())
    address = {document_name(i): names.get(i, INDEX) for i in documents}  # EPUB file -> its page

    def page(doc_id: str, *more: str) -> Page:
        return Page(names.get(doc_id, INDEX), documents[doc_id].title,
                    tuple(site_body(documents[i].html, address, pictures) for i in (doc_id, *more)))

    index = replace(page(COVER, TITLEPAGE, TOC), title=renderer.view["full_title"])
    for nav in [n for body in index.bodies for n in body.iter("nav") if n.get("id") != "toc"]:
        nav.getparent().remove(nav)  # the landmarks and the page list: the site's own navigation stands for them
    pages = [index, *(page(doc.id) for doc in rendition.documents if doc.id not in (COVER, TITLEPAGE, TOC, COLOPHON)),
             page(COLOPHON)]
    link = lambda chapter, anchor: names[chapter.id] + (f"#{anchor}" if anchor else "")  # noqa: E731
    contents = renderer.contents(link)
    search = {"pages": [[p.name, p.title] for p in pages], "blocks": []}
    for number, this in enumerate(pages):
        search["blocks"] += [[number, *block] for body in this.bodies for block in blocks(body)]
        files[this.name] = renderer.render(
            "web/page.html.j2", title=this.title, page=this.name, index=INDEX, stylesheets=styles, contents=contents,
            content=Markup("".join(html_of(body) for body in this.bodies)),
            previous=pages[number - 1] if number else None,
            next=pages[number + 1] if number + 1 < len(pages) else None).encode()
    files["search.js"] = ("window.bookSearch = " + json.dumps(search, ensure_ascii=False, separators=(",", ":"))
                          + ";\n").encode()
    words = {key: book.labels[key] for key in ("nothing_found", "close", "notes")}
    files["book.js"] = renderer.render("web/book.js.j2", words=Markup(json.dumps(words, ensure_ascii=False))).encode()
    for href in styles:
        add_stylesheet(files, ctx.theme, href)
    return Folder.of(files)


def page_names(book: Book) -> dict[str, str]:
    """document id -> page file: a chapter's from its Markdown file's name ('02-the-road.md' ->
    '02-the-road.html'), its id where that name is taken or has no letter or digit to keep."""
    names = {COLOPHON: "colophon.html"}
    taken = {INDEX, *names.values()}
    for chapter in book.chapters:
        name = f"{slug(chapter.source.stem, chapter.id)}.html" if chapter.source.suffix == ".md" else ""
        if not name or name in taken:
            name = f"{chapter.id}.html"
        names[chapter.id] = name
        taken.add(name)
    return names


def site_body(xhtml: str, address: dict[str, str], pictures: Pictures) -> etree._Element:
    """The <body> of an EPUB document as the site's markup: plain HTML names (no namespaces or
    epub:type), links to other documents to their pages, pictures offered at screen sizes."""
    root = etree.fromstring(xhtml.encode())
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        element.tag = etree.QName(element).localname
        for name in [n for n in element.attrib if n.startswith("{")]:
            del element.attrib[name]
        href = element.get("href")
        if element.tag == "a" and href and not href.startswith("#"):
            file, _, anchor = href.partition("#")
            if file in address:
                element.set("href", address[file] + (f"#{anchor}" if anchor else ""))
        if element.tag == "img":
            pictures.offer(element)
        if element.tag == "pre":
            element.set("tabindex", "0")  # it scrolls sideways (web.css): from the keyboard too
    etree.cleanup_namespaces(root)
    return root.find("body")


def html_of(body: etree._Element) -> str:
    return "".join(etree.tostring(child, method="html", encoding="unicode") for child in body)


def blocks(body: etree._Element) -> list[list[str]]:
    """The search index's entries of one page: [anchor, text] for each block of text (a paragraph,
    a heading, a list item, a cell…) outside the navigation, under the nearest id before it."""
    found, anchor = [], ""
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        anchor = element.get("id") or anchor
        if (element.tag in BLOCKS and not any(d.tag in BLOCKS for d in element.iterdescendants() if isinstance(d.tag, str))
                and not any(a.tag == "nav" for a in element.iterancestors())):
            text = SPACES.sub(" ", "".join(element.itertext())).strip()
            if text:
                found.append([anchor, text])
    return found


class Pictures:
    """The site's pictures: each at the widths of WIDTHS up to its own, re-encoded with no metadata."""

    def __init__(self, files: dict[str, bytes]):
        self.files = files
        self.offered: dict[str, tuple[str, str]] = {}  # href -> (src, srcset)

    def add(self, href: str, data: bytes) -> str:
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            widths = sorted({min(width, picture.width) for width in WIDTHS})
            stem, ext = posixpath.splitext(href)
            sizes = []
            for width in widths:
                smaller = resized(picture, width) if width < picture.width else data
                if len(smaller) < len(data) or width == picture.width:  # a flat PNG can grow as it shrinks
                    name = href if width == picture.width else f"{stem}-{width}{ext}"
                    self.files[name] = smaller
                    sizes.append((name, width))
        if not sizes:
            self.files[href] = data
            sizes.append((href, picture.width))
        shown = max((s for s in sizes if s[1] <= SHOWN), key=lambda s: s[1], default=sizes[0])[0]
        self.offered[href] = (shown, ", ".join(f"{name} {width}w" for name, width in sizes))
        return shown

    def offer(self, img: etree._Element) -> None:
        if img.get("src") not in self.offered:
            return
        src, srcset = self.offered[img.get("src")]
        img.set("src", src)
        img.set("srcset", srcset)
        img.set("sizes", PICTURE_SIZES)


def add_stylesheet(files: dict[str, bytes], theme, href: str) -> None:
    """A stylesheet, checked as the build checks it, and the files it loads (fonts)."""
    data = checked_stylesheet(theme, href)
    files[href] = data
    folder = posixpath.dirname(href)
    for ref in references(data.decode("utf-8", "replace")):
        relative = posixpath.normpath(posixpath.join(folder, ref.url))
        if relative not in files:
            files[relative] = theme.read(relative, None)
