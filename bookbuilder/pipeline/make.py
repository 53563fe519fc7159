"""The make step: every format asked for, in memory, then passed by the guards its row names.

Formats made from different editions (print, handout) are made in processes of their own, each
with worker processes for its pieces for the whole build (scheduling.py); those that share an
edition are made with it: the cover, and the EPUB, whose page list follows the printed pages.
An edition's layout (the typeset stage: typeset.rounds) is a stage line of its own ('layout', with a line per piece and the layout counts under --verbose), timed
apart from the format that started it, so each format's line shows its own time. Its pieces are laid
out in the build's processes (``jobs``) or by a cluster's ``pool``, and kept in the cache.

The EPUB's page map is its edition's page starts (the print edition's): recalled from the cache while the print
edition's inputs are unchanged (the EPUB is then made without WeasyPrint), else measured and kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import time
from dataclasses import dataclass, replace

from ..cache import Cache
from ..files import Folder
from ..formats import FORMATS
from ..notices import Notice, Notices
from ..printing import SERVICES
from ..progress import Stage
from .scheduling import by_edition, in_processes, layout_processes, usable_cores, workers

PAGE_MAP = "pages"  # the cache entry of an edition's page starts (kept under the key of its format)


@dataclass(frozen=True)
class Made:
    """One format's bytes as a layout process hands them back."""

    format: str
    data: bytes | Folder  # a file's bytes, or a folder's files (files.Folder)
    notices: tuple[Notice, ...]
    seconds: float  # its own: not the shared layout it started, which is a stage before it
    stages: tuple[Stage, ...] = ()  # that layout's line, shown before this format's


class Making:
    """One process's share of a build: its formats, and the editions they are made from, each laid
    out once (typeset.rounds.Layout), its pieces kept in ``cache`` and laid out in ``jobs`` processes
    or by ``pool``."""

    def __init__(self, book, cache: Cache | None = None, jobs: int | None = None, pool=None, ctx=None,
                 recalled: dict | None = None):
        from ..formats.context import Context  # here: a build the cache answers needs no renderer

        self.book, self.cache = book, cache
        self.recalled = recalled if recalled is not None else {}  # edition -> page starts the cache kept
        self.ctx = ctx or Context.for_book(book)
        self.pool = pool or functools.partial(in_processes, jobs or usable_cores(),
                                              memory=book.settings.limits.worker_memory)
        self.layouts: dict = {}  # edition name -> typeset.rounds.Layout

    def layout(self, name: str) -> tuple[object, tuple[Stage, ...]]:
        """Edition ``name`` laid out, and its stage line when it was laid out just now."""
        if name in self.layouts:
            return self.layouts[name], ()
        from ..typeset.editions import EDITIONS
        from ..typeset.rounds import lay_out_edition

        started = time.perf_counter()
        edition = EDITIONS[name]
        layout = lay_out_edition(self.ctx.renderer, edition, self.cache.pieces(name) if self.cache else None, self.pool)
        self.layouts[name] = layout
        return layout, (layout_stage(self.book, edition.label, layout, time.perf_counter() - started),)

    def made(self, name: str) -> Made:
        """One format's bytes: written by its writer, then passed by every guard its row names."""
        from ..checks import Subject, run

        fmt = FORMATS[name]
        if fmt.page_map and fmt.layout not in self.recalled:
            self.recalled[fmt.layout] = recalled_pages(self.cache, fmt.layout)
        recalled = self.recalled[fmt.layout] if fmt.page_map else None
        layout, stages = self.layout(fmt.layout) if fmt.layout and recalled is None else (None, ())
        started = time.perf_counter()
        own = replace(self.ctx, notices=Notices(), layout=layout)  # this format's warnings apart
        if layout is not None:
            from ..typeset.rounds import long_note_notices
            own.notices.merge(long_note_notices(self.book, layout))
        if fmt.page_map:
            own = replace(own, page_starts=recalled if recalled is not None else self.page_map(fmt.layout))
        data = fmt.write(self.book, own)
        for guard in fmt.guards:
            run(guard, Subject(fmt, self.book, self.ctx.theme, data=data))
        return Made(name, data, tuple(own.notices), time.perf_counter() - started, stages)

    def page_map(self, name: str) -> tuple:
        """Where the pages of edition ``name`` begin, measured from its layout and kept in the cache."""
        pages = self.layout(name)[0].starts
        if self.cache:
            self.cache.keep(PAGE_MAP, name, [dataclasses.asdict(page) for page in pages])
        return pages


