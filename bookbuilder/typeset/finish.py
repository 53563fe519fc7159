"""PDF post-processing with pikepdf: what WeasyPrint does not write itself.

WeasyPrint writes no /PageLabels, so viewers would number the front matter 1, 2, 3 while its folios
read i, ii, iii. A PDF/X file is made ready for press here too (prepress.py). qpdf's deterministic /ID keeps the bytes a function of the content alone.
"""

from __future__ import annotations

import io

import pikepdf

from ..printing import label_ranges
from .prepress import Press, to_pdfx


def finish_pdf(data: bytes, front_pages: int, press: Press | None = None) -> bytes:
    """Label ``front_pages`` pages i, ii, … and the rest 1, 2, …; for a PDF/X ``press``, convert its
    colours and declare its output intent (prepress.py); return the new bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if press:
            to_pdfx(pdf, press)
        ranges = [item for start, style in label_ranges(front_pages)
                  for item in (start, pikepdf.Dictionary(S=pikepdf.Name("/" + style)))]
        pdf.Root.PageLabels = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(ranges)))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
