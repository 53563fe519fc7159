"""The one place for the build's processes: how many cores it may use, the process pool each
layout runs in, and which formats go to which process."""

from __future__ import annotations

import contextlib
import functools
import os

from ..errors import ResourceError
from ..formats import FORMATS
from ..limits import GIB, MEMORY_LIMIT


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def limited(memory: int) -> None:
    """This process's address space held to ``memory`` bytes: a bomb in a book's files fails its layout
    with a MemoryError instead of taking the machine's memory."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (memory if hard == resource.RLIM_INFINITY else min(memory, hard), hard))


@contextlib.contextmanager
def book_memory(memory: int):
    """In a worker held to a limit (a catalogue's), the limit of the book it builds now ([limits]
    worker_memory_gib), then the worker's own again; elsewhere nothing."""
    import resource

    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        yield
        return
    limited(memory)
    try:
        yield
    finally:
        limited(soft)


@contextlib.contextmanager
def layout_processes(count: int, memory: int = MEMORY_LIMIT):
    """Fork where the system can (the worker starts with this process's modules loaded, and its
    parsed stylesheets: typeset/stylesheets.py), each worker within ``memory`` bytes; with nothing to
    make apart, no process at all. A worker out of memory (a MemoryError, or a library that aborts
    when it cannot allocate) is the book's error, not a traceback."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if not count:
        yield None
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method),
                             initializer=functools.partial(limited, memory)) as pool:
        try:
            yield pool
        except (BrokenProcessPool, MemoryError):
            raise out_of_memory(memory) from None


def out_of_memory(memory: int) -> ResourceError:
    """The book's error for a worker that ran out of its ``memory`` (or was stopped)."""
    return ResourceError(None, f"a layout process ran out of the {memory / GIB:.3g} GiB of memory it may "
                         "use, or was stopped", "look for what grows without end in the book's own stylesheets, "
                         "templates or pictures; if you trust the book and the machine has the memory, raise "
                         "'limits.worker_memory_gib' in book.toml", code="out-of-memory")


def in_processes(jobs: int, function, calls: list[tuple], memory: int = MEMORY_LIMIT) -> list:
    """``function(*call)`` for each call, in up to ``jobs`` processes; the results in order. One
    call, or one job, runs here: a pool costs more than it saves then."""
    if min(jobs, len(calls)) < 2:
        return [function(*call) for call in calls]
    with layout_processes(min(jobs, len(calls)), memory) as pool:
        return list(pool.map(function, *zip(*calls)))


def by_edition(names: list[str]) -> list[list[str]]:
    """The formats grouped by the edition they are made from (each group made in a thread of its
    own, sharing the build's workers): the first edition's group has the formats that need none."""
    editions = list(dict.fromkeys(FORMATS[n].layout for n in names if FORMATS[n].layout)) or [None]
    return [[n for n in names if FORMATS[n].layout == edition or (FORMATS[n].layout is None and edition == editions[0])]
            for edition in editions]


@contextlib.contextmanager
def workers(jobs: int, memory: int = MEMORY_LIMIT):
    """The build's pool for laying out pieces, as ``pool(function, calls)``: ``jobs`` worker
    processes for the whole build, every edition and round, forked once WeasyPrint is imported here,
    so each starts with it and keeps the stylesheets it parses for every piece it lays out (they are
    all started before any thread of the build runs: a fork copies only the thread that forks). One
    job: no process."""
    if jobs < 2:
        yield functools.partial(in_processes, 1)  # here, one call after another
        return
    from ..typeset import pieces  # noqa: F401 - imported before the fork (with layout), so the workers have it

    with layout_processes(jobs, memory) as executor:
        list(executor.map(abs, range(jobs)))  # every worker started now
        yield lambda function, calls: list(executor.map(function, *zip(*calls))) if calls else []
