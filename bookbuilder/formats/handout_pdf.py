"""The handout: A4 or Letter for an office printer, tagged PDF/UA-1 by default, since handouts
travel as files and get read aloud (a PDF/X variant is for the print shop's files only). Laid out
section by section, as the print edition is (typeset/rounds.py)."""

from __future__ import annotations

from ..model import Book
from .context import Context


def write_handout(book: Book, ctx: Context) -> bytes:
    return ctx.layout.pdf
