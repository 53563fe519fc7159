"""Turn a Word manuscript (.docx) into a book folder, with nothing of the text lost.

mammoth (maintained, and made for this: Word's meaning, not its looks) reads the document into
plain HTML: headings, paragraphs, emphasis, strong, small capitals, lists, tables, footnotes and
endnotes, pictures with their alt text. That HTML is then written as the tool's Markdown: a chapter
at each Heading 1, a part at each paragraph of the style named with --part-style, notes as the
tool's notes in the chapter that calls them, pictures as figures in images/. Word's curly quotes
and dashes are kept as typed. A document with tracked changes is refused (which text is meant is
the author's decision), and every paragraph or character style the tool cannot express is reported
once, with how often it was used.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree, html

from .. import inputs
from ..errors import BookError, ManuscriptError
from ..manuscript.text import EDITOR_MARK
from ..notices import Notice
from .scaffold import chapter_file, write_imported

MAX_UNPACKED = 200 * 1024 * 1024  # bytes a .docx may unpack to: a compressed bomb stops here
PART = "part"  # the class mammoth gives a part's heading (the --part-style paragraphs)
# Small capitals, captions, and the character styles of note references, whose notes are read as notes.
NOTE_STYLES = ("Footnote Characters", "Endnote Characters", "Footnote Reference", "Endnote Reference")
STYLE_MAP = ("small-caps => span.smallcaps\np[style-name='Caption'] => p.caption:fresh\n"
             + "".join(f"r[style-name='{name}'] =>\n" for name in NOTE_STYLES))
TRACKED = re.compile(rb"<w:(ins|del|moveFrom|moveTo)\b")
UNRECOGNISED = re.compile(r"Unrecognised (paragraph|run|table) style: '?(.*?)'? \(Style ID: (.*)\)")
NOTE_ID = re.compile(r"^(footnote|endnote)-(\d+)$")
PICTURE_TYPES = {"image/jpeg": ".jpg", "image/png": ".png"}
ESCAPED = re.compile(r"([\\`*_\[\]{}<>|#~^])")
LINE_START = re.compile(r"^(\s*)([-+*]|\d+[.)]|:::|>)(?=\s|$)")
WORD_XML = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")


@dataclass
class Chapter:
    kind: str
    title: str
    blocks: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # the labels it calls, in order


@dataclass
class Imported:
    chapters: dict[str, str]
    pictures: dict[str, bytes]
    values: dict
    authors: list[str]
    changes: list[str]
    warnings: list[Notice]  # one per style the build cannot express


def read_docx(path: Path, language: str | None, date: datetime.date, part_style: str | None) -> Imported:
    import mammoth

    data = docx_bytes(path)
    refuse_tracked_changes(data, path)
    pictures: dict[str, bytes] = {}
    changes: list[str] = []

    def picture(image) -> dict:
        with image.open() as stream:
            content = stream.read()
        extension = PICTURE_TYPES.get(image.content_type)
        if extension is None:
            changes.append(f"a picture of type {image.content_type} was left out (the build takes JPEG and PNG)")
            return {"src": "", "alt": image.alt_text or ""}
        name = f"images/picture-{len(pictures) + 1}{extension}"
        pictures[name] = content
        return {"src": name, "alt": (image.alt_text or "").strip()}

    style_map = STYLE_MAP + (f"p[style-name='{part_style}'] => h1.{PART}:fresh\n" if part_style else "")
    result = mammoth.convert_to_html(io.BytesIO(data), style_map=style_map,
                                     convert_image=mammoth.images.img_element(picture))
    styles = style_uses(data, [m for m in (UNRECOGNISED.match(w.message) for w in result.messages) if m])
    writer = Markdown(changes)
    chapters = writer.chapters(html.fragment_fromstring(result.value or "<p></p>", create_parent="div"))
    if not any(c.blocks for c in chapters):
        raise ManuscriptError(path, "no text to import: the document is empty", "open it in Word and check it "
                              "has text", code="bad-docx")
    warnings = [Notice(path, f"the style '{name}' ({times(n)}) was imported as plain text: the build has no "
                       "such style", "mark what it meant in the chapters (a '::: letter' div, an epigraph, '*…*') "
                       "or leave it as text", "warning", "docx-style") for name, n in styles.most_common()]
    changes += [f"the picture {name} has no alt text: describe it in its chapter" for name in writer.alts_missing]
    names = file_names(chapters)
    texts = {name: chapter_text(c, writer.notes) for name, c in zip(names, chapters)}
    title, authors = core_properties(data)
    values = {"title": title or path.stem.replace("-", " ").replace("_", " ").title(), "language": language or "en",
              "date": date, "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, path.name + str(len(data)))}",
              "chapters": list(texts)}
    return Imported(texts, {n: pictures[n] for n in pictures if n in writer.used}, values, authors,
                    changes + [w.problem for w in warnings], warnings)


def docx_bytes(path: Path) -> bytes:
    """The file, read as any manuscript is (inputs.py), then checked to be a Word document that
    unpacks to no more than MAX_UNPACKED."""
    try:
        data = inputs.read(path, [path.resolve().parent], inputs.LIMITS["transcript"])
    except BookError as exc:
        raise ManuscriptError(path, exc.problem, exc.fix, code="bad-docx") from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            unpacked = sum(info.file_size for info in package.infolist())
            if "word/document.xml" not in package.namelist():
                raise zipfile.BadZipFile
    except zipfile.BadZipFile:
        raise ManuscriptError(path, "the file is not a Word document (.docx)", "save it from Word or LibreOffice "
                              "as 'Word Document (.docx)'", code="bad-docx") from None
    if unpacked > MAX_UNPACKED:
        raise ManuscriptError(path, f"the document unpacks to {unpacked / 1024 / 1024:,.0f} MB, more than the "
                              f"{MAX_UNPACKED // 1024 // 1024} MB a manuscript may", "make its pictures smaller "
                              "(Word: Compress Pictures)", code="bad-docx")
    return data


def refuse_tracked_changes(data: bytes, path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        found = Counter(m.group(1).decode() for name in WORD_XML if name in package.namelist()
                        for m in TRACKED.finditer(package.read(name)))
    if found:
        what = ", ".join(f"{n} {kind}" for kind, n in sorted(found.items()))
        raise ManuscriptError(path, f"the document has tracked changes ({what})", "accept or reject them first "
                              "(Word: Review, Accept All Changes; LibreOffice: Edit, Track Changes, Accept All), "
                              "save, and import again", code="tracked-changes")


def style_uses(data: bytes, unrecognised: list[re.Match]) -> Counter:
    """How often each style mammoth did not recognise is used (it says so once per style)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        xml = b"".join(package.read(name) for name in WORD_XML if name in package.namelist())
    return Counter({m.group(2): max(1, len(re.findall(rb'<w:(?:p|r|tbl)Style w:val="' + re.escape(m.group(3).encode())
                                                    + rb'"', xml))) for m in unrecognised})


