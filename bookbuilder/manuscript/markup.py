"""Markdown -> XHTML fragment, with typography. Pure: text in, markup out; no file access.

The dialect is CommonMark plus what pandoc also reads: YAML front matter, fenced divs
(``::: question``, ``::: figure``), bracketed spans (``[Photo: X]{.credit}``), footnotes
(``[^id]``), pipe tables and link classes (``[see](letters.md#walton){.page}``). Whatever of that
syntax the parser did not read is reported, never passed through as text without a word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Location, ManuscriptError
from ..limits import MAX_PARAGRAPH
from ..notices import Notice
from . import typography
from .findings import check_depth, check_headings, check_lengths, check_notes, check_pandoc_tables, unread
from .footnotes import NOTE_RULES, mark_notes
from .gridtables import grid_table_plugin
from .labels import ENGLISH, Labels
from .sanitise import LINE, sanitise
from .tables import TABLE, pandoc_captions, shape_table, shape_tables

FIGURE = "figure"
CREDIT = "credit"
PAGE_REFERENCE = "page"  # a link class: the print editions add the target's page number
# Fenced divs the build sets itself (speakers come from book.toml), with their EPUB and ARIA semantics.
DIVS = {FIGURE: "", TABLE: "", "epigraph": ' epub:type="epigraph" role="doc-epigraph"', "letter": ""}
# A paragraph that is one span of these classes takes the class itself: a letter's parts, an attribution.
PARAGRAPH_CLASSES = ("dateline", "salutation", "signature", "attribution")
# Content for one family of formats, as Quarto writes it: {.content-visible when-format="print"}.
FORMAT_CLASSES = ("content-visible", "content-hidden")
FORMAT_DIV = re.compile(r'\s*\{\s*\.(content-visible|content-hidden)\s+when-format\s*=\s*"?([\w-]*)"?\s*\}\s*')
SMALL_CAPS = "smallcaps"  # pandoc's name for a span set in small capitals
SPAN_CLASSES = (CREDIT, SMALL_CAPS, *PARAGRAPH_CLASSES, *FORMAT_CLASSES)
TEXT_BLOCKS = ("paragraph_open", "heading_open", "list_item_open")  # numbered: where a print page can begin
@dataclass(frozen=True)
class RawFigure:
    """A figure as written: the image path is still the author's, load.py resolves it."""

    id: str
    src: str
    alt: str
    caption_html: str
    credit: str
    where: Location


@dataclass
class Fragment:
    front_matter: str
    html: str
    figures: list[RawFigure] = field(default_factory=list)
    removed: list[Notice] = field(default_factory=list)  # raw HTML the allow-list took out
    unread: list[Notice] = field(default_factory=list)  # Markdown left as text
    ids: list[tuple[str, Location]] = field(default_factory=list)  # for the book-wide checks in load.py
    links: list[tuple[str, Location]] = field(default_factory=list)
    sections: list[tuple[str, str]] = field(default_factory=list)  # (id, title) of each ## heading
    notes: int = 0  # how many notes it defines


QUOTES = ENGLISH.quotes  # what a caller that names no language gets


@lru_cache(maxsize=None)
def parser(quotes: tuple[str, ...] = QUOTES) -> MarkdownIt:
    """The book's Markdown reader; ``quotes`` are the marks straight quotes become, as the book's
    language writes them (locales/)."""
    md = MarkdownIt("commonmark", {"typographer": True, "xhtmlOut": True, "html": True,  # raw HTML: sanitise.py
                                   "quotes": list(quotes)})
    md.enable(["replacements", "smartquotes", "table"])
    md.use(front_matter_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *_: bool(div_class(params)),
           render=render_div)
    md.use(attrs_plugin, spans=True)
    md.use(footnote_plugin)
    md.use(deflist_plugin)  # 'Term' then ': description' (pandoc's definition lists)
    md.use(grid_table_plugin)  # pandoc's grid tables, with row and column spans
    for name, rule in NOTE_RULES.items():
        md.add_render_rule(name, rule)
    md.add_render_rule("hr", lambda *_: '<hr class="scene-break"/>\n')
    md.add_render_rule("th_open", render_header_cell)
    return md


def render_header_cell(renderer, tokens: list[Token], idx: int, options, env) -> str:
    """A header cell names what it heads: the header rows' cells are column headers, one spanning
    columns heads their group."""
    tokens[idx].attrSet("scope", "colgroup" if tokens[idx].attrGet("colspan") else "col")
    return renderer.renderToken(tokens, idx, options, env)


