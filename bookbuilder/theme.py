"""Where templates, styles, fonts and images come from: the book folder first, then the defaults.

A book folder overrides any default template or stylesheet by giving the same relative path
(mdBook's theme/, pandoc's user data folder). The defaults are package data: an installed wheel
carries templates/, styles/ (with the fonts and their licence) and starter/ as bookbuilder/data/,
read through importlib.resources; a source checkout (an editable install, python make_book.py)
reads the same folders at its top level. Pictures come from the book's own images/ only: the
repository's default book, whose pictures the fixed layout keeps in the top-level images/, is the
one book that sees that folder. Nothing outside these folders is ever read.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from .errors import ResourceError

CHECKOUT = Path(__file__).resolve().parent.parent  # a source checkout's top level (not in a wheel)
THEME_DIRS = ("templates", "styles", "images")
DEFAULT_DIRS = ("templates", "styles")  # what the defaults offer every book; pictures are each book's own


def packaged_defaults() -> Path:
    """bookbuilder/data/ of an installed wheel, else the checkout's top level."""
    data = files(__package__) / "data"
    return Path(str(data)) if data.is_dir() else CHECKOUT


DEFAULTS = packaged_defaults()
DEFAULT_BOOK = CHECKOUT / "book"  # the repository's own book; its pictures are CHECKOUT/images


@dataclass(frozen=True)
class Root:
    """A folder searched for theme files, and which of THEME_DIRS it may serve."""

    path: Path
    dirs: tuple[str, ...] = THEME_DIRS

    def folders(self) -> list[Path]:
        return [self.path / name for name in self.dirs]


@dataclass(frozen=True)
class Theme:
    roots: tuple[Root, ...]  # searched in order: the book folder, then the defaults

    @classmethod
    def for_book(cls, book_dir: Path) -> "Theme":
        book_dir = book_dir.resolve()
        defaults = (Root(CHECKOUT, ("images",)),) if book_dir == DEFAULT_BOOK else ()
        return cls((Root(book_dir), *defaults, Root(DEFAULTS, DEFAULT_DIRS)))

    @classmethod
    def defaults(cls) -> "Theme":
        return cls((Root(DEFAULTS, DEFAULT_DIRS),))

    def dirs(self, name: str) -> list[Path]:
        return [root.path / name for root in self.roots if (root.path / name).is_dir()
                and self.allows(root.path / name)]

    def find(self, relative: str) -> Path | None:
        """The first file at ``relative`` (e.g. 'images/x.jpg') that stays inside a theme folder."""
        return next((c for c in self.candidates(relative) if self.allows(c)), None)

    def candidates(self, relative: str) -> list[Path]:
        """Existing files ``relative`` names under each root that offers its folder, with '..' and
        symlinks resolved."""
        if "\0" in relative:
            return []
        top = relative.split("/", 1)[0]
        return [path for root in self.roots if top in root.dirs
                and (path := (root.path / relative).resolve()).is_file()]

    def allows(self, path: Path) -> bool:
        """Inside a theme folder after resolving, where the folder itself is not resolved: a symlinked
        images/ or styles/ that leads out of the book is outside it."""
        path = path.resolve()
        return any(path.is_relative_to(folder) for root in self.roots for folder in root.folders())

    def require(self, relative: str, where) -> Path:
        found = self.find(relative)
        if found is None and self.candidates(relative):
            raise ResourceError(where, f"'{relative}' leads outside the book ({self.candidates(relative)[0]})",
                                "copy the file into the book's images/ or styles/ folder instead of linking to it",
                                code="outside-book")
        if found is None:
            raise ResourceError(where, f"'{relative}' not found",
                                f"add it to {' or '.join(str(r.path) for r in self.roots[:1])} (same relative path)",
                                code="missing-file")
        return found
