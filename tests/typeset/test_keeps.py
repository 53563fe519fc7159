"""What the editions' stylesheets keep together across a page break: a table's caption with the
table (a caption alone at the foot of a page, its table overleaf, was seen in an imported book) and
a table with its source line, a definition's term with its description. Laid out by WeasyPrint with each edition's own sheets, the
break swept through every line of a small page."""

from __future__ import annotations

import pytest
from weasyprint import CSS, HTML

from bookbuilder.theme import DEFAULTS
from bookbuilder.typeset.editions import EDITIONS

PAGE = "@page { size: 4in 3in; margin: 0.3in; } body { font-family: serif; }"
ROWS = "".join(f"<tr><td>row {i}</td><td>{i * 7}</td></tr>" for i in range(6))
TABLE = f"<table><caption>The caption</caption><thead><tr><th>a</th><th>b</th></tr></thead><tbody>{ROWS}</tbody></table>"
SOURCED = f"{TABLE}<p class='table-source'>Source: the ledger.</p>"
TERMS = "<dl><dt>The term</dt><dd><p>Its description, a line or two of text that says what the term means.</p></dd></dl>"


def pages_of(edition: str, body: str) -> list[str]:
    """The text of each laid-out page."""
    sheets = [CSS(filename=str(DEFAULTS / name)) for name in EDITIONS[edition].stylesheets if name.endswith(".css")]
    document = HTML(string=f"<html><body>{body}</body></html>").render(stylesheets=[*sheets, CSS(string=PAGE)])

    def text(box) -> str:
        return getattr(box, "text", "") + "".join(text(c) for c in getattr(box, "children", []))
    return [text(page._page_box) for page in document.pages]


@pytest.mark.parametrize("edition", ["print", "handout"])
@pytest.mark.parametrize("kept, first, second", [(TABLE, "The caption", "row 0"), (TERMS, "The term", "Its"),
                                                 (SOURCED, "row 5", "Source")])
def test_kept_together_wherever_the_page_breaks(edition, kept, first, second):
    for filler in range(1, 16):
        body = "".join(f"<p>Line {n} of the text before.</p>" for n in range(filler)) + kept
        pages = pages_of(edition, body)
        on = [n for n, page in enumerate(pages) if first in page]
        assert on and second in pages[on[0]], (filler, pages)
