"""Model -> XHTML, through the shared templates. Chapter bodies are rendered once and every
format packages the same section markup; formats differ only in the wrapping documents.

Templates compute nothing: everything they show is prepared here as plain data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import jinja2
from markupsafe import Markup

from .artwork import COVER, cover_lines
from .config import PRIMARY_ROLES
from .model import Book, Chapter
from .pagelist import PageStart, element_ids, mark_pages, marker_id
from .printing import points, spine_has_text, spine_inches
from .templates import environment, render_template
from .theme import STYLES, Theme

# kind -> (epub:type, ARIA role, EPUB body epub:type)
SEMANTICS = {
    "introduction": ("introduction", "doc-introduction", "bodymatter"),
    "chapter": ("chapter", "doc-chapter", "bodymatter"),
    "appendix": ("appendix", "doc-appendix", "backmatter"),
}
ROLE_CREDITS = {
    "interviewer": "In conversation with",
    "editor": "Edited by",
    "translator": "Translated by",
    "photographer": "Photographs by",
    "illustrator": "Illustrated by",
}
COVER_HREF = "images/cover.png"


def safe(html: str) -> Markup:
    """The one place where already-rendered markup is trusted by the templates."""
    return Markup(html)


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


class Renderer:
    """Renders one book; section fragments are cached so each is rendered once for all formats."""

    def __init__(self, book: Book, theme: Theme):
        self.book = book
        self.env: jinja2.Environment = environment(theme)

    def render(self, name: str, **context) -> str:
        return render_template(self.env, name, book=self.view, **context)

    @cached_property
    def view(self) -> dict:
        meta = self.book.metadata
        primary = [c.name for c in meta.contributors if c.role in PRIMARY_ROLES]
        byline = " and ".join(primary)
        credits = [f"{ROLE_CREDITS.get(c.role, c.role.capitalize() + ':')} {c.name}"
                   for c in meta.contributors if c.role not in PRIMARY_ROLES]
        return {
            "title": meta.title,
            "subtitle": meta.subtitle,
            "full_title": f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title,
            "language": meta.language,
            "identifier": meta.identifier,
            "date": meta.date.isoformat(),
            "year": meta.date.year,
            "publisher": meta.publisher,
            "source": meta.source,
            "rights": meta.rights,
            "description": meta.description,
            "subjects": meta.subjects,
            "authors": primary,
            "byline": byline,
            "credits": credits,
            "contributors": [{"name": c.name, "role": c.role, "sort_as": c.sort_as} for c in meta.contributors],
            "editorial_note": safe(meta.editorial_note_html),
            "cover_credit": (credits or [meta.publisher])[0],
            "cover_alt": f"Cover: {meta.title}" + (f", {meta.subtitle}" if meta.subtitle else "")
                         + (f", by {byline}" if byline else ""),
        }

    @property
    def cover_href(self) -> str:
        return self.book.cover.href if self.book.cover else COVER_HREF

    def section_view(self, chapter: Chapter) -> dict:
        epub_type, role, matter = SEMANTICS[chapter.kind]
        return {
            "id": chapter.id,
            "kind": chapter.kind,
            "label": f"Chapter {chapter.number}" if chapter.number else "",
            "title": chapter.title,
            "epub_type": epub_type,
            "role": role,
            "matter": matter,
            "body": safe(chapter.body_html),
        }

    @cached_property
    def sections(self) -> dict[str, Markup]:
        """Every part's <section>, rendered once through the shared chapter template."""
        return {c.id: safe(self.render("section.xhtml.j2", section=self.section_view(c)))
                for c in self.book.chapters}

    def contents(self, link) -> list[dict]:
        return [{"href": link(c), "id": c.id, "label": self.section_view(c)["label"], "title": c.title}
                for c in self.book.chapters]

    def epub(self, starts: tuple[PageStart, ...]) -> EpubRendition:
        """The EPUB's documents, with a page-break marker wherever a page of the print edition begins
        (``starts``, from pdf.page_starts), a page list in the nav and a pageList in the NCX."""
        styles = STYLES["epub"]
        contents = self.contents(lambda c: f"{c.id}.xhtml")  # the same entries as the print contents page

        def document(doc_id: str, title: str, matter: str, content: str) -> Document:
            html = self.render("epub/document.xhtml.j2", title=title, matter=matter, stylesheets=styles,
                               content=safe(content))
            return Document(doc_id, f"{doc_id}.xhtml", title, html)

        def nav(page_list: tuple[PageTarget, ...]) -> Document:
            return Document("toc", "toc.xhtml", "Contents",
                            self.render("epub/nav.xhtml.j2", title="Contents", matter="frontmatter",
                                        stylesheets=styles, contents=contents, page_list=page_list,
                                        first=f"{self.book.chapters[0].id}.xhtml"))

        documents = [
            Document("cover", "cover.xhtml", "Cover",
                     self.render("epub/cover.xhtml.j2", title="Cover", matter="frontmatter", stylesheets=styles,
                                 cover_href=self.cover_href)),
            document("titlepage", "Title page", "frontmatter", self.render("titlepage.xhtml.j2")),
            document("colophon", "Colophon", "frontmatter", self.render("colophon.xhtml.j2")),
            nav(()),
        ]
        for chapter in self.book.chapters:
            view = self.section_view(chapter)
            documents.append(document(chapter.id, chapter.title, view["matter"], self.sections[chapter.id]))
        # Which document a marker lands in is known only once every document exists, the nav
        # included; the nav is then rendered again, now with the page list.
        homes = {element: doc.filename for doc in documents for element in element_ids(doc.html)}
        placed = [s for s in starts if s.element in homes]
        page_list = tuple(PageTarget(s.label, f"{homes[s.element]}#{marker_id(s.label)}") for s in placed)
        documents[3] = nav(page_list)

        def marked(doc: Document) -> Document:
            here = [s for s in placed if homes[s.element] == doc.filename]
            return replace(doc, html=mark_pages(doc.html, here)) if here else doc

        documents = [marked(doc) for doc in documents]
        ncx = self.render("epub/toc.ncx.j2", **ncx_view(documents, contents, page_list))
        return EpubRendition(tuple(documents), ncx, styles, self.cover_href, page_list)

    def page(self, profile: str, size: str | None = None) -> dict:
        """The @page settings of a PDF: print pages and the cover bleed (and may carry crop marks);
        handout pages go to an office printer, which has neither."""
        settings = self.book.settings
        if profile == "handout":
            return {"size": settings.handout_paper, "bleed": "0", "marks": "none"}
        return {"size": size or " ".join(settings.trim), "bleed": settings.bleed,
                "marks": "crop" if settings.marks else "none"}

    def pdf(self, profile: str) -> str:
        """The single HTML document a PDF profile ('print' or 'handout') is laid out from."""
        return self.render(f"pdf/{profile}.html.j2", stylesheets=STYLES[profile], page=self.page(profile),
                           contents=self.contents(lambda c: f"#{c.id}"),
                           sections=[self.sections[c.id] for c in self.book.chapters])

    def screen(self, version: str, version_url: str, problem: str = "") -> str:
        """The live preview page: one HTML document for a browser, reloading itself when the
        server's version moves on from ``version``; ``problem`` is shown above the book."""
        return self.render("screen/preview.html.j2", stylesheets=STYLES["screen"], version=version,
                           version_url=version_url, problem=problem, contents=self.contents(lambda c: f"#{c.id}"),
                           sections=[self.sections[c.id] for c in self.book.chapters])

    def blank(self, profile: str) -> str:
        """A document of one empty page with the profile's @page settings, and no page furniture."""
        return self.render("pdf/document.html.j2", stylesheets=(), page=self.page(profile))

    def cover(self, pages: int) -> str:
        """The wraparound cover (back, spine, front) of a print edition of ``pages`` pages."""
        settings = self.book.settings
        panel, height = (points(length) for length in settings.trim)
        spine = spine_inches(pages, settings.pages_per_inch) * 72
        size = f"{2 * panel + spine:.2f}pt {height:.2f}pt"
        title_lines, subtitle_lines = cover_lines(self.book.metadata.title, self.book.metadata.subtitle)
        layout = {"panel": f"{panel:.2f}pt", "spine": f"{spine:.2f}pt", "height": f"{height:.2f}pt",
                  "spine_text": spine_has_text(pages, settings.pages_per_inch),
                  "title_lines": title_lines, "subtitle_lines": subtitle_lines}
        return self.render("pdf/cover.html.j2", stylesheets=STYLES["cover"], page=self.page("cover", size),
                           cover=layout, design=COVER)


