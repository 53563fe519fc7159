"""Writing systems and the faces that set them.

The shipped face, Charis SIL, sets Latin, Cyrillic and Greek. A book whose text has Chinese,
Japanese or Arabic characters is set in a second face as well: an OFL face from a Python package
that an optional extra of this package installs (``pip install 'bookbuilder[zh-hans]'``). Not in the
base wheel: a CJK serif is 8 to 12 MB for one weight, and a book in English should not download
four of them. An extra rather than a download at first use, because pip is already how the tool is
set up, it checks the wheel's RECORD hashes as it installs, and the build then never needs the
network; the build also checks each file's SHA-256 below before it lays out with it, so a package
that changed under the same version is refused, not used.

Which face: a character's script (fontTools' Unicode data, ISO 15924) and, for Han characters,
the book's language (Simplified, Traditional or Japanese forms). No Korean serif is packaged on PyPI:
a Korean book adds its own face to styles/fonts/ (the missing-glyph error says so).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .errors import ResourceError
from .manuscript.labels import HAN_LANGUAGES, table_name

# A CJK face has some 30,000 glyphs: Noto Serif SC is 11.6 MB, a collection of all its regions 26 MB.
# The limit on a book's own fonts (inputs.LIMITS["fonts"], 20 MB) stays; the packaged faces, whose
# hashes are known, may be as large as this.
SCRIPT_FACE_BYTES = 32 * 1024 * 1024
COMMON = frozenset({"Zyyy", "Zinh", "Zzzz"})  # punctuation, digits, marks: in every script's text


@dataclass(frozen=True)
class FaceFile:
    name: str  # its file name in the package, which the stylesheet's url() names under fonts/
    sha256: str


@dataclass(frozen=True)
class Face:
    key: str  # the writing system it sets (ISO 15924, with Hans/Hant/Jpan for the forms of Han)
    family: str
    extra: str  # pip install 'bookbuilder[<extra>]'
    package: str  # the module the extra installs
    folder: str  # its fonts' folder inside the package
    files: tuple[FaceFile, ...]
    languages: str  # what it sets, for the messages

    @property
    def stylesheet(self) -> str:
        """Its @font-face rules and what the book's language sets in it (the theme's file)."""
        return f"styles/scripts/{self.key}.css"

    @property
    def install(self) -> str:
        return f"pip install 'bookbuilder[{self.extra}]'"


FACES = {face.key: face for face in (
    Face("Hans", "Noto Serif SC", "zh-hans", "pylopdf_fonts_zh_cn", "",
         (FaceFile("NotoSerifSC-Regular.otf", "e8f396decc1f0963a016a989c3d8852e863d1350996f573860a80767c83a1cd3"),),
         "Simplified Chinese"),
    Face("Hant", "Noto Serif TC", "zh-hant", "pylopdf_fonts_zh_tw", "",
         (FaceFile("NotoSerifTC-Regular.otf", "63515eb0622d589a2f4062e8757c598b3da3bffd053f69abd181c210158ef10c"),),
         "Traditional Chinese"),
    Face("Jpan", "Noto Serif JP", "ja", "pylopdf_fonts_jp", "",
         (FaceFile("NotoSerifJP-Regular.otf", "2c9a12dbd4f2408c4610c7ee84a108b62d7236c3775baed618c64d9cb44b2f04"),),
         "Japanese"),
    Face("Arab", "Amiri", "ar", "fontpkg_amiri", "files",
         (FaceFile("Amiri-Regular.ttf", "ab391c4147d054c48976e98322ad0eefe1427aa0e0502a12a4c75d80a70cfcd7"),
          FaceFile("Amiri-Italic.ttf", "770e4da44d0459c0ddd6484483d475b95f2d088dd27ce472427624081eb68c70"),
          FaceFile("Amiri-Bold.ttf", "cfccb794268e7d573d857e6d6a67f89cf8a053e8ffd85dfa0c8ec1bb36fc4827"),
          FaceFile("Amiri-BoldItalic.ttf", "241300e2dcb2c541ac3617872960d99683d261e4f526dc4691d0727e7bef130b")),
         "Arabic, Persian and Urdu"),
)}
JAPANESE_KANA = frozenset({"Hira", "Kana"})


def script(character: str) -> str:
    """ISO 15924 code of ``character``: 'Hani', 'Arab', 'Latn', 'Zyyy' (common) …"""
    from fontTools import unicodedata  # 15 ms, which a build whose cache serves everything does without

    return unicodedata.script(character)


def script_name(code: str) -> str:
    from fontTools import unicodedata

    return {"Hans": "Han (Simplified)", "Hant": "Han (Traditional)", "Jpan": "Japanese"}.get(
        code, unicodedata.script_name(code, default=code))


def han_form(language: str) -> str:
    """Which forms of Han characters a book in ``language`` prints: 'Hans', 'Hant' or 'Jpan' (the
    label table that serves it tells Traditional Chinese from Simplified)."""
    return {"zh-Hant": "Hant", "ja": "Jpan"}.get(table_name(language), "Hans")


def face_key(code: str, language: str) -> str | None:
    """The FACES key of the face that sets script ``code`` in a book in ``language``; None where the
    shipped face sets it, or no face is packaged for it."""
    if code in ("Hani", "Bopo"):
        return han_form(language)
    if code in JAPANESE_KANA:
        return "Jpan"
    return code if code in FACES else None


def scripts_of(text: str) -> Counter:
    """Script code -> how many characters of ``text`` are in it (common characters left out)."""
    counts: Counter = Counter()
    for character, n in Counter(text).items():
        code = script(character)
        if code not in COMMON:
            counts[code] += n
    return counts


def faces_for(text: str, language: str) -> tuple[str, ...]:
    """The FACES keys a book in ``language`` whose printed text is ``text`` is set in, besides
    Charis SIL: its language's own, and those of the scripts it quotes."""
    wanted = {face_key(script(character), language) for character in set(text)}
    return tuple(sorted(key for key in wanted if key))


