"""The only reader of the manuscript: book folder -> validated Book. Errors carry file:line."""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
import warnings
from dataclasses import replace
from html import escape
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import yaml
from PIL import Image as Picture
from PIL import UnidentifiedImageError

from ..errors import Location, ManuscriptError, ResourceError
from ..inputs import check, check_name
from ..model import Book, Chapter, Figure, Image, Metadata, Section, Settings
from ..notices import Notices
from ..scripts import faces_for
from ..theme import Theme
from ..vocabulary import (
    BACK_MATTER,
    FRONT_MATTER,
    RESERVED_IDS,
    SCHEME,
    generated_ids,
    heading_id,
)
from .config import CONFIG_NAME, BookConfig, override, read_config
from .labels import ENGLISH, REFERENCE, Labels, labels_for, shipped
from .markup import Fragment, RawFigure, render_markdown
from .notes import gathered
from .text import check_characters, read_text

KINDS = (*FRONT_MATTER, "introduction", "part", "chapter", *BACK_MATTER)
PART = "part"  # a part's title page groups the chapters after it, up to the next part or other kind
FRONT_KEYS = ("title", "type")  # what a chapter's front matter may set
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
COVER_NAMES = ("images/cover.jpg", "images/cover.jpeg", "images/cover.png")
# WeasyPrint's time grows faster than the text with the anchors it tracks (the manual: Performance):
# 10,000 in 1 MB take about a minute; the 50,000 took four.
MAX_IDS = 10_000
BLOCK_ID = re.compile(r".+-p\d+")  # markup.number_blocks: every paragraph's id, for the page list
# Pillow's own bomb warning starts at 89 million pixels; 80 million is 25 by 35 inches at 300 ppi.
MAX_PIXELS = 80_000_000
DECODED: dict[bytes, tuple] = {}  # SHA-256 of a picture -> its format, mode and size (decoded())
MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I")  # what WeasyPrint's PDF writer can draw
CHAPTER_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # a chapter's file stem is its id and EPUB file name


def load_book(book_dir: Path, options: dict | None = None, notices: Notices | None = None) -> Book:
    """Read book.toml and every listed chapter; ``options`` are command-line output settings;
    problems the build survives go to ``notices``."""
    notices = notices if notices is not None else Notices()
    book_dir = book_dir.resolve()
    config = read_config(book_dir, notices)
    settings = override(config.path, config.settings, options or {})
    labels = labels_for(config.metadata.language, settings.labels)
    if labels.missing:
        language = config.metadata.language
        problem = (f"the tool has no labels in '{language}' ('Contents', 'Chapter 1' …): they are printed in English"
                   if labels.name == REFERENCE else f"the tool's labels in '{language}' lack {len(labels.missing)} "
                   f"entries, printed in English: {', '.join(labels.missing[:8])}" + " …" * (len(labels.missing) > 8))
        notices.warn(config.where("language"), problem, "give the labels under [labels] in book.toml (locales/en.toml "
                     f"lists them); the languages with labels of their own: {', '.join(shipped())}",
                     code="missing-labels")
    theme = Theme.for_book(book_dir, settings.limits)
    paths = chapter_paths(config, book_dir)
    chapters, fragments = [], []
    first_note = 1
    for name, path in paths.items():
        chapter, fragment = load_chapter(path, PurePosixPath(name).stem, settings, theme, notices, first_note,
                                         labels)
        chapters.append(chapter)
        fragments.append(fragment)
        first_note += fragment.notes if settings.note_numbering == "book" else 0
    chapters = grouped(chapters, settings)
    check_ids(chapters, fragments)
    targets = {path: (c, {i for i, _ in f.ids} | set(generated_ids(c.id)))
               for path, c, f in zip(paths.values(), chapters, fragments)}
    chapters = gathered([replace(c, body_html=linked(c, f, targets)) for c, f in zip(chapters, fragments)],
                        settings, labels, config.path)
    unlisted = sorted(p.name for p in book_dir.glob("*.md") if p.resolve() not in paths.values())
    for name in unlisted:
        notices.warn(book_dir / name, "this Markdown file is not in book.toml's 'chapters'",
                     "add it to 'chapters' to include it, or move it out of the book folder", code="unlisted-chapter")
    cover = next((image(theme, n) for n in COVER_NAMES if theme.candidate(n)), None)
    described = metadata(config, notices, labels)
    return Book(root=book_dir, metadata=described, chapters=tuple(chapters), cover=cover, settings=settings,
                faces=faces_for(printed_text(described, chapters, labels), described.language))


