"""Many books in one run: 'make-book catalogue'. Each book is one task, made in memory by a local
process pool or by the workers of a Dask distributed cluster; the client writes each book's
outputs into its own folder, atomically, and the cache answers for books that did not change.

A cluster task carries the book folder's files (book.toml, the Markdown files, images/, styles/,
templates/: what a build may read), so workers need no shared disk; a worker unpacks them into a
temporary folder and builds there (outputs do not depend on where a book folder is). Each task also
carries the client's tool fingerprint: a worker with another version of bookbuilder or of the
libraries it builds with would make other bytes, so it refuses the task, saying so.

On a cluster, a book's print edition is laid out piece by piece (typeset/pieces.py) by tasks of
its own: the book's task hands each piece to the cluster (``piece_pool``), so a long book's
chapters spread over the workers while short books keep theirs busy. A worker unpacks a book once
per process for its pieces.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from ..cache import Cache, tool_fingerprint
from ..errors import BookError, ConfigError
from ..formats import FORMATS
from ..limits import MEMORY_LIMIT
from ..notices import Notice, Notices
from ..progress import Progress
from ..theme import THEME_DIRS, Theme
from . import Made, chosen_formats, layout_processes, load, make_outputs, usable_cores, write_outputs
from .scheduling import book_memory, out_of_memory

INTERNAL_ERROR = 70
SCHEDULER_TIMEOUT = "30s"  # to connect to the Dask scheduler
PIECE_TASK = "bookbuilder-piece"  # the name of a piece's task on the cluster (its dashboard shows it)
UNPACKED: dict[str, tempfile.TemporaryDirectory] = {}  # this worker process's unpacked books, by digest


@dataclass(frozen=True)
class Packed:
    """A book folder's files as a task carries them: relative POSIX path -> bytes."""

    name: str
    files: tuple[tuple[str, bytes], ...]


@dataclass(frozen=True)
class BookResult:
    """What a task hands back: the outputs made in memory, or the one-line error that stopped them."""

    name: str
    made: tuple[Made, ...] = ()
    loaded: tuple[Notice, ...] = ()  # the loader's warnings, which belong to every output
    title: str = ""
    seconds: float = 0.0
    error: str = ""
    exit_code: int = 0
    cached: tuple[str, ...] = ()  # formats the client's cache answered for


def pack(book_dir: Path) -> Packed:
    """The files a build of ``book_dir`` may read; links and anything outside the folder stay behind
    (the worker's build then reports them missing, as a local build reports them outside)."""
    root = book_dir.resolve()
    files = []
    candidates = [root / "book.toml", *sorted(root.glob("*.md"))]
    for folder in THEME_DIRS:
        candidates += sorted(p for p in (root / folder).rglob("*") if p.is_file()) if (root / folder).is_dir() else []
    for path in candidates:
        if path.is_symlink() or not path.is_file() or not path.resolve().is_relative_to(root):
            continue
        files.append((path.relative_to(root).as_posix(), path.read_bytes()))
    return Packed(book_dir.name, tuple(files))


def build_task(source: Path | Packed, formats: list[str], options: dict, fingerprint: str) -> BookResult:
    """A worker's task: one book's ``formats`` made in memory. Never raises: a user error or a bug
    of ours comes back as the book's error line."""
    started = time.perf_counter()
    name = source.name
    if fingerprint != tool_fingerprint():
        return BookResult(name, error="this worker runs another version of bookbuilder or of its libraries; "
                          "install the client's on every worker", exit_code=INTERNAL_ERROR)
    memory = MEMORY_LIMIT
    try:
        with tempfile.TemporaryDirectory(prefix="make-book-task-") as scratch:
            book_dir = unpack(source, Path(scratch)) if isinstance(source, Packed) else source
            notices = Notices()
            book = load(book_dir, options, notices, Progress())
            loaded = tuple(notices)
            pool = piece_pool(source) if isinstance(source, Packed) and on_a_worker() else None
            memory = book.settings.limits.worker_memory
            with book_memory(memory):  # the books are the parallel work: one job each
                made = make_outputs(book, formats, notices, jobs=1, pool=pool)
            return BookResult(name, tuple(made), loaded, book.metadata.title, time.perf_counter() - started)
    except (BookError, MemoryError) as exc:  # a catalogue worker is held to its book's memory limit too
        error = out_of_memory(memory) if isinstance(exc, MemoryError) else exc
        return BookResult(name, error=str(error), exit_code=error.exit_code, seconds=time.perf_counter() - started)
    except Exception as exc:  # noqa: BLE001 - one book's bug must not stop the others; it is reported as ours
        return BookResult(name, error=f"internal error: {type(exc).__name__}: {exc}", exit_code=INTERNAL_ERROR,
                          seconds=time.perf_counter() - started)