def div_class(info: str) -> str:
    """``::: question`` and pandoc's ``::: {.question}`` both name the class 'question';
    ``::: {.content-visible when-format="print"}`` is a 'content-visible' div."""
    match = re.fullmatch(r"\s*(?:\{\s*\.([\w-]+)\s*\}|([\w-]+))\s*", info)
    if match:
        return match.group(1) or match.group(2)
    match = FORMAT_DIV.fullmatch(info)
    return match.group(1) if match else ""


def when_formats() -> tuple[str, ...]:
    """What when-format may name: each PDF edition (typeset/editions.py's table), 'pdf' (all of them)
    and 'epub' (the e-book and the preview)."""
    from ..render.rendition import EPUB, PDF
    from ..typeset.editions import EDITIONS  # the table alone: no WeasyPrint

    return (*EDITIONS, PDF, EPUB.name)


def format_class(name: str, when: str | None, where: Location) -> str:
    """'content-visible' for 'print' -> the classes render/editions.py reads: 'content-visible when-print'."""
    families = when_formats()
    if when not in families:
        raise ManuscriptError(where, f"'.{name}' needs when-format with one of {', '.join(families)}",
                              f"write e.g. '{{.{name} when-format=\"print\"}}'", code="unknown-div")
    return f"{name} when-{when}"


def mark_formats(tokens: list[Token], where) -> None:
    """Spans for one family of formats carry it in their class (when-format is no EPUB attribute)."""
    for token in tokens:
        for child in token.children or ():
            if child.type == "span_open" and child.attrGet("class") in FORMAT_CLASSES:
                when = child.attrs.pop("when-format", None)
                child.attrSet("class", format_class(str(child.attrGet("class")), when, where(token)))


