"""The error catalogue, case by case: each code is provoked in a tiny book and the command's exit code
and one-line message are checked. The manual's table of errors (docs/errors.md) is the catalogue.

Regenerate the manual's table after changing the catalogue: UPDATE_MANUAL=1 pytest tests/test_catalogue.py
"""

from __future__ import annotations

import ast
import errno
import os
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from bookbuilder import cli
from bookbuilder.errors import CATALOGUE

FIGURE = "::: figure\n![{alt}]({src})\n\nA caption.\n:::\n"
HEAD = "---\ntitle: The Only Chapter\n---\n\n"


def chapter(book: Path, body: str, raw: bytes | None = None) -> None:
    (book / "one.md").write_bytes(raw if raw is not None else (HEAD + body).encode())


PRINT_CSS_LINES = (ROOT / "styles" / "print.css").read_text().count("\n")  # an addition starts on the next line


def print_css(book: Path, addition: str) -> None:
    """The book's own styles/print.css: the default's, with ``addition`` at its end."""
    (book / "styles").mkdir(exist_ok=True)
    (book / "styles" / "print.css").write_text((ROOT / "styles" / "print.css").read_text() + addition)


def bad_font(book: Path) -> None:
    (book / "styles" / "fonts").mkdir(parents=True)
    (book / "styles" / "fonts" / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\xff" * 500)


def toml(book: Path, old: str, new: str) -> None:
    path = book / "book.toml"
    path.write_text(path.read_text().replace(old, new))


def template(book: Path, text: str) -> None:
    (book / "templates").mkdir(exist_ok=True)
    (book / "templates" / "section.xhtml.j2").write_text(text)


def picture(book: Path, name: str, data: bytes) -> None:
    (book / "images").mkdir(exist_ok=True)
    (book / "images" / name).write_bytes(data)


def symlink_out(book: Path) -> None:
    (book.parent / "secret.png").write_bytes((ROOT / "tests/books/print-edge/images/small.png").read_bytes())
    (book / "images").mkdir()
    (book / "images" / "x.png").symlink_to(book.parent / "secret.png")
    chapter(book, FIGURE.format(alt="A secret", src="images/x.png"))


def outside_chapter(book: Path) -> None:
    (book.parent / "outside.md").write_text(HEAD + "Text.\n")
    toml(book, '"one.md"', '"../outside.md"')


def duplicate_chapter(book: Path) -> None:
    (book / "sub").mkdir()
    (book / "sub" / "One.md").write_text(HEAD + "Text.\n")
    toml(book, '"one.md"', '"one.md", "sub/One.md"')


def no_java(book: Path, monkeypatch) -> None:
    empty = book.parent / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def fake_ace(book: Path, monkeypatch) -> None:
    monkeypatch.setattr("bookbuilder.checks.epub.ace_command", lambda: ["true", "-o"])
    monkeypatch.setattr("bookbuilder.checks.epub.run_epubcheck", lambda path, notices: 0)  # not what is tested


def tracked_docx(book: Path) -> None:
    """A Word file whose one paragraph carries a tracked deletion."""
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
            '<w:del w:id="1" w:author="Ed"><w:r><w:delText>gone</w:delText></w:r></w:del></w:p></w:body></w:document>')
    with zipfile.ZipFile(book / "book.docx", "w") as package:
        package.writestr("word/document.xml", body)


def failing_axe(book: Path, monkeypatch) -> None:
    (book / "ace" / "node_modules" / "puppeteer").mkdir(parents=True)
    monkeypatch.setattr("bookbuilder.checks.web.ace_home", lambda: book / "ace")
    monkeypatch.setattr("bookbuilder.checks.web.node", lambda: "/bin/false")
    monkeypatch.setattr("bookbuilder.checks.epub.ace_command", lambda: None)  # not what is tested
    monkeypatch.setattr("bookbuilder.checks.epub.run_epubcheck", lambda path, notices: 0)


