"""Model -> documents, through the shared templates. Chapter bodies are rendered once and every
format packages the same section markup; a format renders only its own wrapping documents, with
render() and the views prepared here.

Templates compute nothing: everything they show is prepared here as plain data.
"""

from __future__ import annotations

from functools import cached_property

from markupsafe import Markup

from ..model import Book, Chapter
from ..theme import Theme
from ..vocabulary import PRIMARY_ROLES, contents_entry_id, heading_id, nav_point_id
from .faces import typeface
from .sandbox import Sandbox
from .templates import environment, render_template

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


def safe(html: str) -> Markup:
    """The one place where already-rendered markup is trusted by the templates."""
    return Markup(html)


class Renderer:
    """Renders one book; section fragments are cached so each is rendered once for all formats."""

    def __init__(self, book: Book, theme: Theme):
        self.book = book
        self.theme = theme
        self.env: Sandbox = environment(theme)

    def render(self, name: str, **context) -> str:
        return render_template(self.env, name, book=self.view, **context)

    @cached_property
    def typeface(self) -> str:
        """The faces a rendition that embeds the shipped fonts is set in (the PDFs, the preview)."""
        return typeface(self.theme)

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
            "isbns": [{"isbn": number, "edition": edition} for number, edition in
                      ((meta.isbn_print, "paperback"), (meta.isbn_epub, "e-book")) if number],
            "date": meta.date.isoformat(),
            "modified": meta.modified.isoformat(),
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

    def section_view(self, chapter: Chapter) -> dict:
        epub_type, role, matter = SEMANTICS[chapter.kind]
        return {
            "id": chapter.id,
            "heading_id": heading_id(chapter.id),
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
        """The contents entries, each linking to ``link(chapter)``."""
        return [{"href": link(c), "id": c.id, "entry_id": contents_entry_id(c.id), "nav_id": nav_point_id(c.id),
                 "label": self.section_view(c)["label"], "title": c.title} for c in self.book.chapters]

    def sections_in_order(self) -> list[Markup]:
        return [self.sections[c.id] for c in self.book.chapters]