def render_div(renderer, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    if token.meta.get("class") == TABLE or (token.nesting == -1 and token.tag == TABLE):
        return ""  # the table itself carries the id and the caption
    if token.nesting == -1:
        return f"</{token.tag}>\n"
    if token.tag == "figure":
        return f'<figure id="{token.meta["id"]}">\n'
    if token.meta["class"] in DIVS or token.meta["class"].startswith(FORMAT_CLASSES):
        return f'<div class="{token.meta["class"]}"{DIVS.get(token.meta["class"], "")}>\n'
    name = token.meta["speaker"]
    return f'<div class="{token.meta["class"]}">\n<p class="speaker">{escape(name)}</p>\n'


# A closing '*' or '_' that a WORD JOINER follows (well-made EPUBs put one before every em dash, and
# pandoc keeps it): CommonMark reads '*July 19.*\u2060—' as no emphasis, since the joiner is neither space
# nor punctuation. Moved inside the marker, the joiner still holds the dash to the word.
JOINED_CLOSER = re.compile(r"(?<=\S)(\*+|_+)\u2060")


def render_markdown(text: str, source: Path, speakers: dict[str, str], id_prefix: str,
                    first_line: int = 1, longest: int = MAX_PARAGRAPH, first_note: int = 1,
                    labels: Labels = ENGLISH) -> Fragment:
    """Convert one chapter (or note) to an XHTML fragment; ``first_line`` offsets messages; ``longest``
    is the most characters a paragraph may have ([limits] paragraph_characters); straight quotes
    become the quotation marks of ``labels``' language, and a note's link back is named in it."""
    md = parser(labels.quotes)
    env: dict = {"prefix": id_prefix, "first_note": first_note, "labels": labels}
    tokens = md.parse(JOINED_CLOSER.sub("\u2060\\1", text), env)
    apply_typography(tokens, labels.script.get("dash", "closed"))
    where = lambda token: Location(source, first_line + (token.map[0] if token.map else 0))  # noqa: E731
    check_notes(text, tokens, env, source, first_line, where)
    check_pandoc_tables(text, source, first_line)
    check_lengths(tokens, where, longest)
    check_depth(tokens, where)
    check_spans(tokens, where)
    mark_formats(tokens, where)
    front = ""
    figures: list[RawFigure] = []
    tables = 0
    for i, token in enumerate(tokens):
        if token.type == "front_matter":
            front = token.content
        elif token.type == "container_div_open":
            name = div_class(token.info)
            token.meta["class"] = name
            if closing(tokens, i).markup != ":::":
                raise ManuscriptError(where(token), f"the fenced div '::: {name}' is never closed",
                                      "end it with a line of three colons, ':::'", code="unclosed-div")
            if name == FIGURE:
                figures.append(shape_figure(tokens, i, f"{id_prefix}-figure-{len(figures) + 1}", where))
            elif name == TABLE:
                tables += 1
                shape_table(tokens, i, f"{id_prefix}-table-{tables}", where)
            elif name in FORMAT_CLASSES:
                when = FORMAT_DIV.fullmatch(token.info)
                token.meta["class"] = format_class(name, when and when.group(2), where(token))
            elif name in speakers:
                token.meta["speaker"] = speakers[name]
            elif name not in DIVS:
                known = ", ".join([*DIVS, *speakers])
                raise ManuscriptError(where(token), f"unknown fenced div '::: {name}'",
                                      f"use one of: {known} (speakers are set in book.toml [speakers])",
                                      code="unknown-div")
        elif (token.type == "inline" and any(c.type == "image" for c in token.children or ())
              and not in_figure(tokens, i)):
            raise ManuscriptError(where(token), "an image outside a figure",
                                  "wrap it in '::: figure' with a caption paragraph after it", code="figure-shape")
    pandoc_captions(tokens)
    shape_tables(tokens, id_prefix)
    promote_paragraph_classes(tokens)
    mark_notes(tokens, id_prefix, env)
    number_blocks(tokens, id_prefix)
    html = md.renderer.render(line_marked(tokens, first_line), md.options, env)
    clean = sanitise(html, source, {f.src for f in figures})
    check_headings(clean.headings)
    return Fragment(front, clean.html, figures, clean.removed, unread(tokens, where), clean.ids, clean.links,
                    sections(tokens), len(env.get("footnotes", {}).get("list", {})))


def sections(tokens: list[Token]) -> list[tuple[str, str]]:
    return [(token.attrGet("id"), "".join(c.content for c in tokens[i + 1].children or () if c.type == "text"))
            for i, token in enumerate(tokens) if token.type == "heading_open" and token.tag == "h2"]


def check_spans(tokens: list[Token], where) -> None:
    """A class the build does not set would come out as plain text with its meaning lost."""
    for token in tokens:
        for child in token.children or ():
            allowed = {"span_open": SPAN_CLASSES, "link_open": (PAGE_REFERENCE,)}.get(child.type)
            for name in str(child.attrGet("class") or "").split() if allowed else ():
                if name not in allowed:
                    what = "link" if child.type == "link_open" else "span"
                    raise ManuscriptError(where(token), f"unknown class '.{name}' on a {what}",
                                          f"use one of: {', '.join('.' + a for a in allowed)}", code="unknown-span")


def promote_paragraph_classes(tokens: list[Token]) -> None:
    """``[Dear Sir,]{.salutation}`` alone in a paragraph: the paragraph is the salutation."""
    for i, token in enumerate(tokens):
        children = token.children or []
        if (token.type == "inline" and len(children) >= 2 and children[0].type == "span_open"
                and children[-1].type == "span_close" and tokens[i - 1].type == "paragraph_open"
                and sum(c.type == "span_open" for c in children) == 1
                and children[0].attrGet("class") in PARAGRAPH_CLASSES):
            for name, value in children[0].attrs.items():
                tokens[i - 1].attrSet(name, value)
            token.children = children[1:-1]


def closing(tokens: list[Token], start: int) -> Token:
    """The token that closes the container opened at ``start``."""
    depth = 0
    for token in tokens[start:]:
        depth += token.nesting if token.type.startswith("container_") else 0
        if depth == 0:
            return token
    return tokens[-1]


def line_marked(tokens: list[Token], first_line: int) -> list[Token]:
    """``tokens`` with a ``<?line N?>`` before each block, so sanitise.py can name manuscript lines."""
    marked = []
    for token in tokens:
        if token.block and token.map and token.nesting >= 0 and token.type not in ("inline", "front_matter"):
            mark = Token("html_block", "", 0)
            mark.content = f"<?{LINE} {first_line + token.map[0]}?>"
            marked.append(mark)
        marked.append(token)
    return marked


def apply_typography(tokens: list[Token], dash: str = "closed") -> None:
    """Typography on running text only: code spans, autolinked URLs and attribute values stay as
    written. A span marked ``{lang=kk}`` also gets ``xml:lang``, which XHTML reading systems read."""
    for token in tokens:
        in_autolink = False
        for child in token.children or ():
            if child.type in ("link_open", "link_close"):
                in_autolink = child.type == "link_open" and child.markup == "autolink"
            elif child.type == "text" and not in_autolink:
                child.content = typography.refine(child.content, dash)
            elif child.type == "span_open" and child.attrGet("lang"):
                child.attrSet("xml:lang", child.attrGet("lang"))


def number_blocks(tokens: list[Token], id_prefix: str) -> None:
    """Give every paragraph, heading and list item an id (``chapter-1-p7``): the EPUB's page-list
    points at them, so the print and e-book markup must both carry them."""
    blocks = [t for t in tokens if t.type in TEXT_BLOCKS and not t.hidden and not t.attrGet("id")]
    for n, token in enumerate(blocks, 1):
        token.attrSet("id", f"{id_prefix}-p{n}")


def in_figure(tokens: list[Token], index: int) -> bool:
    depth = 0
    for token in reversed(tokens[:index]):
        if token.type == "container_div_close":
            depth += 1
        elif token.type == "container_div_open":
            if depth == 0:
                return token.meta.get("class") == FIGURE or div_class(token.info) == FIGURE
            depth -= 1
    return False


def shape_figure(tokens: list[Token], start: int, figure_id: str, where) -> RawFigure:
    """Rewrite ``::: figure`` tokens in place: image paragraph unwrapped, caption -> figcaption."""
    open_token = tokens[start]
    open_token.tag = "figure"
    open_token.meta["id"] = figure_id
    body = []
    depth = 0
    for j in range(start + 1, len(tokens)):
        token = tokens[j]
        if token.type == "container_div_close" and depth == 0:
            token.tag = "figure"
            break
        depth += token.nesting if token.type.startswith("container_") else 0
        body.append(j)
    paragraphs = [j for j in body if tokens[j].type == "inline"]
    others = [tokens[j] for j in body if tokens[j].type not in ("inline", "paragraph_open", "paragraph_close")]
    if len(paragraphs) != 2 or others:
        raise ManuscriptError(where(open_token), "a figure must hold an image paragraph and one caption paragraph",
                              "write '![alt](images/NAME.jpg)', a blank line, then the caption", code="figure-shape")
    image_inline, caption_inline = tokens[paragraphs[0]], tokens[paragraphs[1]]
    images = [c for c in image_inline.children or () if c.type == "image"]
    if len(images) != 1 or len(image_inline.children) != 1:
        raise ManuscriptError(where(image_inline), "the first paragraph of a figure must be one image alone",
                              "write '![alt text](images/NAME.jpg)' on its own line", code="figure-shape")
    image = images[0]
    alt = "".join(c.content for c in image.children or ())
    if not alt.strip():
        raise ManuscriptError(where(image_inline), "the figure's image has no alt text",
                              "describe the picture between the brackets: '![what it shows](images/NAME.jpg)'; "
                              "screen readers read it aloud", code="no-alt")
    image.attrs["alt"] = alt
    for j in (paragraphs[0] - 1, paragraphs[0] + 1):
        tokens[j].hidden = True
    for j in (paragraphs[1] - 1, paragraphs[1] + 1):
        tokens[j].tag = "figcaption"
    md = parser()
    return RawFigure(
        id=figure_id,
        src=str(image.attrs["src"]),
        alt=alt,
        caption_html=md.renderer.renderInline(caption_inline.children, md.options, {}),
        credit=credit_text(caption_inline.children or []),
        where=where(open_token),
    )


def credit_text(children: list[Token]) -> str:
    inside, text = False, []
    for child in children:
        if child.type == "span_open" and CREDIT in str(child.attrs.get("class", "")).split():
            inside = True
        elif child.type == "span_close":
            inside = False
        elif inside:
            text.append(child.content)
    return "".join(text)


def typeset(text: str) -> str:
    """Plain text with the book's typography (curly quotes, dashes), for text that is printed as
    written: titles in front matter and book.toml."""
    children = parser().parseInline(text)[0].children or []
    return "".join(c.content for c in children if c.type == "text")


def escape_markdown(text: str) -> str:
    """Plain text as Markdown that reads back as the same text: inline markup characters escaped,
    and a paragraph that would start a list, heading, quote or fenced div made plain."""
    text = re.sub(r"([\\`*_\[\]<>{}|&])", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])(\s)", r"\1\\\2\3", text)
    return re.sub(r"^([#>+=:~-])", r"\\\1", text)
