"""The typeset stage: the documents the render stage makes, laid out as PDF editions. The only
importer of WeasyPrint (weasy.py) and the only reader of its internals.

- editions.py: the edition table, a row per PDF edition (no WeasyPrint: the cache reads it);
- rounds.py: an edition laid out (lay_out_edition -> Layout, a typed value): its pieces in rounds
  until every folio is right, joined (join.py) and finished (finish.py, prepress.py);
- pieces.py: an edition's documents, and one laid out as a Piece;
- layout.py: one document laid out (fetcher.py, stylesheets.py) and composed (compose.py, justify.py);
- pages.py: where each printed page begins, for the EPUB's page list (no WeasyPrint).
"""
