"""The pipeline: load -> render -> package each format -> write atomically. Nothing else joins stages.

Writers are looked up in FORMATS and imported only when asked for. The EPUB still needs the print
layout (its page list follows the printed pages): epub.print_pages asks pdf.py for it, and the
context keeps the layout so the print PDF, built in the same run, does not lay it out again.
"""

from __future__ import annotations

import importlib
import re
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .context import Context
from .errors import BookError
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


@dataclass
class Stage:
    """One timed step of the pipeline, as the command prints it: name, what it made, how long."""

    name: str
    detail: str = ""
    seconds: float = 0.0
    more: list[str] = field(default_factory=list)  # shown with --verbose


class Progress:
    """Times the pipeline's stages and hands each finished one to ``report``."""

    def __init__(self, report=None):
        self.report = report

    @contextmanager
    def stage(self, name: str):
        step, started = Stage(name), time.perf_counter()
        yield step
        step.seconds = time.perf_counter() - started
        if self.report:
            self.report(step)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"


def load(book_dir: Path, options: dict | None, notices: Notices, progress: Progress) -> Book:
    with progress.stage("load") as step:
        book = load_book(book_dir, options, notices)
        step.detail = f"{book.root}  {len(book.chapters)} parts, {len(book.figures)} figures"
        step.more = [f"{c.source.name}: {c.kind} '{c.title}'" for c in book.chapters]
    return book


def build(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None) -> list[Output]:
    """Build ``formats`` of the book in ``book_dir`` into ``out_dir``; ``report`` sees each Stage,
    ``notices`` collects the warnings of every stage."""
    notices = notices if notices is not None else Notices()
    progress = Progress(report)
    return write_formats(load(book_dir, options, notices, progress), formats, out_dir, notices, progress)


def write_formats(book: Book, formats: list[str], out_dir: Path, notices: Notices,
                  progress: Progress) -> list[Output]:
    ctx = Context.for_book(book, notices)
    outputs = []
    for name in formats:
        with progress.stage(name) as step:
            fmt = FORMATS[name]
            data = fmt.write(book, ctx)
            target = out_dir / fmt.filename.format(slug=slug(book.metadata.title))
            write_atomically(target, data)
            step.detail = f"{target}  {len(data) / 1024:,.0f} KB"
        outputs.append(Output(name, target, len(data), step.seconds))
    return outputs


def check(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None, ace: bool = True) -> list[Output]:
    """Lint the manuscript, build ``formats`` and run every validator on them (Ace only if ``ace``);
    what they find goes to ``notices`` (a user error stops the build, is recorded as an error, and
    the report goes on)."""
    from . import check as validators  # pikepdf, EPUBCheck, Ace: only 'check' needs them
    from .lint import lint_book

    notices = notices if notices is not None else Notices()
    progress = Progress(report)
    try:
        with progress.stage("lint") as step:
            lint_book(book_dir, notices)
            step.detail = f"{len(notices)} findings"
        book = load(book_dir, options, notices, progress)
        outputs = write_formats(book, formats, out_dir, notices, progress)
        paths = {o.format: o.path for o in outputs}
        if "epub" in paths:
            with progress.stage("epubcheck") as step:
                step.detail = f"{validators.run_epubcheck(paths['epub'], notices)} messages"
            with progress.stage("ace") as step:
                found = validators.run_ace(paths["epub"], notices) if ace else None
                step.detail = (f"{found} violations" if found is not None
                               else "not installed: skipped" if ace else "skipped (--no-ace)")
        with progress.stage("pdf") as step:
            validators.check_pdfs(book, paths, notices)
            step.detail = "boxes, page labels (fonts: checked while building)"
    except BookError as exc:
        notices.error(exc)
        return []
    return outputs
