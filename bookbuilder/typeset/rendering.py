"""Every WeasyPrint layout of the stage goes through render(), counted by why: the counts the build
reports and the tests bound (issue 21: a feature that multiplies layouts fails the suite)."""

from __future__ import annotations

from collections import Counter

from .weasy import font_configuration

RENDERS: Counter = Counter()  # why -> WeasyPrint layouts run in this process, for the build's counts


def render(source, why: str):
    """``source`` laid out by WeasyPrint, counted under ``why`` (RENDERS)."""
    RENDERS[why] += 1
    return source.render(font_config=font_configuration())