def printed_text(described: Metadata, chapters: list[Chapter], labels: Labels) -> str:
    """Everything the PDFs may print, for the scripts it is written in: the chapters, the book's
    metadata (its strings, and its contributors' names) and the labels."""
    strings = [value for value in vars(described).values() if isinstance(value, str)]
    strings += [c.name for c in described.contributors] + list(described.credits) + list(labels.words.values())
    return "".join(strings + [c.title + c.body_html for c in chapters])


def chapter_paths(config: BookConfig, book_dir: Path) -> dict[str, Path]:
    """book.toml's 'chapters' -> their files, each inside the book folder, with distinct ids, under the
    size limits: checked before a chapter is read."""
    where, paths, total, limits = config.where("chapters"), {}, 0, config.settings.limits
    for name in config.chapters:
        check_name(name, where)
        path = (book_dir / name).resolve()
        stem = PurePosixPath(name).stem
        if not path.is_relative_to(book_dir):
            raise ManuscriptError(where, f"chapter file '{name}' is outside the book folder",
                                  "move it into the book folder and list it by its relative path",
                                  code="chapter-outside-book")
        if not os.path.lexists(path):
            raise ManuscriptError(where, f"chapter file '{name}' does not exist",
                                  f"create {book_dir / name} or remove it from 'chapters'", code="missing-chapter")
        check(path, [book_dir], limits.file("chapter"))
        if not CHAPTER_ID.fullmatch(stem):
            raise ManuscriptError(where, f"chapter file name '{name}' cannot be an EPUB file name",
                                  "rename it to start with a letter and use only letters, digits, '-' and '_'",
                                  code="chapter-name")
        taken = [other for other in paths if PurePosixPath(other).stem.lower() == stem.lower()]
        if taken or stem.lower() in RESERVED_IDS:
            clash = f"'{taken[0]}'" if taken else "a page the build makes itself"
            raise ManuscriptError(where, f"chapter file '{name}' has the same name as {clash}",
                                  "rename one of them (chapter ids come from file names)", code="duplicate-chapter")
        total += path.stat().st_size
        if total > limits.manuscript_bytes:
            raise ManuscriptError(where, f"the chapters up to '{name}' are over {limits.manuscript_mb} MB, "
                                  "the most one build lays out", "split the book into volumes, or raise "
                                  "'limits.manuscript_mb' if you trust the book",
                                  code="chapter-too-large")
        paths[name] = path
    return paths


def metadata(config: BookConfig, notices: Notices, labels: Labels = ENGLISH) -> Metadata:
    note = render_markdown(config.editorial_note, config.path, {}, "colophon-note",
                           first_line=config.where("editorial_note").line or 1, labels=labels)
    check_links(note)
    check_ids([], [note])
    notices.extend(n for n in note.removed if n not in notices)
    return replace(config.metadata, editorial_note_html=note.html)


def grouped(chapters: list[Chapter], settings: Settings) -> list[Chapter]:
    """Chapters numbered (through the book, or from 1 in each part) and given the part they follow."""
    part, number, result = None, 0, []
    for chapter in chapters:
        if chapter.kind == PART:
            part = chapter.id
            number = 0 if settings.numbering == PART else number
        elif chapter.kind != "chapter":
            part = None
        else:
            number += 1
        result.append(replace(chapter, number=number if chapter.kind == "chapter" else None,
                              part=part if chapter.kind == "chapter" else None))
    return result


def linked(chapter: Chapter, fragment: Fragment, targets: dict[Path, tuple[Chapter, set[str]]]) -> str:
    """Links to another chapter's file (``letters.md#walton``, ``letters.md``) checked and pointed at
    the id, unique in the book: the PDFs use it as is, the EPUB adds the file it lies in."""
    html = chapter.body_html
    for href, where in fragment.links:
        if href.startswith("#") or SCHEME.match(href):
            continue
        name, _, anchor = href.partition("#")
        target, ids = targets.get((chapter.source.parent / unquote(name)).resolve(), (None, set()))
        if target is None:
            raise ManuscriptError(where, f"the link '{href}' points to a file that is not a chapter of the book",
                                  "link to a chapter listed in book.toml ('chapter-3.md#id'), to an anchor here "
                                  "('#id') or to a full http(s) URL", code="broken-link")
        if anchor and anchor not in ids:
            raise ManuscriptError(where, f"the link '{href}' points to an anchor that does not exist in "
                                  f"'{name}'", f"give the target an id there, e.g. '[text]{{#{anchor}}}'",
                                  code="broken-link")
        html = html.replace(f'href="{escape(href)}"', f'href="#{anchor or target.id}"')
    return html


