"""Hyphenation in the PDFs: which dictionary a language tag selects, and the words never broken.

WeasyPrint hyphenates with pyphen, chosen by the element's language. pyphen reads a bare ``en``
as British English (hyph_en_GB), which breaks American spellings where no American dictionary
would ("found-ation", "authoritat-ive"); a book that says only ``en`` is hyphenated as ``en-US``.
A tag with a region (``en-GB``, ``en-US``) is used as it is.

Proper names are not in the dictionaries, so their breaks are guesses ("As-tana"): every word of a
contributor's name and of book.toml's ``[typography] no_hyphenate`` is wrapped in a span the
stylesheets set ``hyphens: manual``, and so is the last word of a caption, so that no caption
ends on a lone syllable, and every run of LONG_RUN characters or more without a space: such a
run is a URL, an identifier or a hostile string, where an added hyphen misreads, and WeasyPrint
tries each break point pyphen finds in it by laying the line out again (a 2,000-character word
took 37 s to set). A word of ``[typography] hyphenate`` ("Shay-mer-ge-nov") is wrapped so
too, with a soft hyphen at each of its break points: it breaks there and nowhere else.
"""

from __future__ import annotations

import re

from lxml import etree

from ..vocabulary import XHTML

DEFAULT_REGIONS = {"en": "en-US"}  # language -> the tag hyphenated when a book gives no region
REGION = re.compile(r"^([a-z]{2}|\d{3})$", re.IGNORECASE)  # a BCP 47 region subtag
UNBROKEN = "unbroken"  # the class of a word kept whole (print.css, handout.css)
CAPTIONS = {f"{{{XHTML}}}figcaption", f"{{{XHTML}}}caption"}
CREDIT = "credit"  # a figure caption's credit line stands apart from the caption's last line
LAST_WORD = re.compile(r"\S+\s*$")
LONG_RUN = 40  # characters without a space; longer than the dictionary words of pyphen's languages
LONG = re.compile(rf"\S{{{LONG_RUN},}}")
SOFT_HYPHEN = "\u00ad"  # a break point WeasyPrint takes under hyphens: manual, drawing a hyphen there


def hyphenation_language(tag: str) -> str:
    """The language tag the PDFs hyphenate ``tag`` by: 'en' -> 'en-US', 'en-GB' -> 'en-GB'."""
    language, *rest = tag.split("-")
    if any(REGION.match(subtag) for subtag in rest):
        return tag
    return DEFAULT_REGIONS.get(language.lower(), tag)


def name_words(names) -> tuple[str, ...]:
    """The words of ``names`` a hyphenation would break: those that start with a capital (not the
    particles of 'Duke of York'), longest first so that a longer word is matched before its start."""
    words = {word.strip(",.;:()") for name in names for word in name.split()}
    return tuple(sorted((w for w in words if w[:1].isupper()), key=lambda w: (-len(w), w)))


def kept_words(names, break_points) -> tuple[str, ...]:
    """The words the PDFs keep from their hyphenation dictionary: those of ``names`` (name_words) and
    ``break_points`` ('Shay-mer-ge-nov'), these spelled with soft hyphens at their breaks; longest first."""
    spelled = {word.replace("-", ""): word.replace("-", SOFT_HYPHEN) for word in break_points}
    words = {**dict.fromkeys(name_words(names)), **spelled}
    return tuple(sorted((spelled.get(w, w) for w in words), key=lambda w: (-len(w.replace(SOFT_HYPHEN, "")), w)))


def keep_whole(root: etree._Element, words: tuple[str, ...]) -> None:
    """Wrap each of ``words`` in the text of ``root``, each run of LONG_RUN characters without a
    space, and the last word of every caption, in a span of class UNBROKEN; a word given with soft
    hyphens is matched without them and set with them."""
    spelled = {w.replace(SOFT_HYPHEN, ""): w for w in words}
    named = [r"(?<!\w)(?:" + "|".join(map(re.escape, spelled)) + r")(?!\w)"] if words else []
    pattern = re.compile("|".join([LONG.pattern, *named]))
    for element in [e for e in root.iter() if isinstance(e.tag, str) and e.tag.startswith(f"{{{XHTML}}}")]:
        wrap(element, pattern, tail=False, spelled=spelled)
        wrap(element, pattern, tail=True, spelled=spelled)
    for caption in list(root.iter(*CAPTIONS)):
        written = [(e, tail) for e, tail in text_nodes(caption) if ((e.tail if tail else e.text) or "").strip()]
        if written:
            element, tail = written[-1]
            wrap(element, LAST_WORD, tail)


def text_nodes(element: etree._Element):
    """(element, whether its tail) for each text of ``element``'s content in reading order, a
    caption's credit line left out."""
    yield element, False
    for child in element:
        if child.get("class") != CREDIT:
            yield from text_nodes(child)
        yield child, True


def wrap(element: etree._Element, pattern: re.Pattern, tail: bool, spelled: dict[str, str] | None = None) -> None:
    """Put each match of ``pattern`` in ``element``'s text (or tail) into a span of its own, spelled
    as ``spelled`` gives it."""
    text = element.tail if tail else element.text
    if not text or element.get("class") == UNBROKEN and not tail:
        return
    pieces = pattern.split(text)
    matches = pattern.findall(text)
    if not matches:
        return
    parent, index = (element.getparent(), element.getparent().index(element) + 1) if tail else (element, 0)
    if tail:
        element.tail = pieces[0]
    else:
        element.text = pieces[0]
    for offset, (word, after) in enumerate(zip(matches, pieces[1:])):
        span = etree.Element(f"{{{XHTML}}}span", {"class": UNBROKEN})
        span.text, span.tail = (spelled or {}).get(word.rstrip(), word.rstrip()), word[len(word.rstrip()):] + after
        parent.insert(index + offset, span)
