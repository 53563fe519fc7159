"""Markdown -> XHTML: question divs, figures, typography, errors with lines."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree
from markdown_it import MarkdownIt

from bookbuilder.errors import ManuscriptError
from bookbuilder.manuscript.markup import escape_markdown, render_markdown

SOURCE = Path("chapter.md")
SPEAKERS = {"question": "Zhang Shuo"}


def xhtml(fragment: str) -> etree._Element:
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')


def test_question_div_gets_a_speaker_label():
    root = xhtml(render_markdown("::: question\nWhy?\n:::\n", SOURCE, SPEAKERS, "c").html)
    div = root[0]
    assert div.get("class") == "question"
    assert [p.text for p in div] == ["Zhang Shuo", "Why?"]
    assert div[0].get("class") == "speaker"


def test_pandoc_attribute_form_of_a_div_is_accepted():
    html = render_markdown("::: {.question}\nWhy?\n:::\n", SOURCE, SPEAKERS, "c").html
    assert '<div class="question">' in html


def test_figure_becomes_figure_with_caption_and_credit():
    text = "::: figure\n![A placeholder](images/a.jpg)\n\nA caption. [Photo: X Y]{.credit}\n:::\n"
    fragment = render_markdown(text, SOURCE, SPEAKERS, "ch")
    figure = xhtml(fragment.html)[0]
    assert figure.tag.endswith("figure") and figure.get("id") == "ch-figure-1"
    assert [child.tag.split("}")[1] for child in figure] == ["img", "figcaption"]
    assert figure[0].get("alt") == "A placeholder"
    (raw,) = fragment.figures
    assert (raw.src, raw.alt, raw.credit, raw.where.line) == ("images/a.jpg", "A placeholder", "Photo: X Y", 1)


def test_typography_curly_quotes_dashes_ellipsis():
    html = render_markdown('He said "yes" -- it\'s done... and --- more', SOURCE, {}, "c").html
    assert "“yes”" in html and "it’s" in html and "…" in html and "—" in html and "–" in html


def test_unknown_div_is_an_error_with_line():
    with pytest.raises(ManuscriptError) as err:
        render_markdown("text\n\n::: sidebar\nx\n:::\n", SOURCE, SPEAKERS, "c")
    assert str(err.value).startswith("chapter.md:3: unknown fenced div '::: sidebar'")


def test_figure_without_caption_is_an_error():
    with pytest.raises(ManuscriptError, match="one caption paragraph"):
        render_markdown("::: figure\n![alt](images/a.jpg)\n:::\n", SOURCE, SPEAKERS, "c")


def test_image_outside_a_figure_is_an_error():
    with pytest.raises(ManuscriptError, match="outside a figure"):
        render_markdown("Look: ![alt](images/a.jpg)\n", SOURCE, SPEAKERS, "c")


@given(st.text(alphabet="ab 19.)#>*_[]()<>`\\!-+=:~{}|&;\"'", min_size=1).map(str.strip).filter(bool))
def test_escaped_text_reads_back_as_the_same_text(text):
    """What import writes into Markdown comes back as the words of the transcript, whatever they hold."""
    plain = MarkdownIt("commonmark")  # no typography: the characters themselves must survive
    rendered = plain.render(escape_markdown(" ".join(text.split())))
    assert html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip() == " ".join(text.split())
