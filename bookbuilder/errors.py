"""User errors: one typed exception per kind, each with an exit code and a one-line message.

The message always reads ``FILE:LINE: what is wrong; how to fix it`` so that an editor (or an
editor's editor) can jump straight to the place. Every error and warning the build can report has
a stable code in CATALOGUE; the manual's table of errors (docs/errors.md) is checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in the manuscript: a file and, where known, a 1-based line."""

    path: Path
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)


class BookError(Exception):
    """Base of every error the user can fix; never shown with a traceback."""

    exit_code = 1

    def __init__(self, where: Location | Path | str | None, problem: str, fix: str, *, code: str):
        self.where = where
        self.problem = problem
        self.fix = fix
        self.code = code
        super().__init__(str(self))

    def __str__(self) -> str:
        return one_line(self.where, self.problem, self.fix)

    def __reduce__(self):  # raised in a layout process, re-raised in the build's own
        return partial(type(self), code=self.code), (self.where, self.problem, self.fix)


def one_line(where, problem: str, fix: str) -> str:
    """The shape of every message: ``FILE:LINE: what is wrong; how to fix it``."""
    return f"{where}: {problem}; {fix}" if where else f"{problem}; {fix}"


class ConfigError(BookError):
    """book.toml is missing, malformed or has wrong values."""

    exit_code = 2


class ManuscriptError(BookError):
    """A chapter file cannot be read or its markup is wrong."""

    exit_code = 3


class ResourceError(BookError):
    """An image, stylesheet or font is missing, outside the book, or unusable."""

    exit_code = 4


class TemplateError(BookError):
    """A Jinja2 template failed to render."""

    exit_code = 5


class OutputError(BookError):
    """An output could not be written."""

    exit_code = 6


class CheckError(BookError):
    """A validator rejected an output, or could not run."""

    exit_code = 7


class SetupError(BookError):
    """The machine lacks a library the build needs ('make-book doctor' lists what it has)."""

    exit_code = 8


@dataclass(frozen=True)
class Entry:
    """One thing the build can report: ``kind`` is the error class, or None for a warning."""

    code: str
    kind: type[BookError] | None
    meaning: str

    @property
    def exit_code(self) -> int:
        return self.kind.exit_code if self.kind else 0


