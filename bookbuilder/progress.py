"""Progress as data: the pipeline's timed stages, which the console prints one line each."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field


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
