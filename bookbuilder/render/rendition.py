"""How one family of formats prints the sections: plain data, with nothing to import, so the edition
table (typeset/editions.py) and the format rows can name it without loading the render stage."""

from __future__ import annotations

from dataclasses import dataclass

PDF = "pdf"  # the when-format value that means every PDF edition


@dataclass(frozen=True)
class Rendition:
    """The EPUB and the preview, or a PDF edition (typeset/editions.py makes one from each row)."""

    name: str  # its when-format value ('epub', 'print', 'handout')
    pdf: bool  # a PDF: notes at the foot of the page, names kept whole, the text's lead-in
    running_heads: bool  # its pages carry running heads (from each heading's data-running-head)
    # A drop cap: for an edition whose chapters open at the head of a page. Where they open anywhere,
    # WeasyPrint moves a floated initial that does not fit at the foot of a page on without the
    # heading above it, which stays alone: there the text opens with small capitals instead.
    drop_cap: bool


EPUB = Rendition("epub", pdf=False, running_heads=False, drop_cap=False)  # the e-book and the screen preview
