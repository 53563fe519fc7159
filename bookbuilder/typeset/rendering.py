"""Every WeasyPrint layout of the stage goes through render(), counted by why: the counts the build
reports and the tests bound (issue 21: a feature that multiplies layouts fails the suite)."""

from __future__ import annotations

import weakref
from collections import Counter

from .weasy import font_configuration

FONTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # document (WeasyPrint HTML) -> its font configuration
RENDERS: Counter = Counter()  # why -> WeasyPrint layouts run in this process, for the build's counts


def render(source, why: str):
    """``source`` laid out by WeasyPrint, counted under ``why`` (RENDERS). Every layout of one
    document (composition lays it out again and again) shares one font configuration: the same
    @font-face rules, so each face is loaded once, not once a layout."""
    RENDERS[why] += 1
    if source not in FONTS:
        FONTS[source] = font_configuration()
    return source.render(font_config=FONTS[source])
