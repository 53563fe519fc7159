"""The only reader of the manuscript: book folder -> validated Book. Errors carry file:line."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath

import yaml

from .config import CONFIG_NAME, BookConfig, override, read_config
from .errors import Location, ManuscriptError, ResourceError
from .markup import RawFigure, render_markdown
from .model import Book, Chapter, Figure, Image, Metadata
from .notices import Notices
from .theme import Theme

KINDS = ("introduction", "chapter", "appendix")
MEDIA_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
COVER_NAMES = ("images/cover.jpg", "images/cover.jpeg", "images/cover.png")


def load_book(book_dir: Path, options: dict | None = None, notices: Notices | None = None) -> Book:
    """Read book.toml and every listed chapter; ``options`` are command-line output settings;
    problems the build survives go to ``notices``."""
    notices = notices if notices is not None else Notices()
    book_dir = book_dir.resolve()
    config = read_config(book_dir)
    settings = override(config.path, config.settings, options or {})
    theme = Theme.for_book(book_dir)
    chapters = []
    for name in config.chapters:
        number = sum(1 for c in chapters if c.kind == "chapter") + 1
        chapters.append(load_chapter(config, book_dir, name, number, theme))
    unlisted = sorted(p.name for p in book_dir.glob("*.md") if p.name not in config.chapters)
    for name in unlisted:
        notices.warn(book_dir / name, "this Markdown file is not in book.toml's 'chapters'",
                     "add it to 'chapters' to include it, or move it out of the book folder")
    cover = next((image(theme.find(n), n) for n in COVER_NAMES if theme.find(n)), None)
    return Book(root=book_dir, metadata=metadata(config), chapters=tuple(chapters), cover=cover,
                settings=settings)


def metadata(config: BookConfig) -> Metadata:
    note = render_markdown(config.editorial_note, config.path, {}, "colophon-note",
                           first_line=config.where("editorial_note").line or 1)
    return replace(config.metadata, editorial_note_html=note.html)


def load_chapter(config: BookConfig, book_dir: Path, name: str, number: int, theme: Theme) -> Chapter:
    path = book_dir / name
    if not path.is_file():
        raise ManuscriptError(config.where("chapters"), f"chapter file '{name}' does not exist",
                              f"create {path} or remove it from 'chapters'")
    text = path.read_bytes().decode("utf-8")
    chapter_id = PurePosixPath(name).stem
    fragment = render_markdown(text, path, config.settings.speakers, chapter_id)
    front = front_matter(fragment.front_matter, path)
    kind = front.get("type", "chapter")
    if kind not in KINDS:
        raise ManuscriptError(Location(path, 2), f"unknown type '{kind}'", f"use one of {', '.join(KINDS)}")
    if not str(front.get("title", "")).strip():
        raise ManuscriptError(Location(path, 1), "the chapter has no title",
                              "add front matter: '---', 'title: …', '---' at the top")
    return Chapter(
        id=chapter_id,
        kind=kind,
        title=str(front["title"]).strip(),
        number=number if kind == "chapter" else None,
        body_html=fragment.html,
        figures=tuple(figure(raw, theme) for raw in fragment.figures),
        source=path,
    )


def front_matter(text: str, path: Path) -> dict:
    try:
        data = yaml.safe_load(text) if text else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise ManuscriptError(Location(path, mark.line + 2 if mark else 1), "front matter is not valid YAML",
                              "write 'key: value' lines between the two '---' lines") from None
    if not isinstance(data, dict):
        raise ManuscriptError(Location(path, 2), "front matter is not a set of 'key: value' lines",
                              "write e.g. 'title: Introduction' between the two '---' lines")
    return data


def figure(raw: RawFigure, theme: Theme) -> Figure:
    href = PurePosixPath(raw.src)
    if href.is_absolute() or ".." in href.parts or "://" in raw.src or href.parts[:1] != ("images",):
        raise ResourceError(raw.where, f"image path '{raw.src}' is not inside images/",
                            "put the file in the book's images/ folder and write 'images/NAME'")
    path = theme.require(str(href), raw.where)
    return Figure(id=raw.id, image=image(path, str(href), raw.where), alt=raw.alt,
                  caption_html=raw.caption_html, credit=raw.credit, where=raw.where)


def image(path: Path, href: str, where: Location | None = None) -> Image:
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise ResourceError(where or path, f"'{href}' is not a JPEG or PNG",
                            "convert it to .jpg (photographs) or .png (drawings)")
    return Image(href=href, path=path, media_type=media_type)


def locate(book: Book, text: str) -> Location | None:
    """The first line of the manuscript (the chapters in order, then book.toml) holding ``text``."""
    for path in [c.source for c in book.chapters] + [book.root / CONFIG_NAME]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if text in line:
                return Location(path, number)
    return None
