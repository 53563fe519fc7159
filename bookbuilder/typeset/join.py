"""The pieces of the print edition or the handout joined into one PDF with pikepdf (typeset/pieces.py
lays them out).

Each piece is a PDF of its own as WeasyPrint writes it: its pages, its named destinations (one per
element id), its links, its subset of each font and, tagged, its structure tree. Joined: the pages in
order (in print with a blank page after each piece of odd length: the next opens on a recto), every
piece's destinations in one name tree, links to other pieces (written as ``xref:ID`` URIs) turned
into links to the destination ID, one outline from every page's bookmarks, one font file per face,
and one structure tree with the pieces' elements in reading order. WeasyPrint subsets with retained
glyph ids, so the subsets of one face number their glyphs alike and merge glyph by glyph into one.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Sequence

import pikepdf
from fontTools.ttLib import TTFont

XREF = "xref:"  # the URI scheme of a link whose target is in another piece
BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
TO_UNICODE = (b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo\n"
              b"<< /Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n/CMapName /Adobe-Identity-UCS def\n"
              b"/CMapType 2 def\n1 begincodespacerange\n<0000> <ffff>\nendcodespacerange\n")


def join_pieces(pieces: Sequence[bytes], blank: bytes | None, outline: list, tail: Sequence[bytes] = (),
                tags: bool = False) -> bytes:
    """One PDF of ``pieces`` (the first gives the document its catalogue and metadata), each of odd
    length followed by the page of ``blank`` (if any), then the pages of ``tail``; ``outline`` is
    WeasyPrint's bookmark tree of the joined pages: (label, (page index, x, y), children, state).
    ``tags``: the pieces are tagged, and so is the result."""
    sources = [pikepdf.open(io.BytesIO(data)) for data in pieces]
    spare = pikepdf.open(io.BytesIO(blank)) if blank is not None else None
    ends = [pikepdf.open(io.BytesIO(data)) for data in tail]
    ranges = []  # (source, its first page in the result, its pages)
    try:
        out = sources[0]
        destinations = {}
        with warnings.catch_warnings():  # pikepdf warns that destinations stay behind: they are joined below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            for number, source in enumerate(sources):
                first = len(out.pages) if number else 0
                index = {page.obj.objgen: first + i for i, page in enumerate(source.pages)}
                if number:
                    out.pages.extend(source.pages)
                ranges.append((source, first, len(index)))
                destinations |= {name: (index[value[0].objgen], value) for name, value in named(source)}
                if len(source.pages) % 2 and spare is not None:
                    out.pages.append(spare.pages[0])
            out.pages.extend(page for end in ends for page in end.pages)
        if tags:
            join_structure(out, ranges)
        write_destinations(out, destinations)
        link_across(out)
        write_outline(out, outline)
        merge_fonts(out)
        result = io.BytesIO()
        out.save(result, deterministic_id=True)  # finish_pdf derives the final /ID from this one
        return result.getvalue()
    finally:
        for pdf in (*sources, *([spare] if spare is not None else []), *ends):
            pdf.close()


def named(pdf: pikepdf.Pdf):
    """(name, [page, /XYZ, x, y, zoom]) of every named destination WeasyPrint wrote."""
    names = pdf.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return
    yield from pikepdf.NameTree(names.Dests).items()


def write_destinations(out: pikepdf.Pdf, destinations: dict) -> None:
    tree = pikepdf.NameTree.new(out)
    for name, (page, value) in sorted(destinations.items()):
        tree[name] = pikepdf.Array([out.pages[page].obj, *value[1:]])
    if "/Names" not in out.Root:
        out.Root.Names = pikepdf.Dictionary()
    out.Root.Names.Dests = tree.obj


def link_across(out: pikepdf.Pdf) -> None:
    """A link written as URI xref:ID becomes a link to the destination ID, as WeasyPrint writes
    links within a document."""
    for page in out.pages:
        for annotation in page.obj.get("/Annots") or ():
            action = annotation.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(XREF):
                del annotation["/A"]
                annotation.Dest = pikepdf.String(uri.removeprefix(XREF))


def join_structure(out: pikepdf.Pdf, ranges: list[tuple[pikepdf.Pdf, int, int]]) -> None:
    """One structure tree for the joined pages: the elements under each piece's Document element,
    in order, under the first piece's, and one parent tree, numbered again (each piece numbers its
    pages and annotations from 0). The pages and annotations were copied already; copy_foreign maps
    the elements' references to them onto those copies."""
    document = out.Root.StructTreeRoot.K[0]
    tree = pikepdf.NumberTree.new(out)
    key = 0
    for number, (source, first, count) in enumerate(ranges):
        mine = (lambda item: item) if number == 0 else (lambda item: copied(out, item))
        entries = dict(pikepdf.NumberTree(source.Root.StructTreeRoot.ParentTree).items())
        if number:
            for kid in copied(out, source.Root.StructTreeRoot.K[0].K):
                kid.P = document
                document.K.append(kid)
        for page in out.pages[first:first + count]:
            annotations = [(a, "/StructParent") for a in page.obj.get("/Annots") or () if "/StructParent" in a]
            for holder, name in [(page.obj, "/StructParents"), *annotations]:
                tree[key] = mine(entries[int(holder[name])])
                holder[name] = key
                key += 1
    out.Root.StructTreeRoot.ParentTree = tree.obj
    out.Root.StructTreeRoot.ParentTreeNextKey = key


