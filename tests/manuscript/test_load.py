"""Loading: book.toml and chapters become a validated Book; errors name file and line."""

from __future__ import annotations

import re

import pytest

from bookbuilder.errors import ConfigError, ManuscriptError
from bookbuilder.manuscript.load import load_book


def test_minimal_book_loads(book_dir):
    book = load_book(book_dir("minimal"))
    assert book.metadata.title == "A Minimal Book"
    assert [c.id for c in book.chapters] == ["one"]
    assert book.chapters[0].number == 1


def test_malformed_toml_names_file_and_line(book_dir):
    book = book_dir("minimal")
    (book / "book.toml").write_text('[book]\ntitle = "x"\n\nlanguage = "en\n')
    with pytest.raises(ConfigError) as err:
        load_book(book)
    assert str(err.value).startswith(f"{book / 'book.toml'}:4: TOML syntax error")


def test_unknown_key_suggests_the_closest(book_dir):
    book = book_dir("minimal")
    path = book / "book.toml"
    path.write_text(path.read_text().replace("language", "langauge"))
    with pytest.raises(ConfigError) as err:
        load_book(book)
    assert f"{path}:3: unknown key 'book.langauge'; did you mean 'language'?" == str(err.value)


def test_cli_trim_overrides_book_toml(book_dir):
    book = load_book(book_dir("minimal"), {"trim": "A5"})
    assert book.settings.trim == ("148mm", "210mm")


def test_bad_trim_is_refused(book_dir):
    with pytest.raises(ConfigError, match="cannot read the size 'huge'"):
        load_book(book_dir("minimal"), {"trim": "huge"})


def test_missing_chapter_file_points_at_the_list(book_dir):
    book = book_dir("minimal")
    (book / "one.md").unlink()
    with pytest.raises(ManuscriptError) as err:
        load_book(book)
    assert str(err.value).startswith(f"{book / 'book.toml'}:6: chapter file 'one.md' does not exist")


def test_default_book_structure():
    from conftest import ROOT

    book = load_book(ROOT / "book")
    assert [c.kind for c in book.chapters] == ["introduction"] + ["chapter"] * 5 + ["appendix"]
    assert [c.number for c in book.chapters] == [None, 1, 2, 3, 4, 5, None]
    assert len(book.figures) == 7
    assert all(f.credit.startswith("Photo: ") for f in book.figures)


def test_unlisted_chapter_file_is_a_warning(book_dir):
    from bookbuilder.notices import Notices

    book = book_dir("minimal")
    (book / "draft.md").write_text("---\ntitle: Draft\n---\n")
    notices = Notices()
    load_book(book, notices=notices)
    assert [str(n) for n in notices] == [
        f"{book / 'draft.md'}: this Markdown file is not in book.toml's 'chapters'; "
        "add it to 'chapters' to include it, or move it out of the book folder"]


def part_book(book_dir, structure: str = ""):
    book = book_dir("minimal")
    head = "---\ntitle: {}\ntype: {}\n---\n\n{}"
    files = {"p1.md": ("One", "part", ""), "a.md": ("A", "chapter", "See [b](b.md#here) and [p2](p2.md).\n"),
             "p2.md": ("Two", "part", "A part may have text.\n"), "b.md": ("B", "chapter", "[Here]{#here}.\n"),
             "z.md": ("Z", "appendix", "End.\n")}
    for name, (title, kind, body) in files.items():
        (book / name).write_text(head.format(title, kind, body))
    toml = (book / "book.toml").read_text().replace('["one.md"]', str(list(files))).replace("\n[[", f"{structure}\n[[")
    (book / "book.toml").write_text(toml)
    (book / "one.md").unlink()
    return book


def test_parts_group_the_chapters_after_them(book_dir):
    book = load_book(part_book(book_dir))
    assert [(c.id, c.kind, c.number, c.part) for c in book.chapters] == [
        ("p1", "part", None, None), ("a", "chapter", 1, "p1"), ("p2", "part", None, None), ("b", "chapter", 2, "p2"),
        ("z", "appendix", None, None)]
    assert 'href="#here"' in book.chapters[1].body_html and 'href="#p2"' in book.chapters[1].body_html


def test_numbering_may_restart_in_each_part(book_dir):
    book = load_book(part_book(book_dir, '\n[structure]\nnumbering = "part"\nchapter_labels = "words"\n'))
    assert [c.number for c in book.chapters if c.kind == "chapter"] == [1, 1]
    assert book.settings.chapter_labels == "words"


def test_a_structure_value_out_of_range_is_refused(book_dir):
    with pytest.raises(ConfigError, match=r"book.toml:\d+: 'structure.contents_depth' cannot be 3"):
        load_book(part_book(book_dir, "\n[structure]\ncontents_depth = 3\n"))


def test_a_link_to_a_file_that_is_no_chapter_or_a_missing_anchor_is_an_error(book_dir):
    book = part_book(book_dir)
    (book / "a.md").write_text("---\ntitle: A\n---\n\nSee [it](notes.md).\n")
    with pytest.raises(ManuscriptError, match=r"a.md:5: the link 'notes.md' points to a file that is not a chapter"):
        load_book(book)
    (book / "a.md").write_text("---\ntitle: A\n---\n\nSee [it](b.md#gone).\n")
    with pytest.raises(ManuscriptError, match=r"a.md:5: the link 'b.md#gone' points to an anchor that does not exist"):
        load_book(book)


def test_notes_are_numbered_through_the_book_when_book_toml_asks(book_dir):
    """[structure] note_numbering = "book": the second chapter's first note shows 3; ids stay per chapter."""
    from bookbuilder.render.editions import section_markup
    from bookbuilder.typeset.editions import EDITIONS

    book = book_dir("minimal")
    for name in ("one.md", "two.md"):
        (book / name).write_text(f"---\ntitle: {name}\n---\n\nA.[^a] B.[^b]\n\n[^a]: First.\n[^b]: Second.\n")
    toml = (book / "book.toml").read_text().replace('chapters = ["one.md"]', 'chapters = ["one.md", "two.md"]')
    (book / "book.toml").write_text(toml + '\n[structure]\nnote_numbering = "book"\n')
    one, two = load_book(book).chapters
    assert re.findall(r'class="noteref"[^>]*>(\d+)<', two.body_html) == ["3", "4"]
    assert 'id="two-note-1"' in two.body_html and 'aria-label="Back to note 3 in the text">3<' in two.body_html
    assert (one.first_note, two.first_note, two.shown_note("two-note-2")) == (1, 3, 4)
    printed = section_markup(two.body_html, EDITIONS["print"].rendition, "footnotes")
    assert re.findall(r'data-number="(\d+)"', printed) == ["3", "4"]
