"""What a stylesheet or a style attribute can load, found by tokenizing it as a browser would.

A pattern over the text misses what CSS allows: ``@import"…"`` without a space, escapes
(``u\\rl(``), a ``url(`` split over lines, a comment inside, ``image-set("…")``. tinycss2 (the
tokenizer WeasyPrint itself uses) undoes escapes and comments, so every reference is seen with
its line. Used for the stylesheets of every output (epub.py, and the PDFs' fetcher in layout.py)
and for the inline style attributes of raw HTML (manuscript/sanitise.py).
"""

from __future__ import annotations

import functools
import posixpath
import re
from dataclasses import dataclass

import tinycss2
from tinycss2 import ast

from .errors import Location, ResourceError

# Functions whose string arguments are URLs (CSS Images 4), besides url() itself.
IMAGE_FUNCTIONS = {"image-set", "-webkit-image-set", "cross-fade", "-webkit-cross-fade", "image", "src"}
# What old browsers ran from a style: never in a book.
ACTIVE = {"expression", "behavior", "-moz-binding"}
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


@dataclass(frozen=True)
class Reference:
    """One thing the CSS loads (or would run): a URL as written, and its 1-based line. ``never`` is
    what can never be a file of the book (an active construct, a malformed url())."""

    url: str
    line: int
    never: bool = False


def references(css: str) -> list[Reference]:
    """Every URL ``css`` (a stylesheet or a style attribute's value) loads, and every active construct."""
    found: list[Reference] = []
    import_rule = False
    for token in tokens(tinycss2.parse_component_value_list(css)):
        if token.type in ("whitespace", "comment"):
            continue
        if isinstance(token, ast.URLToken) or isinstance(token, ast.StringToken) and import_rule:
            found.append(Reference(token.value, token.source_line))
        elif isinstance(token, ast.FunctionBlock) and token.lower_name in IMAGE_FUNCTIONS | {"url"}:
            found += [Reference(t.value, t.source_line) for t in token.arguments if isinstance(t, ast.StringToken)]
        elif isinstance(token, ast.ParseError) and token.kind == "bad-url":
            found.append(Reference("url(…)", token.source_line, never=True))  # some readers still load it
        elif (isinstance(token, ast.FunctionBlock) and token.lower_name in ACTIVE) or (
                isinstance(token, ast.IdentToken) and token.lower_value in ACTIVE):
            name = token.lower_name if isinstance(token, ast.FunctionBlock) else token.lower_value
            found.append(Reference(name, token.source_line, never=True))
        import_rule = isinstance(token, ast.AtKeywordToken) and token.lower_value == "import"
    return found


def tokens(values):
    """Every token of ``values``, blocks and function arguments opened, in order."""
    for value in values:
        yield value
        if isinstance(value, ast.FunctionBlock):
            yield from tokens(value.arguments)
        elif isinstance(value, ast.ParenthesesBlock | ast.SquareBracketsBlock | ast.CurlyBracketsBlock):
            yield from tokens(value.content)


@functools.lru_cache(maxsize=256)  # every layout fetches the same few stylesheets: tokenized once per process
def refused(css: str, href: str) -> tuple[Reference, ...]:
    """The references of the stylesheet ``href`` (a path relative to the book's root) that are not
    a file beside it: a URL with a scheme (http:, file:, data: …), an absolute path, or a path
    that climbs out of the book; and every active construct."""
    folder = posixpath.dirname(href)
    return tuple(ref for ref in references(css)
                 if ref.never or SCHEME.match(ref.url) or ref.url.startswith(("/", "\\"))
                 or posixpath.normpath(posixpath.join(folder, ref.url)).split("/")[0] == "..")


def checked_stylesheet(theme, href: str) -> bytes:
    """The bytes of the theme's stylesheet ``href``, read through the theme's gate; one that loads
    anything from outside the book stops the build at its line: a reader or browser would fetch it
    from the network or the reader's device (and an EPUB may have no remote stylesheet resources)."""
    path, data = theme.require(href, None), theme.read(href, None)
    for ref in refused(data.decode("utf-8", "replace"), href):
        raise ResourceError(Location(path, ref.line), f"the stylesheet loads '{ref.url[:200]}'",
                            "a book may use only its own files; remove the URL or put the file in styles/",
                            code="refused-url")
    return data
