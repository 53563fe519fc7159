"""Every file a command reads from a book folder, its theme or a transcript: checked before its first byte.

A book folder from a stranger may hold a FIFO named like a chapter (reading it waits forever), a link
to /dev/zero (read until memory runs out), a link to a huge file or to /usr, or a name with a NUL in
it. So no reader opens a file itself: ``check`` gives its real path (symlinks and '..' resolved) only
if that lies inside one of the folders the file may come from and ``stat`` shows a regular file
within the size limit, all before it is opened; ``read`` then opens it without blocking (a FIFO swapped
in meanwhile does not hang), checks the open descriptor is that same regular file, and reads no more
than the limit. ``walk`` lists a folder's regular files without following links out of it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import BookError, ConfigError, ManuscriptError, ResourceError

# C0 and C1 controls and DEL: no file name needs them, and a NUL cannot be passed to the system at all.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
         stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}
MB = 1_000_000
# A print edition opens every part on a right-hand page: 1,000 parts is already 2,000 pages or more,
# and WeasyPrint holds every page in memory while it lays the book out.
MAX_CHAPTERS = 1000
# WeasyPrint needs about 200 MB of memory and 20 s for each MB of text it lays out; this keeps a
# print build within a few GB. The EPUB alone would take more, but one manuscript feeds every format.
MAX_BOOK_BYTES = 8 * MB


@dataclass(frozen=True)
class Limit:
    """The most a file of one kind may have: far above any real book's, far below what would exhaust
    memory; and what to say when a file is over it."""

    size: int
    noun: str
    fix: str
    code: str
    error: type[BookError] = ResourceError


LIMITS = {
    "book.toml": Limit(1 * MB, "book.toml", "keep long texts in chapters", code="bad-value", error=ConfigError),
    "chapter": Limit(2 * MB, "a chapter", "split it into several chapters (or, if you trust the book, raise "
                     "'limits.chapter_mb' in book.toml)", code="chapter-too-large",
                     error=ManuscriptError),
    "transcript": Limit(MAX_BOOK_BYTES, "a transcript", "split the transcript and import each part",
                        code="bad-transcript", error=ManuscriptError),
    "templates": Limit(1 * MB, "a template", "keep templates to markup; put text in chapters", code="file-too-large"),
    "styles": Limit(2 * MB, "a stylesheet", "remove what the book does not use", code="file-too-large"),
    "fonts": Limit(20 * MB, "a font", "subset the font to the scripts the book uses (or, if you trust "
                   "the book, raise 'limits.font_mb' in book.toml)", code="file-too-large"),
    "images": Limit(50 * MB, "an image", "export it at the size it prints (300 ppi)", code="file-too-large"),
}


def check_name(name: str, where) -> None:
    """A file name with a NUL or another control character is refused before it reaches the system."""
    match = CONTROL.search(name)
    if match:
        raise ResourceError(where, f"the file name '{name.encode('unicode_escape').decode()[:200]}' holds the "
                            f"control character U+{ord(match.group()):04X}", "rename the file and write its name "
                            "with printable characters only", code="bad-file-name")


def inside(path: Path, folders: Iterable[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def check(path: Path, folders: Iterable[Path], limit: Limit, where=None, name: str | None = None) -> Path:
    """The real path of ``path`` if it is a regular file inside ``folders`` within ``limit``; else an
    error naming it as ``name`` (default: the path) at ``where`` (the place that asked for it) or, for
    what is wrong with the file itself, at the file."""
    name = name or str(path)
    check_name(name, where or path)
    real = path.resolve()
    if not inside(real, folders):
        raise ResourceError(where or path, f"'{name}' leads outside the book ({real})",
                            "copy the file into the book folder instead of linking to it", code="outside-book")
    try:
        status = real.stat()
    except OSError as exc:
        raise ResourceError(where or path, f"'{name}' cannot be read ({exc.strerror})",
                            "create the file, or remove the reference to it", code="missing-file") from None
    refuse(status.st_mode, status.st_size, path, limit)
    return real


def refuse(mode: int, size: int, path: Path, limit: Limit) -> None:
    """Anything but a regular file within ``limit`` is refused, by name, before it is read."""
    kind = stat.S_IFMT(mode)
    if kind != stat.S_IFREG:
        raise ResourceError(path, f"this is {KINDS.get(kind, 'not a regular file')}, not a file",
                            "replace it with an ordinary file (nothing else is opened)", code="not-a-file")
    if size > limit.size:
        raise limit.error(path, f"the file is {size / MB:,.1f} MB, over the {limit.size / MB:g} MB {limit.noun} "
                          "may have", limit.fix, code=limit.code)


def read(path: Path, folders: Iterable[Path], limit: Limit, where=None, name: str | None = None) -> bytes:
    """The bytes of ``path``, checked first (see ``check``)."""
    real = check(path, folders, limit, where, name)
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        raise ResourceError(path, f"the file cannot be read ({exc.strerror})", "check the file's permissions",
                            code="missing-file") from None
    with os.fdopen(fd, "rb") as handle:
        status = os.fstat(fd)  # the file opened is the file checked, still regular and within the limit
        refuse(status.st_mode, status.st_size, path, limit)
        data = handle.read(limit.size + 1)
    refuse(stat.S_IFREG, len(data), path, limit)  # it may have grown since
    return data


def walk(folder: Path) -> Iterator[Path]:
    """The regular files under ``folder``, sorted, without following a symlinked folder inside it (a
    link out of the book would make every build walk whatever it points at)."""
    for top, dirs, names in os.walk(folder):
        dirs.sort()
        for name in sorted(names):
            path = Path(top, name)
            if path.is_file():
                yield path
