"""The print edition and the handout laid out piece by piece (typeset/pieces.py) and joined
(typeset/join.py) are the same PDFs as the single-document layout: same pages, text, folios and
running heads, outline, page labels, page map and links, with one font file per face, and the
handout's structure tree the same elements in the same order."""

from __future__ import annotations

import io
import re
import shutil
import time

import pikepdf
import pypdf
import pytest
from conftest import BOOKS, ROOT
from typesetting import renderer_of

from bookbuilder.cache import CACHE_DIR, PIECES
from bookbuilder.pipeline import build
from bookbuilder.typeset import pieces, rounds
from bookbuilder.typeset.editions import EDITIONS
from bookbuilder.typeset.layout import block_pages
from bookbuilder.typeset.rounds import lay_out_edition


def editions(book_dir, edition="print"):
    """The edition laid out as one piece, and in pieces."""
    return (lay_out_edition(renderer_of(book_dir), EDITIONS[edition], whole=True),
            lay_out_edition(renderer_of(book_dir), EDITIONS[edition]))


def texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def outline(pdf: pikepdf.Pdf) -> list[tuple[int, str, int, bool]]:
    """(depth, title, page index, closed) of every outline item, in order."""
    found = []

    def walk(items, depth):
        for item in items:
            found.append((depth, item.title, pdf.pages.index(pikepdf.Page(item.destination[0])), item.is_closed))
            walk(item.children, depth + 1)

    with pdf.open_outline() as tree:
        walk(tree.root, 0)
    return found


