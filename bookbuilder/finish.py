"""PDF post-processing with pikepdf: what WeasyPrint does not write itself.

WeasyPrint writes no /PageLabels, so viewers would number the front matter 1, 2, 3 while its folios
read i, ii, iii. A print book block ends on a left-hand page: an odd count gets a blank page with
the same boxes. qpdf's deterministic /ID keeps the bytes a function of the content alone.
"""

from __future__ import annotations

import io

import pikepdf

from .printing import book_pages

BOXES = ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox")


def finish_pdf(data: bytes, front_pages: int, even: bool = False) -> bytes:
    """Label ``front_pages`` pages i, ii, … and the rest 1, 2, …; if ``even``, pad to an even page
    count; return the new bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if even and book_pages(len(pdf.pages)) > len(pdf.pages):
            last = pdf.pages[-1]
            blank = pdf.add_blank_page(page_size=(3, 3))  # the smallest qpdf allows; boxes follow
            for box in BOXES:
                if box in last.obj:
                    blank.obj[box] = pikepdf.Array(list(last.obj[box]))
        ranges = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if front_pages else []
        ranges += [front_pages, pikepdf.Dictionary(S=pikepdf.Name.D)]
        pdf.Root.PageLabels = pdf.make_indirect(pikepdf.Dictionary(Nums=pikepdf.Array(ranges)))
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()