def load_chapter(path: Path, chapter_id: str, settings: Settings, theme: Theme,
                 notices: Notices, first_note: int = 1, labels: Labels = ENGLISH) -> tuple[Chapter, Fragment]:
    """One chapter; its first note shows ``first_note`` ([structure] note_numbering "book"); straight
    quotes become the quotation marks of ``labels``' language."""
    text = read_text(path, notices, settings.limits.file("chapter"), theme.roots[0].path)
    fragment = render_markdown(text, path, settings.speakers, chapter_id,
                               longest=settings.limits.paragraph_characters, first_note=first_note, labels=labels)
    notices.extend(n for n in fragment.removed + fragment.unread if n not in notices)
    front = front_matter(fragment.front_matter, path)
    kind = front.get("type", "chapter")
    if kind not in KINDS:
        raise ManuscriptError(Location(path, 2), f"unknown type '{kind}'", f"use one of {', '.join(KINDS)}",
                              code="front-matter")
    if not str(front.get("title", "")).strip():
        raise ManuscriptError(Location(path, 1), "the chapter has no title",
                              "add front matter: '---', 'title: …', '---' at the top", code="front-matter")
    if not fragment.html.strip() and kind not in (PART, "halftitle"):
        raise ManuscriptError(Location(path, text.count("\n") + 1), "the chapter is empty",
                              "write its text below the front matter, or remove it from 'chapters'",
                              code="empty-chapter")
    check_characters(str(front["title"]), path, 2)
    check_links(fragment, {chapter_id, heading_id(chapter_id)}, files=True)
    chapter = Chapter(
        id=chapter_id,
        kind=kind,
        title=str(front["title"]).strip(),
        number=None,
        body_html=fragment.html,
        figures=tuple(figure(raw, theme) for raw in fragment.figures),
        source=path,
        sections=tuple(Section(i, title) for i, title in fragment.sections),
        first_note=first_note,
    )
    return chapter, fragment


def check_links(fragment: Fragment, own: frozenset[str] | set[str] = frozenset(), files: bool = False) -> None:
    """Links go to an anchor of their own text (#id), to the web, or (with ``files``, from a chapter)
    to another chapter, which linked() checks once every chapter is read. ``own`` are ids the
    templates give the chapter itself."""
    ids = {i for i, _ in fragment.ids} | own
    for href, where in fragment.links:
        if href.startswith("#") and href[1:] not in ids:
            raise ManuscriptError(where, f"the link '{href}' points to an anchor that does not exist in this chapter",
                                  f"give the target an id, e.g. '[text]{{{href}}}', or fix the link",
                                  code="broken-link")
        if not href.startswith("#") and not SCHEME.match(href) and not files:
            raise ManuscriptError(where, f"the link '{href}' points to a file",
                                  "link to an anchor in this chapter ('#id') or to a full http(s) URL",
                                  code="broken-link")


def check_ids(chapters: list[Chapter], fragments: list[Fragment]) -> None:
    """Ids are unique across the book: the PDFs set every chapter in one document."""
    owners: dict[str, str] = {}
    for chapter in chapters:
        owners.update(dict.fromkeys(generated_ids(chapter.id), f"made by the build for '{chapter.source.name}'"))
    owners.update(dict.fromkeys(RESERVED_IDS, "used by the build's own pages"))  # figure ids are in the fragment
    count = 0  # the ids the manuscript writes itself, not those markup.py numbers its blocks with
    for fragment in fragments:
        for element_id, where in fragment.ids:
            if element_id in owners:
                raise ManuscriptError(where, f"the id '{element_id}' is already {owners[element_id]}",
                                      "give this element another id", code="duplicate-id")
            owners[element_id] = f"used at {where}"
            count += not BLOCK_ID.fullmatch(element_id)
            if count > MAX_IDS:
                raise ManuscriptError(where.path, f"the book has more than {MAX_IDS:,} ids (anchors), the most one "
                                      "build lays out", "keep ids for what links point to, or split the book into "
                                      "volumes", code="too-many-ids")