def on_a_worker() -> bool:
    """Does this task run on a Dask worker?"""
    try:
        from distributed import get_worker
        get_worker()
    except (ImportError, ValueError):
        return False
    return True


def piece_pool(packed: Packed):
    """A Context pool that runs each call as a task of the cluster this task runs on; the book's
    files go to the cluster once, and each call's Theme is the book's, unpacked where it runs."""
    def pool(function, calls: list[tuple]) -> list:
        from distributed import worker_client

        with worker_client() as client:  # this task waits for its pieces without holding a thread
            shared = client.scatter(packed, hash=False)
            futures = [client.submit(remote_call, shared, function, call, key=f"{PIECE_TASK}-{uuid.uuid4().hex}")
                       for call in calls]
            return client.gather(futures)
    return pool


def remote_call(packed: Packed, function, call: tuple):
    """``function(*call)`` with the book's Theme of this process in place of the caller's."""
    digest = digest_of(packed)
    if digest not in UNPACKED:
        UNPACKED[digest] = tempfile.TemporaryDirectory(prefix="make-book-pieces-")
        unpack(packed, Path(UNPACKED[digest].name))
    return function(*[Theme.for_book(Path(UNPACKED[digest].name) / packed.name, argument.limits,
                                      argument.faces)
                       if isinstance(argument, Theme) else argument for argument in call])


def digest_of(packed: Packed) -> str:
    hashed = hashlib.sha256(packed.name.encode())
    for relative, data in packed.files:
        hashed.update(relative.encode() + b"\0" + hashlib.sha256(data).digest())
    return hashed.hexdigest()


def unpack(packed: Packed, scratch: Path) -> Path:
    book_dir = scratch / packed.name
    for relative, data in packed.files:
        target = (book_dir / relative).resolve()
        if not target.is_relative_to(book_dir.resolve()):  # a path the client would never send
            raise ConfigError(relative, "a packed file lies outside the book folder", "report it", code="bad-value")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return book_dir


def output_folder(book_dir: Path, out_dir: Path) -> Path:
    return out_dir / book_dir.resolve().name


def check_names(book_dirs: list[Path]) -> None:
    """Each book gets the folder of its name under --out: two books of one name would share it."""
    seen: dict[str, Path] = {}
    for book_dir in book_dirs:
        name = book_dir.resolve().name
        if name in seen and seen[name].resolve() != book_dir.resolve():
            raise ConfigError(book_dir, f"another book folder is also named '{name}' ({seen[name]})",
                              "rename one of them: each book is built into --out/NAME", code="duplicate-book")
        seen[name] = book_dir


