"""Typography the author does not type, in the manner of Standard Ebooks. Pure: text in, text out.

markdown-it's typographer has already made quotes curly and turned ``--``, ``---`` and ``...`` into
dashes and the ellipsis. This finishes the job: em dashes set closed, elisions with an apostrophe,
and no-break spaces where a line break would mislead a reader ("9 / billion", "No. / 5").
markup.py hands it running text only, never code, URLs or attribute values.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
# Between Han or kana and a Latin word or number, a quarter em (W3C clreq 3.2.4): a plain space, which
# is a quarter em in the CJK faces and is stretched with the others when a line is justified.
CJK_GAP = " "
IDEOGRAPHIC = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # kana and Han characters
LATIN = "A-Za-z0-9\u00c0-\u024f"
# Words that measure the number before them: a break between "9" and "billion" reads as two things.
UNITS = ("thousand", "million", "billion", "trillion", "percent", "per cent", "%", "‰", "°C", "°F", "°",
         "km²", "km/h", "km", "m²", "m³", "m", "cm", "mm", "kg", "g", "mg", "t", "ha", "l", "ml",
         "kW", "kWh", "MW", "GW", "Hz", "kHz", "MHz", "GHz", "mph", "a.m.", "p.m.")
# Abbreviations that stand before a number ("No. 5", "p. 23") or a name ("Mr. Smith").
BEFORE_NUMBERS = ("No", "Nos", "no", "nos", "p", "pp", "vol", "Vol", "art", "Art", "fig", "Fig", "ch", "Ch")
HONORIFICS = ("Mr", "Mrs", "Ms", "Dr", "Prof", "St")


def alternatives(words) -> str:
    """A regex alternation of ``words``, longest first so 'km²' wins over 'km' and 'm'."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


RULES = (
    # a dash between numbers is a range: en dash, closed ("1992–2022")
    (re.compile(r"(?<=\d) +[–—-] +(?=\d)"), "–"),
    # a number and its unit or scale ("9 billion", "30 km", "5 p.m.")
    (re.compile(rf"(?<=\d) (?=(?:{alternatives(UNITS)})(?![\w²³]))"), NBSP),
    # an abbreviation and the number it introduces ("No. 5"), a title and the name ("Dr. Ng")
    (re.compile(rf"\b((?:{alternatives(BEFORE_NUMBERS)})\.) (?=\d)"), rf"\1{NBSP}"),
    (re.compile(rf"\b((?:{alternatives(HONORIFICS)})\.) (?=[A-Z])"), rf"\1{NBSP}"),
    # an initialism and the sum that follows ("U.S. $9 billion")
    (re.compile(r"\b((?:[A-Z]\.){2,}) (?=[$€£¥]?\d)"), rf"\1{NBSP}"),
    # a currency symbol set apart from its number ("$ 9")
    (re.compile(r"(?<=[$€£¥]) (?=\d)"), NBSP),
    # an elision before a decade or year is an apostrophe, not an opening quote ("’90s"): markdown-it
    # makes it one when a closing quote follows in the paragraph, else leaves it straight
    (re.compile(r"[‘'](?=\d\d(?:s\b|\b))"), "’"),
    # a Latin word or number in Chinese or Japanese text stands a quarter em apart, typed or not
    # ("在2022年" -> "在 2022 年")
    (re.compile(rf"(?<=[{IDEOGRAPHIC}]) *(?=[{LATIN}])|(?<=[{LATIN}]) *(?=[{IDEOGRAPHIC}])"), CJK_GAP),
)


# How the language sets a dash between words (its label table's [script] dash): English closed
# ("word—word"); French, German, Russian, Kazakh … spaced, never starting a line ("word — word").
# Either way a spaced hyphen between words is a typed dash. (A spaced en dash is a house style of its
# own, and is left as written.)
DASHES = {
    "closed": (re.compile(r"(?<=\S) *— *(?=\S)|(?<=\S) +- +(?=\S)"), "—"),
    "spaced": (re.compile(r"(?<=\S) +[—-] +(?=\S)"), f"{NBSP}— "),
}


def refine(text: str, dash: str = "closed") -> str:
    """``text`` with the language's dashes, elision apostrophes and no-break spaces applied."""
    for pattern, replacement in (RULES[0], DASHES[dash], *RULES[1:]):  # a range first: "1992 - 2022" is no dash
        text = pattern.sub(replacement, text)
    return text
