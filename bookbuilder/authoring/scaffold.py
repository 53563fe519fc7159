"""Writing book folders: the starter book of 'make-book new', and the folder 'make-book import' makes.

Both write book.toml from one commented template (starter/book.toml.j2), so every key is explained
the same way wherever a book folder comes from.
"""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path

import jinja2

from .. import inputs
from ..errors import BookError, Location, ManuscriptError, OutputError
from ..manuscript.config import CONFIG_NAME
from ..manuscript.labels import filled, labels_for, table
from ..manuscript.text import EDITOR_MARK, check_characters
from ..render.artwork import placeholder_jpeg
from ..render.sandbox import Sandbox
from ..render.templates import jinja2_environment, render_template
from ..theme import DEFAULTS

STARTER = DEFAULTS / "starter"
STARTER_CHAPTERS = ("introduction.md", "chapter-1.md")
STARTER_IMAGE = "images/sample-figure.jpg"
BOOK_KEYS = ("title", "subtitle", "publisher", "source", "rights", "description", "subjects", "editorial_note")


def toml(value) -> str:
    """A Python value as TOML text. JSON strings are TOML basic strings; notes get a multi-line string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml(v) for v in value) + "]"
    if isinstance(value, str) and "\n" in value:
        return '"""\n' + value.replace("\\", "\\\\").replace('"""', '\\"""') + '"""'
    return json.dumps(value, ensure_ascii=False)


def environment() -> Sandbox:
    """The starter's templates write TOML and Markdown: not escaped as HTML."""
    env = jinja2_environment(jinja2.FileSystemLoader(str(STARTER)), autoescape=False)
    env.filters["toml"] = toml
    return env


def book_toml(folder: Path, values: dict, contributors: list[dict], speakers: dict[str, str],
              marks: dict[str, str] | None = None, structure: dict | None = None) -> str:
    """book.toml text; ``values`` are [book] keys, ``marks`` end a key's line (a note for the editor),
    ``structure`` the [structure] keys that differ from the defaults."""
    shown = {key: toml(values.get(key, [] if key == "subjects" else "")) for key in BOOK_KEYS}
    shown.update({key: toml(values[key]) for key in ("language", "identifier", "date", "chapters")})
    people = [{key: toml(person[key]) for key in ("name", "role", "sort_as")} for person in contributors]
    notes = {key: f"  # {marks[key]}" if marks and key in marks else "" for key in ("title", "subtitle", "date")}
    return render_template(environment(), "book.toml.j2", folder=folder, contributors=people,
                           speakers={k: toml(v) for k, v in speakers.items()}, marks=notes,
                           structure={k: toml(v) for k, v in (structure or {}).items()}, **shown)


def imported_text(path: Path, code: str) -> str:
    """The text of a file 'make-book import' reads: a regular UTF-8 file no larger than a book may be
    (inputs.py); problems are the error ``code``."""
    try:
        data = inputs.read(path, [path.resolve().parent], inputs.LIMITS["transcript"])
    except BookError as exc:
        raise ManuscriptError(path, exc.problem, exc.fix, code=code) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ManuscriptError(Location(path, data.count(b"\n", 0, exc.start) + 1), "the file is not UTF-8 "
                              f"text (byte 0x{data[exc.start]:02X} at byte offset {exc.start})",
                              "save it as UTF-8 plain text (a Word file: Save As, Plain Text, UTF-8)",
                              code=code) from None
    check_characters(text, path)  # a binary file can be valid UTF-8
    return text


def render_part(name: str, **values) -> str:
    """A Markdown file from a starter template (the import's parts)."""
    return render_template(environment(), name, **values)


def claim(folder: Path) -> None:
    """A book folder is made in a new or empty folder only: nothing of the author's is overwritten."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise OutputError(folder, "the folder already exists and is not empty",
                          "give the name of a new folder (make-book never writes over a book)",
                          code="folder-not-empty")


def write_folder(folder: Path, texts: dict[str, str], pictures: dict[str, list[str]],
                 files: dict[str, bytes] | None = None) -> None:
    """Write ``texts`` (relative path -> text), a placeholder picture per ``pictures`` entry
    (relative path -> the words it shows) and ``files`` (relative path -> bytes)."""
    claim(folder)
    try:
        for relative, text in texts.items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_text(text, encoding="utf-8")
        for relative, words in pictures.items():
            placeholder_jpeg(folder / relative, words)
        for relative, data in (files or {}).items():
            (folder / relative).parent.mkdir(parents=True, exist_ok=True)
            (folder / relative).write_bytes(data)
    except OSError as exc:
        raise OutputError(folder, f"cannot write the book folder ({exc.strerror})",
                          "choose a folder you can write to", code="output-folder") from None


def new_book(folder: Path, title: str, author: str, language: str, today: datetime.date) -> list[str]:
    """The starter book: book.toml, an introduction and a chapter with a figure; returns the files made."""
    labels = labels_for(language)
    words = table(labels.name).get("starter") if labels.own else None  # English: the starter/ files
    values = {"title": title, "language": language, "identifier": f"urn:uuid:{uuid.uuid4()}", "date": today,
              "chapters": list(STARTER_CHAPTERS), "rights": f"© {today.year} {author}. {labels['rights_reserved']}",
              "description": filled(words["description"], title=title, author=author) if words
              else f"{title}, by {author}."}
    texts = {CONFIG_NAME: book_toml(folder, values, [{"name": author, "role": "author", "sort_as": sort_as(author)}],
                                    {})}
    texts.update({name: render_part(f"{name}.j2", words=words) if words else
                  (STARTER / name).read_text(encoding="utf-8") for name in STARTER_CHAPTERS})
    write_folder(folder, texts, {STARTER_IMAGE: ["Your picture here:", STARTER_IMAGE]})
    return [*texts, STARTER_IMAGE]


def sort_as(name: str) -> str:
    """'Ada Lovelace' -> 'Lovelace, Ada': how Western names are filed; edit it in book.toml otherwise."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def chapter_file(title: str, kind: str, body: str, notes: list[tuple[str, str]], mark: str = "") -> str:
    """An imported chapter: front matter (``mark`` ends the title's line: a note for the editor), the
    text, and its notes' definitions ((label, Markdown)), later paragraphs indented four spaces."""
    definitions = []
    for label, note in notes:
        first, *rest = note.split("\n")
        definitions.append("\n".join([f"[^{label}]: {first}", *(f"    {line}" if line.strip() else "" for line in rest)]))
    front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}{mark}\ntype: {kind}\n---\n\n"
    return front + "\n\n".join(filter(None, [body, *definitions])) + "\n"


def write_imported(folder: Path, source: str, values: dict, authors: list[str], changes: list[str],
                   chapters: dict[str, str], structure: dict | None = None, files: dict[str, bytes] | None = None
                   ) -> list[str]:
    """An imported book folder: book.toml (title and date marked for the editor, the changes as the
    editorial note), the chapters and ``files``; returns the files made."""
    marks = {key: f"{EDITOR_MARK} proposed by make-book import; check it" for key in ("title", "date")}
    people = [{"name": a, "role": "author", "sort_as": a} for a in authors]
    values = {**values, "editorial_note": "\n".join([f"Converted from {source} by make-book import:", "",
                                                     *(f"- {change}" for change in changes), ""]) if changes else ""}
    texts = {CONFIG_NAME: book_toml(folder, values, people, {}, marks, structure), **chapters}
    write_folder(folder, texts, {}, files)
    return [*texts, *(files or {})]
