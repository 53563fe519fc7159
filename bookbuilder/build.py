"""The pipeline: load -> render -> package each format -> write atomically. Nothing else joins stages.

Writers are looked up in FORMATS and imported only when asked for, so an EPUB-only build never
imports WeasyPrint.
"""

from __future__ import annotations

import importlib
import re
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .context import Context
from .files import write_atomically
from .load import load_book
from .model import Book
from .notices import Notices


@dataclass(frozen=True)
class Format:
    writer: str  # "module:function", called as function(book, ctx) -> bytes
    filename: str  # with {slug}

    def write(self, book: Book, ctx: Context) -> bytes:
        module, function = self.writer.split(":")
        return getattr(importlib.import_module(module, __package__), function)(book, ctx)


FORMATS = {
    "epub": Format(".epub:package_epub", "{slug}.epub"),
    "print": Format(".pdf:print_pdf", "{slug}-print.pdf"),
    "handout": Format(".pdf:handout_pdf", "{slug}-handout.pdf"),
    "cover": Format(".pdf:cover_pdf", "{slug}-cover.pdf"),
}


@dataclass(frozen=True)
class Output:
    format: str
    path: Path
    size: int
    seconds: float


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"


def build(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None) -> list[Output]:
    """Build ``formats`` of the book in ``book_dir`` into ``out_dir``; ``report`` sees each Output,
    ``notices`` collects the warnings of every stage."""
    notices = notices if notices is not None else Notices()
    book = load_book(book_dir, options, notices)
    ctx = Context.for_book(book, notices)
    outputs = []
    for name in formats:
        started = time.perf_counter()
        fmt = FORMATS[name]
        data = fmt.write(book, ctx)
        target = out_dir / fmt.filename.format(slug=slug(book.metadata.title))
        write_atomically(target, data)
        output = Output(name, target, len(data), time.perf_counter() - started)
        outputs.append(output)
        if report:
            report(output)
    return outputs