@functools.lru_cache(maxsize=None)
def installed(key: str) -> Path | None:
    """The folder of face ``key``'s files if its extra is installed, else None."""
    face = FACES[key]
    spec = importlib.util.find_spec(face.package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / face.folder


def face_files(keys: tuple[str, ...]) -> dict[str, Path]:
    """File name -> path of every file of the installed faces of ``keys``, each checked by size and
    SHA-256 (a file that is not the one pinned here is the book's error)."""
    return {file.name: verified(installed(key) / file.name, file.sha256, FACES[key])
            for key in keys if installed(key) for file in FACES[key].files}


def require_faces(keys: tuple[str, ...]) -> None:
    """Stop, saying what to install, when a face the PDFs need is not installed."""
    for key in keys:
        if installed(key) is None:
            face = FACES[key]
            raise ResourceError(None, f"the book has {face.languages} text, set in {face.family}, which is not "
                                "installed", f"install it once ({face.install}; about 10 MB, from PyPI) and build "
                                "again (every output needs it: the EPUB's page list and cover come from the print edition)",
                                code="missing-face")


@functools.lru_cache(maxsize=None)
def verified(path: Path, sha256: str, face: Face) -> Path:
    """``path``, once its size and SHA-256 are what this module pins (read once per process)."""
    data = path.read_bytes() if path.is_file() and path.stat().st_size <= SCRIPT_FACE_BYTES else b""
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ResourceError(path, f"this file of {face.family} is not the one the tool was made with",
                            f"reinstall it: pip install --force-reinstall 'bookbuilder[{face.extra}]'",
                            code="missing-face")
    return path


CJK = ("zh", "ja", "ko")  # languages written without spaces between words, in ideographs and syllables
CJK_STYLES = "styles/scripts/cjk.css"  # their typesetting: indents, emphasis, no hyphenation
RTL_STYLES = "styles/scripts/rtl.css"  # a right-to-left book's running heads and cover, in the PDFs


def is_cjk(language: str) -> bool:
    return primary(language) in CJK


def on_grid(language: str) -> bool:
    """Is text in ``language`` set on a grid of characters, justified by the space between them
    (typeset/grid.py)? Chinese and Japanese; Korean spaces its words."""
    return primary(language) in HAN_LANGUAGES


def primary(language: str) -> str:
    return language.lower().replace("_", "-").split("-")[0]


def script_styles(faces: tuple[str, ...], language: str, direction: str, pdf: bool) -> tuple[str, ...]:
    """The stylesheets a book's scripts add after a format's own: its packaged faces' (in the PDFs,
    which embed them), its language's typesetting, and in the PDFs of a right-to-left book the
    mirrored page furniture."""
    return (*(FACES[key].stylesheet for key in faces if pdf), *((CJK_STYLES,) if is_cjk(language) else ()),
            *((RTL_STYLES,) if pdf and direction == "rtl" else ()))


# A language's script (CLDR's likely subtags) -> the scripts its characters are in.
WRITTEN_IN = {"Hans": {"Hani"}, "Hant": {"Hani"}, "Jpan": {"Hani", "Hira", "Kana"}, "Kore": {"Hang", "Hani"}}
MOSTLY = 0.5  # a chapter more than half of whose letters are in another script is in another language


def language_script(language: str) -> str | None:
    """ISO 15924 code of the script ``language`` is written in: its own script subtag, else CLDR's
    likeliest ('kk' -> 'Cyrl', 'zh-TW' -> 'Hant'); None for a tag CLDR does not know."""
    from babel.core import get_global

    subtags = language.replace("_", "-").split("-")
    given = next((s.title() for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if given:
        return given
    likely = get_global("likely_subtags")
    full = likely.get("_".join(subtags[:1] + [s.upper() for s in subtags[1:2]])) or likely.get(subtags[0].lower())
    return next((part for part in (full or "").split("_")[1:] if len(part) == 4), None)


def foreign_script(text: str, language: str) -> tuple[str, int, int] | None:
    """(script code, its letters, all letters) when most of ``text``'s letters are in a script
    ``language`` is not written in; None when they are, or it cannot be told."""
    expected = language_script(language)
    counts = scripts_of(text)
    letters = sum(counts.values())
    if not expected or not letters:
        return None
    code, most = counts.most_common(1)[0]
    if code in WRITTEN_IN.get(expected, {expected}) or most <= letters * MOSTLY:
        return None
    return code, most, letters