def core_properties(data: bytes) -> tuple[str, list[str]]:
    """The title and authors Word keeps in docProps/core.xml, if any."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            root = etree.fromstring(package.read("docProps/core.xml"))
    except (KeyError, etree.XMLSyntaxError):
        return "", []
    dc = "{http://purl.org/dc/elements/1.1/}"
    title = (root.findtext(f"{dc}title") or "").strip()
    creator = (root.findtext(f"{dc}creator") or "").strip()
    return title, [a.strip() for a in re.split(r"[;,]| and ", creator) if a.strip()] if creator else []


def times(n: int) -> str:
    return "once" if n == 1 else f"{n} times"


class Markdown:
    """mammoth's HTML as the tool's Markdown, chapter by chapter."""

    def __init__(self, changes: list[str]):
        self.changes = changes
        self.notes: dict[str, str] = {}  # label -> its Markdown
        self.alts_missing: list[str] = []
        self.used: set[str] = set()  # pictures placed in the text

    def chapters(self, root: html.HtmlElement) -> list[Chapter]:
        for note in root.xpath("//li[starts-with(@id, 'footnote-') or starts-with(@id, 'endnote-')]"):
            kind, number = NOTE_ID.match(note.get("id")).groups()
            for back in note.xpath(".//a[starts-with(@href, '#footnote-ref-') or starts-with(@href, '#endnote-ref-')]"):
                back.drop_tree()
            self.notes[label(kind, number)] = "\n\n".join(filter(None, (self.block(b) for b in note))) or \
                self.inline(note).strip()
            holder = note.getparent()
            note.drop_tree()
            if holder is not None and not len(holder):
                holder.drop_tree()
        for caption in root.xpath("p[@class='caption']"):
            img = caption.getprevious()
            img = img.find("img") if img is not None and img.tag == "p" and len(img) == 1 else None
            if img is not None and not (img.tail or "").strip():
                img.set("data-caption", self.inline(caption).strip())
                caption.drop_tree()
        chapters = [Chapter("introduction", "Introduction")]
        for element in root:
            if element.tag == "h1":
                title = self.inline(element).strip() or "Untitled"
                chapters.append(Chapter(PART if element.get("class") == PART else "chapter", title))
                continue
            text = self.block(element)
            if text:
                chapters[-1].blocks.append(text)
        if not chapters[0].blocks:
            chapters.pop(0)
        elif len(chapters) > 1:
            self.changes.append("the text before the first Heading 1 became an introduction (its title marked "
                                "for the editor)")
        for chapter in chapters:
            chapter.notes = list(dict.fromkeys(re.findall(r"\[\^([\w-]+)\]", "\n".join(chapter.blocks))))
        return chapters

    def block(self, element: html.HtmlElement) -> str:
        tag = element.tag
        if tag in ("h2", "h3", "h4", "h5", "h6"):
            return "#" * int(tag[1]) + " " + self.inline(element).strip()
        if tag == "p":
            only = [c for c in element if c.tag == "img"]
            if only and not (element.text or "").strip() and len(element) == 1 and not (only[0].tail or "").strip():
                return self.figure(only[0])
            return start_safe(self.inline(element).strip())
        if tag in ("ul", "ol"):
            return self.listed(element)
        if tag == "table":
            return self.table(element)
        if tag == "img":
            return self.figure(element)
        return start_safe(self.inline(element).strip())

    def listed(self, element: html.HtmlElement) -> str:
        lines = []
        for n, item in enumerate(element.findall("li"), 1):
            marker = f"{n}." if element.tag == "ol" else "-"
            indent = " " * (len(marker) + 1)
            own = [c for c in item if c.tag not in ("ul", "ol")]
            first = self.inline_of(item, own).strip()
            lines.append(f"{marker} {first}")
            for sub in item:
                if sub.tag in ("ul", "ol"):
                    lines += [indent + line if line else "" for line in self.listed(sub).split("\n")]
        return "\n".join(lines)

    def inline_of(self, item: html.HtmlElement, children: list) -> str:
        text = escape(item.text or "")
        for child in children:
            text += self.inline(child, outer=True) if child.tag != "p" else self.inline(child).strip() + " "
        return text

    def table(self, element: html.HtmlElement) -> str:
        rows = [[self.inline(cell).strip().replace("\n", " ") for cell in row.xpath("th|td")]
                for row in element.iter("tr")]
        rows = [r for r in rows if r]
        if not rows:
            return ""
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        lines = ["| " + " | ".join(rows[0]) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
        return "\n".join(lines)

    def figure(self, img: html.HtmlElement) -> str:
        src, alt = img.get("src") or "", (img.get("alt") or "").strip()
        if not src:
            return ""
        self.used.add(src)
        if not alt:
            self.alts_missing.append(src)
        caption = img.get("data-caption")
        if not caption:
            self.changes.append(f"the picture {src} has no caption (a paragraph of the style Caption after it): "
                                "its alt text stands for one")
        return f"::: figure\n![{escape(alt)}]({src})\n\n{caption or escape(alt) or src}\n:::"

    def inline(self, element: html.HtmlElement, outer: bool = False) -> str:
        """The element's text as Markdown inlines (with its own markup when ``outer``)."""
        inner = escape(element.text or "")
        for child in element:
            inner += self.inline(child, outer=True)
        if not outer:
            return inner
        tag = element.tag
        if tag in ("strong", "b"):
            out = wrapped(inner, "**")
        elif tag in ("em", "i"):
            out = wrapped(inner, "*")
        elif tag == "span" and "smallcaps" in (element.get("class") or ""):
            out = f"[{inner}]{{.smallcaps}}" if inner.strip() else inner
        elif tag == "br":
            out = "\\\n"
        elif tag == "p":  # a paragraph in a table's cell or a list item
            out = inner.strip() + " "
        elif tag == "sup" and len(element) == 1 and element[0].tag == "a" and NOTE_ID.match(
                (element[0].get("href") or "#").lstrip("#")):
            kind, number = NOTE_ID.match(element[0].get("href").lstrip("#")).groups()
            out = f"[^{label(kind, number)}]"
        elif tag == "a":
            href = element.get("href") or ""
            out = f"[{inner}]({href})" if re.match(r"https?://|mailto:", href) and inner.strip() else inner
        elif tag == "img":
            out = ""
            if element.get("src"):
                self.changes.append("a picture inside a line of text was left out (a picture stands in a "
                                    "paragraph of its own)")
        else:
            out = inner  # sub, sup, s, u, span: their text
        return out + escape(element.tail or "")


