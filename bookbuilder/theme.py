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

import contextlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from importlib.resources import files
from pathlib import Path

from . import inputs, scripts
from .errors import BookError, ResourceError
from .limits import Limits

CHECKOUT = Path(__file__).resolve().parent.parent  # a source checkout's top level (not in a wheel)
THEME_DIRS = ("templates", "styles", "images")
DEFAULT_DIRS = ("templates", "styles")  # what the defaults offer every book; pictures are each book's own
# base.css sets running text; constructs.css what books have beyond it (notes, tables, letters …).
BASE_STYLES = ("styles/base.css", "styles/constructs.css")
PDF_STYLES = ("styles/fonts.css", *BASE_STYLES)  # the PDFs embed the shipped faces
SCREEN_STYLES = (*PDF_STYLES, "styles/screen.css")  # the live preview's rendition: no file, not a row
WEB_STYLES = (*PDF_STYLES, "styles/epub.css", "styles/web.css")  # the web edition: the e-book's, set for a browser
FONTS = "styles/fonts/"
SCRIPT_FACE = inputs.Limit(scripts.SCRIPT_FACE_BYTES, "a packaged face", "reinstall its extra",
                           code="missing-face")  # checked by hash as well (scripts.verified)


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
    limits: Limits = Limits()  # the book's [limits]: how large its fonts may be
    faces: tuple[str, ...] = ()  # the packaged faces its PDFs are set in besides the shipped one (scripts.FACES)

    @classmethod
    def for_book(cls, book_dir: Path, limits: Limits = Limits(), faces: tuple[str, ...] = ()) -> Theme:
        book_dir = book_dir.resolve()
        defaults = (Root(CHECKOUT, ("images",)),) if book_dir == DEFAULT_BOOK else ()
        return cls((Root(book_dir), *defaults, Root(DEFAULTS, DEFAULT_DIRS)), limits, faces)

    @classmethod
    def of_book(cls, book) -> Theme:
        """The theme a loaded ``book`` (model.Book) is built with: its folder, limits and packaged faces."""
        return cls.for_book(book.root, book.settings.limits, book.faces)

    @cached_property
    def face_files(self) -> dict[str, Path]:
        """styles/fonts/<name> -> the packaged face's file, served where no root has that name (the
        faces' stylesheets, styles/scripts/, name them as fonts/ of styles/)."""
        return {FONTS + name: path.resolve() for name, path in scripts.face_files(self.faces).items()}

    @classmethod
    def defaults(cls) -> Theme:
        return cls((Root(DEFAULTS, DEFAULT_DIRS),))

    def dirs(self, name: str) -> list[Path]:
        return [root.path / name for root in self.roots if (root.path / name).is_dir()
                and self.allows(root.path / name)]

    def folders(self) -> list[Path]:
        """Every folder theme files may come from (not resolved: a symlinked styles/ is outside), and
        the packaged faces' files."""
        return [folder for root in self.roots for folder in root.folders()] + list(self.face_files.values())

    def candidate(self, relative: str) -> Path | None:
        """What ``relative`` (e.g. 'images/x.jpg') names under the first root that offers its folder
        and has it, not yet checked. A theme folder that is itself a link out of the book is passed
        over, never read."""
        top = relative.split("/", 1)[0]
        return next((root.path / relative for root in self.roots if top in root.dirs
                     and self.allows(root.path / top) and os.path.lexists(root.path / relative)),
                    self.face_files.get(relative) if self.faces else None)

    def find(self, relative: str) -> Path | None:
        """The real path of the file at ``relative`` if the build may read it, else None (a lookup
        that can do without it: the preview's files, a template the defaults may have)."""
        with contextlib.suppress(BookError):
            return self.require(relative, None)
        return None

    def allows(self, path: Path) -> bool:
        """Inside a theme folder after resolving, where the folder itself is not resolved: a symlinked
        images/ or styles/ that leads out of the book is outside it."""
        return inputs.inside(path.resolve(), self.folders())

    def require(self, relative: str, where) -> Path:
        """The real path of the file at ``relative``: one that leads outside the theme folders, is no
        regular file or is over its size limit is refused (inputs.check), not passed over for the next."""
        inputs.check_name(relative, where)
        path = self.candidate(relative)
        if path is None:
            raise ResourceError(where, f"'{relative}' not found",
                                f"add it to {' or '.join(str(r.path) for r in self.roots[:1])} (same relative path)",
                                code="missing-file")
        return inputs.check(path, self.folders(), self.limit(relative), where, relative)

    def read(self, relative: str, where) -> bytes:
        """The bytes of the theme file at ``relative``, checked before they are read."""
        return inputs.read(self.require(relative, where), self.folders(), self.limit(relative), where,
                           relative)

    def limit(self, relative: str) -> inputs.Limit:
        """The limit of the theme file at ``relative`` ('images/x.jpg', 'styles/fonts/a.ttf' …)."""
        if relative in self.face_files and not any(os.path.lexists(r.path / relative) for r in self.roots):
            return SCRIPT_FACE
        if relative.startswith(FONTS):
            return self.limits.file("fonts")
        return inputs.LIMITS.get(relative.split("/", 1)[0], inputs.LIMITS["styles"])

    def own_design(self) -> list[Path]:
        """The book's own templates and stylesheets: files of its templates/ and styles/ that replace
        or add to the defaults' (none for the defaults themselves)."""
        if self.roots[0].path == DEFAULTS:
            return []
        return sorted(path for rank, relative, path in self.files()
                      if rank == 0 and relative.split("/", 1)[0] in DEFAULT_DIRS)

    def files(self) -> Iterator[tuple[int, str, Path]]:
        """(rank of the root, relative path, real path) of every theme file a build may read: what
        leads outside, is no regular file or is too large is left out (a build that uses it stops)."""
        for rank, root in enumerate(self.roots):
            for folder in root.folders():
                if not self.allows(folder):
                    continue
                for path in inputs.walk(folder):
                    relative = path.relative_to(root.path).as_posix()
                    with contextlib.suppress(BookError):
                        yield rank, relative, inputs.check(path, self.folders(), self.limit(relative))
