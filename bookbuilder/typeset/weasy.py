"""WeasyPrint, imported here only, laid out with a font configuration of our own.

Pango finds fonts through fontconfig, and fontconfig reads the machine's configuration: the system
fonts, the user's ~/.local/share/fonts, fallback faces for characters a font lacks. Any of them
would change the PDFs (a user copy of the book face gave the print PDF a new font; a fallback face
hid a missing character). fonts.conf lists no folder, so the only faces are the theme's @font-face
rules; a character they lack prints as a box, and check.py names it with its file and line.
"""

from __future__ import annotations

import contextlib
import os
import warnings
from pathlib import Path

from ..errors import SetupError

FONTS_CONF = Path(__file__).with_name("fonts.conf")
FONTCONFIG_VARIABLES = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT")
HARFBUZZ_SUBSET = "libharfbuzz-subset0"  # Debian's package of the library WeasyPrint subsets fonts with


@contextlib.contextmanager
def private_fontconfig():
    """fontconfig reads FONTCONFIG_FILE when a configuration is loaded (WeasyPrint loads one at import
    and one per layout); the variable is ours only meanwhile, so programs we start (Java, a browser)
    see the machine's own fonts."""
    saved = {name: os.environ.pop(name, None) for name in FONTCONFIG_VARIABLES}
    os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)
    try:
        yield
    finally:
        for name, value in saved.items():
            os.environ.pop(name, None)
            if value is not None:
                os.environ[name] = value


with private_fontconfig(), warnings.catch_warnings():
    # With no font folder WeasyPrint warns "No fonts configured": that is the point. Without
    # HarfBuzz-subset it warns of the future; require_harfbuzz_subset says what to install.
    warnings.filterwarnings("ignore", "No fonts configured", UserWarning)
    warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
    from weasyprint import CSS, HTML, Document
    from weasyprint import __version__ as VERSION
    from weasyprint import css as css_module
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import (
        FootnoteAreaBox,
        LineBox,
        MarginBox,
        ReplacedBox,
        TableBox,
        TextBox,
    )
    from weasyprint.text.ffi import ffi, fontconfig, harfbuzz, harfbuzz_subset, pango
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

# What pdf.py lays out and reads back with: every other module reaches WeasyPrint through these.
__all__ = [
    "CSS",
    "HTML",
    "VERSION",
    "CounterStyle",
    "Document",
    "FatalURLFetchingError",
    "FootnoteAreaBox",
    "LineBox",
    "MarginBox",
    "Page",
    "ReplacedBox",
    "TableBox",
    "TextBox",
    "URLFetcher",
    "URLFetcherResponse",
    "css_module",
    "font_configuration",
    "require_harfbuzz_subset",
]


def font_configuration() -> FontConfiguration:
    """A new configuration for one layout: no font but the @font-face faces the stylesheets add."""
    with private_fontconfig():
        return FontConfiguration()


def has_harfbuzz_subset() -> bool:
    """WeasyPrint subsets fonts with HarfBuzz-subset (4.1 or later) when it can, else with fontTools,
    which gives other bytes and is going away: the build requires the library."""
    return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))


def require_harfbuzz_subset() -> None:
    if not has_harfbuzz_subset():
        raise SetupError(None, "WeasyPrint needs the HarfBuzz-subset library (4.1 or later) to embed fonts",
                         f"install it (Debian: apt-get install {HARFBUZZ_SUBSET}); 'make-book doctor' "
                         "checks the machine", code="no-harfbuzz-subset")


def pango_version() -> str:
    number = pango.pango_version()  # 15012 for 1.50.12
    return f"{number // 10000}.{number // 100 % 100}.{number % 100}"


def visible_system_fonts() -> int:
    """Faces fontconfig offers a layout besides the @font-face ones: none, with fonts.conf."""
    fonts = fontconfig.FcConfigGetFonts(font_configuration()._config, fontconfig.FcSetSystem)
    return 0 if fonts == ffi.NULL else fonts.nfont
