"""Typography done by the build: on running text, never inside code, URLs or attributes."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import NS
from lxml import etree

from bookbuilder.manuscript.markup import render_markdown
from bookbuilder.manuscript.typography import refine

NBSP = "\u00a0"


@pytest.mark.parametrize("typed, set_as", [
    ("more than 9 billion US dollars", f"more than 9{NBSP}billion US dollars"),
    ("U.S. $9 billion", f"U.S.{NBSP}$9{NBSP}billion"),
    ("No. 5 and pp. 23", f"No.{NBSP}5 and pp.{NBSP}23"),
    ("a 30 km road, 50 % more", f"a 30{NBSP}km road, 50{NBSP}% more"),
    ("Dr. Ng at 5 p.m.", f"Dr.{NBSP}Ng at 5{NBSP}p.m."),
    ("yes — no", "yes—no"),
    ("yes - no", "yes—no"),
    ("1992 - 2022", "1992–2022"),
    ("the ‘90s", "the ’90s"),
    ("30 years, 15 days", "30 years, 15 days"),  # a break there misleads nobody
    ("Kazakhstan-China", "Kazakhstan-China"),
])
def test_refine(typed, set_as):
    assert refine(typed) == set_as


def html(text: str) -> etree._Element:
    fragment = render_markdown(text, Path("c.md"), {}, "c").html
    return etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">{fragment}</div>')


def test_a_decade_gets_an_apostrophe_whatever_follows_it():
    assert html("In the '90s.\n").find("x:p", NS).text == "In the ’90s."  # no quote after it: left straight by the parser
    assert html("In the '90s, 'twas 'so'.\n").find("x:p", NS).text.startswith("In the ’90s")


def test_never_inside_code_urls_or_attributes():
    root = html('Costs "9 billion" `x - y "9 km"` <https://example.org/a--b...c> '
                '[No. 5](https://e.org/a--b "t - t...")\n')
    assert f"“9{NBSP}billion”" in root.find("x:p", NS).text
    assert root.find(".//x:code", NS).text == 'x - y "9 km"'
    autolink, link = root.findall(".//x:a", NS)
    assert autolink.text == autolink.get("href") == "https://example.org/a--b...c"
    assert (link.text, link.get("href"), link.get("title")) == (f"No.{NBSP}5", "https://e.org/a--b", "t - t...")


def test_blocks_get_ids_for_the_page_list_and_foreign_words_get_xml_lang():
    root = html("One.\n\n## Two\n\n- three\n- [Nurly Zhol]{lang=kk}\n")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert ids == ["c-p1", "c-p2", "c-p3", "c-p4"]
    span = root.find(".//x:span", NS)
    assert span.get("lang") == span.get("{http://www.w3.org/XML/1998/namespace}lang") == "kk"


def test_the_default_book_is_set_by_the_build(epub):
    chapter = epub.xml("EPUB/chapter-2.xhtml")
    text = "".join(chapter.find("x:body", NS).itertext())
    assert f"9{NBSP}billion US dollars" in text
    assert "“Belt and Road”" in text and "Kazakhstan’s" in text
    for root in epub.documents().values():
        body = "".join(root.find("x:body", NS).itertext())
        assert '"' not in body and "'" not in body and " — " not in body and "..." not in body
