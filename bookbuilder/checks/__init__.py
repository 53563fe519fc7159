"""Stage 4, the checks: validators on finished outputs and the manuscript lint, behind one
interface. A check is a function of a Subject (one output of one book); the formats' rows name
which checks apply to them: 'guards' run on every build's bytes and raise, 'checks' run in
'make-book check' on the written file and report notices. Each check is imported only when run.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path

from ..model import Book
from ..notices import Notices
from ..theme import Theme


@dataclass(frozen=True)
class Subject:
    """What a check reads: one output (``format`` is its row in formats.FORMATS) of one book."""

    format: object  # formats.Format
    book: Book
    theme: Theme
    data: bytes = b""  # the output, for guards (before it is written)
    path: Path | None = None  # the written output, for 'make-book check'
    notices: Notices = field(default_factory=Notices)
    ace: bool = True  # 'make-book check --no-ace' skips Ace


@dataclass(frozen=True)
class Check:
    name: str
    stage: str  # the line 'make-book check' reports it under
    function: str  # "module:function" in checks/, called as function(subject) -> detail or None
    needs: str | None = None  # a book setting (model.Settings) it has nothing to check without


CHECKS = {c.name: c for c in (
    Check("fonts", "fonts", ".fonts:check_fonts"),
    Check("press", "pdf", ".press:check_press"),
    Check("epubcheck", "epubcheck", ".epub:epubcheck"),
    Check("ace", "ace", ".epub:ace"),
    Check("axe", "axe", ".web:axe"),
    Check("stores", "stores", ".stores:check_stores", needs="stores"),
    Check("onix", "onix", ".onix:check_onix"),
    Check("boxes", "pdf", ".pdf:check_boxes"),
    Check("page-labels", "pdf", ".pdf:check_page_labels"),
    Check("preflight", "pdf", ".preflight:preflight_print"),
    Check("preflight-cover", "pdf", ".preflight:preflight_cover"),
)}


def run(name: str, subject: Subject) -> str | None:
    """Run check ``name`` on ``subject``; returns what it says for its stage line, if anything."""
    module, function = CHECKS[name].function.split(":")
    return getattr(importlib.import_module(module, __package__), function)(subject)
