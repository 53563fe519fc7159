"""The page-composition passes (typeset/compose.py) on small documents laid out through
layout.lay_out: one section of paragraphs and a figure (a grey block) that does not fit."""

from __future__ import annotations

from conftest import ROOT

from bookbuilder.theme import Theme
from bookbuilder.typeset import compose, justify, measure
from bookbuilder.typeset.layout import lay_out

SENTENCE = "The two countries signed a border agreement and settled the border issue by legal means. "
PAGE = ('<!DOCTYPE html><html lang="en"><head><link rel="stylesheet" href="styles/fonts.css"/>'
        '<style>@page {{ size: 4in 5in; margin: 0.5in }} html {{ font: 10pt/1.4 "Charis SIL" }} '
        'p {{ margin: 0; text-indent: 1em; text-align: justify }} figure {{ margin: 0.5em 0; break-inside: avoid }} img {{ max-width: 100%; height: auto }}'
        '</style></head><body><section id="s">{}</section><section id="t"><p>{}</p></section></body></html>')


def paragraphs(count: int, sentences: int = 3, prefix: str = "p") -> str:
    return "".join(f'<p id="{prefix}{n}">{SENTENCE * sentences}</p>' for n in range(count))


def figure(height: str) -> str:
    return f'<figure id="f"><img src="images/tea-ceremony-culture-day.jpg" style="height: {height}"/></figure>'


def laid_out(body: str, facing: bool = True):
    return lay_out(PAGE.format(body, SENTENCE), Theme.for_book(ROOT / "book"), facing)


def order(document) -> list[str]:
    """The ids of the section's blocks in the order they are laid out."""
    seen = []
    for page in document.pages:
        for box in page._page_box.descendants():
            element_id = box.element.get("id") if box.element is not None else None
            if element_id and element_id not in seen and element_id[0] in "pqf":
                seen.append(element_id)
    return seen


def test_a_figure_that_leaves_a_hole_moves_after_the_text_that_fills_it():
    # Three paragraphs fill most of page 1; the figure, half a page tall, does not fit under them.
    document = laid_out(paragraphs(3, sentences=5) + figure("2in") + paragraphs(6, prefix="q"))
    facts = measure.page_facts(document)
    line = measure.pitch(facts)
    assert facts[0].short <= compose.HOLE_LINES * line  # page 1 is full, or nearly
    laid = order(document)
    assert laid.index("f") > laid.index("q0")  # text that came after the figure now precedes it


def test_a_figure_that_fits_stays_where_it_is():
    document = laid_out(paragraphs(1) + figure("0.5in") + paragraphs(2, prefix="q"))
    assert order(document) == ["p0", "f", "q0", "q1"]


def test_facing_pages_end_on_the_same_line():
    """A page short of the foot by a line or two (a figure kept whole) is justified: its last line
    ends at the text block's foot; the section's last page is not."""
    body = paragraphs(5) + figure("1.1in") + paragraphs(8, prefix="q")
    plain, justified = laid_out(body, facing=False), laid_out(body, facing=True)
    before, after = measure.page_facts(plain), measure.page_facts(justified)
    line = measure.pitch(before)
    shorts = [n for n, page in enumerate(before[:-2]) if 0.5 < page.short <= justify.MAX_SHORT_LINES * line]
    assert shorts, "the case this test is for: a page ending short"
    for n in shorts:
        assert after[n].short < 0.5
    assert after[-1].short == before[-1].short  # the last page of the book's last section


def test_justification_spreads_the_gap_more_around_blocks_than_between_lines():
    body = paragraphs(5) + figure("1.1in") + paragraphs(8, prefix="q")
    plain, justified = laid_out(body, facing=False), laid_out(body, facing=True)
    for before, after in zip(measure.page_facts(plain), measure.page_facts(justified)):
        moved = [a.box.position_y - b.box.position_y for b, a in zip(before.rows, after.rows)]
        steps = [later - earlier for earlier, later in zip(moved, moved[1:])]
        if any(steps):
            assert max(steps) * 0.75 <= justify.MAX_FEATHER_PT * justify.BLOCK_GAP + 0.01
            lines = [s for s, (b, a) in zip(steps, zip(before.rows[1:], before.rows)) if b.block is a.block]
            assert all(s * 0.75 <= justify.MAX_FEATHER_PT + 0.01 for s in lines)


def pictures(document) -> list[tuple[int, float]]:
    """(page index, width in CSS px) of each picture laid out."""
    return [(n, round(box.width)) for n, page in enumerate(document.pages)
            for box in page._page_box.descendants() if box.element_tag == "img"]


def test_a_figure_that_ends_its_section_is_set_smaller_to_fit_the_hole(monkeypatch):
    """Nothing after it can fill the page before: its picture shrinks (by at most 15 %) instead."""
    picture = '<figure id="f"><img src="images/tea-ceremony-culture-day.jpg"/></figure>'
    almost, too_tall = f'<p id="p0">{SENTENCE * 5}</p>' + picture, f'<p id="p0">{SENTENCE * 8}</p>' + picture
    assert pictures(laid_out(almost)) == [(0, 266)]  # on page 1, 2 % narrower than the measure
    assert pictures(laid_out(too_tall)) == [(1, 272)]  # 15 % would not do: page 2, whole
    monkeypatch.setattr(compose, "MIN_SCALE", 2)  # no shrinking: the case this is for
    assert pictures(laid_out(almost)) == [(1, 272)]


def test_a_justified_page_moves_the_tint_behind_a_code_span_with_its_text():
    """Found in the manual: the tint of a code span stayed where the line had been, one line up."""
    code = '<code style="background: #eeeae0">tests/formats/test_pieces.py</code> '
    body = paragraphs(5) + figure("1.1in") + "".join(f'<p id="q{n}">{SENTENCE}{code}{SENTENCE}</p>' for n in range(8))
    document = laid_out(body, facing=True)
    spans = [box for page in document.pages for box in page._page_box.descendants()
             if box.element_tag == "code" and type(box).__name__ == "InlineBox"]
    # every tint stands where its span's text does, as on a page that was not moved (the same offset)
    offsets = {(round(area[0] - span.position_x, 2), round(area[1] - span.position_y, 2))
               for span in spans for area in [span.background.layers[0].painting_area]}
    assert len(spans) == 8 and len(offsets) == 1, offsets
    facts = measure.page_facts(laid_out(body, facing=False))
    assert any(0.5 < page.short for page in facts[:-2]), "the case this test is for: a page that is justified"
