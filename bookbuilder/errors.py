"""User errors: one typed exception per kind, each with an exit code and a one-line message.

The message always reads ``FILE:LINE: what is wrong; how to fix it`` so that an editor (or an
editor's editor) can jump straight to the place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in the manuscript: a file and, where known, a 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class BookError(Exception):
    """Base of every error the user can fix; never shown with a traceback."""

    exit_code = 1

    def __init__(self, where: Location | Path | str | None, problem: str, fix: str):
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(str(self))

    def __str__(self) -> str:
        return one_line(self.where, self.problem, self.fix)

    def __reduce__(self):  # raised in a layout process, re-raised in the build's own
        return type(self), (self.where, self.problem, self.fix)


def one_line(where, problem: str, fix: str) -> str:
    """The shape of every message: ``FILE:LINE: what is wrong; how to fix it``."""
    return f"{where}: {problem}; {fix}" if where else f"{problem}; {fix}"


class ConfigError(BookError):
    """book.toml is missing, malformed or has wrong values."""

    exit_code = 2


class ManuscriptError(BookError):
    """A chapter file cannot be read or its markup is wrong."""

    exit_code = 3


class ResourceError(BookError):
    """An image, stylesheet or font is missing, outside the book, or unusable."""

    exit_code = 4


class TemplateError(BookError):
    """A Jinja2 template failed to render."""

    exit_code = 5


class OutputError(BookError):
    """An output could not be written."""

    exit_code = 6


class CheckError(BookError):
    """A validator rejected an output, or could not run."""

    exit_code = 7
