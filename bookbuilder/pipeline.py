"""The pipeline: load -> render -> package each format -> guard -> write atomically, as named steps.
Nothing else joins the stages: manuscript/ makes the Book, each format's writer (formats/) renders
and packages it, the checks its row names (checks/) guard its bytes, and files.py stages and renames.

Before anything is loaded, the cache (cache.py) answers for every output whose inputs did not
change, so a no-op build imports neither the Markdown parser nor the templates. Writers are looked
up in formats.FORMATS and imported only when asked for. Formats that lay out different documents
(print, handout) are made in parallel processes; those that reuse a layout are made in the process
that has it: the cover, and the EPUB, whose page list follows the printed pages: the pipeline
measures them once (or recalls them from the cache) and hands them to the EPUB writer as data.
That shared layout is a stage of its own ('layout', with a line per piece under --verbose), timed
apart from the format that started it, so each format's line shows its own time.
The print edition's pieces (typeset/pieces.py) are laid out in the build's processes too
(``in_processes``, up to ``jobs``) and kept in the cache (cache.PieceStore).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import Cache
from .errors import BookError
from .files import Staging
from .formats import FORMATS
from .notices import Notice, Notices
from .printing import SERVICES
from .progress import Progress, Stage
from .vocabulary import slug

PAGE_MAP = "pages"  # the cache entry of the print edition's page starts


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
    seconds: float  # its own: not the shared layout it started, which is a stage before it
    stages: tuple[Stage, ...] = ()  # that layout's line (layout_stage), shown before this format's


def load(book_dir: Path, options: dict | None, notices: Notices, progress: Progress):
    from .manuscript.load import load_book  # here, not at the top: a build the cache answers never needs it

    with progress.stage("load") as step:
        book = load_book(book_dir, options, notices)
        step.detail = f"{book.root}  {len(book.chapters)} parts, {len(book.figures)} figures"
        step.more = [f"{c.source.name}: {c.kind} '{c.title}'" for c in book.chapters]
    return book


def build(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None, force: bool = False, jobs: int | None = None) -> list[Output]:
    """Build ``formats`` of the book in ``book_dir`` into ``out_dir``; ``report`` sees each Stage,
    ``notices`` collects the warnings of every stage; ``force`` makes every output again; ``jobs``
    caps the layout processes (default: the usable cores)."""
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
        outputs += write_formats(book, todo, out_dir, notices, progress, cache, jobs)
    return sorted(outputs, key=lambda o: formats.index(o.format))


def write_formats(book, formats: list[str], out_dir: Path, notices: Notices, progress: Progress,
                  cache: Cache | None = None, jobs: int | None = None) -> list[Output]:
    """Make ``formats``, write them all or none, then report each."""
    loaded = list(notices)  # the loader's warnings belong to every output
    title = book.metadata.title
    made = make_outputs(book, formats, notices, cache, jobs)
    write_outputs(title, made, out_dir, loaded, cache)
    for m in made:  # said once written: on a full disk no stage line claims an output
        for stage in m.stages:
            progress.done(stage)
        progress.done(Stage(m.format, f"{out_dir / file_name(title, m.format)}  {len(m.data) / 1024:,.0f} KB",
                            m.seconds))
    return [Output(m.format, out_dir / file_name(title, m.format), len(m.data), m.seconds) for m in made]


def file_name(title: str, name: str) -> str:
    """The output file of format ``name`` for a book of this title."""
    return FORMATS[name].filename.format(slug=slug(title))


def write_outputs(title: str, made: list[Made], out_dir: Path, loaded: list[Notice],
                  cache: Cache | None = None) -> None:
    """Every output replaces its predecessor, or none does; then the cache vouches for them."""
    with Staging(out_dir) as staging:
        for m in made:
            staging.stage(out_dir / file_name(title, m.format), m.data)
        staging.commit()
    for m in made if cache else ():  # the cache vouches only for outputs in place
        cache.store(m.format, out_dir / file_name(title, m.format), m.data, [*loaded, *m.notices])


def make_outputs(book, formats: list[str], notices: Notices, cache: Cache | None = None, jobs: int | None = None,
                 report=None, pool=None) -> list[Made]:
    """``formats`` made in memory, in the order asked for, each handed to ``report`` as soon as those
    before it are; the print and handout layouts in parallel processes while ``jobs`` allows, the
    print edition's pieces in ``jobs`` processes or by ``pool`` (a Context pool: a cluster's). A
    failure or a kill before the end leaves no file behind: nothing is written here."""
    home, apart = split_by_layout(formats, jobs or usable_cores())
    made: list[Made] = []
    ready: dict[str, Made] = {}

    def offer(one: Made) -> None:
        ready[one.format] = one
        while len(made) < len(formats) and formats[len(made)] in ready:
            made.append(ready.pop(formats[len(made)]))
            notices.merge(made[-1].notices)
            if report:
                report(made[-1])

    with layout_processes(len(apart)) as processes:
        pending = [processes.submit(make_formats, book, group, cache, jobs) for group in apart]
        ctx = context(book, cache, jobs, pool)
        for name in home:
            offer(make_format(book, ctx, name, cache))
        for future in pending:
            for one in future.result():
                offer(one)
    return made


def split_by_layout(names: list[str], jobs: int) -> tuple[list[str], list[list[str]]]:
    """The formats made in this process, and groups to make in others: one group per further
    layout, while ``jobs`` allows. The first layout stays here with the formats that need none."""
    layouts = list(dict.fromkeys(FORMATS[n].layout for n in names if FORMATS[n].layout))
    others = layouts[1:][:max(jobs, 1) - 1]
    home = [n for n in names if FORMATS[n].layout not in others]
    return home, [[n for n in names if FORMATS[n].layout == layout] for layout in others]


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def layout_processes(count: int):
    """Fork where the system can (the worker starts with this process's modules loaded); with
    nothing to make apart, no process at all."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not count:
        return contextlib.nullcontext(None)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method))


