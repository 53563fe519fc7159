"""Warnings the build reports but survives (an unlisted chapter, a low-resolution image …).

They share the errors' one-line shape, ``FILE:LINE: what is wrong; how to fix it``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Location, one_line


@dataclass(frozen=True)
class Notice:
    where: Location | str | None
    problem: str
    fix: str

    def __str__(self) -> str:
        return one_line(self.where, self.problem, self.fix)


class Notices(list):
    """Collected by every stage of one build; the command prints them as 'warning: …'."""

    def warn(self, where: Location | str | None, problem: str, fix: str) -> None:
        notice = Notice(where, problem, fix)
        if notice not in self:
            self.append(notice)
