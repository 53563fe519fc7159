"""What the command prints: one line per stage with its time, notices by severity, nothing else.

--quiet keeps only warnings and errors, --verbose adds each stage's details and 'info' notices.
Colour only when the stream is a terminal (and NO_COLOR is unset, no-color.org), so logs and
pipes get plain text. A reader that goes away ('make-book | head -1', a closed stdout, /dev/full)
is not an error: the command carries on and finishes (outputs are still renamed into place
whole), its further lines dropped.
"""

from __future__ import annotations

import os
import sys

from .notices import SEVERITIES, Notice
from .progress import Stage

COLOURS = {"error": "31;1", "warning": "33", "info": "36", "stage": "1"}  # ANSI SGR codes


class Console:
    def __init__(self, quiet: bool = False, verbose: bool = False, out=None, err=None):
        self.quiet, self.verbose = quiet, verbose
        self.out, self.err = out or sys.stdout, err or sys.stderr

    def paint(self, stream, kind: str, text: str) -> str:
        if stream is None or not stream.isatty() or os.environ.get("NO_COLOR"):
            return text
        return f"\033[{COLOURS[kind]}m{text}\033[0m"

    def emit(self, stream, text: str) -> None:
        """Print one line; if the stream is closed, broken or full, drop it and the lines after."""
        if stream is None:
            return
        try:
            print(text, file=stream, flush=True)
        except (OSError, ValueError):  # ValueError: a file closed from Python
            silence(stream)
            if stream is self.out:
                self.out = None
            else:
                self.err = None

    def say(self, text: str) -> None:
        if not self.quiet:
            self.emit(self.out, text)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            self.emit(self.out, f"  {text}")

    def stage(self, step: Stage) -> None:
        name = self.paint(self.out, "stage", f"{step.name:<9} ")
        self.say(f"{name}{step.detail}  {step.seconds:.2f} s" if step.detail else f"{name}{step.seconds:.2f} s")
        for line in step.more:
            self.detail(line)

    def notice(self, notice: Notice) -> None:
        if notice.severity == "info" and not self.verbose:
            return
        self.emit(self.err, f"{self.paint(self.err, notice.severity, notice.severity + ':')} {notice}")

    def error(self, text: str) -> None:
        self.emit(self.err, f"{self.paint(self.err, 'error', 'error:')} {text}")

    def report(self, notices: list[Notice], counts: dict[str, int]) -> None:
        """The check report on stdout: errors, then warnings, then (with --verbose) info; one line each."""
        for severity in SEVERITIES:
            found = [n for n in notices if n.severity == severity]
            if not found or (severity == "info" and not self.verbose):
                continue
            self.emit(self.out, self.paint(self.out, severity, f"{severity}s ({len(found)})"))
            for notice in found:
                self.emit(self.out, f"  {notice}" + (f"  [{notice.code}]" if notice.code else ""))
        summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES)
        self.emit(self.out, f"check: {summary}" + ("" if self.verbose or not counts["info"] else " (info: --verbose)"))


def silence(stream) -> None:
    """Point a dead stream's descriptor at /dev/null, so that what is left in its buffer, flushed
    when Python exits, goes nowhere instead of failing again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no descriptor left to point anywhere
        pass
