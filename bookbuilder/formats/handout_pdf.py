"""The handout: A4 or Letter for an office printer, tagged PDF/UA-1 by default, since handouts
travel as files and get read aloud (a PDF/X variant is for the print shop's files only). Laid out
section by section (pieces.py), as the print edition is."""

from __future__ import annotations

from ..model import Book
from .context import Context
from ..typeset.pieces import edition


def write_handout(book: Book, ctx: Context) -> bytes:
    return edition(ctx, "handout").pdf
