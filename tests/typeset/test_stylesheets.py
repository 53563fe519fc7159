"""Stylesheets parsed once per process (typeset/stylesheets.py), laid out as WeasyPrint lays them
out when it parses them itself; and the tracking pass's probe (tracking.probe), which lays out the
loose paragraphs alone and sets them as the whole document does."""

from __future__ import annotations

import pytest
from conftest import ROOT

from bookbuilder.errors import ResourceError
from bookbuilder.theme import Theme
from bookbuilder.typeset import rendering, stylesheets, tracking
from bookbuilder.typeset.layout import lay_out

SENTENCE = "The two countries signed a border agreement and settled the border issue by legal means. "


def page(body: str, sheets: tuple[str, ...] = ("styles/fonts.css", "styles/x.css")) -> str:
    links = "".join(f'<link rel="stylesheet" href="{href}"/>' for href in sheets)
    return (f'<!DOCTYPE html><html lang="en"><head>{links}<style>@page {{ size: 4in 5in; margin: 0.5in }}</style>'
            f'</head><body>{body}</body></html>')


@pytest.fixture
def theme(tmp_path):
    """A book folder whose styles/x.css sets the text, with an @page rule and a font face of its own."""
    (tmp_path / "book.toml").write_text("")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "x.css").write_text(
        '@font-face { font-family: "Body"; src: url(fonts/CharisSIL-Regular.ttf); }\n'
        '@page :right { margin-left: 0.75in }\n'
        'html { font: 10pt/1.4 "Body" } p { margin: 0; text-indent: 1em; text-align: justify }\n')
    return Theme.for_book(tmp_path)


def geometry(document) -> list:
    """Every box's place and size on every page, and each page's margins."""
    return [(p._page_box.margin_left, p._page_box.margin_right,
             [(type(b).__name__, round(b.position_x, 3), round(b.position_y, 3), round(b.width or 0, 3))
              for b in p._page_box.descendants()]) for p in document.pages]


def test_each_stylesheet_is_parsed_once_per_process_and_lays_out_as_a_fresh_parse(theme, monkeypatch):
    monkeypatch.setattr(stylesheets, "KEPT", {})
    monkeypatch.setattr(stylesheets, "PARSES", stylesheets.Counter())
    html = page(f"<p>{SENTENCE * 40}</p>")
    kept = [geometry(lay_out(html, theme)) for _ in range(3)]
    assert max(stylesheets.PARSES.values()) == 1  # x.css, fonts.css and the <style> element: once each
    assert len(stylesheets.PARSES) == 3 and len(kept[0]) > 1
    monkeypatch.setattr(stylesheets, "KEPT", {})
    fresh = geometry(lay_out(html, theme))  # parsed anew, as WeasyPrint would
    assert kept == [fresh] * 3
    assert fresh[1][0] != fresh[0][0]  # the sheet's own @page :right rule applies to the right pages only


def test_a_changed_stylesheet_is_parsed_again(theme, monkeypatch):
    monkeypatch.setattr(stylesheets, "KEPT", {})
    html = page(f"<p>{SENTENCE * 5}</p>")
    before = geometry(lay_out(html, theme))
    sheet = theme.find("styles/x.css")
    sheet.write_text(sheet.read_text().replace("10pt/1.4", "14pt/1.4"))
    assert geometry(lay_out(html, theme)) != before


def test_a_stylesheet_weasyprint_warns_about_fails_every_layout_that_uses_it(theme, monkeypatch):
    """Its parse is not kept, so the second layout says the same as the first, at the same line."""
    monkeypatch.setattr(stylesheets, "KEPT", {})
    sheet = theme.find("styles/x.css")
    sheet.write_text(sheet.read_text() + "p { colour: red }\n")
    for _ in range(2):
        with pytest.raises(ResourceError) as error:
            lay_out(page("<p>Text.</p>"), theme)
        assert str(error.value).startswith(f"{sheet}:4: the PDF layout ignores 'colour: red")


def test_a_stylesheet_that_imports_another_is_not_kept(theme, monkeypatch):
    monkeypatch.setattr(stylesheets, "KEPT", {})
    (theme.find("styles/x.css").parent / "y.css").write_text('@import "x.css";\n')
    html = page(f"<p>{SENTENCE * 5}</p>", ("styles/fonts.css", "styles/y.css"))
    assert geometry(lay_out(html, theme)) == geometry(lay_out(html, theme))
    assert not any(url.endswith("y.css") for url, _, _ in stylesheets.KEPT)


def test_the_tracking_probe_sets_loose_paragraphs_as_the_whole_document_does(monkeypatch):
    """Paragraphs of long words in a narrow measure are loose. Their trials run on clones beside each
    (each after a hidden stand-in for the element before it) in one layout of the probe (every
    other element hidden); the first paragraph is not indented (p:first-child), its clones are, so
    the check sends it to trials in its place. The result is the one trials on the whole document give."""
    text = "Internationalisation of transcontinental infrastructure accelerates. " * 6
    body = "<div>" + "".join(f'<p id="l{n}">{text}</p><p id="p{n}" class="ragged">{SENTENCE * 3}</p>'
                             for n in range(3)) + "</div>"
    html = (page(body, ("styles/fonts.css",)).replace("</style>", ' html { font: 10pt/1.4 "Charis SIL" } '
            "p { margin: 0; text-align: justify; hyphens: none; text-indent: 2em } p:first-child { text-indent: 0 }"
            " .ragged { text-align: left } body { width: 2.2in }</style>"))
    theme = Theme.for_book(ROOT / "book")
    counted = rendering.Counter()
    monkeypatch.setattr(rendering, "RENDERS", counted)
    probed = geometry(lay_out(html, theme))
    trials = len(tracking.TRACKINGS)
    assert counted == {"first": 1, "tracking probe": 1 + 1 + trials, "tracking": 1}  # clones, then l0 in place
    monkeypatch.setattr(tracking, "cloned", lambda source, loose, own: {})
    counted.clear()
    assert geometry(lay_out(html, theme)) == probed
    assert counted == {"first": 1, "tracking probe": 1 + trials, "tracking": 1}
    monkeypatch.setattr(tracking, "faithful", lambda control, loose: False)  # every trial on the whole document
    counted.clear()
    assert geometry(lay_out(html, theme)) == probed
    assert counted == {"first": 1, "tracking probe": 1, "tracking": 1 + trials}