def in_processes(jobs: int, function, calls: list[tuple]) -> list:
    """``function(*call)`` for each call, in up to ``jobs`` processes; the results in order."""
    if min(jobs, len(calls)) < 2:
        return [function(*call) for call in calls]
    with layout_processes(min(jobs, len(calls))) as pool:
        return list(pool.map(function, *zip(*calls)))


def context(book, cache: Cache | None, jobs: int | None, pool=None):
    """What the writers of one process share: the print edition's pieces laid out in ``jobs``
    processes (or by ``pool``) and kept in the cache."""
    from .formats.context import Context

    return replace(Context.for_book(book), pieces=cache.pieces if cache else None,
                   pool=pool or functools.partial(in_processes, jobs or usable_cores()))


def make_formats(book, names: list[str], cache: Cache | None, jobs: int | None = None) -> list[Made]:
    """A layout process: the formats of one layout, sharing it."""
    ctx = context(book, cache, jobs)
    return [make_format(book, ctx, name, cache) for name in names]


def make_format(book, ctx, name: str, cache: Cache | None = None) -> Made:
    """One format's bytes: written by its writer, then passed by every guard its row names."""
    from .checks import Subject, run

    fmt = FORMATS[name]
    recalled = recalled_pages(cache) if fmt.page_map else None
    stages = layout_stage(ctx, fmt.layout) if fmt.layout and recalled is None else ()
    started = time.perf_counter()
    own = replace(ctx, notices=Notices())  # same renderer and layouts, this format's warnings apart
    if fmt.page_map:
        own = replace(own, page_starts=recalled if recalled is not None else print_pages(ctx, cache))
    data = fmt.write(book, own)
    for guard in fmt.guards:
        run(guard, Subject(fmt, book, ctx.theme, data=data))
    return Made(name, data, tuple(own.notices), time.perf_counter() - started, stages)


