"""Checks on finished PDFs, read back with pikepdf: what a print shop would call us back about.

A glyph missing from the shipped fonts is drawn by whatever font the system has (Pango falls back
silently), so the build reads the fonts actually used in the PDF and names every stray character.
"""

from __future__ import annotations

import io
import re

import pikepdf
from PIL import ImageFont

from .errors import CheckError
from .load import locate
from .model import Book
from .theme import Theme

FONT_FILES = ("*.ttf", "*.otf")


def shipped_families(theme: Theme) -> set[str]:
    """Family names of the fonts in styles/fonts/ (book folder and defaults)."""
    return {ImageFont.truetype(str(path), 10).getname()[0]
            for folder in theme.dirs("styles/fonts") for pattern in FONT_FILES for path in folder.glob(pattern)}


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
    return "".join(sorted({bytes.fromhex(t).decode("utf-16-be") for t in targets}))


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
    """Fail, naming characters and places, if any glyph comes from a font we do not ship."""
    families = shipped_families(theme)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        fonts = {}
        for page in pdf.pages:
            for key, font in (page.Resources.get("/Font") or {}).items():
                fonts[key] = font
        strangers = {key: font for key, font in fonts.items() if not is_shipped(font_name(font), families)}
        if not strangers:
            return
        pages = pages_using(pdf, set(strangers))
        problems, first_place = [], None
        for key, font in strangers.items():
            chars = drawn_characters(font)
            places = [locate(book, c) for c in chars]
            first_place = first_place or next((p for p in places if p), None)
            listed = ", ".join(f"'{c}' (U+{ord(c):04X}{', ' + str(p) if p else ''})" for c, p in zip(chars, places))
            on = f" on page {', '.join(map(str, pages[key]))}" if pages[key] else ""
            problems.append(f"{listed} set in {font_name(font)}{on}")
    raise CheckError(first_place, f"characters missing from the shipped fonts ({', '.join(sorted(families))}): "
                     + "; ".join(problems),
                     "replace them, or add a font that has them to styles/fonts/ and styles/fonts.css")
