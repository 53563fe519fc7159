"""Problems the build survives (an unlisted chapter, a low-resolution image …) and what the
validators of ``make-book check`` find.

They share the errors' one-line shape, ``FILE:LINE: what is wrong; how to fix it``; each carries a
severity and, for validators and lint rules, a stable code (``lint-alt``, ``epubcheck-RSC-012`` …).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BookError, Location, one_line

SEVERITIES = ("error", "warning", "info")  # report order


@dataclass(frozen=True)
class Notice:
    where: Location | str | None
    problem: str
    fix: str
    severity: str = "warning"
    code: str = ""

    def __str__(self) -> str:
        return one_line(self.where, self.problem, self.fix)

    def as_dict(self) -> dict:
        path, line = (self.where.path, self.where.line) if isinstance(self.where, Location) else (self.where, None)
        return {"severity": self.severity, "code": self.code, "file": str(path) if path else None, "line": line,
                "problem": self.problem, "fix": self.fix}


class Notices(list):
    """Collected by every stage of one build; the command prints them as 'warning: …'."""

    def add(self, severity: str, where: Location | str | None, problem: str, fix: str, code: str = "") -> None:
        notice = Notice(where, problem, fix, severity, code)
        if notice not in self:
            self.append(notice)

    def warn(self, where: Location | str | None, problem: str, fix: str, code: str = "") -> None:
        self.add("warning", where, problem, fix, code)

    def merge(self, more) -> None:
        """Add notices made elsewhere (a layout process, the cache) unless the same line is here:
        a notice the cache gives again names its place as text, not as a Location."""
        for notice in more:
            if (notice.severity, str(notice)) not in {(n.severity, str(n)) for n in self}:
                self.append(notice)

    def error(self, exc: BookError) -> None:
        """Record a user error a validator caught, so the report can go on."""
        self.add("error", exc.where, exc.problem, exc.fix, exc.code)

    def of(self, severity: str) -> list[Notice]:
        return [n for n in self if n.severity == severity]
