"""Justified Chinese and Japanese lines: space between the characters, where WeasyPrint 70 stretches
only spaces.

A line of Chinese or Japanese is a row of full-width characters, each one em wide: a measure of N
ems and a remainder r is filled exactly when every character is followed by r / N of space, which
is what ``letter-spacing`` adds (after each character, the line's last too). The measure and the type
size are the edition's own (its stylesheets, the book's trim): one small layout per edition, a body
paragraph of four ideographs, reads them, and the edition's documents then set their body paragraphs
with that letter-spacing. A line with a Latin word or a half-width mark in it is justified at its
spaces as before. Only a book in Chinese or Japanese pays for it (one layout of one page per edition).
"""

from __future__ import annotations

import math

from markupsafe import Markup

from ..render.editions import Fitting
from ..render.renderer import Renderer
from ..scripts import on_grid
from .editions import Edition

PROBE_ID = "grid-probe"
PROBE = Markup(f'<section class="part chapter" id="{PROBE_ID}-section"><p id="{PROBE_ID}">一二三四</p></section>')
SLACK_PX = 0.01  # kept back from the remainder, so that rounding never pushes a full line's last character over


def grid_spacing(renderer: Renderer, edition: Edition) -> float:
    """The letter-spacing, in CSS px, that fills the edition's measure with its body type (0: the
    book is not in Chinese or Japanese)."""
    if not on_grid(renderer.book.metadata.language):
        return 0.0
    from .layout import lay_out
    from .pieces import edition_html

    front, _ = renderer.front_and_body(edition.rendition, Fitting())
    html = edition_html(renderer, edition, edition.piece, front, [PROBE], piece={  # a piece of body alone
        "front": False, "start": 1, "total": 1, "last": True, "running_title": ""})
    document = lay_out(html, renderer.theme, edition.facing)
    box = next(box for page in document.pages for box in page._page_box.descendants()
               if getattr(box, "element", None) is not None and box.element.get("id") == PROBE_ID)
    width, size = box.width, box.style["font_size"]  # no public API for boxes
    characters = math.floor(width / size)
    return max(0.0, (width - characters * size - SLACK_PX) / characters) if characters else 0.0
