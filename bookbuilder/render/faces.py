"""The faces the theme ships (styles/fonts/ of the book folder and the defaults): their family names,
which the colophon names and the font guard allows, and the characters they have glyphs for."""

from __future__ import annotations

import functools
import io
from pathlib import Path

from fontTools.ttLib import TTCollection, TTFont

from ..errors import ResourceError
from ..scripts import FACES
from ..theme import Theme

FONT_FILES = ("*.ttf", "*.otf", "*.ttc")


def shipped_fonts(theme: Theme) -> tuple[frozenset[str], frozenset[int]]:
    """Family names of the fonts in styles/fonts/ (book folder and defaults) and of the packaged faces
    the book is set in, and the code points at least one of them has a glyph for."""
    paths = [path for folder in theme.dirs("styles/fonts")
             for path in sorted(p for pattern in FONT_FILES for p in folder.glob(pattern) if theme.allows(p))]
    paths += theme.face_files.values()
    return read_fonts(tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in paths))


@functools.lru_cache(maxsize=8)
def read_fonts(files: tuple[tuple[Path, int, int], ...]) -> tuple[frozenset[str], frozenset[int]]:
    """Read once per process for all PDFs of a build (each font's cmap is a tenth of a second);
    the files' times and sizes are part of the key, so an edited font is read again."""
    families, covered = set(), set()
    for path, _, _ in files:
        try:
            data = io.BytesIO(path.read_bytes())  # a file TTFont opened stays open if it fails
            fonts = TTCollection(data, lazy=True).fonts if path.suffix.lower() == ".ttc" else [TTFont(data, lazy=True)]
            for font in fonts:  # each face of a collection (WeasyPrint picks one by its family and style)
                families.add(font["name"].getBestFamilyName())
                covered |= set(font.getBestCmap())
        except Exception as exc:  # noqa: BLE001 - fontTools raises whatever its parsers meet in a broken file
            raise bad_font(path, exc) from None
    return frozenset(families), frozenset(covered)


def bad_font(path: Path, exc: Exception) -> ResourceError:
    """The book's error for a font file fontTools cannot read (a corrupt or truncated file, or no font)."""
    return ResourceError(path, f"the font file cannot be read ({type(exc).__name__}: {str(exc)[:200]})",
                         "replace it with a TrueType, OpenType or WOFF file that opens in a font editor", code="bad-font")


def typeface(theme: Theme, labels) -> str:
    """'Charis SIL', 'Noto Serif SC and Charis SIL': the shipped and packaged families, as the
    colophon names them in the book's language (``labels``), its own script's face first."""
    packaged = [FACES[key].family for key in theme.faces]
    return labels.joined(packaged + sorted(shipped_fonts(theme)[0] - set(packaged)))
