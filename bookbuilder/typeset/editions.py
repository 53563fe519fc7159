"""The PDF editions, one row each. Everything the code knows about an edition is a field of its row:
the code reads fields and never compares an edition's name, so a new PDF edition (large print, say)
is one ``register(Edition(...))`` plus its templates and styles. The format that writes an edition
names it (formats.Format.layout); its name is also a ``when-format`` value and the folder of its
cached pieces.

No WeasyPrint here: the cache and the command line read the rows without loading the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Settings
from ..printing import SERVICES, office_variant, press_variant
from ..render.rendition import Rendition
from ..theme import PDF_STYLES

TRIM = "trim"  # the book's trim (book.toml), with bleed where its print service trims and its crop marks
OFFICE = "office"  # the office paper (book.toml's handout paper): no bleed, no marks


@dataclass(frozen=True)
class Edition:
    name: str  # the format that writes it, a when-format value, its pieces' cache folder
    label: str  # what the build's layout line calls it
    shell: str  # the template of the whole document: a book that replaces it is laid out as one piece
    piece: str  # the template of one piece (the front matter, or body sections)
    stylesheets: tuple[str, ...]  # in cascade order; a book that replaces one is laid out as one piece
    facing: bool  # facing pages: sections open on rectos, a blank page ends a piece of odd length, the
    # front matter has roman folios, pages are justified to the foot, the book block is padded to
    # what its service binds
    tagged: bool  # a tagged PDF (PDF/UA): the pieces' structure trees are joined
    running_heads: bool  # its pages carry running heads
    drop_cap: bool  # its chapters open at the head of a page, so the text may open with a drop cap
    paper: str  # TRIM or OFFICE
    variant: Callable[[str], str]  # book.toml's pdf_variant -> this edition's PDF variant
    part_with_chapter: bool  # a part's title shares its piece (and page) with the chapter after it
    printing_line: bool  # its colophon carries the printing line (the print run's: "First printing …")

    @property
    def rendition(self) -> Rendition:
        return Rendition(self.name, pdf=True, running_heads=self.running_heads, drop_cap=self.drop_cap)

    @property
    def templates(self) -> tuple[str, ...]:
        """The theme files of its templates (a book folder may replace them)."""
        return (f"templates/{self.shell}", f"templates/{self.piece}")

    def page(self, settings: Settings, gutter: float = 0.0, side: str | None = None) -> dict:
        """Its @page settings (page_settings())."""
        return page_settings(settings, self.paper, facing=self.facing, gutter=gutter, side=side)


def page_settings(settings: Settings, paper: str, size: str | None = None, facing: bool = False,
                  gutter: float = 0.0, side: str | None = None) -> dict:
    """The @page settings of a PDF. OFFICE paper goes to an office printer: no bleed, no marks. TRIM
    pages have bleed where the service trims (printing.SERVICES): for print-on-demand, on ``facing``
    pages only on the outside, top and bottom, so left and right pages differ, with an inside margin
    of ``gutter`` inches when the design's is narrower than the service asks; a single sheet (the
    cover, of ``size``) all round. ``side`` ('left') sets every page as that side: the blank page
    that ends a piece or pads a book block."""
    if paper == OFFICE:
        return {"size": settings.handout_paper, "bleed": "0", "marks": "none", "sides": ()}
    service = SERVICES[settings.service]
    marks = "crop" if (service.marks if settings.marks is None else settings.marks) else "none"
    page = {"size": size or " ".join(settings.trim), "bleed": settings.bleed, "marks": marks, "sides": ()}
    if facing and (service.bleed_sides != "all" or gutter):
        bleed = settings.bleed
        sides = {"left": {"bleed": f"{bleed} 0 {bleed} {bleed}", "inside": "right"},
                 "right": {"bleed": f"{bleed} {bleed} {bleed} 0", "inside": "left"}}
        if service.bleed_sides == "all":
            sides = {name: {**values, "bleed": bleed} for name, values in sides.items()}
        page["sides"] = tuple({"selector": "" if side else f":{name}", **values, "gutter": f"{gutter:g}in" if gutter else ""}
                              for name, values in sides.items() if side in (None, name))
    return page


EDITIONS: dict[str, Edition] = {}


def register(edition: Edition) -> Edition:
    EDITIONS[edition.name] = edition
    return edition


register(Edition("print", "print edition", "pdf/print.html.j2", "pdf/print-piece.html.j2",
                 (*PDF_STYLES, "styles/print.css"), facing=True, tagged=False, running_heads=True, drop_cap=True,
                 paper=TRIM, variant=press_variant, part_with_chapter=False, printing_line=True))
register(Edition("handout", "handout", "pdf/handout.html.j2", "pdf/handout-piece.html.j2",
                 (*PDF_STYLES, "styles/handout.css"), facing=False, tagged=True, running_heads=False, drop_cap=False,
                 paper=OFFICE, variant=office_variant, part_with_chapter=True, printing_line=False))
