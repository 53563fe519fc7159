"""Output files are written beside their target and renamed into place only when complete."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import Location, OutputError

TEMP_PREFIX = ".make-book-"


def write_atomically(target: Path, data: bytes) -> None:
    """Replace ``target`` with ``data`` all at once: readers see the old file or the new, never half."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(Location(target.parent), f"cannot write to the output folder ({exc.strerror})",
                          "choose another folder with --out or fix its permissions") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise OutputError(Location(target), f"cannot write the output ({exc.strerror})",
                          "free some disk space or choose another folder with --out") from None
