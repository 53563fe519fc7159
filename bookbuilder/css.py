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
from .printing import MAX_TRIM_PT, MIN_TRIM_PT, POINTS

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


# The shape of a stylesheet, bounded before tinycss2, WeasyPrint or a reader parses it (each of
# them recurses into blocks, and WeasyPrint expands var() without a limit).
MAX_NESTING = 32  # brackets, parentheses and braces inside each other; a real stylesheet nests under 8
MAX_PRELUDE = 10_000  # characters of one rule's selector (or at-rule's prelude)
# compound selectors in one complex selector ('a b > c' is 3): cssselect2 compiles each selector into
# one Python expression, and about 70 steps pass the parser's limit of nested parentheses
MAX_STEPS = 32
STEP = re.compile(r"[^\s>+~]+")
COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.S)
MAX_EXPANSION = 100_000  # characters a custom property's value grows to once its var()s are expanded
STRUCTURE = re.compile(r"""/\*.*?(?:\*/|\Z)|"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?|\\.|[()\[\]{};\n]""", re.S)
CUSTOM = re.compile(r"(--[\w-]+)\s*:([^;{}]*)")
VAR = re.compile(r"var\(\s*(--[\w-]+)")


@functools.lru_cache(maxsize=256)  # every layout fetches the same few stylesheets: looked at once per process
def overreach(css: str) -> tuple[int, str] | None:
    """(line, what) of the first way ``css`` goes past MAX_NESTING, MAX_PRELUDE or MAX_EXPANSION, a
    custom property that refers to itself, or a page outside book.toml's range (page_geometry());
    None if it keeps within them."""
    depth, line, boundary = 0, 1, 0
    for token in STRUCTURE.finditer(css):
        text = token.group()
        line += text.count("\n") if len(text) > 1 else 0
        if text == "\n":
            line += 1
        elif text in "([{":
            depth += 1
            if depth > MAX_NESTING:
                return line, f"nests brackets, parentheses or blocks more than {MAX_NESTING} deep"
            if text == "{" and token.start() - boundary > MAX_PRELUDE:
                return line, f"has a selector of more than {MAX_PRELUDE:,} characters"
            if text == "{" and max((len(STEP.findall(part)) for part in
                                    COMMENT.sub("", css[boundary:token.start()]).split(",")), default=0) > MAX_STEPS:
                return line, f"has a selector of more than {MAX_STEPS} steps ('a b > c' is three)"
            boundary = token.end() if text == "{" else boundary
        elif text in ")]}":
            depth = max(0, depth - 1)
            boundary = token.end() if text == "}" else boundary
        elif text == ";":
            boundary = token.end()
    if found := expansion(css):
        return found
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return page_geometry(rules) or out_of_range(rules)


def expansion(css: str) -> tuple[int, str] | None:
    """(line, what) of a custom property whose value, its var()s expanded, would pass MAX_EXPANSION
    characters or refer to itself; None if none does."""
    values: dict[str, list[tuple[int, str]]] = {}
    for match in CUSTOM.finditer(css):
        values.setdefault(match.group(1), []).append((css.count("\n", 0, match.start()) + 1, match.group(2)))
    sizes: dict[str, int] = {}

    def size(name: str, chain: tuple[str, ...]) -> int:
        if name in chain or len(chain) > MAX_NESTING:
            raise RecursionError(name)
        if name not in sizes:
            sizes[name] = min(MAX_EXPANSION + 1, max(
                (len(value) + sum(size(ref, (*chain, name)) for ref in VAR.findall(value)) for _, value in values.get(name, ())),
                default=0))
        return sizes[name]

    for name, declared in values.items():
        try:
            if size(name, ()) > MAX_EXPANSION:
                return declared[0][0], f"sets {name} to a value that var() expands past {MAX_EXPANSION:,} characters"
        except RecursionError:
            return declared[0][0], (f"sets {name} to a value that refers to itself through var(), or through "
                                    f"a chain of more than {MAX_NESTING}")
    return None


PAGE_SIDE_IN = (MIN_TRIM_PT / 72, MAX_TRIM_PT / 72)  # what book.toml's trim allows
MAX_PAGE_MARGIN_IN = 3.0  # a page margin; so is a quarter of the page, given in per cent
INCHES = {**{unit: points / 72 for unit, points in POINTS.items()}, "q": 1 / 101.6, "pc": 1 / 6, "px": 1 / 96,
          "em": 1 / 6, "rem": 1 / 6, "ex": 1 / 12, "ch": 1 / 12}  # em and the like at the page's 16 px
MARGINS = {"margin", "margin-top", "margin-right", "margin-bottom", "margin-left"}