def make_outputs(book, formats: list[str], notices: Notices, cache: Cache | None = None, jobs: int | None = None,
                 report=None, pool=None) -> list[Made]:
    """``formats`` made in memory, in the order asked for, each handed to ``report`` as soon as those
    before it are; the first edition's formats here, each other edition's in a process of its own
    while ``jobs`` allows; each process's pieces in ``jobs`` worker processes for the whole build
    (scheduling.workers), or all by ``pool`` (a cluster's). A failure or a kill before the end leaves
    no file behind: nothing is written here."""
    jobs = jobs or usable_cores()
    groups = by_edition(formats)
    made: list[Made] = []
    ready: dict[str, Made] = {}

    def offer(one: Made) -> None:
        ready[one.format] = one
        while len(made) < len(formats) and formats[len(made)] in ready:
            made.append(ready.pop(formats[len(made)]))
            notices.merge(made[-1].notices)
            if report:
                report(made[-1])

    recalled = {FORMATS[name].layout: recalled_pages(cache, FORMATS[name].layout)
                for name in formats if FORMATS[name].page_map}  # read once, here: it decides the workers too
    laying_out = any(FORMATS[name].layout and not (FORMATS[name].page_map and recalled[FORMATS[name].layout])
                     for name in formats)
    apart = groups[1:] if jobs > 1 and pool is None else []
    memory = book.settings.limits.worker_memory
    with layout_processes(len(apart), memory) as processes:  # forked before this process's workers exist
        pending = [processes.submit(made_apart, book, group, cache, jobs) for group in apart]
        with workers(jobs if laying_out else 1, memory) if pool is None else contextlib.nullcontext(pool) as pieces:
            for group in groups[:len(groups) - len(apart)]:
                for one in make_formats(book, group, cache, pieces, recalled):
                    offer(one)
        for future in pending:
            for one in future.result():
                offer(one)
    return made


def make_formats(book, names: list[str], cache: Cache | None, pool, recalled: dict | None = None) -> list[Made]:
    """The formats of one edition, sharing its layout, its pieces laid out by ``pool``."""
    making = Making(book, cache, pool=pool, recalled=recalled)
    return [making.made(name) for name in names]


def made_apart(book, names: list[str], cache: Cache | None, jobs: int) -> list[Made]:
    """A process of its own: the formats of one edition, with workers of its own for its pieces (its
    joining and writing then run beside the other edition's, not under one interpreter lock)."""
    with workers(jobs, book.settings.limits.worker_memory) as pieces:
        return make_formats(book, names, cache, pieces)


def make_format(book, ctx, name: str, cache: Cache | None = None) -> Made:
    """One format alone (its edition laid out in this process's pool of the usable cores)."""
    return Making(book, cache, ctx=ctx).made(name)


def layout_stage(book, label: str, layout, seconds: float) -> Stage:
    """The 'layout' stage line of an edition: its pages, its pieces (laid out or from the cache),
    the rounds; under --verbose a line per piece and the layout counts (counts())."""
    service = SERVICES[book.settings.service]
    pages = f"{layout.pages} pages" + (f" ({layout.padding} blank at the end: {service.label} binds no fewer than "
                                       f"{service.min_pages})" if layout.padding else "")
    fresh = sum(piece.seconds is not None for piece in layout.log)
    rounds = f" ({plural(layout.rounds, 'round')})" if layout.rounds else ""
    how = "as one document" if layout.whole else f"{len(layout.log)} pieces"
    return Stage("layout", f"{label}  {pages}, {how}: {fresh} laid out, {len(layout.log) - fresh} from the cache{rounds}",
                 seconds, [f"{piece.name}  from page {piece.folio}  {plural(piece.pages, 'page')}  "
                           + ("cached" if piece.seconds is None else f"laid out in {piece.seconds:.2f} s")
                           for piece in layout.log] + counts(layout))


def counts(layout) -> list[str]:
    """What the layout cost, in counts (deterministic, unlike times): pieces laid out, WeasyPrint's
    layouts by why, stylesheets parsed."""
    if not layout.pieces_laid_out:
        return []
    renders = sorted(layout.laid_out.items())
    return [f"{plural(layout.pieces_laid_out, 'piece')} laid out, {plural(sum(layout.laid_out.values()), 'WeasyPrint layout')}: "
            + ", ".join(f"{count} {why}" for why, count in renders) + f"; {plural(layout.parses, 'stylesheet')} parsed"]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def recalled_pages(cache: Cache | None, name: str):
    """Where the pages of edition ``name`` begin, from the cache while its inputs are unchanged (the
    EPUB is then made without WeasyPrint); None when not kept or damaged (measured again)."""
    from ..typeset.pages import PageStart

    stored = cache.recall(PAGE_MAP, name) if cache else None
    try:
        return tuple(PageStart(**page) for page in stored) if stored is not None else None
    except TypeError:
        return None
