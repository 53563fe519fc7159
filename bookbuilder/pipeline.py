"""The pipeline: load -> render -> package each format -> write atomically. Nothing else joins stages.

Before anything is loaded, the cache (cache.py) answers for every output whose inputs did not
change, so a no-op build imports neither the Markdown parser nor the templates. Writers are looked
up in FORMATS and imported only when asked for. Formats that lay out different documents (print,
handout) are made in parallel processes; those that reuse a layout are made in the process that
has it: the cover, and the EPUB, whose page list follows the printed pages (epub.print_pages).
"""

from __future__ import annotations

import importlib
import os
import re
import time
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .cache import Cache
from .errors import BookError
from .files import Staging
from .notices import Notice, Notices


@dataclass(frozen=True)
class Format:
    writer: str  # "module:function", called as function(book, ctx) -> bytes
    filename: str  # with {slug}
    templates: str  # the folder of templates only this format family reads
    layout: str | None = None  # the laid-out document it is made from (Context.layouts), if any

    def write(self, book, ctx) -> bytes:
        module, function = self.writer.split(":")
        return getattr(importlib.import_module(module, __package__), function)(book, ctx)


FORMATS = {
    "epub": Format(".epub:package_epub", "{slug}.epub", "templates/epub/", layout="print"),  # its page list
    "print": Format(".pdf:print_pdf", "{slug}-print.pdf", "templates/pdf/", layout="print"),
    "handout": Format(".pdf:handout_pdf", "{slug}-handout.pdf", "templates/pdf/", layout="handout"),
    "cover": Format(".pdf:cover_pdf", "{slug}-cover.pdf", "templates/pdf/", layout="print"),
}


@dataclass(frozen=True)
class Output:
    format: str
    path: Path
    size: int
    seconds: float
    cached: bool = False  # served by the cache: the file on disk was already this output


@dataclass(frozen=True)
class Made:
    """One format's bytes as a layout process hands them back."""

    format: str
    data: bytes
    notices: tuple[Notice, ...]
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
        self.done(step)

    def done(self, step: Stage) -> None:
        if self.report:
            self.report(step)


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "book"


def load(book_dir: Path, options: dict | None, notices: Notices, progress: Progress):
    from .load import load_book  # here, not at the top: a build the cache answers never needs it

    with progress.stage("load") as step:
        book = load_book(book_dir, options, notices)
        step.detail = f"{book.root}  {len(book.chapters)} parts, {len(book.figures)} figures"
        step.more = [f"{c.source.name}: {c.kind} '{c.title}'" for c in book.chapters]
    return book


def build(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None, force: bool = False) -> list[Output]:
    """Build ``formats`` of the book in ``book_dir`` into ``out_dir``; ``report`` sees each Stage,
    ``notices`` collects the warnings of every stage; ``force`` makes every output again."""
    notices = notices if notices is not None else Notices()
    progress = Progress(report)
    cache = Cache(book_dir, out_dir, options or {}, FORMATS, force)
    outputs, todo = [], []
    for name in formats:
        entry = cache.lookup(name)
        if entry is None:
            todo.append(name)
            continue
        notices.merge(entry.notices)
        progress.done(Stage(name, f"{entry.path}  {entry.size / 1024:,.0f} KB  unchanged"))
        outputs.append(Output(name, entry.path, entry.size, 0.0, cached=True))
    if todo:
        book = load(book_dir, options, notices, progress)
        outputs += write_formats(book, todo, out_dir, notices, progress, cache)
    return sorted(outputs, key=lambda o: formats.index(o.format))


def write_formats(book, formats: list[str], out_dir: Path, notices: Notices, progress: Progress,
                  cache: Cache | None = None) -> list[Output]:
    """Make and write ``formats``; the print and handout layouts in parallel processes."""
    from .context import Context

    home, apart = split_by_layout(formats)
    outputs, kept = [], []

    def keep(made: Made) -> None:
        """Hold ``made`` in memory: a failure or a kill before the end leaves no file behind."""
        target = out_dir / FORMATS[made.format].filename.format(slug=slug(book.metadata.title))
        notices.merge(made.notices)
        kept.append((made, target))
        progress.done(Stage(made.format, f"{target}  {len(made.data) / 1024:,.0f} KB", made.seconds))
        outputs.append(Output(made.format, target, len(made.data), made.seconds))

    loaded = list(notices)  # the loader's warnings belong to every output
    ready: dict[str, Made] = {}

    def offer(made: Made) -> None:
        """Write and report outputs in the order asked for, each as soon as those before it are."""
        ready[made.format] = made
        while len(outputs) < len(formats) and formats[len(outputs)] in ready:
            keep(ready.pop(formats[len(outputs)]))

    with layout_processes(len(apart)) as pool:
        pending = [pool.submit(make_formats, book, group, cache) for group in apart]
        ctx = replace(Context.for_book(book), cache=cache)
        for name in home:
            offer(make_format(book, ctx, name))
        for future in pending:
            for made in future.result():
                offer(made)
    with Staging(out_dir) as staging:  # then every output replaces its predecessor, or none does
        for made, target in kept:
            staging.stage(target, made.data)
        staging.commit()
    for made, target in kept if cache else ():  # the cache vouches only for outputs in place
        cache.store(made.format, target, made.data, [*loaded, *made.notices])
    return outputs


def split_by_layout(names: list[str]) -> tuple[list[str], list[list[str]]]:
    """The formats made in this process, and groups to make in others: one group per further
    layout, while cores are free. The first layout stays here with the formats that need none."""
    layouts = list(dict.fromkeys(FORMATS[n].layout for n in names if FORMATS[n].layout))
    others = layouts[1:][:usable_cores() - 1]
    home = [n for n in names if FORMATS[n].layout not in others]
    return home, [[n for n in names if FORMATS[n].layout == layout] for layout in others]


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def layout_processes(count: int):
    """Fork where the system can (the worker starts with this process's modules loaded)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(max(count, 1), mp_context=multiprocessing.get_context(method))


def make_formats(book, names: list[str], cache: Cache | None) -> list[Made]:
    """A layout process: the formats of one layout, sharing it."""
    from .context import Context

    ctx = replace(Context.for_book(book), cache=cache)
    return [make_format(book, ctx, name) for name in names]


def make_format(book, ctx, name: str) -> Made:
    started = time.perf_counter()
    own = replace(ctx, notices=Notices())  # same renderer and layouts, this format's warnings apart
    data = FORMATS[name].write(book, own)
    return Made(name, data, tuple(own.notices), time.perf_counter() - started)


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
                               else "not installed: skipped (make-book doctor)" if ace else "skipped (--no-ace)")
        with progress.stage("pdf") as step:
            validators.check_pdfs(book, paths, notices)
            step.detail = "boxes, page labels (fonts: checked while building)"
    except BookError as exc:
        notices.error(exc)
        return []
    return outputs
