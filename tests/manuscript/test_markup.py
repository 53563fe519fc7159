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
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
                            f'{fragment}</div>')


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


def test_notes_are_numbered_calls_to_asides_with_ids_of_the_chapter():
    fragment = render_markdown("One.[^a] Two.[^b] Again.[^a]\n\n[^a]: First.\n\n[^b]: Second.\n\n    More.\n",
                               SOURCE, {}, "ch")
    root = xhtml(fragment.html)
    calls = root.xpath("//x:a[@class='noteref']", namespaces={"x": "http://www.w3.org/1999/xhtml"})
    assert [(a.get("href"), a.get("id"), a.text) for a in calls] == [
        ("#ch-note-1", "ch-noteref-1", "1"), ("#ch-note-2", "ch-noteref-2", "2"), ("#ch-note-1", "ch-noteref-1-2", "1")]
    asides = root.xpath("//x:aside", namespaces={"x": "http://www.w3.org/1999/xhtml"})
    assert [a.get("id") for a in asides] == ["ch-note-1", "ch-note-2"]
    assert "".join(asides[1].itertext()).split() == ["2", "Second.", "More."]
    assert [a.getprevious().tail if a.getprevious() is not None else a.getparent().text for a in calls] == [
        "One.\u2060", " Two.\u2060", " Again.\u2060"]  # a word joiner: no line breaks between a word and its call
    back = asides[0].xpath("x:p/x:a[@class='note-number']", namespaces={"x": "http://www.w3.org/1999/xhtml"})[0]
    assert back.get("aria-label") == "Back to note 1 in the text"


def test_a_note_called_but_not_defined_is_an_error_an_escaped_one_is_text():
    with pytest.raises(ManuscriptError, match=r"chapter.md:3: the note '\[\^x\]' is called but never defined"):
        render_markdown("Fine.\n\nA call[^x] here.\n", SOURCE, {}, "c")
    assert "[^x]" in render_markdown("Written \\[^x] as text.\n", SOURCE, {}, "c").html


def test_a_note_defined_but_never_called_is_an_error_at_its_line():
    with pytest.raises(ManuscriptError, match=r"chapter.md:3: the note '\[\^n\]' is defined but never called"):
        render_markdown("Text.\n\n[^n]: Orphan.\n", SOURCE, {}, "c")
    with pytest.raises(ManuscriptError, match=r"chapter.md:5: the note '\[\^n\]' is defined twice"):
        render_markdown("Text.[^n]\n\n[^n]: One.\n\n[^n]: Two.\n", SOURCE, {}, "c")


def test_a_note_shown_in_an_example_of_code_is_not_a_definition():
    example = "```markdown\nText.[^n]\n\n[^n]: In the example.\n```\n\n    [^n]: Indented code.\n\n"
    html = render_markdown(example + "Text.[^n]\n\n[^n]: The note.\n", SOURCE, {}, "c").html
    assert "The note." in html and "[^n]: In the example." in html


def test_table_div_gives_the_table_its_caption_and_id():
    text = "::: table\nPrices.\n\n| Item | Price |\n|:--|--:|\n| Tea | 12 |\n:::\n"
    table = xhtml(render_markdown(text, SOURCE, {}, "ch").html)[0]
    assert table.tag.endswith("table") and table.get("id") == "ch-table-1"
    assert [etree.QName(c).localname for c in table] == ["caption", "thead", "tbody"]
    assert table[0].text == "Prices." and table[1][0][0].get("scope") == "col"
    with pytest.raises(ManuscriptError, match="one table and one caption"):
        render_markdown("::: table\nNo table here.\n:::\n", SOURCE, {}, "c")


