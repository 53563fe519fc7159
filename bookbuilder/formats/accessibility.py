"""The EPUB's accessibility metadata (EPUB Accessibility 1.1, schema.org), worked out from the book
and the build rather than asserted: a book without pictures is not 'visual', one without a page
list offers no page navigation. Pure: data in, data out; epub.py writes it into the package.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Book

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"
# What every EPUB of ours has, whatever the book: headings open every part (the templates), a
# navigable contents in the spine, the spine in reading order, DPUB-ARIA roles on the parts, and
# text the reader can resize and restyle (relative sizes, no fixed layout).
ALWAYS = ("structuralNavigation", "tableOfContents", "readingOrder", "ARIA", "displayTransformability")
KIND_NAMES = {"introduction": "introductions", "chapter": "chapters", "appendix": "appendices"}  # summary entries


@dataclass(frozen=True)
class Accessibility:
    modes: tuple[str, ...]  # schema:accessMode
    sufficient: tuple[str, ...]  # schema:accessModeSufficient, each a comma-separated set
    features: tuple[str, ...]
    hazards: tuple[str, ...]
    summary: str
    conforms_to: str  # empty unless book.toml names who certified it and every picture is described
    certified_by: str


def accessibility(book: Book, page_labels: tuple[str, ...]) -> Accessibility:
    """``page_labels``: the folios of the EPUB's page list, in order (empty: no page list)."""
    figures = book.figures
    described = all(f.alt.strip() for f in figures)
    features = [*ALWAYS]
    if figures and described:
        features.append("alternativeText")
    if page_labels:
        features += ["pageBreakMarkers", "pageNavigation"]
    meta = book.metadata
    claimed = described and bool(meta.accessibility_certified_by)
    return Accessibility(
        modes=("textual", "visual") if figures else ("textual",),
        sufficient=(("textual",) if described else ()) + (("textual,visual",) if figures else ()),
        features=tuple(features),
        hazards=("none",),  # no sound, video, animation or flashing: the build makes none
        summary=meta.accessibility_summary or summary(book, described, page_labels, claimed),
        conforms_to=CONFORMANCE if claimed else "",
        certified_by=meta.accessibility_certified_by if claimed else "",
    )


def summary(book: Book, described: bool, page_labels: tuple[str, ...], claimed: bool) -> str:
    """A summary for this book, in its language: what it holds and how a reader who cannot see the
    page gets at it."""
    meta, words = book.metadata, book.labels
    sentences = [words.said("book", title=meta.title, parts=parts(book))]
    if book.settings.speakers:
        names = words.joined(sorted(set(book.settings.speakers.values())))
        sentences.append(words.said("speakers", names=names))
    if book.figures:
        sentences.append(words.counted("described", len(book.figures)) if described else words.summary["undescribed"])
    if page_labels:
        sentences.append(words.said("page_list", first=page_labels[0], last=page_labels[-1]))
    sentences.append(words.summary["hazards"])
    if claimed:
        sentences.append(words.summary["conformance"])
    return words.sentence_space.join(sentences)


def parts(book: Book) -> str:
    """'an introduction, 5 chapters and an appendix', in the book's language."""
    words = book.labels
    return words.joined([words.counted(key, count) for kind, key in KIND_NAMES.items()
                         if (count := sum(1 for c in book.chapters if c.kind == kind))])
