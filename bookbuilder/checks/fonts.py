"""The build's font guard: every character a PDF draws is set in a shipped face and has a glyph in it.

Pango draws a character the shipped faces lack as an empty box (with the private font configuration
no other face can stand in), and a book's own stylesheet may name a font that is not shipped; both
stay silent in the layout, so the finished PDF is read back: every character it draws, and the
font it draws it with, and each character that is not right is named with its line and page.
"""

from __future__ import annotations

import io
import re
from collections import Counter

import pikepdf

from .. import scripts
from ..errors import CheckError
from ..manuscript.load import locate
from ..render.faces import shipped_fonts
from . import Subject

MAX_LISTED = 5  # characters an error names (a Chinese book in the Latin face lacks thousands)
NOTDEF = "\uffff"  # WeasyPrint maps glyph 0 to this non-character in every ToUnicode: not text


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


def check_fonts(subject: Subject) -> None:
    """Fail, naming characters and places, if any character is drawn by a font we do not ship or
    is missing from the shipped fonts (drawn as an empty box)."""
    book = subject.book
    families, covered = shipped_fonts(subject.theme)
    with pikepdf.open(io.BytesIO(subject.data)) as pdf:
        fonts = {}
        for page in pdf.pages:
            for key, font in (page.Resources.get("/Font") or {}).items():
                fonts[key] = font
        strays, foreign = {}, []
        for key, font in fonts.items():
            chars = drawn_characters(font)
            if not is_shipped(font_name(font), families):
                strays[key] = chars
                foreign.append(key)
            elif missing := "".join(c for c in chars if ord(c) not in covered and not c.isspace()):
                strays[key] = missing
        if not strays:
            return
        if foreign:  # a shipped font is on every page: its pages say nothing
            key = foreign[0]
            pages, name = pages_using(pdf, {key})[key], font_name(fonts[key])
    if foreign:
        listed = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in strays[key][:MAX_LISTED])
        on = f" on page {', '.join(map(str, pages[:MAX_LISTED]))}" if pages else ""
        raise CheckError(None, f"{listed} set in {name}{on}, a font the build does not ship",
                         "use only the fonts in styles/fonts/ and the packaged faces (the stylesheet that names it)",
                         code="missing-glyphs")
    raise missing_glyphs(book, "".join(dict.fromkeys("".join(strays.values()))), families)


def missing_glyphs(book, characters: str, families) -> CheckError:
    """The error for ``characters`` no face of the book has: how many, the first few with their
    file:line, the scripts they are in and the face (and the extra that installs it) that sets them."""
    places = [(c, locate(book, c)) for c in characters]
    order = [c.source for c in book.chapters] + [book.root / "book.toml"]  # where locate() looks, in that order
    places.sort(key=lambda item: (order.index(item[1].path), item[1].line or 0) if item[1] else (len(order), 0))
    listed = ", ".join(f"'{c}' (U+{ord(c):04X}{', ' + str(p) if p else ''})" for c, p in places[:MAX_LISTED])
    codes = Counter(scripts.script(c) for c in characters)
    named = ", ".join(scripts.script_name(code) for code, _ in codes.most_common())
    faces = {scripts.face_key(code, book.metadata.language) for code in codes} - {None}
    fix = ("install " + " and ".join(f"{scripts.FACES[k].family} ({scripts.FACES[k].install})" for k in sorted(faces))
           if faces - set(book.faces) else
           "add a font that has them to styles/fonts/ and styles/fonts.css, or replace them")
    more = f" and {len(characters) - MAX_LISTED} more" if len(characters) > MAX_LISTED else ""
    counted = f"{len(characters)} character{'s' * (len(characters) != 1)}"
    return CheckError(places[0][1], f"{counted} ({named}) missing from the book's fonts "
                      f"({', '.join(sorted(families))}): {listed}{more}", fix, code="missing-glyphs")