def test_a_paragraph_after_a_captioned_table_is_its_source_line():
    text = "::: table\nPrices.\n\n| Item | Price |\n|:--|--:|\n| Tea | 12 |\n\nSource: the shop's ledger.\n:::\n"
    table, source = xhtml(render_markdown(text, SOURCE, {}, "ch").html)[:2]
    assert table[0].text == "Prices." and table.get("aria-describedby") == "ch-table-1-source"
    assert source.get("id") == "ch-table-1-source" and source.get("class") == "table-source"
    assert source.text == "Source: the shop’s ledger."
    for both_after in ("| a |\n|---|\n| 1 |\n\nOne.\n\nTwo.\n", "One.\n\nTwo.\n\n| a |\n|---|\n| 1 |\n"):
        with pytest.raises(ManuscriptError, match="one source line"):
            render_markdown(f"::: table\n{both_after}:::\n", SOURCE, {}, "c")


def test_letter_parts_and_epigraph_attribution_are_paragraph_classes():
    text = "::: letter\n[Geneva, May 18th]{.dateline}\n\n[Dear Victor,]{.salutation}\n\nText.\n\n[Elizabeth]{.signature}\n:::\n"
    letter = xhtml(render_markdown(text, SOURCE, {}, "c").html)[0]
    assert letter.get("class") == "letter"
    assert [(p.get("class"), p.text) for p in letter] == [("dateline", "Geneva, May 18th"), ("salutation", "Dear Victor,"),
                                                         (None, "Text."), ("signature", "Elizabeth")]


def test_unknown_span_or_link_class_is_an_error():
    with pytest.raises(ManuscriptError, match=r"chapter.md:1: unknown class '.shout' on a span"):
        render_markdown("A [word]{.shout}.\n", SOURCE, {}, "c")
    with pytest.raises(ManuscriptError, match=r"unknown class '.pg' on a link"):
        render_markdown("See [it](#x){.pg}.\n", SOURCE, {}, "c")


@pytest.mark.parametrize("text, problem", [
    ("A word {.credit} after a space.\n", "attributes '{…}' that were not read"),
    ("|---|---|\n", "a table that was not read"),
    ("A line\n::: two words\n", "a fenced div that was not read"),
    ("*Friday, July 19. *It rained.\n", "an emphasis marker '*' or '_' that was not read"),
    ("It was **very strong** once and ** never again.\n", None),
    ("She said _so and left.\n", "an emphasis marker '*' or '_' that was not read"),
    ("See [the map]( maps.md ) here.\n", None),
    ("See [the map](<maps.md) here.\n", "a link that was not read"),
])
def test_markdown_left_as_text_is_a_warning(text, problem):
    unread = render_markdown(text, SOURCE, {}, "c").unread
    assert [n.problem.split(",")[0] for n in unread] == ([problem] if problem else [])
    assert all(n.code == "literal-markdown" for n in unread)


def test_emphasis_closed_before_a_word_joiner_is_read():
    """'*Friday, July 19.*' then U+2060 and an em dash, as pandoc keeps it from a well-made EPUB."""
    fragment = render_markdown("*Friday, July 19.*\u2060—We set out.\n", SOURCE, {}, "c")
    assert "<em>Friday, July 19.\u2060</em>—We set out." in fragment.html and fragment.unread == []


@pytest.mark.parametrize("text", ["5 * 3 = 15, and 2 * 2.\n", "a_b_c is a name.\n", "Fill in the ___ blank.\n",
                                  "\\*An asterisk\\* meant.\n", "*One* and **two** and _three_.\n"])
def test_markers_that_are_meant_or_read_give_no_warning(text):
    assert render_markdown(text, SOURCE, {}, "c").unread == []


def test_read_markdown_and_code_give_no_warning():
    assert render_markdown("A [credit]{.credit} and `{.x} |---|`.\n\n| a |\n|---|\n| 1 |\n", SOURCE, {}, "c").unread == []


def test_thematic_break_is_a_scene_break():
    assert '<hr class="scene-break"/>' in render_markdown("One.\n\n***\n\nTwo.\n", SOURCE, {}, "c").html