def front_matter(text: str, path: Path) -> dict:
    """The chapter's 'key: value' lines: only FRONT_KEYS, plain values, no YAML anchors, aliases or
    tags (an alias bomb grows a few lines into gigabytes; a tag asks for a Python object) and no
    nesting at all, all checked on the parser's events before anything is built."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader) if text else ():
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            mark = Location(path, event.start_mark.line + 2)
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) or explicit_tag(event):
                raise ManuscriptError(mark, "front matter uses a YAML anchor, alias or tag ('&', '*', '!')",
                                      "write plain 'key: value' lines", code="front-matter")
            if depth > 1:
                raise ManuscriptError(mark, "front matter values must be plain text, not lists or tables",
                                      "write e.g. 'title: Introduction'", code="front-matter")
        data = yaml.safe_load(text) if text else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManuscriptError(Location(path, mark.line + 2 if mark else 1), "front matter is not valid YAML",
                              "write 'key: value' lines between the two '---' lines", code="front-matter") from None
    if not isinstance(data, dict):
        raise ManuscriptError(Location(path, 2), "front matter is not a set of 'key: value' lines",
                              "write e.g. 'title: Introduction' between the two '---' lines", code="front-matter")
    for key in data:
        if key not in FRONT_KEYS:
            close = difflib.get_close_matches(str(key), FRONT_KEYS, n=1)
            raise ManuscriptError(Location(path, front_line(text, key)), f"unknown front matter key '{key}'",
                                  f"did you mean '{close[0]}'?" if close else f"use {' or '.join(FRONT_KEYS)}",
                                  code="front-matter")
    return data


def explicit_tag(event) -> bool:
    """A tag written in the text ('!x', '!!python/object'); PyYAML marks inferred ones implicit."""
    tag, implicit = getattr(event, "tag", None), getattr(event, "implicit", True)
    return tag is not None and not (implicit is True or (isinstance(implicit, tuple) and any(implicit)))


def front_line(text: str, key) -> int:
    """The line of the chapter (front matter starts on line 2) where ``key`` is set."""
    return next((n for n, line in enumerate(text.splitlines(), 2) if line.startswith(str(key))), 2)


def figure(raw: RawFigure, theme: Theme) -> Figure:
    """The figure's picture; its src is a URL (Markdown percent-encodes 'résumé.jpg'), its file the
    decoded name."""
    href = PurePosixPath(unquote(raw.src))
    if href.is_absolute() or ".." in href.parts or "://" in raw.src or href.parts[:1] != ("images",):
        raise ResourceError(raw.where, f"image path '{raw.src}' is not inside images/",
                            "put the file in the book's images/ folder and write 'images/NAME'", code="outside-book")
    return Figure(id=raw.id, image=image(theme, str(href), raw.where), alt=raw.alt,
                  caption_html=raw.caption_html, credit=raw.credit, where=raw.where)


def image(theme: Theme, href: str, where: Location | None = None) -> Image:
    """A JPEG or PNG whose content is what its name says, of a size and colour mode every output can
    use, decoded once to be sure it is whole. Its header is read before its pixels: a decompression
    bomb (a small file of billions of pixels) is refused before it is decoded."""
    path = theme.require(href, where)
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise ResourceError(where or path, f"'{href}' is not a JPEG or PNG",
                            "convert it to .jpg (photographs) or .png (drawings)", code="bad-image")
    data = theme.read(href, where)
    try:
        actual, mode, size = decoded(data, media_type)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ResourceError(where or path, f"'{href}' cannot be read as an image ({exc})",
                            "export it again as JPEG or PNG", code="bad-image") from None
    if actual != PILLOW_FORMATS[media_type]:
        raise ResourceError(where or path, f"'{href}' is a {actual} file named {path.suffix}",
                            f"convert it to {PILLOW_FORMATS[media_type]}, or rename it to match", code="bad-image")
    if size[0] * size[1] > MAX_PIXELS:
        raise ResourceError(where or path, f"'{href}' has more than {MAX_PIXELS / 1e6:g} million pixels, the most "
                            "an image may have", "scale it to the size it prints at (300 ppi)", code="bad-image")
    if mode not in MODES:
        raise ResourceError(where or path, f"'{href}' has the colour mode {mode}, which the PDF cannot use",
                            "save it as 8-bit RGB or greyscale", code="bad-image")
    return Image(href=href, path=path, media_type=media_type)


def decoded(data: bytes, media_type: str) -> tuple[str, str, tuple[int, int]]:
    """The format, colour mode and size of a picture, decoded once per process for each content
    (a book may show one picture many times): image() without its checks."""
    key = hashlib.sha256(data).digest() + media_type.encode()
    if key not in DECODED:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Picture.DecompressionBombWarning)
                with Picture.open(io.BytesIO(data)) as picture:
                    actual, mode, size = picture.format, picture.mode, picture.size
                    if size[0] * size[1] <= MAX_PIXELS and mode in MODES:
                        picture.load()
        except (Picture.DecompressionBombWarning, Picture.DecompressionBombError):
            size, actual, mode = (MAX_PIXELS + 1, 1), PILLOW_FORMATS[media_type], "RGB"
        DECODED[key] = actual, mode, size
    return DECODED[key]


def locate(book: Book, text: str) -> Location | None:
    """The first line of the manuscript (the chapters in order, then book.toml) holding ``text``."""
    for path in [c.source for c in book.chapters] + [book.root / CONFIG_NAME]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text in line:
                return Location(path, number)
    return None