def copied(out: pikepdf.Pdf, item):
    """``item`` of another PDF in ``out``: an indirect object copied, a direct array item by item."""
    return out.copy_foreign(item) if item.is_indirect else pikepdf.Array([copied(out, kid) for kid in item])


def write_outline(out: pikepdf.Pdf, tree: list) -> None:
    """The outline as WeasyPrint writes it (weasyprint/pdf/anchors.py, add_outlines)."""
    if "/Outlines" in out.Root:
        del out.Root["/Outlines"]
    items, count = outline_items(out, tree, None)
    if items:
        out.Root.Outlines = out.make_indirect(pikepdf.Dictionary(Count=count, First=items[0], Last=items[-1]))
        for item in items:
            item.Parent = out.Root.Outlines


def outline_items(out: pikepdf.Pdf, tree: list, parent) -> tuple[list, int]:
    items, count = [], len(tree)
    for label, (page, x, y), children, state in tree:
        item = out.make_indirect(pikepdf.Dictionary(
            Title=pikepdf.String(label), Dest=pikepdf.Array([out.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
        below, below_count = outline_items(out, children, item)
        item.Count = -below_count if state == "closed" else below_count
        count += 0 if state == "closed" else below_count
        if items:
            item.Prev, items[-1].Next = items[-1], item
        if below:
            item.First, item.Last = below[0], below[-1]
        if parent is not None:
            item.Parent = parent
        items.append(item)
    return items, count


def merge_fonts(out: pikepdf.Pdf) -> None:
    """One font dictionary and one font file per TrueType face: the pieces' subsets of a face merged.
    A face with PostScript outlines (the CJK faces' CFF, /FontFile3) keeps one subset per piece."""
    faces: dict[str, dict] = {}  # face name -> objgen -> Type0 font dictionary
    for page in out.pages:
        for font in (page.Resources.get("/Font") or {}).values():
            if font.get("/Subtype") == pikepdf.Name.Type0 and "/FontFile2" in font.DescendantFonts[0].FontDescriptor:
                faces.setdefault(str(font.BaseFont).split("+", 1)[-1], {})[font.objgen] = font
    merged = {}
    for fonts in (fonts for fonts in faces.values() if len(fonts) > 1):
        font = merged_font(out, list(fonts.values()))
        merged |= dict.fromkeys(fonts, font)
    for page in out.pages:
        resources = page.Resources.get("/Font") or {}
        for key in list(resources.keys()):
            if resources[key].objgen in merged:
                resources[key] = merged[resources[key].objgen]


def merged_font(out: pikepdf.Pdf, fonts: list) -> pikepdf.Object:
    """One Type0 font for ``fonts`` (subsets of one face): glyphs, widths and Unicode map united."""
    descendants = [font.DescendantFonts[0] for font in fonts]
    files = list({d.FontDescriptor.FontFile2.objgen: d.FontDescriptor.FontFile2 for d in descendants}.values())
    data = merged_glyphs([f.read_bytes() for f in files])
    widths, unicode = {}, {}
    for font, descendant in zip(fonts, descendants):
        widths |= read_widths(descendant.W)
        unicode |= dict(BFCHAR.findall(font.ToUnicode.read_bytes()))
    descriptor = pikepdf.Dictionary(dict(descendants[0].FontDescriptor.items()))
    descriptor.FontFile2 = pikepdf.Stream(out, data, Length1=len(data))
    if "/CIDSet" in descriptor:  # one bit per glyph the font has, as WeasyPrint writes it
        descriptor.CIDSet = pikepdf.Stream(out, cid_set(widths))
    descendant = pikepdf.Dictionary(dict(descendants[0].items()))
    descendant.W = write_widths(widths)
    descendant.FontDescriptor = out.make_indirect(descriptor)
    font = pikepdf.Dictionary(dict(fonts[0].items()))
    font.DescendantFonts = pikepdf.Array([out.make_indirect(descendant)])
    font.ToUnicode = pikepdf.Stream(out, to_unicode(unicode))
    return out.make_indirect(font)


def merged_glyphs(files: list[bytes]) -> bytes:
    """The longest subset with every glyph another subset has and it lacks. Their glyph ids agree;
    their glyph names need not (fontTools names glyphs after the subset's own cmap). A glyph a
    subset left out has no bytes (its loca entries are equal): only glyphs with bytes are read."""
    base, *others = sorted((TTFont(io.BytesIO(data), recalcTimestamp=False) for data in files),
                           key=lambda font: -len(font.getGlyphOrder()))
    order, have = base.getGlyphOrder(), drawn(base)
    for other in others:
        names = other.getGlyphOrder()
        for glyph_id in sorted(drawn(other) - have):
            glyph = other["glyf"][names[glyph_id]]
            for component in glyph.components if glyph.isComposite() else ():
                component.glyphName = order[other.getGlyphID(component.glyphName)]
            base["glyf"][order[glyph_id]] = glyph
            base["hmtx"][order[glyph_id]] = other["hmtx"][names[glyph_id]]
            have.add(glyph_id)
    result = io.BytesIO()
    base.save(result)
    return result.getvalue()


def drawn(font: TTFont) -> set[int]:
    """The ids of the glyphs ``font`` has outlines for."""
    offsets = list(font["loca"])
    return {glyph_id for glyph_id in range(len(offsets) - 1) if offsets[glyph_id + 1] > offsets[glyph_id]}


def read_widths(array) -> dict[int, float]:
    """A CIDFont's /W array (c [w1 w2 …] and c_first c_last w) as CID -> width."""
    items, widths, i = list(array), {}, 0
    while i < len(items):
        if isinstance(items[i + 1], pikepdf.Array):
            widths |= {int(items[i]) + n: float(w) for n, w in enumerate(items[i + 1])}
            i += 2
        else:
            widths |= {cid: float(items[i + 2]) for cid in range(int(items[i]), int(items[i + 1]) + 1)}
            i += 3
    return widths


def write_widths(widths: dict[int, float]) -> pikepdf.Array:
    """CID -> width as /W runs of consecutive CIDs."""
    runs: list = []
    for cid in sorted(widths):
        if not runs or runs[-2] + len(runs[-1]) != cid:
            runs += [cid, []]
        runs[-1].append(widths[cid])
    return pikepdf.Array([item if isinstance(item, int) else pikepdf.Array(item) for item in runs])


def cid_set(widths: dict[int, float]) -> bytes:
    bits = bytearray(max(widths) // 8 + 1)
    for cid in widths:
        bits[cid // 8] |= 0x80 >> (cid % 8)
    return bytes(bits)


def to_unicode(mapping: dict[bytes, bytes]) -> bytes:
    """A ToUnicode CMap of glyph (hex) -> UTF-16BE (hex), 100 entries a block, as WeasyPrint writes it."""
    entries = sorted(mapping.items(), key=lambda item: int(item[0], 16))
    blocks = [entries[i:i + 100] for i in range(0, len(entries), 100)]
    body = b"".join(b"%d beginbfchar\n" % len(block) + b"".join(b"<%s> <%s>\n" % pair for pair in block)
                    + b"endbfchar\n" for block in blocks)
    return TO_UNICODE + body + b"endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
