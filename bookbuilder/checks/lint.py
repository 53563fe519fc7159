"""The manuscript lint of 'make-book check': what builds but a careful editor would still fix.

It reads the book folder itself, not the loaded Book, so it still reports when the build fails.
Every rule has a stable code (Standard Ebooks' habit), so CI can count and filter findings:

  lint-alt    error    a picture without alt text (a screen reader says nothing, or the file name)
  lint-link   error    a link to an anchor or file the outputs do not have
  lint-quote  warning  a straight quote the typography cannot curl (it prints as " or ')
  lint-name   warning  a contributor's name spelled another way
  lint-editor warning  a note for the editor ('EDITOR:', as make-book import writes them) still there
  lint-order  warning  front matter listed after the text it comes before in most books
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml

from ..errors import BookError, Location
from ..manuscript.config import read_config
from ..manuscript.labels import ENGLISH, labels_for
from ..manuscript.load import chapter_paths
from ..manuscript.markup import parser, render_markdown
from ..manuscript.text import EDITOR_MARK, misspelt, read_text
from ..model import Settings
from ..notices import Notices
from ..scripts import foreign_script, language_script, script_name
from ..vocabulary import FRONT_MATTER, SCHEME, heading_id

STRAIGHT = "\"'"
CONFIG_TEXTS = ("title", "subtitle", "publisher", "source", "rights", "description")
CAPITALISED = re.compile(r"[A-Z][\w-]+")
NAMED_BY_LINT = {"no-alt", "broken-link"}  # build errors that lint-alt and lint-link report in their own words
QUOTES = "\"'“”‘’«»"


CODE_SPAN = re.compile(r"`[^`]*`")


def lint_book(book_dir: Path, notices: Notices) -> None:
    config = read_config(book_dir.resolve(), notices)
    marks = " ".join(labels_for(config.metadata.language, config.settings.labels).quotes)
    for key in CONFIG_TEXTS:
        value = getattr(config.metadata, key)
        if any(q in value for q in STRAIGHT):
            notices.add("warning", config.where(key), f"straight quote in '{key}' (book.toml text is printed as "
                        "written)", f"type the quotation marks of the book's language, {marks}, in book.toml", "lint-quote")
    names = [part for person in config.metadata.contributors for part in person.name.split() if len(part) >= 4]
    lint_lines(config.path, config.path.read_text(encoding="utf-8"), names, notices)
    try:  # only what the build would read: a chapter it refuses is an error of the report
        paths = chapter_paths(config, config.path.parent)
        texts = {name: read_text(path, Notices(), config.settings.limits.file("chapter"), config.path.parent)
                 for name, path in paths.items()}
        kinds = {name: lint_chapter(path, texts[name], config.settings, names, notices, set(paths.values()), marks)
                 for name, path in paths.items()}
        for name, path in paths.items():
            lint_script(path, texts[name], config.metadata.language, config.where("language"), notices)
        lint_order(kinds, config.where("chapters"), notices)
    except BookError as exc:
        notices.error(exc)


def lint_lines(path: Path, text: str, names: list[str], notices: Notices) -> None:
    """Rules that read raw lines: editor's notes left in, contributors' names spelled other ways."""
    for number, line in enumerate(text.splitlines(), 1):
        where = Location(path, number)
        if EDITOR_MARK in CODE_SPAN.sub("", line):  # a manual that shows the mark in code is not left a note
            note = CODE_SPAN.sub("", line).split(EDITOR_MARK, 1)[1].strip()
            notices.add("warning", where, f"a note for the editor is still here ({note})",
                        "do what it asks, then delete the note", "lint-editor")
        for match in CAPITALISED.finditer(line):
            word = re.sub(r"['’]s$", "", match.group())
            quoted = line[match.start() - 1:match.start()] in QUOTES and line[match.end():match.end() + 1] in QUOTES
            name = None if quoted else misspelt(word, names)
            if name:
                notices.add("warning", where, f"'{word}' looks like another spelling of the contributor name "
                            f"'{name}'", f"write '{name}' (quote the word if the variant is meant)", "lint-name")




def lint_script(path: Path, text: str, language: str, where: Location, notices: Notices) -> None:
    """A chapter mostly in another script than book.toml's language is written in: its hyphenation,
    quotation marks, faces and screen reader's voice are the wrong language's."""
    found = foreign_script(text, language)
    if found:
        code, most, letters = found
        notices.add("warning", Location(path, 1), f"{most:,} of the chapter's {letters:,} letters are in "
                    f"{script_name(code)} script, but book.toml's language '{language}'"
                    + (f" (line {where.line})" if where and where.line else "")
                    + f" is written in {script_name(language_script(language))}", "set book.toml's language to the text's, or mark a "
                    "passage in another language with its tag ([…]{lang=kk}, ::: {lang=kk})", "lint-script")


def lint_order(kinds: dict[str, str], where: Location, notices: Notices) -> None:
    """Front matter listed after a chapter that most books set after it (a preface after the
    introduction): the outputs keep book.toml's order, so it is set there; said once, at 'chapters'."""
    order = (*dict.fromkeys(FRONT_MATTER.values()), None)
    rank = lambda kind: order.index(FRONT_MATTER.get(kind))  # noqa: E731
    latest = None  # of the chapters listed so far, one most books set last
    for name, kind in kinds.items():
        if latest and rank(kind) < rank(kinds[latest]):
            notices.add("warning", where, f"'{name}' (type {kind}) is listed after '{latest}' (type {kinds[latest]}), so "
                        "every output sets it there" + (", in the body" if FRONT_MATTER.get(kinds[latest]) is None
                                                         else ""),
                        "list it before, as most books do (half title; dedication, epigraph; foreword, preface, "
                        "note on the text; then the text), or keep this order if it is meant", "lint-order")
        else:
            latest = name


