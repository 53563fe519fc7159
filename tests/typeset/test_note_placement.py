"""A note that WeasyPrint sets on another page than its call is found (layout.unfit_notes), so the
rounds set it after its chapter's text with a long-note warning instead (issue 23)."""

from __future__ import annotations

import pytest
from conftest import ROOT

from bookbuilder.theme import Theme
from bookbuilder.typeset.layout import lay_out, unfit_notes

FILLER = "<p>" + "Words of the text that fill the page line after line. " * 40 + "</p>"
NOTE = '<span class="fn" id="n1">' + "A long note that needs many lines. " * 12 + "</span>"


@pytest.mark.parametrize("note, unfit", [(NOTE, {"n1"}), ('<span class="fn" id="n1">A short note.</span>', set())])
def test_a_note_deferred_past_the_page_of_its_call_is_unfit(note, unfit):
    """WeasyPrint's 'auto' policy defers a note that does not fit below its call to a later page (the
    editions ask 'line', which moves the call's line with it, but a line that cannot move defers too)."""
    html = ('<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="styles/fonts.css"/><style>'
            '@page { size: 4in 4in; margin: 0.5in } body { font-family: "Charis SIL" } .fn { float: footnote; '
            f"footnote-policy: auto }}</style></head><body>{FILLER}<p>More words. Call{note} and more.</p>"
            f"<p>{'Tail words. ' * 50}</p></body></html>")
    assert unfit_notes(lay_out(html, Theme.for_book(ROOT / "book"))) == unfit
