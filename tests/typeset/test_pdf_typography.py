"""The PDFs' typography read back from the pages: where words break."""

from __future__ import annotations

import functools
import itertools
import random
import re

import pyphen
import pytest
from pdflines import FOLIO, pages

from bookbuilder.pipeline import build

HYPHEN = "\u2010"  # what WeasyPrint adds where it hyphenates
TITLE = "Breaks"
NAMES = ("Astana", "Shaymergenov", "Kazakhstan", "Timur")  # a contributor's and book.toml's no_hyphenate
FILLERS = ("the", "an old", "its own", "a new", "every", "our", "this small", "that great", "each", "of")
WORDS = ("foundation", "authoritative", "civilizational", *NAMES)
KEPT = 'no_hyphenate = ["Astana", "Kazakhstan"]'  # book.toml [typography]
# the names with their own break points instead: the contributor's too
BREAK_POINTS = {"Kazakhstan": {"Kaz", "Kazakh"}, "Shaymergenov": {"Shay", "Shaymer", "Shaymerge"}}
GIVEN = 'no_hyphenate = ["Astana"]\nhyphenate = ["Kaz-akh-stan", "Shay-mer-ge-nov"]'


def breaks_text() -> str:
    """Twenty-four paragraphs of the words in changing company and order (seeded), so that lines end at
    many places."""
    paragraphs = []
    for n in range(24):
        pairs = list(itertools.product(FILLERS, WORDS))
        random.Random(n).shuffle(pairs)
        text = " ".join(f"{f} {w}" for f, w in pairs[:12 + n % 7])
        paragraphs.append(text[0].upper() + text[1:] + ".")
    return "\n\n".join(paragraphs)


def broken_words(pdf) -> list[tuple[str, str]]:
    """(part before the break, the word made whole) for every hyphenated line end, over pages too
    (folios and the running head, the title, left out). In a compound ('China-Kaza‐khstan') the
    word is the one broken ('Kazakhstan'), without what follows it ('’s', punctuation)."""
    lines = [line for page in pages(pdf) for line in page if not FOLIO.fullmatch(line.text) and line.text != TITLE]
    broken = []
    for line, after in zip(lines, lines[1:]):
        if line.text.endswith(HYPHEN):
            part = re.split(r"[-\u2010]", line.words[-1].text[:-1])[-1]
            broken.append((part, part + re.split(r"[^\w]", after.words[0].text)[0]))
    return broken


@pytest.fixture(scope="module")
def narrow_books(tmp_path_factory):
    """narrow_books(name, edition): the text on a 4.5 x 6 in page, as 'en' and as 'en-GB' ("en",
    "en-GB"), and as 'en' with break points given for two names ("given"), laid out in ``edition``
    when first asked for."""
    languages = {"en": ("en", KEPT), "en-GB": ("en-GB", KEPT), "given": ("en", GIVEN)}

    @functools.cache
    def narrow(name: str, edition: str):
        language, typography = languages[name]
        book = tmp_path_factory.mktemp(name) / "book"
        book.mkdir()
        (book / "one.md").write_text(f"---\ntitle: Breaks\n---\n\n{breaks_text()}\n", encoding="utf-8")
        (book / "book.toml").write_text(
            f'[book]\ntitle = "{TITLE}"\nlanguage = "{language}"\nidentifier = "urn:uuid:00000000-0000-4000-8000-000000000014"\n'
            'date = 2024-01-31\nchapters = ["one.md"]\n\n[[book.contributors]]\nname = "Timur Shaymergenov"\n'
            f'role = "interviewee"\n\n[output]\ntrim = "4.5in 6in"\n\n[typography]\n{typography}\n', encoding="utf-8")
        return build(book, [edition], book / "out")[0].path
    return narrow


@pytest.mark.slow  # two more layouts of a narrow book
@pytest.mark.parametrize("output", ["print", "handout"])
def test_names_are_never_hyphenated(narrow_books, output):
    broken = broken_words(narrow_books("en", output))
    assert len(broken) >= 5  # the text does hyphenate
    assert not [whole for _, whole in broken if whole in NAMES]


def test_names_given_with_break_points_break_there_only(narrow_books):
    # in print: the handout, set ragged, has no need to break them (its markup: test_hyphenation.py)
    broken = broken_words(narrow_books("given", "print"))
    parts = {whole: {p for p, w in broken if w == whole} for whole in BREAK_POINTS}
    assert all(parts.values()) and all(parts[w] <= BREAK_POINTS[w] for w in BREAK_POINTS), parts
    assert not [whole for _, whole in broken if whole in ("Astana", "Timur")]  # still kept whole


def allowed(dictionary: str) -> set[tuple[str, str]]:
    """(part before the break, word) for every break pyphen's ``dictionary`` allows in WORDS."""
    hyphenator = pyphen.Pyphen(lang=dictionary)
    return {(word[:n], word) for word in WORDS for n in hyphenator.positions(word.lower())}


def test_en_breaks_by_the_american_dictionary_en_gb_by_the_british(narrow_books):
    american, british = allowed("en_US"), allowed("en_GB")
    assert ("authorita", "authoritative") in american - british  # the dictionaries differ here
    for language, rules, other in (("en", american, british), ("en-GB", british, american)):
        breaks = {(part, whole) for part, whole in broken_words(narrow_books(language, "print"))
                  if whole in WORDS[:3]}
        assert breaks <= rules and breaks - other, (language, breaks)


def test_the_cover_blurb_is_not_hyphenated(built):
    lines = [line.text for page in pages(built["cover"]) for line in page]
    assert any(text.startswith("Thirty years after Kazakhstan") for text in lines)  # the blurb, set in lines
    assert not [text for text in lines if text.endswith(HYPHEN)]


@pytest.mark.parametrize("output", ["print", "handout"])
def test_the_default_books_names_stay_whole(built, output):
    # book/book.toml's no_hyphenate and the contributors: the dictionary would give "Kaza-khstan"
    names = {"Kazakhstan", "Astana", "Timur", "Shaymergenov", "Zhang", "Shuo"}
    broken = broken_words(built[output])
    assert broken and not [whole for _, whole in broken if whole in names]
