"""The formats: one thin writer per output, each declared once in FORMATS below. The PDF editions
are laid out by the typeset stage (typeset/, one row per edition in typeset/editions.py); the
pipeline hands each writer the laid-out editions it names (Context.layouts).

A format is a row: its name, file name, writer, the templates and styles it reads, the layout it
shares, and the checks that apply to it. The pipeline, the cache, the theme's stylesheet links,
'make-book check', 'serve' and the command line all read the rows; adding a format is one module
with a writer ``write(book, ctx) -> bytes`` and one ``register(Format(...))``. A writer whose output
is several files (the web edition) returns a files.Folder instead: it is staged, renamed into place
and cached as one unit, as a file is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from ..files import Folder
from ..theme import BASE_STYLES, WEB_STYLES
from ..typeset.editions import EDITIONS


@dataclass(frozen=True)
class Format:
    name: str
    filename: str  # with {slug}
    writer: str | Callable  # "module:function" in formats/ (imported when used), or the function
    templates: str | None  # the template folder only this format family reads, e.g. 'templates/epub/'
    styles: tuple[str, ...]  # its stylesheets, in cascade order
    layout: str | None = None  # the edition (typeset.editions.EDITIONS) it is made from or measures (Context.layouts)
    page_map: bool = False  # it is given the print edition's page starts (the EPUB's page list)
    guards: tuple[str, ...] = ()  # checks every build runs on its bytes (checks.CHECKS); they raise
    checks: tuple[str, ...] = ()  # checks 'make-book check' runs on the written file
    sheet: str | None = None  # its TrimBox: 'trim', 'spread' (trim height, any width) or 'paper'
    preview: bool = False  # 'make-book serve' offers it beside the screen rendition
    default: bool = True  # built when neither --format nor book.toml's [output] formats names the outputs

    def write(self, book, ctx) -> bytes | Folder:
        function = self.writer
        if isinstance(function, str):
            module, name = function.split(":")
            function = getattr(importlib.import_module(module, __package__), name)
        return function(book, ctx)


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    FORMATS[fmt.name] = fmt
    return fmt


register(Format("epub", "{slug}.epub", ".epub:write_epub", "templates/epub/", (*BASE_STYLES, "styles/epub.css"),
                layout="print", page_map=True, checks=("epubcheck", "ace", "stores")))
register(Format("print", "{slug}-print.pdf", ".print_pdf:write_print", "templates/pdf/",
                EDITIONS["print"].stylesheets, layout="print", guards=("fonts", "press"),
                checks=("boxes", "page-labels", "preflight"),
                sheet="trim", preview=True))
register(Format("handout", "{slug}-handout.pdf", ".handout_pdf:write_handout", "templates/pdf/",
                EDITIONS["handout"].stylesheets, layout="handout", guards=("fonts",), checks=("boxes",),
                sheet="paper", preview=True))
register(Format("cover", "{slug}-cover.pdf", ".cover_pdf:write_cover", "templates/pdf/",
                ("styles/fonts.css", "styles/cover.css"), layout="print", guards=("fonts", "press"),
                checks=("boxes", "preflight-cover"),
                sheet="spread"))
# The store editions ([output] stores: stores.py): each the EPUB as one store takes it, and the cover apart.
register(Format("kepub", "{slug}.kepub.epub", ".kepub:write_kepub", "templates/epub/", FORMATS["epub"].styles,
                layout="print", page_map=True, checks=("epubcheck", "ace", "stores"), default=False))
register(Format("kindle", "{slug}-kindle.epub", ".kindle:write_kindle", "templates/epub/", FORMATS["epub"].styles,
                layout="print", page_map=True, checks=("epubcheck", "ace", "stores"), default=False))
register(Format("ebook-cover", "{slug}-ebook-cover.jpg", ".ebook_cover:write_ebook_cover", None, (), default=False))
register(Format("onix", "{slug}-onix.xml", ".onix:write_onix", None, (), layout="print", checks=("onix",),
                default=False))
register(Format("web", "{slug}-web", ".web:write_web", "templates/web/", WEB_STYLES, layout="print", page_map=True,
                checks=("axe",), default=False))


def default_formats() -> list[str]:
    return [name for name, fmt in FORMATS.items() if fmt.default]
