"""Reading manuscript text: UTF-8 only, no byte-order mark, no characters XML forbids; and the
editor's marks and name spellings that 'make-book import' writes and 'make-book check' reads.

Word, PDF viewers and old editors leave these behind; each would otherwise surface far from its
cause (an EPUB that does not parse, a PDF with a box), so they are caught here with file:line.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from .. import inputs
from ..errors import Location, ManuscriptError
from ..inputs import Limit
from ..notices import Notices

BOM = "\ufeff"
# XML 1.0 allows tab, newline and carriage return among the C0 controls, and neither U+FFFE nor U+FFFF;
# a lone surrogate (which a YAML escape like "\\ud800" makes) is no character at all.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def read_text(path: Path, notices: Notices, limit: Limit, folder: Path) -> str:
    """The text of ``path``, a regular file inside ``folder`` within ``limit`` (checked before anything is
    read): refused if it is not UTF-8 or holds forbidden characters; a BOM is dropped with a warning."""
    data = inputs.read(path, [folder], limit)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ManuscriptError(Location(path, line), f"not UTF-8: byte 0x{data[exc.start]:02X} at byte offset "
                              f"{exc.start} cannot be decoded", "save the file as UTF-8 (in most editors: "
                              "Save As, Encoding: UTF-8)", code="not-utf8") from None
    if text.startswith(BOM):
        notices.warn(Location(path, 1), "the file starts with a byte-order mark (ignored)",
                     "save it as UTF-8 without BOM", code="bom")
        text = text[1:]
    check_characters(text, path)
    return text


def check_characters(text: str, path: Path, line: int | None = None) -> None:
    """Refuse characters XML forbids; ``line`` is the place to name when ``text`` is not the whole file."""
    match = FORBIDDEN.search(text)
    if match:
        before = text[:match.start()]
        column = "" if line else f" in column {match.start() - before.rfind(chr(10))}"
        raise ManuscriptError(Location(path, line or before.count("\n") + 1),
                              f"control character U+{ord(match.group()):04X}{column}, which XML (and so EPUB) "
                              "forbids", "delete it; it often comes with text pasted from Word or a PDF",
                              code="control-character")


EDITOR_MARK = "EDITOR:"  # a note for the editor, left in a book folder by 'make-book import'
NAME_LIKENESS = 0.8  # difflib ratio: Shaimergenov/Shaymergenov 0.92, Zhang/Zhong 0.8, Timur/Tim 0.75


def misspelt(word: str, names: list[str]) -> str | None:
    """The contributor name ``word`` is a near miss of, if any (an exact match is no finding)."""
    if word.lower() in (n.lower() for n in names):
        return None
    close = difflib.get_close_matches(word, names, n=1, cutoff=NAME_LIKENESS)
    return close[0] if close else None
