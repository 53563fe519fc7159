"""The limits a publisher who trusts a book may raise in book.toml's [limits], each up to a hard ceiling.

Every other limit (a stylesheet's nesting, a template's loop steps, Markdown's depth …) guards a
library's recursion or a cost that grows faster than the input: raising it would not make a real book
build, only let a hostile one crash. These six are sizes: a real book may outgrow them (a dictionary,
a book set in a CJK face of 30 MB), and each ceiling is what one build on a machine of a few GB can still
lay out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from .errors import ConfigError, Location
from .inputs import LIMITS, MAX_BOOK_BYTES, MAX_CHAPTERS, MB, Limit

GIB = 1024**3
# WeasyPrint's line breaking costs more per line the longer the rest of the paragraph is (Pango lays
# it out again), so one paragraph's time grows with the square of its length (bench/growth.py); a
# limit on a paragraph keeps a book's layout time linear in its length. About 40 printed pages.
MAX_PARAGRAPH = 100_000
MEMORY_LIMIT = 2 * GIB  # bytes of address space a worker process may map (the default book's build peaks at 0.46)


@dataclass(frozen=True)
class Ceiling:
    most: int
    unit: str  # how book.toml writes the value
    why: str


# key -> the most book.toml may raise it to, and why no further
CEILINGS = {
    "chapter_mb": Ceiling(8, "MB", "WeasyPrint needs about 200 MB of memory for each MB of text"),
    "manuscript_mb": Ceiling(32, "MB", "a book of 32 MB of text is some 12,000 printed pages"),
    "chapters": Ceiling(4000, "chapters", "a print edition opens every part on a right-hand page"),
    "paragraph_characters": Ceiling(400_000, "characters", "a paragraph is laid out as one unbreakable run"),
    "font_mb": Ceiling(100, "MB", "the largest CJK collections (Noto Serif CJK) are under 100 MB"),
    "worker_memory_gib": Ceiling(16, "GiB", "each of the build's worker processes may map this much"),
}


@dataclass(frozen=True)
class Limits:
    """One build's raisable limits; the defaults are the manual's table (docs/book-folder.md)."""

    chapter_mb: int = LIMITS["chapter"].size // MB
    manuscript_mb: int = MAX_BOOK_BYTES // MB
    chapters: int = MAX_CHAPTERS
    paragraph_characters: int = MAX_PARAGRAPH
    font_mb: int = LIMITS["fonts"].size // MB
    worker_memory_gib: int = MEMORY_LIMIT // GIB

    @property
    def manuscript_bytes(self) -> int:
        return self.manuscript_mb * MB

    @property
    def worker_memory(self) -> int:
        return self.worker_memory_gib * GIB

    def file(self, kind: str) -> Limit:
        """inputs.LIMITS[kind], with the size this book allows."""
        sizes = {"chapter": self.chapter_mb * MB, "fonts": self.font_mb * MB}
        return replace(LIMITS[kind], size=sizes[kind]) if kind in sizes else LIMITS[kind]


def read_limits(table: dict, where: Callable[[str], Location | None]) -> Limits:
    """book.toml's [limits] (``where`` finds a key's line): whole numbers from 1 to each ceiling."""
    known = {f.name for f in fields(Limits)}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(where(key), f"unknown key 'limits.{key}'", f"the limits a book may raise are "
                              f"{', '.join(sorted(known))}", code="unknown-key")
        ceiling = CEILINGS[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= ceiling.most:
            raise ConfigError(where(key), f"'limits.{key}' cannot be {value!r}", f"give a whole number of "
                              f"{ceiling.unit} from 1 to {ceiling.most:,}, the hard ceiling ({ceiling.why})",
                              code="bad-value")
    return Limits(**table)
