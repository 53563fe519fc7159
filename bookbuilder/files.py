"""Outputs are written beside their targets and renamed into place together, only when all are complete.

A failed or killed build leaves every earlier output as it was. Temporary files carry the builder's
process id, so the next build removes those whose builder is gone and leaves a running one's alone
(two builds into one folder at once each rename complete files; the last one wins). The output
folder is the user's: a file is removed only if its name carries a token this tool made (a random
part and its digest), never because its name looks like a temporary file's.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from pathlib import Path

from .errors import Location, OutputError

TEMP_PREFIX = ".make-book-"
TEMP_NAME = re.compile(rf"^{re.escape(TEMP_PREFIX)}(\d+)-([0-9a-f]{{8}})([0-9a-f]{{8}})-")


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
            temp.unlink(missing_ok=True)

    def stage(self, target: Path, data: bytes) -> Path:
        """Write ``data`` to a temporary file beside ``target`` (same name ending, so checkers that go
        by the extension accept it) and return its path."""
        temp = self.out_dir / f"{temp_stem(os.getpid(), secrets.token_hex(4))}-{target.name}"
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except OSError as exc:
            raise OutputError(Location(self.out_dir), f"cannot write to the output folder ({exc.strerror})",
                              "choose another folder with --out or fix its permissions", code="output-folder") from None
        self.staged.append((temp, target))
        try:
            with os.fdopen(fd, "wb") as handle:
                view = memoryview(data)
                while view:
                    view = view[os.write(handle.fileno(), view):]
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(Location(target), f"cannot write the output ({exc.strerror})",
                              "free some disk space or choose another folder with --out", code="disk-full") from None
        return temp

    def commit(self) -> None:
        """Rename every staged file onto its target: each rename is atomic, readers never see half a file."""
        for temp, target in self.staged:
            os.replace(temp, target)
        self.staged = []
        directory = os.open(self.out_dir, os.O_RDONLY)
        try:
            os.fsync(directory)  # the renames survive a power cut
        finally:
            os.close(directory)


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
    """Delete temporary files left by builds that were killed (their process no longer runs): only
    regular files whose token's digest is right, so only files this tool made."""
    for path in out_dir.glob(f"{TEMP_PREFIX}*"):
        match = TEMP_NAME.match(path.name)
        if (match and match.group(3) == token_digest(int(match.group(1)), match.group(2))
                and not running(int(match.group(1))) and path.is_file() and not path.is_symlink()):
            path.unlink(missing_ok=True)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