def lint_chapter(path: Path, text: str, settings: Settings, names: list[str], notices: Notices,
                 chapters: set[Path] = frozenset(), marks: str = " ".join(ENGLISH.quotes)) -> str:
    """``chapters``: the book's chapter files, which a link may name (the build checks their anchors);
    ``marks``: the quotation marks of the book's language. The chapter's type (front matter's
    'type'), for lint_order."""
    lines = text.splitlines()
    lint_lines(path, text, names, notices)
    chapter_id = PurePosixPath(path.name).stem
    try:
        html = render_markdown(text, path, settings.speakers, chapter_id,
                               longest=settings.limits.paragraph_characters).html
    except BookError as exc:  # the build names it too; the anchors are then read off the text itself
        if exc.code not in NAMED_BY_LINT:
            notices.error(exc)
        html = text
    anchors = {chapter_id, heading_id(chapter_id), *(a or b for a, b in re.findall(r'\bid="([^"]+)"|\{#([\w-]+)\}', html))}
    kind = "chapter"
    for token in parser().parse(text):
        if token.type == "front_matter":
            kind = lint_front_matter(path, token.content, notices, marks)
        if token.type != "inline":
            continue
        first = token.map[0] if token.map else 0
        for child in token.children or ():
            if child.type == "image" and not child.content.strip():
                notices.add("error", Location(path, first + 1), f"the picture '{child.attrs.get('src')}' has no "
                            "alt text", "write what it shows between the brackets: ![what it shows](images/…)",
                            "lint-alt")
            elif child.type == "link_open":
                href = str(child.attrs.get("href", ""))
                lint_link(href, anchors, Location(path, find_line(lines, token.map, f"]({href}")), notices,
                          chapters, path.parent)
            elif child.type == "text" and any(q in child.content for q in STRAIGHT):
                line = find_line(lines, token.map, after_quote(child.content))
                notices.add("warning", Location(path, line), f"straight quote left in '{excerpt(child.content)}'",
                            f"close the quotation, or type the quotation mark you mean ({marks})", "lint-quote")
    return kind


def lint_front_matter(path: Path, front: str, notices: Notices, marks: str) -> str:
    """Straight quotes in the title; the chapter's type."""
    try:
        fields = yaml.safe_load(front) or {}
        title, kind = str(fields.get("title", "")), str(fields.get("type", "chapter"))
    except (yaml.YAMLError, AttributeError):
        return "chapter"  # the build names the broken front matter
    if any(q in title for q in STRAIGHT):
        line = next((n for n, text in enumerate(front.splitlines(), 2) if text.startswith("title")), 2)
        notices.add("warning", Location(path, line), "straight quote in the title (titles are printed as written)",
                    f"type the quotation marks of the book's language, {marks}, in the title", "lint-quote")
    return kind


def lint_link(href: str, anchors: set[str], where: Location, notices: Notices, chapters: set[Path] = frozenset(),
              folder: Path = Path()) -> None:
    if SCHEME.match(href):  # https:, mailto: … (not checked: no network)
        return
    if not href.startswith("#") and (folder / unquote(href.partition("#")[0])).resolve() in chapters:
        return  # another chapter of the book: its anchor is checked by the build, which reads every chapter
    if not href.startswith("#"):
        notices.add("error", where, f"the link '{href}' points at a file that is not a chapter of the book",
                    "link to a chapter listed in book.toml ('chapter-3.md#id'), to an anchor in this chapter "
                    "(#id) or to a web address (https://…)", "lint-link")
    elif href[1:] not in anchors:
        known = ", ".join(sorted("#" + a for a in anchors))
        notices.add("error", where, f"the link '{href}' points at an anchor this chapter does not have",
                    f"use one of {known}", "lint-link")


def find_line(lines: list[str], block: list[int] | None, probe: str) -> int:
    """The line (1-based) of a paragraph (``block``: its first and past-last line) holding ``probe``."""
    start, end = block or (0, len(lines))
    return next((n + 1 for n in range(start, end) if probe and probe in lines[n]), start + 1)


def after_quote(text: str) -> str:
    """The source text from the first straight quote up to the next character typography changed."""
    at = next(i for i, c in enumerate(text) if c in STRAIGHT)
    return re.split(r"[“”‘’–—…]", text[at:at + 20])[0].strip()


def excerpt(text: str) -> str:
    """About 40 characters around the first straight quote."""
    at = next(i for i, c in enumerate(text) if c in STRAIGHT)
    return text[max(0, at - 20):at + 20].strip()