def page_geometry(rules: list) -> tuple[int, str] | None:
    """(line, what) of the first @page rule (in @media too) whose size or margins leave book.toml's
    range: each side of the page PAGE_SIDE_IN, each margin at most MAX_PAGE_MARGIN_IN or 25 %. A page
    a layout cannot fill, or fills a line at a time, held a build past 200 s (issue 22)."""
    for rule in at_rules(rules, "page"):
        for declaration in tinycss2.parse_blocks_contents(rule.content or [], skip_comments=True,
                                                          skip_whitespace=True):
            if declaration.type != "declaration" or declaration.lower_name not in MARGINS | {"size"}:
                continue
            for token in declaration.value:
                if token.type not in ("dimension", "percentage", "number"):
                    continue
                inches = (token.value * INCHES[token.lower_unit] if token.type == "dimension" and token.lower_unit in INCHES
                          else 0.0 if token.type == "number" and token.value == 0 else None)
                written = tinycss2.serialize([token])
                if declaration.lower_name == "size" and not (inches and PAGE_SIDE_IN[0] <= inches <= PAGE_SIDE_IN[1]):
                    return declaration.source_line, (f"sets a page side of {written}, where a page is "
                                                     f"{PAGE_SIDE_IN[0]:g}in to {PAGE_SIDE_IN[1]:g}in, as book.toml's trim")
                if declaration.lower_name != "size" and not (
                        token.type == "percentage" and abs(token.value) <= 25
                        or inches is not None and abs(inches) <= MAX_PAGE_MARGIN_IN):
                    return declaration.source_line, (f"sets a page margin of {written}, where a margin is at most "
                                                     f"{MAX_PAGE_MARGIN_IN:g}in or 25%")
    return None


MAX_GENERATED = 64  # strings, counters and names in one content, string-set or counter declaration
GENERATED = {"content", "string-set", "counter-reset", "counter-increment", "counter-set", "bookmark-label"}
MAX_LENGTH_IN = 100  # any length, in inches (em at 16 px): the largest page is 24in
MAX_PERCENT = 1000


def out_of_range(rules: list) -> tuple[int, str] | None:
    """(line, what) of the first declaration that generates more than MAX_GENERATED items (20,000
    counter(page) in one content held a layout past 120 s: each is laid out on every page), or sets
    a length past MAX_LENGTH_IN or MAX_PERCENT (a margin of -1e9px took all the memory there was)."""
    for declaration in declarations(rules):
        if declaration.lower_name in GENERATED:
            items = [t for t in declaration.value if t.type not in ("whitespace", "comment", "literal")]
            if len(items) > MAX_GENERATED:
                return declaration.source_line, (f"generates {len(items):,} items in one {declaration.lower_name}, "
                                                 f"where {MAX_GENERATED} is the most")
        for token in tokens(declaration.value):
            if (token.type == "dimension" and abs(token.value) * INCHES.get(token.lower_unit, 0) > MAX_LENGTH_IN
                    or token.type == "percentage" and abs(token.value) > MAX_PERCENT):
                return declaration.source_line, (f"sets {declaration.lower_name} to {tinycss2.serialize([token])}, "
                                                 f"beyond anything a page holds ({MAX_LENGTH_IN}in, {MAX_PERCENT}%)")
    return None


def declarations(rules):
    """Every declaration of ``rules``, in qualified rules and at-rules' blocks (@media, @page and its
    margin boxes), in order."""
    for rule in rules:
        if rule.type not in ("qualified-rule", "at-rule") or not rule.content:
            continue
        if rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports", "layer", "document"):
            yield from declarations(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True))
            continue
        for item in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
            if item.type == "declaration":
                yield item
            elif item.type in ("at-rule", "qualified-rule"):  # @top-left inside @page, nested rules
                yield from declarations([item])


def at_rules(rules, keyword: str):
    """The at-rules ``keyword`` among ``rules``, and inside their @media and @supports blocks."""
    for rule in rules:
        if rule.type == "at-rule" and rule.lower_at_keyword == keyword:
            yield rule
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            yield from at_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), keyword)


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
    from the network or the reader's device (and an EPUB may have no remote stylesheet resources).
    One over a limit of its shape (overreach()) stops it before any parser sees it."""
    path, data = theme.require(href, None), theme.read(href, None)
    text = data.decode("utf-8", "replace")
    if over := overreach(text):
        line, problem = over
        raise ResourceError(Location(path, line), f"the stylesheet {problem}",
                            "a book's stylesheet is read by parsers with limits: keep rules plain (the manual "
                            "lists the limits)", code="stylesheet-limit")
    for ref in refused(text, href):
        raise ResourceError(Location(path, ref.line), f"the stylesheet loads '{ref.url[:200]}'",
                            "a book may use only its own files; remove the URL or put the file in styles/",
                            code="refused-url")
    return data
