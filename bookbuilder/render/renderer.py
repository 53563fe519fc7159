"""Model -> documents, through the shared templates. Chapter bodies are rendered once and every
format packages the same section markup; a format renders only its own wrapping documents, with
render() and the views prepared here.

Templates compute nothing: everything they show is prepared here as plain data.
"""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from ..manuscript.labels import ENGLISH, Labels, chapter_label
from ..model import Book, Chapter
from ..printing import printing_line
from ..scripts import FACES, faces_for, require_faces, script_styles
from ..theme import FONTS, Theme
from ..vocabulary import (
    ENDNOTES,
    FRONT_MATTER,
    PRIMARY_ROLES,
    contents_entry_id,
    heading_id,
    nav_point_id,
)
from .editions import NO_LEAD_IN, Fitting, Rendition, section_markup
from .faces import typeface
from .hyphenation import hyphenation_language, kept_words
from .sandbox import Sandbox
from .templates import environment, render_template

# kind -> (epub:type, ARIA role, EPUB body epub:type)
SEMANTICS = {
    "introduction": ("introduction", "doc-introduction", "bodymatter"),
    "chapter": ("chapter", "doc-chapter", "bodymatter"),
    "appendix": ("appendix", "doc-appendix", "backmatter"),
    "part": ("part", "doc-part", "bodymatter"),
    "halftitle": ("halftitlepage", "", "frontmatter"),
    "dedication": ("dedication", "doc-dedication", "frontmatter"),
    "epigraph": ("epigraph", "doc-epigraph", "frontmatter"),
    "foreword": ("foreword", "doc-foreword", "frontmatter"),
    "preface": ("preface", "doc-preface", "frontmatter"),
    "note-on-the-text": ("", "", "frontmatter"),  # no EPUB or ARIA term says 'a note on the text'
    "afterword": ("afterword", "doc-afterword", "backmatter"),
    "acknowledgements": ("acknowledgments", "doc-acknowledgments", "backmatter"),
    "about-the-author": ("", "", "backmatter"),
    "also-by": ("", "", "backmatter"),
    ENDNOTES: ("endnotes", "doc-endnotes", "backmatter"),  # made by manuscript/notes.py
}
# The class a section's kind gives it besides 'part' (every section is one part of the book).
KIND_CLASSES = {"part": "part-title", "epigraph": "epigraph-page"}
DISPLAY_KINDS = {"halftitle", "dedication", "epigraph", "part"}  # set as display pages, with no lead-in
NUMERAL = re.compile(r"[IVXLCDM]+|\d+")  # a title that is only a chapter's number
LIST_TYPES = {"illustrations": "loi", "tables": "lot"}  # EPUB structural semantics: list of illustrations, of tables
CAPTIONED_TABLE = re.compile(r'<table id="([^"]+)"[^>]*>\s*<caption[^>]*>(.*?)</caption>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")
CREDIT = re.compile(r'<span class="credit">.*?</span>', re.DOTALL)  # a caption's credit: not in the lists
ROLE_CREDITS = ("interviewer", "editor", "translator", "photographer", "illustrator")  # labels with their own line


def running_head(label: str, title: str, kind: str, labels: Labels = ENGLISH) -> str:
    """A chapter's running head: 'Chapter 3: Title', or the title alone; a chapter titled only by
    its number ('XXXI') is called 'Chapter XXXI', not to be read as a folio."""
    if label:
        return f"{label}: {title}"
    if kind == "chapter" and NUMERAL.fullmatch(title):
        return labels.fill("chapter", number=title)
    return title


def one_document(chapter: Chapter, anchor: str | None) -> str:
    """A contents link where every part is in one document (the PDFs, the preview)."""
    return f"#{anchor or chapter.id}"


def plain(html: str) -> str:
    """A caption's text without its markup (entities kept: it is rendered as markup again)."""
    return Markup(" ".join(TAG.sub("", html).split()))


def safe(html: str) -> Markup:
    """The one place where already-rendered markup is trusted by the templates."""
    return Markup(html)


class Renderer:
    """Renders one book; section fragments are kept so each is rendered once for all formats. Pure:
    nothing a later stage finds is written back here; what it changes is an argument."""

    def __init__(self, book: Book, theme: Theme):
        self.book = book
        self.theme = theme
        self.env: Sandbox = environment(theme)
        self.rendered: dict[tuple, dict[str, Markup]] = {}  # (rendition, notes after text) -> id -> <section>

    def render(self, name: str, **context) -> str:
        return render_template(self.env, name, book=self.view, labels=self.book.labels.words, **context)

    def styles(self, stylesheets: tuple[str, ...], pdf: bool = True) -> tuple[str, ...]:
        """A format's ``stylesheets`` and, after them, those the book's scripts add (scripts.script_styles)."""
        book = self.book
        return (*stylesheets, *script_styles(book.faces, book.metadata.language, book.labels.direction, pdf))

    @cached_property
    def cover_face(self) -> Path | None:
        """The packaged face the cover's words need, where Charis SIL cannot set them (artwork.py);
        not installed, the book's error (a cover drawn without it would show empty boxes)."""
        view = self.view
        keys = faces_for(view["title"] + view["subtitle"] + view["byline"], self.book.metadata.language)
        require_faces(keys)
        return next((self.theme.face_files.get(FONTS + FACES[key].files[0].name) for key in keys), None)

    @cached_property
    def typeface(self) -> str:
        """The faces a rendition that embeds the shipped fonts is set in (the PDFs, the preview)."""
        return typeface(self.theme, self.book.labels)

    @cached_property
    def unbroken(self) -> tuple[str, ...]:
        """The words the PDFs never hyphenate, book.toml's no_hyphenate and the contributors' names, and
        those hyphenated only at the break points book.toml's hyphenate gives them."""
        settings = self.book.settings
        return kept_words([*settings.no_hyphenate, *(c.name for c in self.book.metadata.contributors)],
                          settings.hyphenate)

    @cached_property
    def view(self) -> dict:
        meta, labels = self.book.metadata, self.book.labels
        primary = [c.name for c in meta.contributors if c.role in PRIMARY_ROLES]
        byline = labels.joined(primary)
        credits = [labels.fill(c.role, name=c.name) if c.role in ROLE_CREDITS else f"{c.role.capitalize()}: {c.name}"
                   for c in meta.contributors if c.role not in PRIMARY_ROLES]
        title = f"{meta.title}, {meta.subtitle}" if meta.subtitle else meta.title
        return {
            "title": meta.title,
            "subtitle": meta.subtitle,
            "full_title": f"{meta.title}: {meta.subtitle}" if meta.subtitle else meta.title,
            "language": meta.language,
            "direction": labels.direction,  # the documents' dir, the EPUB spine's page-progression-direction
            "hyphenation_language": hyphenation_language(meta.language),
            "identifier": meta.identifier,
            "edition": meta.edition,
            "printing_line": printing_line(meta.printing),
            "production_credits": meta.credits,
            "opening": self.book.settings.opening,
            "isbns": [{"isbn": number, "edition": labels[edition]} for number, edition in
                      ((meta.isbn_print, "isbn_print"), (meta.isbn_epub, "isbn_epub")) if number],
            "date": meta.date.isoformat(),
            "modified": meta.modified.isoformat(),
            "year": meta.date.year,
            "publisher": meta.publisher,
            "source": meta.source,
            "first_published": labels.fill("first_published", source=meta.source) if meta.source else "",
            "set_in": labels.fill("set_in", typeface=self.typeface),
            "rights": meta.rights,
            "description": meta.description,
            "subjects": meta.subjects,
            "series": meta.series,
            "series_book": labels.fill("series_book", number=meta.series_number) if meta.series_number else "",
            "authors": primary,
            "byline": byline,
            "credits": credits,
            "contributors": [{"name": c.name, "role": c.role, "sort_as": c.sort_as} for c in meta.contributors],
            "editorial_note": safe(meta.editorial_note_html),
            "cover_credit": (credits or [meta.publisher])[0],
            "cover_alt": labels.fill("cover_alt_by", title=title, names=byline) if byline else
                         labels.fill("cover_alt", title=title),
        }

    def section_view(self, chapter: Chapter) -> dict:
        epub_type, role, matter = SEMANTICS[chapter.kind]
        return {
            "id": chapter.id,
            "heading_id": heading_id(chapter.id),
            "kind": chapter.kind,
            "classes": " ".join(["part", KIND_CLASSES.get(chapter.kind, chapter.kind), *["in-part"][:bool(chapter.part)]]),
            "label": chapter_label(chapter.number, self.book.settings.chapter_labels, self.book.labels),
            "title": chapter.title,
            "epub_type": epub_type,
            "role": role,
            "matter": matter,
        }

    def sections(self, rendition: Rendition, fitting: Fitting = Fitting()) -> dict[str, Markup]:
        """Every part's <section> as the formats of ``rendition`` print it, rendered once per rendition
        through the shared chapter template, fitted to the page as an edition's rounds found
        (``fitting``: notes set after their chapter's text, tables set smaller or split)."""
        key = (rendition, fitting)
        if key not in self.rendered:  # a memo: the same arguments give the same sections
            notes = self.book.settings.notes
            self.rendered[key] = {c.id: safe(self.render("section.xhtml.j2", section={
                **self.section_view(c), "body": safe(section_markup(c.body_html, rendition, notes, fitting,
                                                                    self.unbroken, self.opening(c), self.book.labels)),
                "running_head": self.running_head(c) if rendition.running_heads else ""}))
                for c in self.book.chapters}
        return self.rendered[key]

    def opening(self, chapter: Chapter) -> str:
        """How the text of ``chapter`` opens in the PDFs: as book.toml says, but a display page's."""
        return NO_LEAD_IN if chapter.kind in DISPLAY_KINDS else self.book.settings.opening

    def running_head(self, chapter: Chapter) -> str:
        return running_head(self.section_view(chapter)["label"], chapter.title, chapter.kind, self.book.labels)

    def contents(self, link) -> list[dict]:
        """The contents entries, each linking to ``link(chapter, None)``: parts hold their chapters,
        and with contents_depth 2 a chapter holds its sections, linking to ``link(chapter, id)``."""
        depth, places = self.book.settings.contents_depth, self.book.places

        def entry(c: Chapter) -> dict:
            sections = [{"href": link(c, s.id), "id": s.id, "entry_id": contents_entry_id(s.id),
                         "nav_id": nav_point_id(s.id), "label": "", "title": s.title, "children": [],
                         "front": places[c.id] is not None}
                        for s in c.sections] if depth > 1 else []
            return {"href": link(c, None), "id": c.id, "entry_id": contents_entry_id(c.id),
                    "nav_id": nav_point_id(c.id), "label": self.section_view(c)["label"], "title": c.title,
                    "front": places[c.id] is not None,
                    "children": [entry(m) for m in self.book.chapters if m.part == c.id] + sections}

        listed = [c for c in self.book.chapters if places[c.id] in ("after_contents", None)]
        return [entry(c) for c in listed if not c.part]

    def lists(self, link) -> list[dict]:
        """The lists book.toml's [structure] lists asks for, in its order, each of the captioned
        figures or tables in reading order, linking to ``link(chapter, id)``; a list with no entry
        is left out. The PDFs print each entry's page (the contents' stylesheet rules)."""
        found = {"illustrations": [], "tables": []}
        front, body = self.reading_order()
        for chapter in [*(c for place in front.values() for c in place), *body]:
            found["illustrations"] += [{"href": link(chapter, f.id), "title": plain(CREDIT.sub("", f.caption_html))}
                                       for f in chapter.figures]
            found["tables"] += [{"href": link(chapter, table_id), "title": plain(caption)}
                                for table_id, caption in CAPTIONED_TABLE.findall(chapter.body_html)]
        return [{"id": LIST_TYPES[kind], "kind": kind, "title": self.book.labels[kind], "entries": found[kind]}
                for kind in self.book.settings.lists if found[kind]]

    def sections_in_order(self, rendition: Rendition) -> list[Markup]:
        return list(self.sections(rendition).values())

    def reading_order(self) -> tuple[dict[str, list[Chapter]], list[Chapter]]:
        """The chapters the editions set in the front matter, by place (vocabulary.FRONT_MATTER:
        before the title page, before the contents, after them), and the others, in order."""
        front: dict[str, list[Chapter]] = {place: [] for place in FRONT_MATTER.values()}
        body, places = [], self.book.places
        for chapter in self.book.chapters:
            (front[places[chapter.id]] if places[chapter.id] else body).append(chapter)
        return front, body

    def front_and_body(self, rendition: Rendition, fitting: Fitting = Fitting()
                       ) -> tuple[dict[str, list[Markup]], list[Markup]]:
        """reading_order(), as the sections of ``rendition``."""
        front, body = self.reading_order()
        sections = self.sections(rendition, fitting)
        return {place: [sections[c.id] for c in chapters] for place, chapters in front.items()}, \
            [sections[c.id] for c in body]