def full_disk(book: Path, monkeypatch) -> None:
    def write(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr("bookbuilder.files.os.write", write)


CHAPTER = "{book}/one.md"
TOML = "{book}/book.toml"
# code: (change to the minimal book, extra command-line arguments, where, message fragment)
CASES = {
    "no-book-toml": (lambda b: (b / "book.toml").unlink(), [], TOML, "no book.toml in the book folder"),
    "toml-syntax": (lambda b: toml(b, 'language = "en"', 'language = "en'), [], TOML + ":3", "TOML syntax error"),
    "unknown-key": (lambda b: toml(b, "language", "langauge"), [], TOML + ":3",
                    "unknown key 'book.langauge'; did you mean 'language'?"),
    "wrong-type": (lambda b: toml(b, "2024-01-31", '"2024-01-31"'), [], TOML + ":5",
                   "'book.date' must be a date (YYYY-MM-DD)"),
    "missing-metadata": (lambda b: toml(b, 'title = "A Minimal Book"', 'title = " "'), [], TOML + ":2",
                         "'book.title' is empty"),
    "bad-value": (lambda b: toml(b, 'language = "en"', 'language = "English"'), [], TOML + ":3",
                  "'English' is not a BCP 47 language tag"),
    "bad-hyphenation": (lambda b: (b / "book.toml").write_text((b / "book.toml").read_text()
                                                               + '\n[typography]\nhyphenate = ["Ast-ana-"]\n'),
                        [], TOML + ":13", "'Ast-ana-' is not one word with a hyphen at each point it may break"),
    "bad-isbn": (lambda b: toml(b, 'chapters = ["one.md"]', 'chapters = ["one.md"]\nisbn_print = "978-0-14-143951-9"'),
                 [], "{book}/book.toml:7", "'978-0-14-143951-9' is not a valid ISBN"),
    "too-many-chapters": (lambda b: toml(b, '["one.md"]', str([f"c{n}.md" for n in range(10_000)])), [],
                          TOML + ":6", "10000 chapters, over the limit of 1,000"),
    "missing-chapter": (lambda b: (b / "one.md").unlink(), [], TOML + ":6", "chapter file 'one.md' does not exist"),
    "chapter-outside-book": (outside_chapter, [], TOML + ":6", "'../outside.md' is outside the book folder"),
    "duplicate-chapter": (duplicate_chapter, [], TOML + ":6",
                          "chapter file 'sub/One.md' has the same name as 'one.md'"),
    "chapter-name": (lambda b: ((b / "one.md").rename(b / "1st.md"), toml(b, "one.md", "1st.md")), [], TOML + ":6",
                     "chapter file name '1st.md' cannot be an EPUB file name"),
    "chapter-too-large": (lambda b: chapter(b, "word " * 1_000_000), [], CHAPTER,
                          "the file is 5.0 MB, over the 2 MB a chapter may have"),
    "not-utf8": (lambda b: chapter(b, "", (HEAD + "Caf\u00e9 na\u00efve\n").encode("cp1252")), [], CHAPTER + ":5",
                 "not UTF-8: byte 0xE9 at byte offset 36"),
    "control-character": (lambda b: chapter(b, "Pasted\x0cfrom Word.\n"), [], CHAPTER + ":5",
                          "control character U+000C in column 7"),
    "front-matter": (lambda b: chapter(b, "", b"---\ntitle: ''\n---\n\nText.\n"), [], CHAPTER + ":1",
                     "the chapter has no title"),
    "empty-chapter": (lambda b: chapter(b, "\n\n"), [], CHAPTER + ":7", "the chapter is empty"),
    "heading-level": (lambda b: chapter(b, "## One\n\nText.\n\n#### Three\n"), [], CHAPTER + ":9",
                      "a level-4 heading after a level-2 one skips a level; use ### here"),
    "duplicate-id": (lambda b: chapter(b, "[a]{#here} and\n[b]{#here}.\n"), [], CHAPTER + ":6",
                     "the id 'here' is already used at"),
    "unknown-div": (lambda b: chapter(b, "::: sidebar\nText.\n:::\n"), [], CHAPTER + ":5",
                    "unknown fenced div '::: sidebar'"),
    "unclosed-div": (lambda b: chapter(b, "Text.\n\n::: figure\n![A](images/x.png)\n"), [], CHAPTER + ":7",
                     "the fenced div '::: figure' is never closed"),
    "figure-shape": (lambda b: chapter(b, "Text ![A hill](images/x.png).\n"), [], CHAPTER + ":5",
                     "an image outside a figure"),
    "table-shape": (lambda b: chapter(b, "::: table\n| a |\n|---|\n| 1 |\n:::\n"), [], CHAPTER + ":5",
                    "a table div must hold one table and one caption paragraph"),
    "past-the-page": (lambda b: (print_css(b, "\np { white-space: nowrap; }\n"),
                                 chapter(b, "A paragraph that goes on well past the width of any page this is printed on.\n")),
                      ["--format", "print"], CHAPTER, "in the print edition, on the page with folio 1, 'A paragraph that "
                      "goes on well past the width of any page"),
    "pandoc-table": (lambda b: chapter(b, "  Year   Busses\n  ------ --------\n  1771   29\n"), [], CHAPTER + ":6",
                     "a pandoc simple or multiline table (columns under a line of dashes) cannot be read"),
    "table-too-wide": (lambda b: chapter(b, "| Name | A | B |\n|---|---|---|\n| " + "Pneumonoultramicroscopic" * 8
                                         + " | 1 | 2 |\n"), ["--format", "print"], CHAPTER + ":5",
                       "the table is still 2.2 times as wide as the page's text block"),
    "undefined-note": (lambda b: chapter(b, "Text.[^1]\n"), [], CHAPTER + ":5",
                       "the note '[^1]' is called but never defined"),
    "unused-note": (lambda b: chapter(b, "Text.\n\n[^1]: A note.\n"), [], CHAPTER + ":7",
                    "the note '[^1]' is defined but never called"),
    "unknown-span": (lambda b: chapter(b, "Some [text]{.aside}.\n"), [], CHAPTER + ":5",
                     "unknown class '.aside' on a span"),
    "no-alt": (lambda b: chapter(b, FIGURE.format(alt="", src="images/x.png")), [], CHAPTER + ":6",
               "the figure's image has no alt text"),
    "malformed-html": (lambda b: chapter(b, "Some <em>text\n\nmore.\n"), [], CHAPTER + ":5",
                       "raw HTML is not well formed (Opening and ending tag mismatch: em line 5 and p)"),
    "broken-link": (lambda b: chapter(b, "See [below](#nowhere).\n"), [], CHAPTER + ":5",
                    "the link '#nowhere' points to an anchor that does not exist in this chapter"),
    "missing-file": (lambda b: chapter(b, FIGURE.format(alt="A hill", src="images/hill.jpg")), [], CHAPTER + ":5",
                     "'images/hill.jpg' not found"),
    "outside-book": (symlink_out, [], CHAPTER + ":5", "'images/x.png' leads outside the book"),
    "bad-image": (lambda b: (picture(b, "x.png", b"not a picture"), chapter(b, FIGURE.format(
                  alt="A hill", src="images/x.png"))), [], CHAPTER + ":5", "'images/x.png' cannot be read as an image"),
    "refused-url": (lambda b: template(b, '{% extends "default:section.xhtml.j2" %}{% block body %}'
                                       '<a rel="attachment" href="file:///etc/hostname">x</a>{% endblock %}'),
                    ["--format", "print"], "", "the PDF asks for 'file:///etc/hostname', which is not a file of the book"),
    "bad-stylesheet": (lambda b: ((b / "styles").mkdir(), (b / "styles" / "print.css").write_text(
                       "html { color: black; }\n@page { size: 6in 9in; bleed: 1pt 2pt 3pt 4pt 5pt; }")),
                       ["--format", "print"], "{book}/styles/print.css:2",
                       "the PDF layout ignores 'bleed: 1pt 2pt 3pt 4pt 5pt': expected 1 to 4 tokens, got 5"),
    "template-syntax": (lambda b: template(b, "{% if %}\n"), [], "{book}/templates/section.xhtml.j2:1",
                        "template syntax error"),
    "template-missing": (lambda b: template(b, '{% include "nope.j2" %}\n'), [], "{book}/templates/section.xhtml.j2:1",
                         "template 'nope.j2' not found"),
    "template-failed": (lambda b: template(b, "\n{{ section.nothing.at_all }}\n"),
                        [], "{book}/templates/section.xhtml.j2:2", "template failed"),
    # hostile input: templates, CSS, serve
    "template-unsafe": (lambda b: template(b, "\n{{ cycler.__init__.__globals__.os.popen('id').read() }}\n"), [],
                        "{book}/templates/section.xhtml.j2:2", "the template reaches outside its data"),
    "template-cycle": (lambda b: template(b, '{% extends "section.xhtml.j2" %}\n'), [],
                       "{book}/templates/section.xhtml.j2:1", "the templates include or extend each other in a cycle "
                       "(section.xhtml.j2 -> section.xhtml.j2)"),
    "template-limit": (lambda b: template(b, "{% for i in range(10**12) %}{% endfor %}\n"), [],
                       "{book}/templates/section.xhtml.j2:1", "template stopped: range(1000000000000) makes more "
                       "than the 10,000 numbers a template may use"),
    "template-output": (lambda b: template(b, "<section><p>{{ section.title }}</section>\n"), [],
                        "{book}/templates/section.xhtml.j2", "the template writes XHTML that is not well-formed"),
    "stylesheet-limit": (lambda b: print_css(b, "\na { width: " + "calc(" * 40 + "1px" + ")" * 40 + " }\n"),
                         ["--format", "print"], f"{{book}}/styles/print.css:{PRINT_CSS_LINES + 2}",
                         "nests brackets, parentheses or blocks"),
    "bad-font": (bad_font, ["--format", "print"], "{book}/styles/fonts/Broken.ttf", "the font file cannot be read"),
    "out-of-memory": (lambda b, m: m.setattr("bookbuilder.limits.Limits.worker_memory",
                                                            property(lambda self: 64 * 1024**2)),
                      ["--format", "print", "--jobs", "2"], "", "a layout process ran out of the 0.0625 GiB"),
    "layout-failed": (lambda b: template(b, '{% extends "default:section.xhtml.j2" %}{% block header %}'
                                        '<p style="font-size: 1e9px">x</p>{{ super() }}{% endblock %}\n'),
                      ["--format", "print"], "{book}/templates/section.xhtml.j2",
                      "the PDF layout failed with the book's own stylesheets"),
    "port-unavailable": (lambda b: None, ["serve", "{book}", "--port", "70000"], "127.0.0.1:70000",
                         "the preview cannot listen on port 70000 (not a port number)"),
    "output-folder": (lambda b: (b / "file").write_text(""), ["--out", "{book}/file/dist"],
                      "{book}/file/dist/.make-book-cache",
                      "cannot write to the output folder"),
    "disk-full": (full_disk, [], "{out}/.make-book-cache/pages.json", "cannot write the output (No space left on device)"),
    "missing-face": (lambda b, m: (chapter(b, "Astana is 阿斯塔纳.\n"),
                                   m.setattr("bookbuilder.scripts.installed", lambda key: None)),
                     ["--format", "print"], "", "the book has Simplified Chinese text, set in Noto Serif SC, which "
                     "is not installed"),
    "missing-glyphs": (lambda b: chapter(b, "A snowman \u2603.\n"), ["--format", "print"], CHAPTER + ":5",
                       "1 character (Common) missing from the book's fonts"),
    "no-harfbuzz-subset": (lambda b, m: m.setattr("bookbuilder.typeset.weasy.harfbuzz_subset", None), ["--format", "print"],
                           "", "WeasyPrint needs the HarfBuzz-subset library (4.1 or later) to embed fonts; install "
                           "it (Debian: apt-get install libharfbuzz-subset0)"),
    "no-java": (no_java, ["check", "--no-ace"], "{out}/a-minimal-book.epub", "EPUBCheck could not run"),
    "ace-failed": (fake_ace, ["check"], "{out}/a-minimal-book.epub", "Ace ran but wrote no report"),
    "kindle-language": (lambda b: (b / "book.toml").write_text((b / "book.toml").read_text().replace(
        'language = "en"', 'language = "kk"')), ["--format", "kindle"], TOML, "Kindle does not take e-books in 'kk'"),
    "kindle-size": (lambda b, m: m.setattr("bookbuilder.formats.kindle.MAX_BYTES", 10_000), ["--format", "kindle"],
                    "{book}", "Send to Kindle takes"),
    "axe-failed": (failing_axe, ["check", "--format", "web"], "{out}/a-minimal-book-web", "axe-core could not run"),
    "bad-transcript": (lambda b: (b / "talk.txt").write_text("\n"), ["import", "{book}/talk.txt", "{book}/new"],
                       "{book}/talk.txt", "the transcript is empty"),
    "bad-markdown": (lambda b: (b / "book.md").write_text("::: {.section .titlepage}\n# A Title\n:::\n"),
                     ["import", "{book}/book.md", "{book}/new"], "{book}/book.md", "no text to import"),
    "bad-docx": (lambda b: (b / "book.docx").write_text("not a zip"), ["import", "{book}/book.docx", "{book}/new"],
                 "{book}/book.docx", "the file is not a Word document (.docx)"),
    "tracked-changes": (tracked_docx, ["import", "{book}/book.docx", "{book}/new"], "{book}/book.docx",
                        "the document has tracked changes (1 del)"),
    "duplicate-book": (lambda b: shutil.copytree(b, b.parent / "twin" / b.name),
                       ["catalogue", "{book}", "{book}/../twin/minimal", "--out", "{book}/../shelf"],
                       "{book}/../twin/minimal", "another book folder is also named 'minimal'"),
    "no-distributed": (lambda b, m: m.setitem(sys.modules, "distributed", None),
                       ["catalogue", "{book}", "--scheduler", "tcp://127.0.0.1:1", "--out", "{book}/../shelf"], "",
                       "--scheduler needs Dask's 'distributed' package"),
    "no-scheduler": (lambda b, m: m.setattr("bookbuilder.pipeline.catalogue.SCHEDULER_TIMEOUT", "1s"),
                     ["catalogue", "{book}", "--scheduler", "tcp://127.0.0.1:1", "--out", "{book}/../shelf"], "",
                     "cannot reach the Dask scheduler at tcp://127.0.0.1:1"),
    "folder-not-empty": (lambda b: None, ["new", "{book}"], "{book}", "the folder already exists and is not empty"),
    # hostile input: files, limits, bad input
    "bad-file-name": (lambda b: chapter(b, FIGURE.format(alt="A hill", src="images/a%00.png")), [], CHAPTER + ":5",
                      "the file name 'images/a\\x00.png' holds the control character U+0000"),
    "not-a-file": (lambda b: ((b / "one.md").unlink(), os.mkfifo(b / "one.md")), [], CHAPTER,
                   "this is a FIFO (named pipe), not a file"),
    "file-too-large": (lambda b: ((b / "styles").mkdir(), (b / "styles" / "epub.css").write_bytes(b" " * 2_000_001)),
                       [], "{book}/styles/epub.css", "the file is 2.0 MB, over the 2 MB a stylesheet may have"),
    "too-deep": (lambda b: chapter(b, "<div>" * 250 + "x" + "</div>" * 250 + "\n"), [], CHAPTER + ":5",
                 "raw HTML nested more than 50 elements deep"),
    "too-many-ids": (lambda b: chapter(b, "".join(f"[a]{{#a{n}}}\n\n" for n in range(10_001))), [], CHAPTER,
                     "the book has more than 10,000 ids (anchors)"),
    "missing-labels": (lambda b: toml(b, 'language = "en"', 'language = "nl"'), ["--format", "epub"],
                       "{book}/book.toml:3", "the tool has no labels in 'nl'"),
    "unlisted-chapter": (lambda b: (b / "draft.md").write_text(HEAD), [], "{book}/draft.md",
                         "this Markdown file is not in book.toml's 'chapters'"),
    "bom": (lambda b: chapter(b, "", ("\ufeff" + HEAD + "Text.\n").encode()), [], CHAPTER + ":1",
            "the file starts with a byte-order mark (ignored)"),
    "removed-html": (lambda b: chapter(b, "Text.\n\n<iframe src='http://example.org/'></iframe>\n"), [],
                     CHAPTER + ":7", "<iframe> removed with its content"),
    "literal-markdown": (lambda b: chapter(b, "| a | b |\n|---|\n| 1 | 2 |\n"), [], CHAPTER + ":5",
                         "a table that was not read, printed as text"),
    "black-ink-colour": (lambda b: ((b / "styles").mkdir(), (b / "styles" / "print.css").write_text(
                             "em { color: device-cmyk(0 1 0 0); }\n"), chapter(b, "Text in *magenta*.\n")),
                         ["--format", "print"], "", "draws with colour ink (page 1: the CMYK fill colour 0 1 0 0)"),
    "pdfx-colour": (lambda b: ((b / "styles").mkdir(), (b / "styles" / "print.css").write_text(
                        "body { background: linear-gradient(#c00, #00c); }\n")), ["--format", "print"], "",
                    "the print PDF is not PDF/X-4 (page 1: an RGB gradient)"),
    "low-resolution": (lambda b: (picture(b, "x.png", (ROOT / "tests/books/print-edge/images/small.png").read_bytes()),
                       chapter(b, FIGURE.format(alt="A grey square", src="images/x.png"))), ["--format", "print"],
                       CHAPTER + ":5", "'images/x.png' prints at"),
    "paragraph-too-long": (lambda b: chapter(b, "Text.\n\n" + "word " * 20_001 + "\n"), [], CHAPTER + ":7",
                           "this paragraph has 100,004 characters, more than the 100,000"),
    "long-note": (lambda b: chapter(b, "A call.[^long]\n\n[^long]: " + "A sentence of a note far too long. " * 150
                                    + "\n"), ["--format", "print"], CHAPTER, "note 1 cannot stand at the foot of the print page of its call"),
}


def test_every_catalogue_entry_has_a_case():
    assert set(CASES) == set(CATALOGUE)


@pytest.mark.parametrize("code", CASES)
def test_catalogue_case(code, book_dir, tmp_path, capsys, monkeypatch):
    book = book_dir("minimal")
    change, args, where, fragment = CASES[code]
    if change.__code__.co_argcount == 2:
        change(book, monkeypatch)
    else:
        change(book)
    out = tmp_path / "out"
    args = [a.format(book=book) for a in args]
    if args and args[0] in ("new", "import", "serve", "catalogue"):
        status = cli.main(args)
    elif args and args[0] == "check":  # 'check' reports a user error with its other findings
        status = cli.main(["check", str(book), "--format", "epub", "--out", str(out), *args[1:]])
    else:
        status = cli.main([str(book), "--format", "epub", "--out", str(out), *args])
    captured = capsys.readouterr()
    entry = CATALOGUE[code]
    if args[:1] == ["check"]:  # 'check' lists a user error among its findings, with its code, and exits 1
        assert status == 1 and f"{where.format(out=out)}: {fragment}" in captured.out and f"[{code}]" in captured.out
        return
    err = captured.err
    assert status == entry.exit_code, err
    prefix = "warning" if entry.kind is None else "error"
    lines = [line for line in err.splitlines() if line.startswith(f"{prefix}: ")]
    where = where.format(book=book, out=out)
    expected = f"{prefix}: {where}: " if where else f"{prefix}: "
    assert any(line.startswith(expected) and fragment in line for line in lines), err
    assert "Traceback" not in err and len(err.splitlines()) == len(lines)


def test_error_carries_its_code(book_dir):
    from bookbuilder.errors import ManuscriptError
    from bookbuilder.manuscript.load import load_book

    book = book_dir("minimal")
    chapter(book, "::: sidebar\nText.\n:::\n")
    with pytest.raises(ManuscriptError) as err:
        load_book(book)
    assert err.value.code == "unknown-div" and err.value.exit_code == 3


CODE_POSITION = {"add": 4, "Notice": 4}  # Notices.add(severity, where, problem, fix, code), Notice(… code)


def raised_codes() -> set[str]:
    """Every code passed anywhere in the package, subpackages included: the code= keyword (of a
    BookError, Notices.warn, a Notice) and the positional code of Notices.add and Notice."""
    codes = set()
    for path in (ROOT / "bookbuilder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            values = [k.value for k in node.keywords if k.arg == "code"]
            name = getattr(node.func, "attr", getattr(node.func, "id", None))
            if name in CODE_POSITION and len(node.args) > CODE_POSITION[name]:
                values.append(node.args[CODE_POSITION[name]])
            codes |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)}
    return codes


