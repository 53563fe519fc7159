"""The one place for the build's processes: how many cores it may use, the process pool each
layout runs in, and which formats go to which process."""

from __future__ import annotations

import contextlib
import os

from ..formats import FORMATS


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def layout_processes(count: int):
    """Fork where the system can (the worker starts with this process's modules loaded, and its
    parsed stylesheets: typeset/stylesheets.py); with nothing to make apart, no process at all."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    if not count:
        return contextlib.nullcontext(None)
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context(method))


def in_processes(jobs: int, function, calls: list[tuple]) -> list:
    """``function(*call)`` for each call, in up to ``jobs`` processes; the results in order. One
    call, or one job, runs here: a pool costs more than it saves then."""
    if min(jobs, len(calls)) < 2:
        return [function(*call) for call in calls]
    with layout_processes(min(jobs, len(calls))) as pool:
        return list(pool.map(function, *zip(*calls)))


def split_by_layout(names: list[str], jobs: int) -> tuple[list[str], list[list[str]]]:
    """The formats made in this process, and groups to make in others: one group per further
    edition, while ``jobs`` allows. The first edition stays here with the formats that need none."""
    layouts = list(dict.fromkeys(FORMATS[n].layout for n in names if FORMATS[n].layout))
    others = layouts[1:][:max(jobs, 1) - 1]
    home = [n for n in names if FORMATS[n].layout not in others]
    return home, [[n for n in names if FORMATS[n].layout == layout] for layout in others]
