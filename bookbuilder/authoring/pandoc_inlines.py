"""The inline Markdown of a pandoc-written file, rewritten into what a chapter may say.

pandoc keeps every class and attribute of the HTML it read: `[Mrs.]{.abbr}`, `[I]{.z3998:roman}`,
`[1](endnotes.xhtml#note-1){.noteref}`. A chapter takes only the spans the build sets (a credit, an
attribution, the parts of a letter, a language), so the others are unwrapped (their text kept, each
class counted for the import's report); a link to a note becomes a note call, a note's link back is
dropped (the build makes its own), and a link into the book becomes a link to the chapter file.

A small recursive scanner rather than regular expressions: spans nest (`[verse[1](…){.noteref}]{.i1}`)
and pandoc wraps attribute blocks across lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

KEPT_SPANS = ("credit", "smallcaps", "attribution", "dateline", "salutation", "signature")  # manuscript/markup.py sets these
ATTR = re.compile(r'#(?P<id>[^\s}]+)|\.(?P<cls>[^\s}]+)|(?P<key>[\w:-]+)=(?P<value>"(?:[^"\\]|\\.)*"|[^\s}]+)'
                  r'|=(?P<raw>[\w-]+)')
EXTERNAL = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)
FILE_PREFIX = re.compile(r"^[\w.-]+\.x?html_")
NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\](?!:)")


@dataclass(frozen=True)
class Attrs:
    """A pandoc attribute block: `{#id .class key="value"}`, or a raw format `{=html}`."""
    id: str = ""
    classes: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str], ...] = ()
    raw: str = ""

    def get(self, key: str) -> str:
        return next((v for k, v in self.pairs if k == key), "")

    def tokens(self) -> list[str]:
        """The classes and the words of epub:type and role, without their vocabulary prefixes."""
        words = [*self.classes, *self.get("epub:type").split(), *self.get("role").split()]
        return [w.rsplit(":", 1)[-1].removeprefix("doc-") for w in words]


def parse_attrs(text: str) -> Attrs:
    """The inside of `{…}`."""
    ident, classes, pairs, raw = "", [], [], ""
    for m in ATTR.finditer(text):
        if m["id"]:
            ident = m["id"]
        elif m["cls"]:
            classes.append(m["cls"])
        elif m["key"]:
            value = m["value"]
            pairs.append((m["key"], value[1:-1].replace('\\"', '"') if value.startswith('"') else value))
        else:
            raw = m["raw"]
    return Attrs(ident, tuple(classes), tuple(pairs), raw)


def closing(text: str, start: int, opener: str, closer: str) -> int:
    """The index of the bracket that closes the one at ``start``, skipping escapes and code; -1 if none."""
    depth, i = 0, start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "`":
            end = code_end(text, i)
            if end > 0:
                i = end
                continue
        if c == opener:
            depth += 1
        elif c == closer:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def code_end(text: str, start: int) -> int:
    """The end of the code span opening at ``start`` (a run of backticks), or -1."""
    run = len(text[start:]) - len(text[start:].lstrip("`"))
    end = text.find("`" * run, start + run)
    while end > 0 and text.startswith("`", end + run):  # a longer run does not close it
        end = text.find("`" * run, end + run + 1)
    return end + run if end > 0 else -1


def attrs_at(text: str, i: int) -> tuple[Attrs | None, int]:
    """An attribute block at ``i`` and the index after it."""
    if not text.startswith("{", i):
        return None, i
    end = text.find("}", i)
    return (parse_attrs(text[i + 1:end]), end + 1) if end > 0 else (None, i)


@dataclass
class Inlines:
    """Rewrites inline Markdown; ``notes`` are the ids of the notes' texts, ``targets`` map an id or a
    source file to the chapter link that replaces it, ``kept_ids`` are the ids some link points at."""
    notes: set[str] = field(default_factory=set)
    targets: dict[str, str] = field(default_factory=dict)
    kept_ids: set[str] = field(default_factory=set)
    unwrapped: Counter = field(default_factory=Counter)  # class -> times its span or div was unwrapped
    unlinked: int = 0  # links into parts of the source that were not converted: their text kept
    dropped: Counter = field(default_factory=Counter)  # raw format -> times its raw text was left out

    def rewrite(self, text: str) -> str:
        out, i = [], 0
        while i < len(text):
            c = text[i]
            if c == "\\":
                out.append(text[i:i + 2])
                i += 2
            elif c == "`" and (end := code_end(text, i)) > 0:
                attrs, after = attrs_at(text, end)
                if attrs and attrs.raw:
                    out.append(self.raw(text[i:end], attrs.raw))
                    i = after
                else:
                    out.append(text[i:end])
                    i = end
            elif c == "[" or (c == "!" and text.startswith("[", i + 1)):
                piece, i = self.bracket(text, i)
                out.append(piece)
            else:
                out.append(c)
                i += 1
        return "".join(out)

    def raw(self, code: str, form: str) -> str:
        """`<br />`{=html} is raw HTML (the build reads it through its allow-list); other formats go."""
        if form == "html":
            return code.strip("`")
        self.dropped[form] += 1
        return ""

    def bracket(self, text: str, i: int) -> tuple[str, int]:
        image = text[i] == "!"
        start = i + image
        end = closing(text, start, "[", "]")
        if end < 0:
            return text[i:start + 1], start + 1
        inner = self.rewrite(text[start + 1:end])
        after = end + 1
        if text.startswith("(", after) and (stop := closing(text, after, "(", ")")) > 0:
            attrs, after_attrs = attrs_at(text, stop + 1)
            destination = text[after + 1:stop]
            if image:
                return f"![{inner}]({destination})", after_attrs
            return self.link(inner, destination, attrs or Attrs()), after_attrs
        attrs, after_attrs = attrs_at(text, after)
        if attrs is not None and not image:
            return self.span(inner, attrs), after_attrs
        return ("!" if image else "") + f"[{inner}]", after

    def link(self, inner: str, destination: str, attrs: Attrs) -> str:
        href = destination.strip().split()[0] if destination.strip() else ""
        fragment = href.rsplit("#", 1)[1] if "#" in href else ""
        if "backlink" in attrs.tokens() or (inner == "↩" and "#" in href):
            return ""  # the build links each note back to its call itself
        if "noteref" in attrs.tokens() or fragment in self.notes:
            return f"[^{note_label(fragment or inner)}]"
        if EXTERNAL.match(href):
            return f"[{inner}]({destination})"
        file = href.split("#", 1)[0].rsplit("/", 1)[-1]
        target = self.targets.get(fragment) if fragment else self.targets.get(file)
        if target is None:
            self.unlinked += 1
            return inner
        return f"[{inner}]({target}){{.page}}" if "page" in attrs.classes else f"[{inner}]({target})"

    def span(self, inner: str, attrs: Attrs) -> str:
        kept = [f".{c}" for c in attrs.classes if c in KEPT_SPANS]
        for c in attrs.classes:
            if c not in KEPT_SPANS:
                self.unwrapped[c] += 1
        language = attrs.get("lang") or attrs.get("xml:lang")
        if language:
            kept.append(f"lang={language}")
        if attrs.id and attrs.id in self.kept_ids:
            kept.insert(0, f"#{attrs.id}")
        return f"[{inner}]{{{' '.join(kept)}}}" if kept else inner


def local_id(ident: str) -> str:
    """An id as its file had it: pandoc's EPUB reader prefixes each with its file ('endnotes.xhtml_note-1')."""
    return FILE_PREFIX.sub("", ident)


def note_label(ident: str) -> str:
    """A note's id as a label a note call can carry."""
    return re.sub(r"[^\w-]+", "-", local_id(ident))


def plain(markdown: str) -> str:
    """A heading's inline Markdown as the plain text of a title: no note calls, emphasis or escapes."""
    text = NOTE_CALL.sub("", markdown)
    text = re.sub(r"(\*\*|\*|__|_)(?=\S)(.+?)(?<=\S)\1", r"\2", text)
    text = re.sub(r"\\(.)", r"\1", text)
    return " ".join(text.split())
