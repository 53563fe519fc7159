"""Outputs are written beside their targets and renamed into place together, only when all are complete.

An output is a file (bytes) or a folder (Folder: a website's pages, styles and pictures): a folder is
written whole under a temporary name and swapped into place in one step (renameat2's RENAME_EXCHANGE,
where the kernel has it; else two renames, a moment apart), so readers see the old site or the new.

A failed or killed build leaves every earlier output as it was. Temporary files carry the builder's
process id, so the next build removes those whose builder is gone and leaves a running one's alone
(two builds into one folder at once each rename complete files; the last one wins). The output
folder is the user's: a file is removed only if its name carries a token this tool made (a random
part and its digest), never because its name looks like a temporary file's.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from .errors import Location, OutputError

TEMP_PREFIX = ".make-book-"
TEMP_NAME = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-([0-9a-f]{{8}})([0-9a-f]{{8}})-")
STAGED = ".make-book-staged"  # in a folder being staged: a stale one with it is ours to remove
RENAME_EXCHANGE, AT_FDCWD = 2, -100  # linux/fs.h, fcntl.h


@dataclass(frozen=True)
class Folder:
    """An output of several files: (path inside the folder, bytes), sorted by path; paths use '/'."""

    files: tuple[tuple[str, bytes], ...]

    @classmethod
    def of(cls, files: dict[str, bytes]) -> Folder:
        return cls(tuple(sorted(files.items())))

    @classmethod
    def read(cls, path: Path) -> Folder | None:
        """The folder at ``path`` as it is on disk; None when it holds anything but plain folders and files."""
        files = {}
        for found in sorted(path.rglob("*")):
            if found.is_symlink() or not (found.is_file() or found.is_dir()):
                return None
            if found.is_file():
                files[found.relative_to(path).as_posix()] = found.read_bytes()
        return cls.of(files)


def size_of(data: bytes | Folder) -> int:
    return sum(len(content) for _, content in data.files) if isinstance(data, Folder) else len(data)


def digest_of(data: bytes | Folder) -> str:
    """SHA-256 of a file's bytes, or of a folder's listing of paths and their files' SHA-256."""
    if isinstance(data, Folder):
        data = "".join(f"{name}\0{hashlib.sha256(content).hexdigest()}\n" for name, content in data.files).encode()
    return hashlib.sha256(data).hexdigest()


class Staging:
    """The outputs of one build in ``out_dir``: ``stage`` each, then ``commit`` them all; leaving the
    ``with`` block without committing removes what was staged."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.staged: list[tuple[Path, Path]] = []  # (temporary file, target)

    def __enter__(self) -> "Staging":
        try:
            self.out_dir.mkdir(parents=True, exist_ok=True)
            if not os.access(self.out_dir, os.W_OK | os.X_OK):
                raise PermissionError(13, "Permission denied")
        except OSError as exc:
            raise OutputError(Location(self.out_dir), f"cannot write to the output folder ({exc.strerror})",
                              "choose another folder with --out or fix its permissions", code="output-folder") from None
        remove_stale(self.out_dir)
        return self

    def __exit__(self, *exc_info) -> None:
        for temp, _ in self.staged:
            remove(temp)

    def stage(self, target: Path, data: bytes | Folder) -> Path:
        """Write ``data`` to a temporary file (or folder) beside ``target`` (same name ending, so
        checkers that go by the extension accept it) and return its path."""
        temp = self.out_dir / f"{temp_stem(os.getpid(), secrets.token_hex(4))}-{target.name}"
        if isinstance(data, Folder):
            self.staged.append((temp, target))
            make_folder(temp, self.out_dir)
            write_new(temp / STAGED, b"", target)  # first: a folder left half written is known to be ours
            for folder in dict.fromkeys((temp / name).parent for name, _ in data.files if "/" in name):
                make_folder(folder, self.out_dir, parents=True)
            for name, content in data.files:
                write_new(temp / name, content, target)
            return temp
        write_new(temp, data, target, self.staged)
        return temp

    def commit(self) -> None:
        """Rename every staged output onto its target: each rename is atomic, readers never see half
        a file or half a folder."""
        for temp, target in self.staged:
            if not temp.is_dir():
                os.replace(temp, target)
                continue
            (temp / STAGED).unlink()
            if target.exists():
                swap(temp, target)
                remove(temp)  # now the old output
            else:
                os.replace(temp, target)
        self.staged = []
        directory = os.open(self.out_dir, os.O_RDONLY)
        try:
            os.fsync(directory)  # the renames survive a power cut
        finally:
            os.close(directory)


def write_new(path: Path, data: bytes, target: Path, staged: list | None = None) -> None:
    """Create ``path`` (it must not exist) with ``data``, synced to disk; recorded in ``staged`` once created."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except OSError as exc:
        raise unwritable(path.parent, exc) from None
    if staged is not None:
        staged.append((path, target))
    try:
        with os.fdopen(fd, "wb") as handle:
            view = memoryview(data)
            while view:
                view = view[os.write(handle.fileno(), view):]
            os.fsync(handle.fileno())
    except OSError as exc:
        raise OutputError(Location(target), f"cannot write the output ({exc.strerror})",
                          "free some disk space or choose another folder with --out", code="disk-full") from None


def make_folder(folder: Path, out_dir: Path, parents: bool = False) -> None:
    try:
        folder.mkdir(parents=parents, exist_ok=parents)
    except OSError as exc:
        raise unwritable(out_dir, exc) from None


def unwritable(folder: Path, exc: OSError) -> OutputError:
    return OutputError(Location(folder), f"cannot write to the output folder ({exc.strerror})",
                       "choose another folder with --out or fix its permissions", code="output-folder")


def swap(new: Path, old: Path) -> None:
    """Exchange two paths in one step (Linux's renameat2); where the kernel or C library cannot,
    move the old one aside and the new one in."""
    exchange = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if exchange is None or exchange(AT_FDCWD, os.fsencode(new), AT_FDCWD, os.fsencode(old), RENAME_EXCHANGE) != 0:
        aside = new.with_name(new.name + "-old")
        os.replace(old, aside)
        os.replace(new, old)
        os.replace(aside, new)


def remove(path: Path) -> None:
    """Remove a file, or a folder this tool wrote (never following a link out of it)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def write_atomically(target: Path, data: bytes) -> None:
    """Replace one file on its own (the cache's records): readers see the old file or the new, never half."""
    with Staging(target.parent) as staging:
        staging.stage(target, data)
        staging.commit()


def temp_stem(pid: int, token: str) -> str:
    """The start of a temporary file's name: the builder's pid, a random token and its digest."""
    return f"{TEMP_PREFIX}{pid}-{token}{token_digest(pid, token)}"


def token_digest(pid: int, token: str) -> str:
    return hashlib.sha256(f"{TEMP_PREFIX}{pid}-{token}".encode()).hexdigest()[:8]


def remove_stale(out_dir: Path) -> None:
    """Delete temporary files and folders left by builds that were killed (their process no longer
    runs): only those whose token's digest is right, and only folders marked as being staged, so
    only what this tool made."""
    for path in out_dir.glob(f"{TEMP_PREFIX}*"):
        match = TEMP_NAME.match(path.name)
        if (match and match.group(3) == token_digest(int(match.group(1)), match.group(2))
                and not running(int(match.group(1))) and not path.is_symlink()
                and (path.is_file() or (path / STAGED).is_file())):
            remove(path)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
