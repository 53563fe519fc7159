"""What the command prints: one line per stage with its time, notices by severity, nothing else.

--quiet keeps only warnings and errors, --verbose adds each stage's details and 'info' notices.
Colour only when the stream is a terminal (and NO_COLOR is unset, no-color.org), so logs and
pipes get plain text.
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
        if not stream.isatty() or os.environ.get("NO_COLOR"):
            return text
        return f"\033[{COLOURS[kind]}m{text}\033[0m"

    def say(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def detail(self, text: str) -> None:
        if self.verbose and not self.quiet:
            print(f"  {text}", file=self.out, flush=True)

    def stage(self, step: Stage) -> None:
        name = self.paint(self.out, "stage", f"{step.name:<10}")
        self.say(f"{name}{step.detail}  {step.seconds:.2f} s" if step.detail else f"{name}{step.seconds:.2f} s")
        for line in step.more:
            self.detail(line)

    def notice(self, notice: Notice) -> None:
        if notice.severity == "info" and not self.verbose:
            return
        print(f"{self.paint(self.err, notice.severity, notice.severity + ':')} {notice}", file=self.err, flush=True)

    def error(self, text: str) -> None:
        print(f"{self.paint(self.err, 'error', 'error:')} {text}", file=self.err, flush=True)

    def report(self, notices: list[Notice], counts: dict[str, int]) -> None:
        """The check report on stdout: errors, then warnings, then (with --verbose) info; one line each."""
        for severity in SEVERITIES:
            found = [n for n in notices if n.severity == severity]
            if not found or (severity == "info" and not self.verbose):
                continue
            print(self.paint(self.out, severity, f"{severity}s ({len(found)})"), file=self.out)
            for notice in found:
                print(f"  {notice}" + (f"  [{notice.code}]" if notice.code else ""), file=self.out)
        summary = ", ".join(f"{counts[s]} {s}{'s' if counts[s] != 1 and s != 'info' else ''}" for s in SEVERITIES)
        print(f"check: {summary}" + ("" if self.verbose or not counts["info"] else " (info: --verbose)"),
              file=self.out, flush=True)
