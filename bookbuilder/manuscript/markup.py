"""Markdown -> XHTML fragment, with typography. Pure: text in, markup out; no file access.

The dialect is CommonMark plus what pandoc also reads: YAML front matter, fenced divs
(``::: question``, ``::: figure``) and bracketed spans (``[Photo: X]{.credit}``).
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
from mdit_py_plugins.front_matter import front_matter_plugin

from ..errors import Location, ManuscriptError
from ..notices import Notice
from . import typography
from .sanitise import LINE, sanitise

FIGURE = "figure"
CREDIT = "credit"
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
    ids: list[tuple[str, Location]] = field(default_factory=list)  # for the book-wide checks in load.py
    links: list[tuple[str, Location]] = field(default_factory=list)


@lru_cache(maxsize=None)
def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True, "xhtmlOut": True, "html": True})  # raw HTML: sanitise.py
    md.enable(["replacements", "smartquotes"])
    md.use(front_matter_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *_: bool(div_class(params)),
           render=render_div)
    md.use(attrs_plugin, spans=True)
    return md


def div_class(info: str) -> str:
    """``::: question`` and pandoc's ``::: {.question}`` both name the class 'question'."""
    match = re.fullmatch(r"\s*(?:\{\s*\.([\w-]+)\s*\}|([\w-]+))\s*", info)
    return (match.group(1) or match.group(2)) if match else ""


def render_div(renderer, tokens: list[Token], idx: int, options, env) -> str:
    token = tokens[idx]
    if token.nesting == -1:
        return f"</{token.tag}>\n"
    if token.tag == "figure":
        return f'<figure id="{token.meta["id"]}">\n'
    name = token.meta["speaker"]
    return f'<div class="{token.meta["class"]}">\n<p class="speaker">{escape(name)}</p>\n'


def render_markdown(text: str, source: Path, speakers: dict[str, str], id_prefix: str,
                    first_line: int = 1) -> Fragment:
    """Convert one chapter (or note) to an XHTML fragment; ``first_line`` offsets messages."""
    md = parser()
    tokens = md.parse(text)
    apply_typography(tokens)
    where = lambda token: Location(source, first_line + (token.map[0] if token.map else 0))  # noqa: E731
    front = ""
    figures: list[RawFigure] = []
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
            elif name in speakers:
                token.meta["speaker"] = speakers[name]
            else:
                known = ", ".join([FIGURE, *speakers])
                raise ManuscriptError(where(token), f"unknown fenced div '::: {name}'",
                                      f"use one of: {known} (speakers are set in book.toml [speakers])",
                                      code="unknown-div")
        elif (token.type == "inline" and any(c.type == "image" for c in token.children or ())
              and not in_figure(tokens, i)):
            raise ManuscriptError(where(token), "an image outside a figure",
                                  "wrap it in '::: figure' with a caption paragraph after it", code="figure-shape")
    number_blocks(tokens, id_prefix)
    html = md.renderer.render(line_marked(tokens, first_line), md.options, {})
    clean = sanitise(html, source, {f.src for f in figures})
    check_headings(clean.headings)
    return Fragment(front, clean.html, figures, clean.removed, clean.ids, clean.links)


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


def check_headings(headings: list[tuple[int, Location]]) -> None:
    """The chapter title is the h1; sections go ##, ###, … without skipping a level (screen readers
    navigate by level, and a skipped one reads as a missing section)."""
    previous = 1
    for level, where in headings:
        if level == 1:
            raise ManuscriptError(where, "a level-1 heading inside a chapter",
                                  "the chapter title comes from the front matter; use ## for sections",
                                  code="heading-level")
        if level > previous + 1:
            raise ManuscriptError(where, f"a level-{level} heading after a level-{previous} one skips a level",
                                  f"use {'#' * (previous + 1)} here", code="heading-level")
        previous = level


def apply_typography(tokens: list[Token]) -> None:
    """Typography on running text only: code spans, autolinked URLs and attribute values stay as
    written. A span marked ``{lang=kk}`` also gets ``xml:lang``, which XHTML reading systems read."""
    for token in tokens:
        in_autolink = False
        for child in token.children or ():
            if child.type in ("link_open", "link_close"):
                in_autolink = child.type == "link_open" and child.markup == "autolink"
            elif child.type == "text" and not in_autolink:
                child.content = typography.refine(child.content)
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
