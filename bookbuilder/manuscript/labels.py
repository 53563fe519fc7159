"""The words the tool itself prints, in the book's language, and chapter labels.

One table per language in bookbuilder/locales/ (TOML, English the reference: every other table has
its keys); book.toml's `language` picks it (`zh-TW` and `zh-Hant` the Traditional Chinese table,
`zh` the Simplified), and book.toml's [labels] replaces any entry. A language without a table, or a
table without an entry, falls back to English, and the build warns once, naming what is missing.
Babel's CLDR data gives plural rules and list patterns ("a, b and c", "a、b和c"); a book's labels
are plain words with `{name}` fields only, filled here (str.format would follow `{x.attr}`).
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import roman

LOCALES = Path(__file__).parents[1] / "locales"  # package data beside the code
REFERENCE = "en"
FIELD = re.compile(r"\{(\w+)\}")
NUMBER_WORDS = ("", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten", "Eleven",
                "Twelve", "Thirteen", "Fourteen", "Fifteen", "Sixteen", "Seventeen", "Eighteen", "Nineteen")
TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
HAN_DIGITS = "〇一二三四五六七八九"
HAN_UNITS = ((1000, "千"), (100, "百"), (10, "十"))
HAN_LANGUAGES = ("zh", "ja")  # chapter_labels = "words": the number in Chinese numerals (第三章)


@functools.cache
def table(name: str) -> dict:
    with (LOCALES / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def shipped() -> list[str]:
    """The languages with a table of their own."""
    return sorted(p.stem for p in LOCALES.glob("*.toml"))


def table_name(language: str) -> str | None:
    """book.toml's language tag -> the table that serves it: the language's, Chinese by script."""
    subtags = language.split("-")
    primary = subtags[0].lower()
    if primary == "zh":
        traditional = any(s.lower() == "hant" for s in subtags) or any(s.upper() in ("TW", "HK", "MO") for s in subtags)
        return "zh-Hant" if traditional else "zh-Hans"
    return primary if (LOCALES / f"{primary}.toml").is_file() else None


def fields(key: str) -> set[str]:
    """The fields the build fills in a label (those of the English entry)."""
    return set(FIELD.findall(table(REFERENCE)[key]))


def filled(text: str, **values) -> str:
    """``text`` with its ``{name}`` fields filled from ``values``."""
    return FIELD.sub(lambda m: str(values[m[1]]), text)


@functools.cache
def cldr_locale(tag: str):
    """Babel's locale for a language tag, or None (imported here: a book that needs no plural, list
    or direction from CLDR pays nothing for it)."""
    from babel import Locale, UnknownLocaleError
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


@dataclass(frozen=True)
class Labels:
    language: str  # the book's tag
    name: str  # the table used ('en' when the language has none)
    words: dict[str, str]
    summary: dict
    missing: tuple[str, ...]  # entries taken from English
    script: dict  # how the language is written: direction, quotation marks, spaces between sentences
    own: bool  # the language has a table of its own (its script entries are its own)

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def fill(self, key: str, **values) -> str:
        return filled(self.words[key], **values)

    def said(self, key: str, **values) -> str:
        """An entry of the accessibility summary, filled."""
        return filled(self.summary[key], **values)

    def counted(self, key: str, n: int) -> str:
        """A summary entry for ``n`` things, in the plural form the language uses for it."""
        forms = self.summary[key]
        return filled(forms.get(self.locale.plural_form(n), forms["other"]), n=n)

    def joined(self, items: list[str]) -> str:
        """'Ada, Bo and Cy' as the language writes a list."""
        if len(items) < 2:
            return "".join(items)
        from babel.lists import format_list
        return format_list(items, locale=self.locale)

    @property
    def locale(self):
        return cldr_locale(self.language) or cldr_locale(self.name)

    @property
    def quotes(self) -> tuple[str, ...]:
        """Outer opening and closing, inner opening and closing quotation marks."""
        return tuple(self.script["quotes"])

    @property
    def direction(self) -> str:
        """'rtl' for a language written right to left: its table says; a language without one by
        CLDR's character order (Hebrew, Persian, Urdu …)."""
        if self.own:
            return self.script["direction"]
        locale = cldr_locale(self.language)
        return "rtl" if locale and locale.character_order == "right-to-left" else "ltr"

    @property
    def sentence_space(self) -> str:
        return " " if self.script["spaced"] else ""


@functools.cache
def _labels(language: str, overrides: tuple[tuple[str, str], ...]) -> Labels:
    name = table_name(language)
    own = table(name) if name else {}
    reference = table(REFERENCE)
    words = {k: v for k, v in reference.items() if isinstance(v, str)}
    missing = [k for k in words if k not in own]
    words.update({k: v for k, v in own.items() if isinstance(v, str)})
    words.update(overrides)
    summary = {**reference["summary"], **own.get("summary", {})}
    missing += [f"summary.{k}" for k in reference["summary"] if k not in own.get("summary", {})]
    return Labels(language, name or REFERENCE, words, summary,
                  tuple(k for k in missing if k.removeprefix("summary.") not in dict(overrides)),
                  {**reference["script"], **own.get("script", {})}, bool(own))


def labels_for(language: str, overrides: dict[str, str] | None = None) -> Labels:
    return _labels(language, tuple(sorted((overrides or {}).items())))


ENGLISH = labels_for(REFERENCE)  # what a caller that names no language gets (tests, the preview's problems)


def in_words(n: int) -> str:
    """1 -> 'One', 42 -> 'Forty-Two', 101 -> 'One Hundred and One' (chapter labels: up to 999)."""
    if n >= 100:
        rest = in_words(n % 100)
        return f"{NUMBER_WORDS[n // 100]} Hundred" + (f" and {rest}" if rest else "")
    if n < 20:
        return NUMBER_WORDS[n]
    return TENS[n // 10] + (f"-{NUMBER_WORDS[n % 10]}" if n % 10 else "")


def in_han(n: int) -> str:
    """3 -> '三', 10 -> '十', 24 -> '二十四', 105 -> '一百〇五' (chapter labels in Chinese and Japanese)."""
    out, rest, zero = "", n, False
    for unit, sign in HAN_UNITS:
        digit, rest = divmod(rest, unit)
        if digit:
            out += ("〇" if zero else "") + ("" if digit == 1 and unit == 10 and not out else HAN_DIGITS[digit]) + sign
            zero = False
        elif out:
            zero = True
    return out + (("〇" if zero else "") + HAN_DIGITS[rest] if rest else "") or HAN_DIGITS[0]


def numeral(number: int, style: str, labels: Labels) -> str:
    """A chapter's number as book.toml [structure] chapter_labels asks: arabic, roman, or in words (in
    English; Chinese numerals for Chinese and Japanese; other languages have no words here: arabic)."""
    if style == "roman":
        return roman.toRoman(number)
    if style == "words":
        if labels.language.split("-")[0].lower() in HAN_LANGUAGES:
            return in_han(number)
        if labels.name == REFERENCE:
            return in_words(number)
    return str(number)


def chapter_label(number: int | None, style: str, labels: Labels | None = None) -> str:
    """'Chapter 3', 'Chapter III', 'Chapter Three', '第三章', 'Глава 3', or '' (none, or unnumbered)."""
    if not number or style == "none":
        return ""
    labels = labels or ENGLISH
    return labels.fill("chapter", number=numeral(number, style, labels))