def links(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    return [(number, str(a.get("/Dest", a.get("/A", {}).get("/URI"))))
            for number, page in enumerate(pdf.pages) for a in page.obj.get("/Annots") or ()]


def destinations(pdf: pikepdf.Pdf) -> dict[str, int]:
    return {name: pdf.pages.index(pikepdf.Page(value[0]))
            for name, value in pikepdf.NameTree(pdf.Root.Names.Dests).items()}


def font_files(pdf: pikepdf.Pdf) -> dict[str, set]:
    """Face name -> the font files pages draw it with."""
    files: dict[str, set] = {}
    for page in pdf.pages:
        for font in page.Resources.Font.values():
            files.setdefault(str(font.BaseFont).split("+")[-1], set()).add(
                font.DescendantFonts[0].FontDescriptor.FontFile2.objgen)
    return files


def assert_same_book(one, split):
    assert split.pages == one.pages and split.starts == one.starts and split.placed == one.placed
    assert texts(split.pdf) == texts(one.pdf)  # every page's text, folio and running heads
    with pikepdf.open(io.BytesIO(one.pdf)) as a, pikepdf.open(io.BytesIO(split.pdf)) as b:
        assert len(b.pages) == len(a.pages) == one.pages
        assert outline(b) == outline(a) and outline(a)
        assert links(b) == links(a)
        assert all(target in destinations(b) for _, target in links(b))
        assert destinations(b) == destinations(a)
        assert b.Root.PageLabels.Nums == a.Root.PageLabels.Nums
        assert [p.TrimBox for p in b.pages] == [p.TrimBox for p in a.pages]
        assert {face: len(found) for face, found in font_files(b).items()} == dict.fromkeys(font_files(a), 1)
        if "/StructTreeRoot" in a.Root:
            assert structure(b) == structure(a) and len(structure(a)) > 100


def structure(pdf: pikepdf.Pdf) -> list[tuple[int, str]]:
    """(depth, type) of every element of the structure tree, in order, having checked that the tree
    holds together: each element's parent is the one above it, its page is a page of the file, each
    page's marked content is numbered 0 … n-1 with an element for each in the parent tree, and each
    link annotation's parent-tree element refers back to it."""
    pages, found = {page.obj.objgen for page in pdf.pages}, []
    root = pdf.Root.StructTreeRoot

    def walk(element, parent, depth):
        if element.get("/Type") in ("/OBJR", "/MCR"):
            return
        found.append((depth, str(element.S)))
        assert element.P.objgen == parent.objgen and ("/Pg" not in element or element.Pg.objgen in pages)
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary):
                walk(kid, element, depth + 1)

    for element in root.K:
        walk(element, root, 0)
    tree = dict(pikepdf.NumberTree(root.ParentTree).items())
    for page in pdf.pages:
        content = b"".join(part.read_bytes() for part in page.obj.Contents.wrap_in_array())
        assert sorted(map(int, re.findall(rb"/MCID (\d+)", content))) == list(range(len(tree[page.StructParents])))
        for annotation in (a for a in page.obj.get("/Annots") or () if "/StructParent" in a):
            kids = tree[int(annotation.StructParent)].K
            assert annotation.objgen in {kid.Obj.objgen for kid in kids.wrap_in_array()
                                         if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"}
    return found


@pytest.mark.slow
@pytest.mark.parametrize("profile", ["print", "handout"])
@pytest.mark.parametrize("book", [ROOT / "book", BOOKS / "novel"], ids=["default", "novel"])
def test_split_layout_is_the_single_document_book(book, profile):
    """The novel has front matter, parts, notes, tables and page references across chapters."""
    one, split = editions(book, profile)
    assert_same_book(one, split)


def test_a_title_with_quotes_and_markup_heads_the_versos(book_dir):
    folder = book_dir("minimal")
    toml = folder / "book.toml"
    toml.write_text(toml.read_text().replace('"A Minimal Book"', r'''"Rock & \"Roll\" </style> \\ 'n'"'''))
    (folder / "one.md").write_text("---\ntitle: One\n---\n\n" + "A line of words that fills the page. " * 150)
    one, split = editions(folder)
    assert_same_book(one, split)
    versos = [text for text in texts(split.pdf) if "fills the page" in text][1::2]  # the chapter opens on a recto
    assert versos and all(re.search(r"""^Rock & .Roll. </style> \\ .n.$""", text, re.MULTILINE) for text in versos), versos


@pytest.mark.slow
def test_a_one_word_edit_lays_out_one_piece_and_makes_the_same_bytes(tmp_path):
    """Built, edited, built again from the cache: one piece of each PDF is new, and the PDFs are
    byte for byte the ones a fresh build in one process makes."""
    folder = tmp_path / "book"
    shutil.copytree(ROOT / "book", folder)
    shutil.copytree(ROOT / "images", folder / "images")
    kept, formats = tmp_path / "kept", ["print", "handout"]
    build(folder, formats, kept)
    before = {profile: set((kept / CACHE_DIR / PIECES / profile).glob("*.pdf")) for profile in formats}
    for output in kept.glob("*.pdf"):
        output.unlink()  # made again, from the pieces kept
    assert {how for made in pieces_made(folder, kept).values() for how in made.values()} == {"cached"}
    chapter = folder / "chapter-3.md"
    chapter.write_text(chapter.read_text().replace("have a history", "had a history", 1))
    made = pieces_made(folder, kept)
    assert {profile: [name for name, how in pieces.items() if how != "cached"] for profile, pieces in made.items()} \
        == {"print": ["chapter-3.md"], "handout": ["chapter-3.md"]}
    assert {profile: len(pieces) for profile, pieces in made.items()} == {"print": 8, "handout": 8}
    edited = {o.format: o for o in build(folder, formats, kept)}
    for profile in formats:
        after = set((kept / CACHE_DIR / PIECES / profile).glob("*.pdf"))
        assert len(after - before[profile]) == 1 and len(after) == len(before[profile])  # the old piece is left out
    fresh = {o.format: o for o in build(folder, formats, tmp_path / "fresh", jobs=1)}
    for profile in formats:
        assert edited[profile].path.read_bytes() == fresh[profile].path.read_bytes(), profile
        assert "had a history" in " ".join(texts(edited[profile].path.read_bytes())).replace("\n", " ")


def pieces_made(folder, out) -> dict[str, dict[str, str]]:
    """Built into ``out``: for the print edition and the handout, each piece -> 'cached' or 'laid
    out in T s', as --verbose prints them under the layouts' lines."""
    stages = []
    build(folder, ["print", "handout"], out, report=stages.append)
    return {stage.detail.split()[0]: {line.split("  ")[0]: line.split("  ")[-1] for line in stage.more
                                      if "  from page " in line}
            for stage in stages if stage.name == "layout"}


def test_the_print_layout_has_its_own_line_and_time(book_dir, tmp_path, monkeypatch):
    """A clock that moves only while a piece is laid out: all of its time is on the layout's line,
    none on the EPUB's (which starts the layout for its page list), the print PDF's or the cover's."""
    now, layouts = [0.0], []
    lay_out_piece = rounds.lay_out_piece

    def slow(*args):
        layouts.append(args)
        now[0] += 100
        return lay_out_piece(*args)

    monkeypatch.setattr(time, "perf_counter", lambda: now[0])
    monkeypatch.setattr(rounds, "lay_out_piece", slow)
    stages = []
    build(book_dir("minimal"), ["epub", "print", "cover"], tmp_path, report=stages.append, jobs=1)
    assert [(stage.name, stage.seconds) for stage in stages] == [
        ("load", 0), ("layout", 100 * len(layouts)), ("epub", 0), ("print", 0), ("cover", 0)]
    assert layouts and stages[1].detail.startswith("print edition  ")


def test_the_epub_and_the_cover_do_not_write_the_print_pdf(book_dir, tmp_path, monkeypatch):
    """The page list and the spine need the print layout, not the file (pieces joined, colours
    converted): that is written only for the print PDF."""
    def refused(*args):
        raise AssertionError("the print PDF was written")

    monkeypatch.setattr(rounds, "joined_pdf", refused)
    folder = book_dir("minimal")
    assert [o.format for o in build(folder, ["epub", "cover"], tmp_path, jobs=1)] == ["epub", "cover"]
    with pytest.raises(AssertionError, match="print PDF was written"):
        build(folder, ["print"], tmp_path, jobs=1)


def test_a_settled_book_writes_each_pieces_html_once(book_dir, tmp_path, monkeypatch):
    """Built again from the folios the last build settled on: nothing moves, so the round that
    would write every piece's HTML again to compare it is not needed."""
    folder = book_dir("minimal")
    build(folder, ["print"], tmp_path)
    next(tmp_path.glob("*-print.pdf")).unlink()
    written, piece_html = [], pieces.piece_html
    monkeypatch.setattr(pieces, "piece_html", lambda *args: written.append(args) or piece_html(*args))
    build(folder, ["print"], tmp_path)
    assert len(written) == 2  # the front matter and the one chapter


def test_a_book_with_its_own_print_shell_is_laid_out_as_one_document(book_dir):
    """Its pdf/print.html.j2 need not have the blocks pieces are cut from (this one has none)."""
    folder = book_dir("minimal")
    (folder / "templates" / "pdf").mkdir(parents=True)
    (folder / "templates" / "pdf" / "print.html.j2").write_text(
        '{% extends "pdf/document.html.j2" %}{% block body %}<div class="main">'
        "{% for section in sections %}{{ section }}{% endfor %}</div>{% endblock %}")
    renderer = renderer_of(folder)
    edition = lay_out_edition(renderer, EDITIONS["print"])
    assert edition.whole and block_pages(edition.log[0].pages, renderer.book.settings) == edition.pages
    assert "It was a" in " ".join(texts(edition.pdf))


def test_a_book_with_its_own_print_stylesheet_is_laid_out_as_one_document(book_dir):
    """Its styles/print.css need not open every section on a recto, which the pieces assume: this one
    sets the chapter straight after the front matter."""
    folder = book_dir("minimal")
    (folder / "styles").mkdir()
    (folder / "styles" / "print.css").write_text("@page { margin: 0.75in; }\n")
    renderer = renderer_of(folder)
    edition = lay_out_edition(renderer, EDITIONS["print"])
    assert edition.whole and block_pages(edition.log[0].pages, renderer.book.settings) == edition.pages
