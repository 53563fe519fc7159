"""A build as named steps: plan -> load -> make -> guard -> stage. Nothing else joins the stages:
manuscript/ makes the Book, the typeset stage lays out the editions, each format's writer
(formats/) packages it, the checks its row names (checks/) guard its bytes, and files.py stages
and renames.

1. plan: the cache (cache.py) answers for every output whose inputs did not change, before
   anything is loaded, so a no-op build imports neither the Markdown parser nor the templates;
2. load: book.toml and the chapters -> the Book (manuscript/);
3. make: each format's bytes in memory, its edition laid out first (make.py);
4. guard: the checks every build runs on those bytes (run in make.py, as each format is made);
5. stage: every output replaces its predecessor, or none does; then the cache vouches for them.

``make-book check`` is the same build (the cache answers for what is current, so a check right after
a build lays nothing out again), then every validator the written outputs' rows name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .. import inputs
from ..cache import Cache
from ..errors import BookError, ConfigError
from ..files import Staging, size_of
from ..formats import FORMATS, default_formats
from ..notices import Notice, Notices
from ..progress import Progress, Stage
from ..stores import STORES, store_formats
from ..vocabulary import slug
from .make import Made, make_outputs


@dataclass(frozen=True)
class Output:
    format: str
    path: Path
    size: int
    seconds: float
    cached: bool = False  # served by the cache: the file on disk was already this output


def build(book_dir: Path, formats: list[str] | None, out_dir: Path, options: dict | None = None, report=None,
          notices: Notices | None = None, force: bool = False, jobs: int | None = None) -> list[Output]:
    """Build ``formats`` of the book in ``book_dir`` into ``out_dir``; ``report`` sees each Stage,
    ``notices`` collects the warnings of every stage; ``force`` makes every output again; ``jobs``
    caps the layout processes (default: the usable cores); ``formats`` None: chosen_formats()."""
    return built(book_dir, formats, out_dir, options, Progress(report),
                 notices if notices is not None else Notices(), force, jobs)[0]


def built(book_dir: Path, formats: list[str] | None, out_dir: Path, options: dict | None, progress: Progress,
          notices: Notices, force: bool = False, jobs: int | None = None) -> tuple[list[Output], object | None]:
    """build(), and the Book if it was loaded (None: the cache answered for every output)."""
    formats = chosen_formats(book_dir, formats)
    cache = Cache(book_dir, out_dir, options or {}, FORMATS, force)
    outputs, todo = plan(cache, formats, notices, progress)
    book = None
    if todo:
        book = load(book_dir, options, notices, progress)
        loaded = list(notices)  # the loader's warnings belong to every output
        made = make_outputs(book, todo, notices, cache, jobs)  # each passed by its guards
        outputs += stage(book.metadata.title, made, out_dir, loaded, progress, cache)
    return sorted(outputs, key=lambda o: formats.index(o.format)), book


def chosen_formats(book_dir: Path, formats: list[str] | None) -> list[str]:
    """``formats`` if given (--format), else those book.toml's [output] formats names (else every
    format built by default: formats.default_formats) and the editions of its [output] stores.
    Read before the book is loaded, as the cache is: a book.toml the load refuses is left to the
    load to explain."""
    if formats:
        return formats
    path = book_dir / "book.toml"
    try:
        table = tomllib.loads(inputs.read(path, [book_dir.resolve()], inputs.LIMITS["book.toml"]).decode("utf-8"))
        named, stores = table.get("output", {}).get("formats"), table.get("output", {}).get("stores", [])
    except (BookError, UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError):
        return default_formats()
    if named is not None and (not isinstance(named, list) or not named
                              or any(not isinstance(n, str) or n not in FORMATS for n in named)):
        from ..manuscript.config import key_location

        raise ConfigError(key_location(path, "formats", "output"), f"'output.formats' cannot be {named!r}",
                          f"list the outputs to build, e.g. [\"epub\", \"web\"], from: {', '.join(FORMATS)}",
                          code="bad-value")
    known = [name for name in stores if isinstance(name, str) and name in STORES] if isinstance(stores, list) else []
    return list(dict.fromkeys([*(named or default_formats()), *store_formats(known)]))  # the load refuses the rest


def plan(cache: Cache, formats: list[str], notices: Notices, progress: Progress) -> tuple[list[Output], list[str]]:
    """The outputs the cache answers for, and the formats to make."""
    outputs, todo = [], []
    for name in formats:
        entry = cache.lookup(name)
        if entry is None:
            todo.append(name)
            continue
        notices.merge(entry.notices)
        progress.done(Stage(name, f"{entry.path}  {entry.size / 1024:,.0f} KB  unchanged"))
        outputs.append(Output(name, entry.path, entry.size, 0.0, cached=True))
    return outputs, todo


def load(book_dir: Path, options: dict | None, notices: Notices, progress: Progress):
    from ..manuscript.load import load_book  # here, not at the top: a build the cache answers never needs it

    with progress.stage("load") as step:
        book = load_book(book_dir, options, notices)
        step.detail = f"{book.root}  {len(book.chapters)} parts, {len(book.figures)} figures"
        step.more = [f"{c.source.name}: {c.kind} '{c.title}'" for c in book.chapters]
    return book


def stage(title: str, made: list[Made], out_dir: Path, loaded: list[Notice], progress: Progress,
          cache: Cache | None = None) -> list[Output]:
    """Write the made outputs (write_outputs()), then report each."""
    write_outputs(title, made, out_dir, loaded, cache)
    for m in made:  # said once written: on a full disk no stage line claims an output
        for line in m.stages:
            progress.done(line)
        progress.done(Stage(m.format, f"{out_dir / file_name(title, m.format)}  {size_of(m.data) / 1024:,.0f} KB",
                            m.seconds))
    return [Output(m.format, out_dir / file_name(title, m.format), size_of(m.data), m.seconds) for m in made]


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


def check_book(book_dir: Path, formats: list[str] | None, out_dir: Path, options: dict | None = None, report=None,
               notices: Notices | None = None, ace: bool = True, force: bool = False,
               jobs: int | None = None) -> list[Output]:
    """Lint the manuscript, build ``formats`` (what the cache answers for is not made again) and run
    every validator on them (Ace only if ``ace``); what they find goes to ``notices`` (a user error
    stops the build, is recorded as an error, and the report goes on)."""
    from ..checks.lint import lint_book

    notices = notices if notices is not None else Notices()
    progress = Progress(report)
    try:
        with progress.stage("lint") as step:
            lint_book(book_dir, notices)
            step.detail = f"{len(notices)} findings"
        outputs, book = built(book_dir, formats, out_dir, options, progress, notices, force, jobs)
        validate(book or load(book_dir, options, Notices(), Progress()), outputs, notices, progress, ace)
    except BookError as exc:
        notices.error(exc)
        return []
    return outputs


def validate(book, outputs: list[Output], notices: Notices, progress: Progress, ace: bool) -> None:
    """Every check the written outputs' rows name, grouped into one stage line per kind of check."""
    from ..checks import CHECKS, Subject, run
    from ..theme import Theme

    theme = Theme.of_book(book)
    todo = [(name, o) for o in outputs for name in FORMATS[o.format].checks
            if not CHECKS[name].needs or getattr(book.settings, CHECKS[name].needs)]
    for kind in dict.fromkeys(CHECKS[name].stage for name, _ in todo):
        with progress.stage(kind) as step:
            said = [run(name, Subject(FORMATS[o.format], book, theme, path=o.path, notices=notices, ace=ace))
                    for name, o in todo if CHECKS[name].stage == kind]
            step.detail = ", ".join(dict.fromkeys(s for s in said if s))
