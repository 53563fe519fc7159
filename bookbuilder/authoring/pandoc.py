"""Turn a Markdown file that pandoc wrote from a book (its HTML or EPUB, with `-t markdown` or
`-t commonmark_x`) into a book folder, with nothing of the text lost.

pandoc keeps the book's sections as fenced divs (`::: {#letter-1 .section .chapter epub:type="chapter"}`);
each becomes a chapter file whose type comes from the section's class or epub:type, whose title is its
first heading, and whose name is the section's id. A file without sections is split at its top
headings. The pages the build makes itself (title page, imprint, colophon, contents) are left out;
the notes section's notes go to the chapters that call them, as the tool's notes. Classes and
attributes the build does not set are unwrapped, their text kept; every such change is counted in the
report, which is also the book's editorial note.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ManuscriptError
from ..manuscript.load import CHAPTER_ID
from ..vocabulary import RESERVED_IDS
from .pandoc_inlines import NOTE_CALL, Attrs, Inlines, local_id, note_label, parse_attrs, plain
from .scaffold import chapter_file, imported_text, write_imported

# A section's kind, by the first of its classes or epub:type words this table knows.
KINDS = {"halftitle": None, "titlepage": None, "halftitlepage": None, "imprint": None, "colophon": None,
         "copyright-page": None, "uncopyright": None, "toc": None, "landmarks": None, "loi": None, "lot": None,
         "cover": None, "index": None, "endnotes": "notes", "footnotes": "notes", "rearnotes": "notes",
         "dedication": "dedication", "epigraph": "epigraph", "foreword": "foreword", "preface": "preface",
         "introduction": "introduction", "part": "part", "division": "part", "volume": "part",
         "chapter": "chapter", "prologue": "chapter", "epilogue": "chapter", "conclusion": "chapter",
         "appendix": "appendix", "bibliography": "appendix", "glossary": "appendix", "afterword": "afterword",
         "acknowledgments": "acknowledgements", "acknowledgements": "acknowledgements"}
KEPT_DIVS = ("figure", "table", "letter", "epigraph")  # the divs a chapter may have (manuscript/markup.py)
FENCE = re.compile(r"^(?P<lead>(?:[ ]{0,3}>)*[ ]*(?:(?:[-*+]|\d+[.)])[ ]+)?)(?P<colons>:{3,})[ \t]*(?P<spec>\{[^{}]*\}|[^\s{}:]+)?[ \t]*:*\s*$")
CODE_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
GRID_BORDER = re.compile(r"^\+[-=:+]*-[-=:+]*\+[ \t]*$")
PICTURE_OR_ANCHOR = re.compile(r"!\[[^\]]*\]\([^)]*\)(\{[^}]*\})?|\[\]\{[^}]*\}")
FILE_ANCHOR = re.compile(r"\.x?html$")
ANCHOR = re.compile(r"^\[\]\{#(?P<id>[^\s}]+)\}\s*$")
HEADING = re.compile(r"^(?P<level>#{1,6})[ \t]+(?P<text>.*?)(?:[ \t]+\{(?P<attrs>[^{}]*)\})?[ \t]*$")
NUMERAL = re.compile(r"^(?:[IVXLCDM]+|\d+)\.?$")  # a heading that is only a number: its title follows
NOTE_DEFINITION = re.compile(r"^\[\^(?P<label>[^\]\s]+)\]:[ \t]?(?P<rest>.*)$")
LIST_ITEM = re.compile(r"^(?P<number>\d+)[.)][ \t]+(?P<rest>.*)$")
METADATA = re.compile(r"\A---\n(?P<yaml>.*?\n)(?:---|\.\.\.)\n", re.DOTALL)
MAX_METADATA = 100_000  # characters of the YAML block read for the title, author and language


@dataclass
class Piece:
    """One section of the source: a chapter file to be."""
    attrs: Attrs
    lines: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str | None:
        return next((KINDS[t] for t in self.attrs.tokens() if t in KINDS), "chapter")


@dataclass
class Imported:
    """What the import makes: the chapter files' texts in reading order, the book's values, the report."""
    chapters: dict[str, str]
    values: dict
    authors: list[str]
    structure: dict
    changes: list[str]


def fences(lines: list[str]):
    """Each line with its fence (open: Attrs, close: True) or None, outside code blocks."""
    code = ""
    for line in lines:
        opened = CODE_FENCE.match(line)
        if code:
            if opened and opened.group(1)[0] == code[0] and len(opened.group(1)) >= len(code):
                code = ""
            yield line, None
        elif opened:
            code = opened.group(1)
            yield line, None
        elif (m := FENCE.match(line)) and m["spec"]:
            spec = m["spec"]
            yield line, parse_attrs(spec[1:-1]) if spec.startswith("{") else Attrs(classes=(spec,))
        else:
            yield line, True if (m and not m["spec"]) else None


def split(lines: list[str]) -> list[Piece]:
    """The top-level sections (a section inside a section, a chapter in a part, ends its parent's text);
    text outside any section goes to a piece of its own, split at headings later."""
    pieces, stack = [Piece(Attrs())], []  # stack: for each open div, whether it is a section
    for line, fence in fences(lines):
        top = line.startswith(":")  # a section's fence and the divs beside it start at the margin
        fence = fence if top else None
        if isinstance(fence, Attrs) and top and all(stack) and "section" in fence.classes:
            stack.append(True)
            pieces.append(Piece(fence))
        elif isinstance(fence, Attrs):
            stack.append(False)
            pieces[-1].lines.append(line)
        elif fence is True and stack:
            if stack.pop():
                pieces.append(Piece(Attrs()))  # what follows a section until the next
            else:
                pieces[-1].lines.append(line)
        else:
            pieces[-1].lines.append(line)
    return [p for p in split_headings(pieces) if any(line.strip() for line in p.lines)]


def split_headings(pieces: list[Piece]) -> list[Piece]:
    """Text outside sections is split before each heading of its highest level (a file with no
    sections: a chapter per top heading); text before the first heading stays with the piece before."""
    loose = [p for p in pieces if not p.attrs.classes]
    levels = [len(m["level"]) for p in loose for line in p.lines if (m := HEADING.match(line))]
    if not levels:
        return pieces
    top, out = min(levels), []
    for piece in pieces:
        if piece.attrs.classes:
            out.append(piece)
            continue
        for line in piece.lines:
            m = HEADING.match(line)
            if m and len(m["level"]) == top:
                out.append(Piece(Attrs(classes=("section",)), anchors(out[-1].lines if out else [])))
                named = [a for line in out[-1].lines if (a := ANCHOR.match(line))]
                if named:
                    out[-1].attrs = Attrs(id=FILE_ANCHOR.sub("", local_id(named[-1]["id"])), classes=("section",))
            elif not out:
                out.append(Piece(Attrs(classes=("section",))))
            out[-1].lines.append(line)
    return out


def wordless(piece: Piece) -> bool:
    """A piece with no words outside pictures and anchors: the cover picture pandoc's EPUB reader puts first."""
    text = PICTURE_OR_ANCHOR.sub("", "\n".join(piece.lines))
    return not re.search(r"\w", text)


def anchors(lines: list[str]) -> list[str]:
    """The empty anchors (and blank lines) at the end of ``lines``, taken off them: pandoc's EPUB reader
    marks where each of the book's files began so (`[]{#letter-1.xhtml}`), before its heading."""
    start = len(lines)
    while start and (not lines[start - 1].strip() or ANCHOR.match(lines[start - 1])):
        start -= 1
    taken = lines[start:]
    del lines[start:]
    return taken


def take_definitions(lines: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """pandoc's own notes (`[^1]: …`, further lines indented four spaces), taken out of the text."""
    kept, notes, label = [], {}, None
    for i, line in enumerate(lines):
        m = NOTE_DEFINITION.match(line)
        if m:
            label = m["label"]
            notes[label] = [m["rest"]]
        elif label and (line.startswith("    ") or (not line.strip() and i + 1 < len(lines)
                                                   and lines[i + 1].startswith("    "))):
            notes[label].append(line[4:])
        else:
            label = None
            kept.append(line)
    return kept, notes


def list_notes(piece: Piece) -> dict[str, list[str]]:
    """A notes section's ordered list: each item's text by its id (`1.  ::: {#note-1}`), or by number."""
    notes, label = {}, None
    for line in piece.lines:
        m = LIST_ITEM.match(line)
        if m:
            label = m["number"]
            notes[label] = [m["rest"]]
        elif label and (line.startswith("    ") or not line.strip()):
            notes[label].append(line[4:])
        elif label and line.strip():
            label = None
    named = {}
    for number, text in notes.items():
        first = next(((f, line) for line, f in fences(text) if isinstance(f, Attrs)), None)
        body = [line for line, f in fences(text) if f is None]
        named[first[0].id if first and first[0].id else number] = body
    return named


def unwrap_divs(lines: list[str], unwrapped: Counter) -> list[str]:
    """Divs the build sets keep a plain fence (`::: letter`); the others go, their text kept."""
    out, stack = [], []
    for line, fence in fences(lines):
        lead = FENCE.match(line)["lead"] if fence else ""
        if isinstance(fence, Attrs):
            name = next((c for c in fence.classes if c in KEPT_DIVS), None)
            stack.append(name)
            if name:
                out.append(f"{lead}{FENCE.match(line)['colons']} {name}")
            else:
                unwrapped.update(fence.classes)
                out.append(lead.rstrip())
        elif fence is True and stack:
            out.append(line if stack.pop() else lead.rstrip())
        else:
            out.append(line)
    return out


def headed(piece: Piece, inlines: Inlines) -> tuple[str, list[str], list[str]]:
    """The piece's title (its first heading; a bare number takes the short paragraph under it), the note
    calls the title held, and the rest of its lines with their headings moved up to start at `##`."""
    lines, title, calls = piece.lines, "", []
    first = next((i for i, line in enumerate(lines) if HEADING.match(line)), None)
    if first is not None:
        heading = inlines.rewrite(HEADING.match(lines[first])["text"])
        calls = NOTE_CALL.findall(heading)
        title = plain(heading)
        lines = lines[:first] + lines[first + 1:]
        if NUMERAL.match(title):
            title, lines = numbered_title(title, lines, first, inlines)
    levels = [len(m["level"]) for line in lines if (m := HEADING.match(line))]
    shift = min(levels) - 2 if levels else 0
    out = []
    for line in lines:
        m = HEADING.match(line)
        if m:
            attrs = parse_attrs(m["attrs"] or "")
            text = f"[{m['text']}]{{#{attrs.id}}}" if attrs.id in inlines.kept_ids else m["text"]  # a link's target
            line = f"{'#' * (len(m['level']) - shift)} {text}"
        out.append(line)
    return title, calls, out


def numbered_title(number: str, lines: list[str], at: int, inlines: Inlines) -> tuple[str, list[str]]:
    """A heading 'II' over a one-paragraph title (an HTML hgroup that pandoc flattened) -> 'II: Title'."""
    start = next((i for i in range(at, len(lines)) if lines[i].strip()), None)
    if start is None or lines[start].lstrip().startswith((">", "|", ":", "#", "-", "+", "*", "!", "[^")):
        return number, lines
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    paragraph = plain(inlines.rewrite(" ".join(lines[start:end])))
    if len(paragraph) > 200 or paragraph.endswith((".", ":", ";", ",")) and len(paragraph) > 120:
        return number, lines
    return f"{number.rstrip('.')}: {paragraph}", lines[:start] + lines[end:]


def file_names(pieces: list[Piece]) -> list[str]:
    """Each piece's chapter file name: its section's id where that can be a file name, else kind-N."""
    names, counts = [], Counter()
    for piece in pieces:
        ident = local_id(piece.attrs.id)
        counts[piece.kind] += 1
        stem = ident if CHAPTER_ID.fullmatch(ident or "-") else f"{piece.kind}-{counts[piece.kind]}"
        while stem.lower() in RESERVED_IDS or f"{stem}.md" in names:
            stem += "-text"
        names.append(f"{stem}.md")
    return names


def metadata(text: str) -> tuple[dict, str]:
    """pandoc's YAML block (`pandoc -s` writes the HTML's title and author there) and the text after it."""
    m = METADATA.match(text)
    if not m or len(m["yaml"]) > MAX_METADATA:
        return {}, text
    try:
        values = yaml.safe_load(m["yaml"])
    except yaml.YAMLError:
        return {}, text
    return (values if isinstance(values, dict) else {}), text[m.end():]


def words(value) -> str:
    """A metadata value as plain text: pandoc writes lists for several authors and Markdown in titles."""
    if isinstance(value, list):
        return ", ".join(words(v) for v in value)
    if isinstance(value, dict):  # pandoc's EPUB reader: creator: {role: author, text: Mary Shelley}
        return words(value.get("text") or value.get("name"))
    return plain(Inlines().rewrite(str(value))) if value is not None else ""


def read_pandoc(path: Path, language: str | None, date: datetime.date) -> Imported:
    text = imported_text(path, "bad-markdown")
    meta, body = metadata(text.replace("\r\n", "\n"))
    lines, notes = take_definitions(body.split("\n"))
    pieces = split(lines)
    for piece in [p for p in pieces if p.kind == "notes"]:
        notes.update(list_notes(piece))
    endnotes = any(p.kind == "notes" for p in pieces)
    left_out = [p for p in pieces if p.kind is None or (p.kind != "notes" and wordless(p))]
    pieces = [p for p in pieces if p.kind != "notes" and p not in left_out]
    if not pieces:
        raise ManuscriptError(path, "no text to import: the file has no sections or headings with text",
                              "convert the book's HTML or EPUB with pandoc: pandoc -s book.html -t markdown "
                              "-o book.md", code="bad-markdown")
    names = file_names(pieces)
    found = targets(pieces, names)
    linked = set(re.findall(r"\]\([^)\s]*#([^)\s]+)\)", body))
    inlines = Inlines(notes=set(notes), targets=found,
                      kept_ids={t.split("#", 1)[1] for t in found.values() if "#" in t} & linked)
    notes = {note_label(ident): text for ident, text in notes.items()}
    chapters, called, changes = {}, set(), []
    for piece, name in zip(pieces, names):
        chapters[name] = chapter_text(piece, inlines, notes, called, changes)
    structure = {"chapter_labels": "none", "notes": "book-end" if endnotes else "footnotes",
                 "note_numbering": "book" if endnotes else "chapter"}
    people = meta.get("author") or meta.get("creator") or []
    authors = [words(a) for a in (people if isinstance(people, list) else [people])]
    return Imported(chapters, book_values(meta, path, text, language, date, list(chapters)),
                    [a for a in authors if a], structure,
                    changes + reported(left_out, len(set(notes) - called), inlines))


def book_values(meta: dict, path: Path, text: str, language: str | None, date: datetime.date,
                chapters: list[str]) -> dict:
    """book.toml's [book] values from pandoc's metadata (the publisher and rights are the new
    edition's to write); the title from the file's name when pandoc gave none."""
    titles = meta.get("title")
    title = words(titles[0] if isinstance(titles, list) and titles else titles)
    return {"title": title or path.stem.replace("-", " ").replace("_", " ").title(),
            "subtitle": words(meta.get("subtitle")),
            "language": language or words(meta.get("lang") or meta.get("language")) or "en", "date": date,
            "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, text)}", "chapters": chapters,
            "description": words(meta.get("description"))}


def reported(left_out: list[Piece], uncalled: int, inlines: Inlines) -> list[str]:
    """The changes the import made besides the chapters' own, for the report and the editorial note."""
    changes = []
    if left_out:
        changes.append("left out, as the build makes its own: " + ", ".join(
            f"'{local_id(p.attrs.id) or 'a picture alone (the cover)'}'" for p in left_out))
    if uncalled:
        changes.append(f"{uncalled} note{'s' * (uncalled > 1)} called from no converted part left out")
    changes.extend(f"the class .{name} ({times(count)}), which the build does not set, unwrapped: its text kept"
                   for name, count in sorted(inlines.unwrapped.items()) if name != "section")
    if inlines.unlinked:
        changes.append(f"links into parts not converted ({times(inlines.unlinked)}) unlinked: their text kept")
    changes.extend(f"raw {form} ({times(count)}) left out" for form, count in sorted(inlines.dropped.items()))
    return changes


def times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def targets(pieces: list[Piece], names: list[str]) -> dict[str, str]:
    """Where a link into the book goes: a section, its source file or the anchor that marks the file's
    start -> its chapter; any other id -> the chapter that holds it."""
    found = {}
    for piece, name in zip(pieces, names):
        if piece.attrs.id:
            found[piece.attrs.id] = name
            found[f"{local_id(piece.attrs.id)}.xhtml"] = found[f"{local_id(piece.attrs.id)}.html"] = name
        for ident in re.findall(r"[{ ]#([A-Za-z][\w:.-]*)", "\n".join(piece.lines)):
            found.setdefault(ident, name if FILE_ANCHOR.search(ident) else f"{name}#{ident}")
    return found


def chapter_text(piece: Piece, inlines: Inlines, notes: dict[str, list[str]], called: set[str],
                 changes: list[str]) -> str:
    """One chapter file: front matter, the text, and the notes it calls, in the order it calls them."""
    title, title_calls, lines = headed(piece, inlines)
    body = rewritten(unwrap_divs(lines, inlines.unwrapped), inlines).strip("\n")
    if title_calls:
        first = re.search(r"\n\n|\Z", body)
        body = body[:first.start()] + "".join(f"[^{c}]" for c in title_calls) + body[first.start():]
        changes.append(f"'{title}': a note called in the heading is called at the end of the first paragraph")
    kind = piece.kind
    title = title or kind.replace("-", " ").capitalize()
    definitions = []
    for label in dict.fromkeys(NOTE_CALL.findall(body)):
        if label not in notes:
            body = body.replace(f"[^{label}]", "")
            changes.append(f"'{title}': the call of note '{label}', whose text the file does not have, was removed")
            continue
        called.add(label)
        definitions.append((label, rewritten(unwrap_divs(notes[label], inlines.unwrapped), inlines).strip()))
    return chapter_file(title, kind, body, definitions)


def rewritten(lines: list[str], inlines: Inlines) -> str:
    """The lines with their inlines rewritten; a grid table's cells one by one, each padded back to its
    width, so that the table's columns still line up."""
    out, loose, grid = [], [], False

    def flush() -> None:
        if loose:
            out.append(inlines.rewrite("\n".join(loose)))
            loose.clear()

    for line in lines:
        grid = bool(GRID_BORDER.match(line)) or (grid and line.startswith(("|", "+")))
        if grid:
            flush()
            out.append(line if line.startswith("+") else grid_line(line, inlines))
        else:
            loose.append(line)
    flush()
    return "\n".join(out)


def grid_line(line: str, inlines: Inlines) -> str:
    """One line of a grid table's cells: each cell's text rewritten and padded to the width it had; a cell
    whose text would grow (a link's longer address) keeps its text."""
    cells = re.split(r"(?<!\\)\|", line)
    out = [cells[0]]
    for cell in cells[1:]:
        new = inlines.rewrite(cell)
        out.append(new.ljust(len(cell)) if len(new) <= len(cell) else cell)
    return "|".join(out)


def write_pandoc_book(imported: Imported, folder: Path) -> list[str]:
    """The book folder: book.toml (its title, date and authors marked for the editor) and the chapters."""
    return write_imported(folder, "pandoc's Markdown", imported.values, imported.authors, imported.changes,
                          imported.chapters, imported.structure)