def build_catalogue(book_dirs: list[Path], out_dir: Path, formats: list[str] | None, options: dict | None = None,
                    jobs: int | None = None, scheduler: str | None = None, report=None,
                    force: bool = False) -> list[BookResult]:
    """Build every book of ``book_dirs`` into ``out_dir``/NAME; ``report`` sees each BookResult as
    it is written. Local processes (``jobs``, default the usable cores) or the Dask cluster at
    ``scheduler``. Results come back in the order given. ``formats`` None: each book's own
    (build.chosen_formats)."""
    check_names(book_dirs)
    options = options or {}
    results: dict[Path, BookResult] = {}
    todo: dict[Path, list[str]] = {}
    wanted: dict[Path, list[str]] = {}
    caches: dict[Path, Cache] = {}  # each book's inputs hashed once: to look up, then to store
    for book_dir in dict.fromkeys(book_dirs):
        try:
            wanted[book_dir] = chosen_formats(book_dir, formats)
        except BookError as exc:
            results[book_dir] = BookResult(book_dir.name, error=str(exc), exit_code=exc.exit_code)
            if report:
                report(results[book_dir])
            continue
        caches[book_dir] = Cache(book_dir, output_folder(book_dir, out_dir), options, FORMATS, force)
        missing = [name for name in wanted[book_dir] if caches[book_dir].lookup(name) is None]
        if missing:
            todo[book_dir] = missing
        else:
            results[book_dir] = BookResult(book_dir.name, cached=tuple(wanted[book_dir]))
            if report:
                report(results[book_dir])
    runner = dask_tasks if scheduler else local_tasks
    for book_dir, result in runner(todo, options, jobs, scheduler):
        results[book_dir] = keep(result, caches[book_dir], wanted[book_dir], todo[book_dir])
        if report:
            report(results[book_dir])
    return [results[b] for b in dict.fromkeys(book_dirs)]


def keep(result: BookResult, cache: Cache, formats: list[str], made_formats: list[str]) -> BookResult:
    """Write a finished book's outputs (all of them or none) into its cache's folder and let the
    cache vouch for them."""
    if result.error:
        return result
    write_outputs(result.title, list(result.made), cache.out_dir, list(result.loaded), cache)
    return BookResult(result.name, result.made, result.loaded, result.title, result.seconds,
                      cached=tuple(f for f in formats if f not in made_formats))


def local_tasks(todo: dict[Path, list[str]], options: dict, jobs: int | None, scheduler=None):
    """(book folder, result) as each book finishes, from a local process pool. A worker that dies
    outright (a library's abort, the kernel's kill) breaks the pool and every book it had not
    finished; those are built again one at a time, each in a process of its own, so only the book that
    kills its process fails, and the others build."""
    fingerprint = tool_fingerprint()
    unfinished = yield from pooled(todo, options, min(jobs or usable_cores(), len(todo)), fingerprint)
    for book_dir in unfinished:
        if (yield from pooled({book_dir: todo[book_dir]}, options, 1, fingerprint)):
            error = out_of_memory(MEMORY_LIMIT)
            yield book_dir, BookResult(book_dir.name, error=str(error), exit_code=error.exit_code)


def pooled(todo: dict[Path, list[str]], options: dict, count: int, fingerprint: str):
    """Yield (book folder, result) from a pool of ``count`` processes; return the books it could not
    finish because a worker died."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    unfinished = []
    with layout_processes(count) as pool:
        if pool is None:
            return unfinished
        futures = {pool.submit(build_task, book_dir, formats, options, fingerprint): book_dir
                   for book_dir, formats in todo.items()}
        for future in as_completed(futures):
            try:
                result = future.result()
            except BrokenProcessPool:
                unfinished.append(futures[future])
                continue
            yield futures[future], result
    return unfinished


def dask_tasks(todo: dict[Path, list[str]], options: dict, jobs: int | None, scheduler: str):
    """(book folder, result) as each book finishes on the cluster at ``scheduler``."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError(None, "--scheduler needs Dask's 'distributed' package",
                          "install it: pip install 'bookbuilder[cluster]'", code="no-distributed") from None
    fingerprint = tool_fingerprint()
    try:
        client = Client(scheduler, timeout=SCHEDULER_TIMEOUT)
    except OSError as exc:
        raise ConfigError(None, f"cannot reach the Dask scheduler at {scheduler} ({exc})",
                          "start one ('dask scheduler') and give its address, e.g. tcp://10.0.0.5:8786",
                          code="no-scheduler") from None
    with client:
        futures = {client.submit(build_task, pack(book_dir), formats, options, fingerprint, pure=False): book_dir
                   for book_dir, formats in todo.items()}
        for future in as_completed(futures):
            yield futures[future], future.result()