def test_a_run_of_over_2000_characters_without_a_space_is_refused_at_its_line():
    """WeasyPrint breaks such a run out of a line by laying the rest out again for each line: a
    98,000-character run took 108 s. 2,000 (the longest web address browsers take) still sets."""
    render_markdown("Text.\n\nSee " + "ab" * 1000 + "\n", Path("one.md"), {}, "c")
    with pytest.raises(ManuscriptError) as caught:
        render_markdown("Text.\n\nSee " + "ab" * 1001 + "\n", Path("one.md"), {}, "c", first_line=5)
    assert str(caught.value.where) == "one.md:7" and "a run of 2,002 characters without a space" in caught.value.problem


@pytest.mark.parametrize("body", ["*" * 150 + "x" + "*" * 150, "*a " * 60 + "x" + " a*" * 60])
def test_emphasis_nested_past_the_depth_of_raw_html_is_refused_at_its_line(body):
    with pytest.raises(ManuscriptError) as caught:
        render_markdown("Text.\n\n" + body + "\n", Path("one.md"), {}, "c")
    assert caught.value.code == "too-deep" and str(caught.value.where) == "one.md:3"
    assert "nests more than 50 levels deep" in caught.value.problem


def test_emphasis_a_writer_nests_is_kept():
    fragment = render_markdown("Text.\n\n" + "*a **b [c _d_](#e)**.*\n", Path("one.md"), {}, "c")
    assert fragment.html.count("<em>") == 2 and "<strong>" in fragment.html


def test_a_definition_list_is_a_dl_of_terms_and_descriptions():
    """pandoc's definition lists ('Term' then ': description'), as mdit-py-plugins reads them."""
    root = xhtml(render_markdown("Steppe\n: A plain without trees.\n\n  It covers the north.\n\nTaiga\n: A forest.\n",
                                 SOURCE, {}, "c").html)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert [dt.text for dt in root.xpath("x:dl/x:dt", namespaces=ns)] == ["Steppe", "Taiga"]
    assert [len(dd.xpath("x:p", namespaces=ns)) for dd in root.xpath("x:dl/x:dd", namespaces=ns)] == [2, 1]


def test_an_empty_header_row_is_dropped_and_number_columns_are_marked():
    """pandoc writes a table without a header as a pipe table whose header cells are empty."""
    root = xhtml(render_markdown("|   |   |   |\n|---|---|---|\n| Astana | 1,200.5 | — |\n| Almaty | 33.25 | 4 % |\n",
                                 SOURCE, {}, "c").html)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert root.xpath("//x:thead", namespaces=ns) == [] and root[0].get("class") == "no-header"
    assert [td.get("class") for td in root.xpath("//x:tr[1]/x:td", namespaces=ns)] == [None, "num", "num"]
    # right-aligned, the decimal points stand in one line: the figures after them made up with figure spaces
    assert root.xpath("//x:td[2]/text()", namespaces=ns) == ["1,200.5\u2007", "33.25"]
    assert root.xpath("//x:td[3]/text()", namespaces=ns) == ["\u2014", "4\u00a0%"]  # none has decimals
    root = xhtml(render_markdown("| Year | Rate |\n|---|---|\n| 1771 | 12 |\n| 1772 | 3.25 % |\n", SOURCE, {}, "c").html)
    assert root.xpath("//x:td[2]/text()", namespaces=ns) == ["12\u2008\u2007\u2007", "3.25\u00a0%"]


def test_a_header_row_with_text_is_kept():
    root = xhtml(render_markdown("| City | Note |\n|---|---|\n| Astana | 1992 |\n| Almaty | capital |\n",
                                 SOURCE, {}, "c").html)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert root.xpath("//x:thead//x:th/text()", namespaces=ns) == ["City", "Note"]
    assert root.xpath("//x:td/@class", namespaces=ns) == []  # 'capital' is no number