CATALOGUE = {e.code: e for e in (
    Entry("no-book-toml", ConfigError, "the folder has no book.toml (or it is not a book folder)"),
    Entry("toml-syntax", ConfigError, "book.toml is not valid TOML; the line of the first mistake is given"),
    Entry("unknown-key", ConfigError, "a key book.toml does not know, e.g. a misspelling; the closest is suggested"),
    Entry("wrong-type", ConfigError, "a value of the wrong type, e.g. a date in quotes"),
    Entry("missing-metadata", ConfigError, "a required [book] key (title, language, identifier, date, chapters) "
          "is missing or empty"),
    Entry("bad-value", ConfigError, "a value out of range: language tag, trim, paper, bleed, role, PDF variant …"),
    Entry("bad-hyphenation", ConfigError, "a [typography] hyphenate entry that is not one word with its break "
          "points ('Shay-mer-ge-nov'), or a word given twice or in no_hyphenate too"),
    Entry("bad-isbn", ConfigError, "an ISBN in book.toml (isbn_print, isbn_epub) with a wrong check digit or form"),
    Entry("too-many-chapters", ConfigError, "more chapters than the build accepts (the limit is in the message)"),
    Entry("missing-chapter", ManuscriptError, "a file listed in 'chapters' does not exist"),
    Entry("chapter-outside-book", ManuscriptError, "a listed chapter lies outside the book folder (.., a symlink)"),
    Entry("chapter-name", ManuscriptError, "a chapter file name that cannot be an EPUB file name (e.g. '1st.md')"),
    Entry("duplicate-chapter", ManuscriptError, "two listed files give the same chapter id (file names differing "
          "only in case or punctuation, or one listed twice)"),
    Entry("chapter-too-large", ManuscriptError, "a chapter file or the whole manuscript is over the size limit"),
    Entry("not-utf8", ManuscriptError, "a file is not UTF-8 (e.g. saved as Windows-1252); the byte offset is given"),
    Entry("control-character", ManuscriptError, "a control character XML forbids (often pasted from Word or a PDF)"),
    Entry("front-matter", ManuscriptError, "the YAML front matter is malformed, has no title or an unknown type"),
    Entry("empty-chapter", ManuscriptError, "a chapter has a title but no text"),
    Entry("heading-level", ManuscriptError, "a level-1 heading in a chapter, or a skipped level (## then ####)"),
    Entry("duplicate-id", ManuscriptError, "two elements with the same id ('{#id}' or raw HTML)"),
    Entry("unknown-div", ManuscriptError, "a fenced div '::: NAME' that is neither 'figure' nor a speaker"),
    Entry("unclosed-div", ManuscriptError, "a fenced div without its closing ':::'"),
    Entry("figure-shape", ManuscriptError, "a figure is not one image paragraph and one caption, or an image "
          "stands outside a figure"),
    Entry("pandoc-table", ManuscriptError, "a pandoc simple or multiline table (columns under a line of dashes), "
          "which would print as loose text; convert with -t markdown-simple_tables-multiline_tables"),
    Entry("table-shape", ManuscriptError, "a '::: table' div is not one pipe table and one caption paragraph"),
    Entry("past-the-page", ManuscriptError, "text or a picture that reaches past the edge of a PDF's page, or a "
          "picture wider than the text block (a book's own stylesheet made it so)"),
    Entry("table-too-wide", ManuscriptError, "a table wider than a PDF's text block even set smaller and split "
          "into groups of columns (a cell too wide for the page, such as a long word in its first column)"),
    Entry("undefined-note", ManuscriptError, "a note called ('[^id]') that is never defined ('[^id]: text')"),
    Entry("unused-note", ManuscriptError, "a note defined ('[^id]: text') that is never called ('[^id]'), or "
          "defined twice"),
    Entry("unknown-span", ManuscriptError, "a span or link class ('{.name}') the build does not set"),
    Entry("no-alt", ManuscriptError, "a figure's image has no alt text"),
    Entry("malformed-html", ManuscriptError, "raw HTML that is not well formed (unclosed or crossed tags)"),
    Entry("broken-link", ManuscriptError, "a link to an anchor that does not exist, or to a file that is not a "
          "chapter"),
    Entry("missing-file", ResourceError, "an image or stylesheet that is not in the book or the defaults"),
    Entry("outside-book", ResourceError, "an image or stylesheet path leading outside the book (.., a symlink, "
          "an absolute path)"),
    Entry("bad-image", ResourceError, "an image that is not JPEG or PNG, or is corrupt"),
    Entry("refused-url", ResourceError, "a template or stylesheet asks for a URL (http, file://, …) or a file "
          "outside the book: nothing is fetched"),
    Entry("bad-stylesheet", ResourceError, "WeasyPrint could not use a stylesheet rule or option"),
    Entry("bad-font", ResourceError, "a font file of the book's styles/ that fontTools cannot read (corrupt, "
          "truncated, not a font)"),
    Entry("out-of-memory", ResourceError, "a layout process ran out of the 2 GiB of memory it may use (or was "
          "stopped): something in the book's files grows without end"),
    Entry("layout-failed", ResourceError, "the PDF layout failed on the book's own stylesheets or templates (sizes "
          "far outside a page: a font-size of millions of pixels, a body of no width)"),
    Entry("stylesheet-limit", ResourceError, "a stylesheet nested, imported or expanded past a limit (brackets 32 "
          "deep, a 10,000-character selector, var() past 100,000 characters or in a circle, @import in a circle or "
          "8 deep, an @page size or margin outside book.toml's range, over 64 items generated by one content or "
          "string-set, a selector of over 32 steps, a length past 100in)"),
    Entry("template-syntax", TemplateError, "a template in templates/ has a Jinja2 syntax error"),
    Entry("template-missing", TemplateError, "a template includes or extends one that does not exist"),
    Entry("template-failed", TemplateError, "a template uses a variable that does not exist, or fails"),
    # hostile input: templates, CSS, serve
    Entry("template-unsafe", TemplateError, "a template reaches for Python itself (an attribute starting with '_', a "
          "method or filter templates are not given): the sandbox refuses it"),
    Entry("template-cycle", TemplateError, "templates that include or extend each other in a cycle, or name a template "
          "by a computed value"),
    Entry("template-limit", TemplateError, "a template over a limit of the sandbox: range size, loop steps, output "
          "size, render time, recursion, blocks nested too deeply to compile"),
    Entry("template-output", TemplateError, "a template writes XHTML that is not well-formed, or a DOCTYPE other than "
          "'<!DOCTYPE html>'"),
    Entry("port-unavailable", OutputError, "'make-book serve' cannot listen on the port: in use, not allowed, or "
          "not 0–65535"),
    Entry("output-folder", OutputError, "the output folder cannot be created or written"),
    Entry("disk-full", OutputError, "an output could not be written completely (disk full, quota)"),
    Entry("missing-face", ResourceError, "the book prints a script whose packaged face (Chinese, Japanese, Arabic) "
          "is not installed, or a file of that face is not the one the tool pins by hash"),
    Entry("missing-glyphs", CheckError, "characters the shipped fonts do not have (they would print as boxes)"),
    Entry("black-ink-colour", CheckError, "a black-ink print interior (interior = \"black\") draws with cyan, magenta "
          "or yellow ink: a stylesheet's device-cmyk colour, a CMYK picture"),
    Entry("pdfx-colour", CheckError, "a PDF/X print PDF or cover would keep RGB the build cannot convert (a "
          "gradient, a loaded colour profile)"),
    Entry("no-harfbuzz-subset", SetupError, "WeasyPrint cannot embed fonts without the HarfBuzz-subset library "
          "(Debian: libharfbuzz-subset0)"),
    Entry("no-java", CheckError, "'make-book check' could not run EPUBCheck: it needs a Java runtime"),
    Entry("ace-failed", CheckError, "'make-book check' ran DAISY Ace, which wrote no report"),
    Entry("kindle-language", ConfigError, "the Kindle edition was asked for a book in a language Kindle does not "
          "take (Send to Kindle's E999)"),
    Entry("kindle-size", OutputError, "the Kindle edition is over the 50 MB Send to Kindle takes"),
    Entry("axe-failed", CheckError, "'make-book check' could not run axe-core on the web edition in Chromium"),
    Entry("bad-transcript", ManuscriptError, "'make-book import' cannot read the transcript (empty, no speaker "
          "prefixes, no interviewee name, a credit without caption)"),
    Entry("bad-markdown", ManuscriptError, "'make-book import' cannot make a book of the Markdown file (no text "
          "in it, or an option for transcripts given with it)"),
    Entry("bad-docx", ManuscriptError, "'make-book import' cannot read the Word file (not a .docx, empty, too large "
          "unpacked, or an option for transcripts given with it)"),
    Entry("tracked-changes", ManuscriptError, "'make-book import' was given a Word file with tracked changes: accept "
          "or reject them first"),
    Entry("duplicate-book", ConfigError, "'make-book catalogue' was given two book folders of one name (each is "
          "built into --out/NAME)"),
    Entry("no-distributed", ConfigError, "'make-book catalogue --scheduler' needs Dask's 'distributed' package "
          "(pip install 'bookbuilder[cluster]')"),
    Entry("no-scheduler", ConfigError, "'make-book catalogue --scheduler' cannot reach the Dask scheduler"),
    Entry("folder-not-empty", OutputError, "'make-book new' or 'import' was given a folder that is not empty"),
    # hostile input: files, limits, bad input
    Entry("bad-file-name", ResourceError, "a file name with a NUL or another control character"),
    Entry("not-a-file", ResourceError, "a FIFO, device, socket or folder where a file should be: refused by name, "
          "never opened"),
    Entry("file-too-large", ResourceError, "an image, stylesheet, template or font over its size limit (the manual: "
          "Files, limits and bad input)"),
    Entry("too-deep", ManuscriptError, "raw HTML or Markdown nested deeper than the layout can follow (the limit "
          "is in the message)"),
    Entry("paragraph-too-long", ManuscriptError, "a paragraph longer than the layout sets in reasonable time (the "
          "limit is in the message)"),
    Entry("too-many-ids", ManuscriptError, "more ids (anchors) in the book than one build lays out (the limit is in "
          "the message)"),
    Entry("unlisted-chapter", None, "a Markdown file in the book folder that 'chapters' does not list"),
    Entry("bom", None, "a file starts with a byte-order mark (ignored)"),
    Entry("removed-html", None, "raw HTML that is not allowed in an EPUB, or unsafe, was removed"),
    Entry("low-resolution", None, "a figure prints below 300 ppi"),
    Entry("missing-labels", None, "the book's language has no table of the tool's labels, or one without some "
          "entries: those are printed in English"),
    Entry("long-note", None, "a note that cannot stand at the foot of the page of its call (it needs more room "
          "than is left below the call, and the call's line cannot go overleaf without leaving a line alone) is set "
          "after its chapter's text instead"),
    Entry("literal-markdown", None, "Markdown syntax the parser did not read ('{.class}' after a space, a table "
          "without a header row, a grid table that does not close, a ':::' inside a paragraph, an emphasis marker or a "
          "link), printed as text"),
)}