def problem_page(theme: Theme, version: str, version_url: str, problem: str) -> str:
    """The preview page when the book has not loaded yet: the problem, and a reload once it is fixed."""
    return render_template(environment(theme), "screen/problem.html.j2", stylesheets=STYLES["screen"],
                           version=version, version_url=version_url, problem=problem)


def ncx_view(documents: list[Document], contents: list[dict], page_list: tuple[PageTarget, ...]) -> dict:
    """The NCX's navMap and pageList with one dense playOrder in reading order: a document's
    navPoint (its start) comes before the page markers inside it."""
    spine = {doc.filename: n for n, doc in enumerate(documents)}
    targets = [((spine[e["href"]], -1), e["href"]) for e in contents]
    targets += [((spine[p.href.split("#")[0]], n), p.href) for n, p in enumerate(page_list)]
    order = {href: n for n, (_, href) in enumerate(sorted(targets), 1)}
    numbers = [int(p.label) for p in page_list if not p.front]
    return {
        "contents": [{**e, "play_order": order[e["href"]]} for e in contents],
        "pages": [{"label": p.label, "href": p.href, "id": p.href.split("#")[1], "play_order": order[p.href],
                   "type": "front" if p.front else "normal", "value": "" if p.front else p.label}
                  for p in page_list],
        "max_page": max(numbers, default=0),
    }