def test_every_code_raised_is_catalogued_and_every_entry_raised():
    # 'make-book check' findings and the import's warnings have codes of their own (the manual: make-book
    # check, make-book import), not the catalogue's, which is the errors'
    findings = {c for c in raised_codes() if c.startswith(("lint-", "pdf-", "onix-", "docx-"))}
    assert raised_codes() - findings == set(CATALOGUE)
    assert findings >= {"lint-alt", "lint-link", "lint-quote", "pdf-boxes", "pdf-labels", "onix-schema", "docx-style"}


QUOTED = re.compile(r"(?<![\w`])'([^'\n]+?)'(?![\w`])")  # 'a quoted piece' in a meaning, not an apostrophe
AS_CODE = r"`\1`"


def catalogue_table() -> str:
    """The manual's table of the catalogue: a quoted piece of syntax ('[^id]') is set as code."""
    rows = ["| code | exit | what it means |", "| --- | --- | --- |"]
    rows += [f"| `{e.code}` | {e.exit_code or 'warning'} | {QUOTED.sub(AS_CODE, e.meaning)} |" for e in CATALOGUE.values()]
    return "\n".join(rows) + "\n"


def test_the_manual_lists_the_catalogue():
    chapter = ROOT / "docs" / "errors.md"
    text = chapter.read_text()
    section = re.search(r"(\n)(\| code \|.*?\n)(?=\n|\Z)", text, re.DOTALL)
    assert section, "docs/errors.md needs the catalogue table"
    if os.environ.get("UPDATE_MANUAL"):
        chapter.write_text(text.replace(section.group(2), catalogue_table()))
    else:
        assert section.group(2) == catalogue_table(), "run: UPDATE_MANUAL=1 pytest tests/test_catalogue.py"