def label(kind: str, number: str) -> str:
    return f"{'n' if kind == 'footnote' else 'e'}{number}"


def escape(text: str) -> str:
    return ESCAPED.sub(r"\\\1", text)


def start_safe(text: str) -> str:
    """A paragraph that starts like a list item, a fence or a quote is not read as one."""
    return LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def wrapped(inner: str, mark: str) -> str:
    """Emphasis around the words, the spaces outside (Markdown reads '* word *' as text)."""
    core = inner.strip()
    if not core:
        return inner
    lead, trail = inner[:len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()):]
    return f"{lead}{mark}{core}{mark}{trail}"


def file_names(chapters: list[Chapter]) -> list[str]:
    counts: Counter = Counter()
    names = []
    for chapter in chapters:
        kind = chapter.kind if chapter.kind in (PART, "introduction") else "chapter"
        counts[kind] += 1
        names.append(f"{kind}.md" if kind == "introduction" else f"{kind}-{counts[kind]}.md")
    return names


def chapter_text(chapter: Chapter, notes: dict[str, str]) -> str:
    mark = f"  # {EDITOR_MARK} proposed by make-book import" if chapter.kind == "introduction" else ""
    return chapter_file(chapter.title, chapter.kind, "\n\n".join(chapter.blocks),
                        [(name, notes.get(name, "")) for name in chapter.notes], mark)


def write_docx_book(imported: Imported, folder: Path) -> list[str]:
    """The book folder: book.toml (title and date marked for the editor), the chapters, the pictures."""
    return write_imported(folder, "a Word document", imported.values, imported.authors, imported.changes,
                          imported.chapters, files=imported.pictures)
