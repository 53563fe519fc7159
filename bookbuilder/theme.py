"""Where templates, styles, fonts and images come from: the book folder first, then the defaults.

A book folder overrides any default file by giving the same relative path (mdBook's theme/,
pandoc's user data folder). Nothing outside these folders is ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import ResourceError

DEFAULTS = Path(__file__).resolve().parent.parent
THEME_DIRS = ("templates", "styles", "images")
# The stylesheets of each format, in cascade order (render.py links them, cache.py hashes them).
STYLES = {
    "epub": ("styles/base.css", "styles/epub.css"),
    "print": ("styles/fonts.css", "styles/base.css", "styles/print.css"),
    "handout": ("styles/fonts.css", "styles/base.css", "styles/handout.css"),
    "cover": ("styles/fonts.css", "styles/cover.css"),
    "screen": ("styles/fonts.css", "styles/base.css", "styles/screen.css"),
}


@dataclass(frozen=True)
class Theme:
    roots: tuple[Path, ...]  # searched in order: the book folder, then the defaults

    @classmethod
    def for_book(cls, book_dir: Path) -> "Theme":
        book_dir = book_dir.resolve()
        return cls((book_dir,) if book_dir == DEFAULTS else (book_dir, DEFAULTS))

    def dirs(self, name: str) -> list[Path]:
        return [root / name for root in self.roots if (root / name).is_dir() and self.allows(root / name)]

    def find(self, relative: str) -> Path | None:
        """The first file at ``relative`` (e.g. 'images/x.jpg') that stays inside a theme folder."""
        return next((c for c in self.candidates(relative) if self.allows(c)), None)

    def candidates(self, relative: str) -> list[Path]:
        """Existing files ``relative`` names under each root, with '..' and symlinks resolved."""
        if "\0" in relative:
            return []
        return [path for root in self.roots if (path := (root / relative).resolve()).is_file()]

    def allows(self, path: Path) -> bool:
        """Inside a theme folder after resolving, where the folder itself is not resolved: a symlinked
        images/ or styles/ that leads out of the book is outside it."""
        path = path.resolve()
        return any(path.is_relative_to(root / name) for root in self.roots for name in THEME_DIRS)

    def require(self, relative: str, where) -> Path:
        found = self.find(relative)
        if found is None and self.candidates(relative):
            raise ResourceError(where, f"'{relative}' leads outside the book ({self.candidates(relative)[0]})",
                                "copy the file into the book's images/ or styles/ folder instead of linking to it",
                                code="outside-book")
        if found is None:
            raise ResourceError(where, f"'{relative}' not found",
                                f"add it to {' or '.join(str(r) for r in self.roots)} (same relative path)",
                                code="missing-file")
        return found
