"""Hyphenation in the PDFs: the dictionary a language tag selects, the words kept whole."""

from __future__ import annotations

import re

import pytest
from lxml import etree

from bookbuilder.render.editions import section_markup
from bookbuilder.render.hyphenation import SOFT_HYPHEN, hyphenation_language, keep_whole, kept_words, name_words
from bookbuilder.render.rendition import EPUB
from bookbuilder.typeset.editions import EDITIONS
from bookbuilder.vocabulary import XHTML


@pytest.mark.parametrize("tag, hyphenated", [("en", "en-US"), ("EN", "en-US"), ("en-Latn", "en-US"),
                                             ("en-GB", "en-GB"), ("en-US", "en-US"), ("en-001", "en-001"),
                                             ("fr", "fr"), ("kk-Cyrl", "kk-Cyrl")])
def test_a_bare_en_is_hyphenated_as_american_a_region_as_given(tag, hyphenated):
    assert hyphenation_language(tag) == hyphenated


def test_the_words_of_names_longest_first_without_particles():
    assert name_words(["Timur Shaymergenov", "Duke of York", "Astana", "Zhang Shuo"]) == (
        "Shaymergenov", "Astana", "Timur", "Zhang", "Duke", "Shuo", "York")


def kept(html: str, words: tuple[str, ...]) -> str:
    root = etree.fromstring(f'<div xmlns="{XHTML}">{html}</div>')
    keep_whole(root, words)
    return re.sub(r' xmlns="[^"]+"', "", etree.tostring(root, encoding="unicode"))[5:-6]


def test_names_are_kept_whole_wherever_they_stand_and_only_as_words():
    html = "<p>Astana’s mayor met <em>Zhang Shuo</em> in Astana-Almaty, not in Astanaville.</p>"
    assert kept(html, ("Astana", "Zhang", "Shuo")) == (
        '<p><span class="unbroken">Astana</span>’s mayor met <em><span class="unbroken">Zhang</span> '
        '<span class="unbroken">Shuo</span></em> in <span class="unbroken">Astana</span>-Almaty, '
        'not in Astanaville.</p>')


def test_a_captions_last_word_is_kept_whole_its_credit_aside():
    html = ('<figure><figcaption>Loading at the <em>logistics</em> base. <span class="credit">Photo: Wang '
            'Jianmin</span></figcaption></figure><table><caption>Dates of the letters</caption></table>')
    assert kept(html, ()) == (
        '<figure><figcaption>Loading at the <em>logistics</em> <span class="unbroken">base.</span> '
        '<span class="credit">Photo: Wang Jianmin</span></figcaption></figure>'
        '<table><caption>Dates of the <span class="unbroken">letters</span></caption></table>')
    # a caption that ends on a name is not wrapped twice
    assert kept("<figcaption>Seen in Astana</figcaption>", ("Astana",)) == (
        '<figcaption>Seen in <span class="unbroken">Astana</span></figcaption>')


def test_only_the_pdfs_keep_words_whole():
    html = "<p>Astana.</p>\n"
    assert section_markup(html, EPUB, "footnotes", unbroken=("Astana",)) == html
    assert section_markup(html, EDITIONS["print"].rendition, "footnotes", unbroken=("Astana",)) == '<p><span class="unbroken">Astana</span>.</p>\n'


def test_words_with_break_points_are_spelled_with_soft_hyphens_there_in_both_pdfs():
    words = kept_words(["Timur Shaymergenov", "Astana"], ["Shay-mer-ge-nov", "Kaz-akh-stan"])
    assert words == ("Shay\u00admer\u00adge\u00adnov", "Kaz\u00adakh\u00adstan", "Astana", "Timur")
    html = "<p>Shaymergenov’s Kazakhstan, not Kazakhstani.</p>"
    for edition in ("print", "handout"):
        marked = section_markup(html, EDITIONS[edition].rendition, "footnotes", unbroken=words)
        assert marked == ('<p><span class="unbroken">Shay\u00admer\u00adge\u00adnov</span>’s <span class="unbroken">'
                          'Kaz\u00adakh\u00adstan</span>, not Kazakhstani.</p>')
    assert SOFT_HYPHEN not in section_markup(html, EPUB, "footnotes", unbroken=words)


def test_a_run_of_forty_characters_without_a_space_is_kept_whole():
    url = "https://example.org/" + "a" * 20
    assert kept(f"<p>See <a>{url}</a>, or the word {'x' * 38}.</p>", ()) == (
        f'<p>See <a><span class="unbroken">{url}</span></a>, or the word {"x" * 38}.</p>')
    html = "<p>Before " + "abcdefghij" * 200 + " after.</p>\n"
    assert section_markup(html, EDITIONS["handout"].rendition, "footnotes") == (
        '<p>Before <span class="unbroken">' + "abcdefghij" * 200 + "</span> after.</p>\n")
