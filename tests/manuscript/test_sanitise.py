"""Raw HTML on its own: what the allow-list keeps, what it removes (with a warning and its line),
and malformed markup refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bookbuilder.errors import ManuscriptError
from bookbuilder.manuscript.sanitise import sanitise

SOURCE = Path("chapter.md")


def test_allowed_markup_is_kept_with_its_ids_and_links():
    clean = sanitise('<p id="a">Text <em>here</em> and <a href="#b">there</a>.</p><p id="b"></p>', SOURCE, set())
    assert clean.html == '<p id="a">Text <em>here</em> and <a href="#b">there</a>.</p><p id="b"></p>'
    assert [i for i, _ in clean.ids] == ["a", "b"] and [href for href, _ in clean.links] == ["#b"]
    assert clean.removed == []


@pytest.mark.parametrize("fragment, kept, problem", [
    ("<p>Hi<script>alert(1)</script></p>", "<p>Hi</p>", "<script> removed with its content"),
    ('<p onclick="x()">Hi</p>', "<p>Hi</p>", "onclick"),
    ('<p><a href="javascript:x()">Hi</a></p>', "Hi", "javascript"),
    ('<p><img src="http://example.org/x.png" alt="x"/></p>', "<p></p>", "<img>"),
])
def test_unsafe_markup_is_removed_with_a_warning(fragment, kept, problem):
    clean = sanitise(fragment, SOURCE, set())
    assert kept in clean.html and "script" not in clean.html.replace("javascript", "")
    assert len(clean.removed) == 1 and problem in clean.removed[0].problem
    assert clean.removed[0].code == "removed-html" and str(clean.removed[0].where).startswith("chapter.md:")


def test_a_figure_picture_stays():
    clean = sanitise('<figure><img src="images/a.jpg" alt="A"/></figure>', SOURCE, {"images/a.jpg"})
    assert '<img src="images/a.jpg" alt="A"/>' in clean.html and clean.removed == []


def test_malformed_markup_is_refused_with_its_line():
    with pytest.raises(ManuscriptError) as err:
        sanitise("<p>one</p>\n<p>two <em>crossed</p></em>\n", SOURCE, set())
    assert err.value.code == "malformed-html" and str(err.value.where) == "chapter.md:2"


@pytest.mark.parametrize("cells, made", [
    ('<th scope="col">£</th><th scope="col"/>', '<th scope="col">£</th><td></td>'),  # a blank header cell heads nothing
    ('<td scope="row">Total</td><td>2</td>', '<th scope="row">Total</th><td>2</td>'),  # HTML 4's header cell
])
def test_header_cells_are_cells_that_head_something(cells, made):
    clean = sanitise(f"<table><tbody><tr>{cells}</tr></tbody></table>", SOURCE, set())
    assert clean.html == f"<table><tbody><tr>{made}</tr></tbody></table>" and clean.removed == []
