"""The build's font guard: every character a PDF draws is set in a shipped face and has a glyph in it.

Pango draws a character the shipped faces lack as an empty box (with the private font configuration
no other face can stand in), and a book's own stylesheet may name a font that is not shipped; both
stay silent in the layout, so the finished PDF is read back: every character it draws, and the
font it draws it with, and each character that is not right is named with its line and page.
"""

from __future__ import annotations

import io
import re

import pikepdf

from ..errors import CheckError
from ..manuscript.load import locate
from ..render.faces import shipped_fonts
from . import Subject

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
        problems, located = [], []
        for key, chars in strays.items():
            font = fonts[key]
            places = [locate(book, c) for c in chars]
            located += [p for p in places if p]
            listed = ", ".join(f"'{c}' (U+{ord(c):04X}{', ' + str(p) if p else ''})" for c, p in zip(chars, places))
            on = f" on page {', '.join(map(str, pages[key]))}" if pages.get(key) else ""
            drawn = f"set in {font_name(font)}{on}" if key in foreign else "printed as empty boxes"
            problems.append(f"{listed} {drawn}")
    order = [c.source for c in book.chapters] + [book.root / "book.toml"]  # where locate() looks, in that order
    first_place = min(located, key=lambda p: (order.index(p.path), p.line or 0), default=None)
    raise CheckError(first_place, f"characters missing from the shipped fonts ({', '.join(sorted(families))}): "
                     + "; ".join(problems),
                     "replace them, or add a font that has them to styles/fonts/ and styles/fonts.css",
                     code="missing-glyphs")