def layout_stage(ctx, profile: str) -> tuple[Stage, ...]:
    """The PDF of ``profile`` laid out by the first format of this process that needs it, timed as a
    stage of its own ('layout'): the print PDF, the cover and the EPUB (for its page list) share the
    print edition's, so its time is on none of their lines. () when it is laid out already."""
    from .typeset.pieces import is_laid_out, laid_out_edition

    if is_laid_out(ctx, profile):
        return ()
    started = time.perf_counter()
    edition = laid_out_edition(ctx, profile)
    seconds = time.perf_counter() - started
    service = SERVICES[ctx.renderer.book.settings.service]
    pages = f"{edition.pages} pages" + (f" ({edition.padding} blank at the end: {service.label} binds no fewer than "
                                        f"{service.min_pages})" if edition.padding else "")
    title = "print edition" if profile == "print" else profile
    if not edition.log:
        return (Stage("layout", f"{title}  {pages} as one document", seconds),)
    fresh = sum(piece.seconds is not None for piece in edition.log)
    rounds = f" ({plural(edition.rounds, 'round')})" if edition.rounds else ""
    return (Stage("layout", f"{title}  {pages}, {len(edition.log)} pieces: {fresh} laid out, "
                  f"{len(edition.log) - fresh} from the cache{rounds}", seconds,
                  [f"{piece.name}  from page {piece.folio}  {plural(piece.pages, 'page')}  "
                   + ("cached" if piece.seconds is None else f"laid out in {piece.seconds:.2f} s")
                   for piece in edition.log]),)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def recalled_pages(cache: Cache | None):
    """Where the print edition's pages begin, from the cache while its inputs are unchanged (the
    EPUB is then made without WeasyPrint); None when not kept or damaged (measured again)."""
    from .typeset.pages import PageStart

    stored = cache.recall(PAGE_MAP, "print") if cache else None
    try:
        return tuple(PageStart(**page) for page in stored) if stored is not None else None
    except TypeError:
        return None


def print_pages(ctx, cache: Cache | None):
    """Where the print edition's pages begin, measured from the print layout (which stays in
    ``ctx`` for the print PDF and the cover) and kept in the cache."""
    from .typeset.pieces import page_starts

    pages = page_starts(ctx)
    if cache:
        cache.keep(PAGE_MAP, "print", [dataclasses.asdict(page) for page in pages])
    return pages


def check_book(book_dir: Path, formats: list[str], out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None, ace: bool = True) -> list[Output]:
    """Lint the manuscript, build ``formats`` and run every validator on them (Ace only if ``ace``);
    what they find goes to ``notices`` (a user error stops the build, is recorded as an error, and
    the report goes on)."""
    from .checks.lint import lint_book

    notices = notices if notices is not None else Notices()
    progress = Progress(report)
    try:
        with progress.stage("lint") as step:
            lint_book(book_dir, notices)
            step.detail = f"{len(notices)} findings"
        book = load(book_dir, options, notices, progress)
        outputs = write_formats(book, formats, out_dir, notices, progress)
        validate(book, outputs, notices, progress, ace)
    except BookError as exc:
        notices.error(exc)
        return []
    return outputs


def validate(book, outputs: list[Output], notices: Notices, progress: Progress, ace: bool) -> None:
    """Every check the written outputs' rows name, grouped into one stage line per kind of check."""
    from .checks import CHECKS, Subject, run
    from .theme import Theme

    theme = Theme.for_book(book.root)
    todo = [(name, o) for o in outputs for name in FORMATS[o.format].checks]
    for stage in dict.fromkeys(CHECKS[name].stage for name, _ in todo):
        with progress.stage(stage) as step:
            said = [run(name, Subject(FORMATS[o.format], book, theme, path=o.path, notices=notices, ace=ace))
                    for name, o in todo if CHECKS[name].stage == stage]
            step.detail = ", ".join(dict.fromkeys(s for s in said if s))
