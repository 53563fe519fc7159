"""The one place for the build's processes: how many cores it may use, the process pool each
layout runs in, and which formats go to which process."""

from __future__ import annotations

import contextlib
import functools
import os

from ..errors import ResourceError
from ..formats import FORMATS


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


MEMORY_LIMIT = 2 * 1024**3  # bytes of address space a worker process may map (the default book's build peaks at 0.46)


def limited() -> None:
    """A worker's address space held to MEMORY_LIMIT: a bomb in a book's files fails its layout with
    a MemoryError instead of taking the machine's memory."""
    import resource

    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT if hard == resource.RLIM_INFINITY else min(MEMORY_LIMIT, hard),
                                            hard))


@contextlib.contextmanager
def layout_processes(count: int):
    """Fork where the system can (the worker starts with this process's modules loaded, and its
    parsed stylesheets: typeset/stylesheets.py), each worker within MEMORY_LIMIT; with nothing to
    make apart, no process at all. A worker out of memory (a MemoryError, or a library that aborts
    when it cannot allocate) is the book's error, not a traceback."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if not count:
        yield None
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method), initializer=limited) as pool:
        try:
            yield pool
        except (BrokenProcessPool, MemoryError):
            raise out_of_memory() from None


def out_of_memory() -> ResourceError:
    """The book's error for a worker that ran out of MEMORY_LIMIT (or was stopped)."""
    return ResourceError(None, f"a layout process ran out of the {MEMORY_LIMIT / 1024**3:.3g} GiB of memory it may "
                         "use, or was stopped", "look for what grows without end in the book's own stylesheets, "
                         "templates or pictures", code="out-of-memory")


def in_processes(jobs: int, function, calls: list[tuple]) -> list:
    """``function(*call)`` for each call, in up to ``jobs`` processes; the results in order. One
    call, or one job, runs here: a pool costs more than it saves then."""
    if min(jobs, len(calls)) < 2:
        return [function(*call) for call in calls]
    with layout_processes(min(jobs, len(calls))) as pool:
        return list(pool.map(function, *zip(*calls)))


def by_edition(names: list[str]) -> list[list[str]]:
    """The formats grouped by the edition they are made from (each group made in a thread of its
    own, sharing the build's workers): the first edition's group has the formats that need none."""
    editions = list(dict.fromkeys(FORMATS[n].layout for n in names if FORMATS[n].layout)) or [None]
    return [[n for n in names if FORMATS[n].layout == edition or (FORMATS[n].layout is None and edition == editions[0])]
            for edition in editions]


@contextlib.contextmanager
def workers(jobs: int):
    """The build's pool for laying out pieces, as ``pool(function, calls)``: ``jobs`` worker
    processes for the whole build, every edition and round, forked once WeasyPrint is imported here,
    so each starts with it and keeps the stylesheets it parses for every piece it lays out (they are
    all started before any thread of the build runs: a fork copies only the thread that forks). One
    job: no process."""
    if jobs < 2:
        yield functools.partial(in_processes, 1)  # here, one call after another
        return
    from ..typeset import layout  # noqa: F401 - imported before the fork, so the workers have it

    with layout_processes(jobs) as executor:
        list(executor.map(abs, range(jobs)))  # every worker started now
        yield lambda function, calls: list(executor.map(function, *zip(*calls))) if calls else []
