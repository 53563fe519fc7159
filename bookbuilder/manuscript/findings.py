"""What the manuscript stage refuses or warns of in a chapter's parsed Markdown, each with its line
and the fix: notes called but not defined (or the reverse), a paragraph too long to lay out in
linear time, headings that skip a level, and syntax the parser left
as text (which would print to a reader without a word)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from markdown_it.token import Token

from ..errors import Location, ManuscriptError
from ..notices import Notice
from .sanitise import MAX_DEPTH

NOTE_CALL = re.compile(r"(?<!\\)\[\^([^\]\s]+)\]")
NOTE_DEFINITION = re.compile(r" {0,3}\[\^([^\]\s]+)\]:")
CODE_SPAN = re.compile(r"(`+).*?\1", re.DOTALL)
# Markdown the parser left as text, in the source of a paragraph (code spans removed): what it is, how to fix.
UNREAD = (
    (re.compile(r"(?<!\\)\{[.#][\w-]"), "attributes '{…}' that were not read",
     "write them straight after the closing ']' or ')', with no space: '[text]{.credit}'"),
    (re.compile(r"(?<!\\)\|\s*:?[-–—]+"), "a table that was not read",  # '---' may be a dash by now
     "leave a blank line before the table and start it with a header row: '| a | b |', then '|---|---|'"),
    (re.compile(r"^\s*[+±][-=:–—]*\+", re.MULTILINE), "a grid table that was not read",  # '+-' may be '±' by now
     "draw each border from '+' to '+' and each cell's sides with '|', every line of the grid as long as the others"),
    (re.compile(r"^\s*:::", re.MULTILINE), "a fenced div that was not read",
     "put ':::' lines on their own, with a blank line before the div"),
    # a marker that opens or closes emphasis but found no partner: '*' before a word, or after one
    (re.compile(r"(?<![\w\\*])(\*+|_+)(?=[^\W_])|(?<=[^\W_]|[.,;:!?’”)])(\*+|_+)(?![\w*])"),
     "an emphasis marker '*' or '_' that was not read",
     "close the emphasis in the same paragraph, with no space inside the markers ('*Friday, July 19.*'), or "
     "write '\\*' for an asterisk that is meant"),
    (re.compile(r"(?<![\\!])\[[^\]]+\]\([^)]*\)"), "a link that was not read",
     "write '[text](address)' with no space or line break inside the brackets or the address"),
)


def check_notes(text: str, tokens: list[Token], env: dict, source: Path, first_line: int, where) -> None:
    """Every note called is defined, every note defined is called: either way text would be lost."""
    defined = env.get("footnotes", {}).get("refs", {})
    for token in tokens:
        if token.type == "inline":
            for label in NOTE_CALL.findall(CODE_SPAN.sub("", token.content)):
                if f":{label}" not in defined and any(f"[^{label}]" in c.content for c in token.children or ()):
                    raise ManuscriptError(where(token), f"the note '[^{label}]' is called but never defined",
                                          f"write its text on a line of its own: '[^{label}]: The note.'",
                                          code="undefined-note")
    seen: set[str] = set()
    code = {n for t in tokens if t.type in ("fence", "code_block") and t.map for n in range(*t.map)}
    rows = [(n, row) for n, row in enumerate(text.splitlines()) if n not in code]  # an example is no definition
    for n, row in rows:
        label = NOTE_DEFINITION.match(row)
        if label and label.group(1) in seen:
            raise ManuscriptError(Location(source, first_line + n), f"the note '[^{label.group(1)}]' is defined twice",
                                  "give each note its own label; only one text can stand for a call", code="unused-note")
        seen.update([label.group(1)] if label else [])
    for key, used in defined.items():
        if used == -1:
            label = key[1:]
            line = next((n for n, row in rows if row.lstrip().startswith(f"[^{label}]:")), 0)
            raise ManuscriptError(Location(source, first_line + line), f"the note '[^{label}]' is defined but "
                                  "never called", f"put '[^{label}]' in the text where the note belongs, or delete "
                                  "the note", code="unused-note")


MAX_RUN = 2_000  # characters without a space: the longest web address browsers take; a 98,000-character run took 108 s
LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def check_lengths(tokens: list[Token], where, longest: int) -> None:
    for token in tokens:
        if token.type == "inline" and len(token.content) > longest:
            raise ManuscriptError(where(token), f"this paragraph has {len(token.content):,} characters, more than the "
                                  f"{longest:,} (about {longest // 2500} printed pages) one paragraph may have",
                                  "break it into paragraphs with blank lines", code="paragraph-too-long")
        if token.type == "inline" and (run := LONG_RUN.search(token.content)):
            raise ManuscriptError(where(token), f"this paragraph has a run of {len(run.group()):,} characters without "
                                  f"a space, more than the {MAX_RUN:,} a line can be broken out of in reasonable time",
                                  "put spaces in it (no web address is that long)", code="paragraph-too-long")


# pandoc's simple and multiline tables: a line of dash runs, one a column, under the header. CommonMark
# reads it as a scene break or a heading's underline, so the table would print as loose text.
PANDOC_TABLE = re.compile(r"^ {0,3}-{3,}(?: +-{3,})+ *$")
FENCE = re.compile(r"^ {0,3}(```|~~~)")


def check_pandoc_tables(text: str, source: Path, first_line: int) -> None:
    """A pandoc simple or multiline table is refused at its line, with the pandoc option that writes a
    table this tool reads instead."""
    fenced = False
    for number, line in enumerate(text.splitlines()):
        fenced = fenced != bool(FENCE.match(line))
        if not fenced and PANDOC_TABLE.match(line):
            raise ManuscriptError(Location(source, first_line + number), "a pandoc simple or multiline table "
                                  "(columns under a line of dashes) cannot be read: it would print as loose text",
                                  "convert again with 'pandoc -t markdown-simple_tables-multiline_tables' (pandoc "
                                  "then writes a pipe or grid table), or write a pipe table", code="pandoc-table")


def check_depth(tokens: list[Token], where) -> None:
    """Markdown nested deeper than sanitise.MAX_DEPTH (emphasis in emphasis, quotes in quotes, lists
    in lists) is refused as raw HTML that deep is: each level is a level of the layout's recursion."""
    level = 0
    for token in tokens:
        level += token.nesting
        deepest = max(itertools.accumulate(child.nesting for child in token.children or ()), default=0)
        if level + deepest > MAX_DEPTH:
            raise ManuscriptError(where(token), f"the Markdown here nests more than {MAX_DEPTH} levels deep (emphasis, "
                                  "links, quotes or lists inside each other)", "flatten it: the PDF layout recurses "
                                  "once per level", code="too-deep")


def unread(tokens: list[Token], where) -> list[Notice]:
    """Warnings for Markdown syntax left in a paragraph as text (the parser did not read it)."""
    found = []
    for token in tokens:
        if token.type != "inline":
            continue
        source = CODE_SPAN.sub("", token.content)
        text = "".join(c.content if c.type == "text" else "\n" for c in token.children or ()
                       if c.type in ("text", "softbreak"))
        for pattern, problem, fix in UNREAD:
            if pattern.search(source) and pattern.search(text):
                found.append(Notice(where(token), f"{problem}, printed as text", fix, code="literal-markdown"))
    return found


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
