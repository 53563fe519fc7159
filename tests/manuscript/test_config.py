"""book.toml on its own: values read, defaults kept, command-line overrides, mistakes with their line."""

from __future__ import annotations

import datetime

import pytest
from conftest import BOOKS

from bookbuilder.errors import ConfigError
from bookbuilder.manuscript.config import override, read_config
from bookbuilder.model import Settings
from bookbuilder.notices import Notices


def write(tmp_path, extra: str = "", book: str = "") -> None:
    text = (BOOKS / "minimal" / "book.toml").read_text().replace("[book]\n", f"[book]\n{book}", 1)
    (tmp_path / "book.toml").write_text(text + extra)


def test_reads_metadata_and_keeps_defaults(tmp_path):
    write(tmp_path)
    config = read_config(tmp_path, Notices())
    assert config.metadata.title == "A Minimal Book" and config.metadata.date == datetime.date(2024, 1, 31)
    assert config.chapters == ("one.md",)
    assert config.settings == Settings()
    assert [(c.name, c.role) for c in config.metadata.contributors] == [("Ada Author", "author")]


def test_output_table_and_command_line_override_in_that_order(tmp_path):
    write(tmp_path, '\n[output]\ntrim = "5.5in 8.5in"\nmarks = true\n')
    config = read_config(tmp_path, Notices())
    assert config.settings.trim == ("5.5in", "8.5in") and config.settings.marks
    settings = override(config.path, config.settings, {"trim": "A5", "marks": None})
    assert settings.trim == ("148mm", "210mm") and settings.marks  # None leaves book.toml's value


@pytest.mark.parametrize("extra, book, code, line, fragment", [
    ('\n[output]\ntrimm = "A5"\n', "", "unknown-key", 13, "unknown key 'output.trimm'; did you mean 'trim'?"),
    ("", 'title = "Twice"\n', "toml-syntax", None, "TOML syntax error"),
    ('\n[output]\ntrim = "6in by 9in"\n', "", "bad-value", 13, "cannot read the size '6in by 9in'"),
    ("", 'subjects = "history"\n', "wrong-type", 2, "subjects"),
    ('\n[typography]\nno_hyphenate = "Astana"\n', "", "wrong-type", 13, "'typography.no_hyphenate' must be a list"),
    ('\n[typography]\nno_hyphenate = ["Astana", 3]\n', "", "wrong-type", 13, "must be a list of words"),
    ('\n[typography]\nno_hyphenate = ["  "]\n', "", "wrong-type", 13, "must be a list of words"),
    ('\n[typography]\nhyphenate = ["Shay-mer", 3]\n', "", "wrong-type", 13, "'typography.hyphenate' must be a list"),
    ('\n[typography]\nopening = "initial"\n', "", "bad-value", 13, "'typography.opening' cannot be 'initial'"),
    ("", "printing = 0\n", "bad-value", 2, "'book.printing' cannot be 0; give this printing's number, 1 (the first) to 10"),
    ("", "printing = 11\n", "bad-value", 2, "'book.printing' cannot be 11"),
    ("", "printing = true\n", "bad-value", 2, "'book.printing' cannot be True"),
    ('\n[credits]\ncovers = "Jane"\n', "", "unknown-key", 13, "unknown key 'credits.covers'; did you mean 'cover'?"),
    ('\n[structure]\nlists = ["maps"]\n', "", "bad-value", 13, "'structure.lists' cannot be ['maps']; list any of "
                                                              "'illustrations', 'tables', each once"),
    ('\n[structure]\nlists = ["tables", "tables"]\n', "", "bad-value", 13, "'structure.lists' cannot be"),
    ('\n[structure]\nlists = "tables"\n', "", "wrong-type", 13, "'structure.lists' must be a list"),
    ('\n[structure]\nnote_numbering = "part"\n', "", "bad-value", 13, "use one of 'chapter', 'book'"),
])
def test_mistakes_name_their_line(tmp_path, extra, book, code, line, fragment):
    write(tmp_path, extra, book)
    with pytest.raises(ConfigError) as err:
        read_config(tmp_path, Notices())
    assert err.value.code == code and fragment in str(err.value)
    if line:
        assert str(err.value.where) == f"{tmp_path / 'book.toml'}:{line}"


def test_typography_lists_the_words_never_hyphenated(tmp_path):
    write(tmp_path, '\n[typography]\nno_hyphenate = ["Astana", "Nur-Sultan"]\n')
    assert read_config(tmp_path, Notices()).settings.no_hyphenate == ("Astana", "Nur-Sultan")


@pytest.mark.parametrize("entries, problem", [
    ('"Shaymergenov"', "'Shaymergenov' is not one word with a hyphen at each point it may break"),
    ('"Shay--mer"', "'Shay--mer' is not one word"), ('"Zhang-Shuo Li"', "'Zhang-Shuo Li' is not one word"),
    ('"-Timur"', "'-Timur' is not one word"), ('"Kaz-akh3"', "'Kaz-akh3' is not one word"),
    ('"As-ta-na"', "'Astana' is in no_hyphenate too"), ('"Ka-zakh", "Kaz-akh"', "'Kazakh' is given twice"),
])
def test_a_word_to_hyphenate_is_one_word_with_its_break_points(tmp_path, entries, problem):
    write(tmp_path, f'\n[typography]\nno_hyphenate = ["Astana"]\nhyphenate = [{entries}]\n')
    with pytest.raises(ConfigError) as err:
        read_config(tmp_path, Notices())
    assert err.value.code == "bad-hyphenation" and f"'typography.hyphenate': {problem}" in str(err.value)
    assert str(err.value.where) == f"{tmp_path / 'book.toml'}:14"


def test_typography_lists_words_with_their_break_points(tmp_path):
    write(tmp_path, '\n[typography]\nhyphenate = ["Shay-mer-ge-nov", "Öske-men"]\n')
    assert read_config(tmp_path, Notices()).settings.hyphenate == ("Shay-mer-ge-nov", "Öske-men")


def test_edition_printing_and_credits_for_the_copyright_page(tmp_path):
    write(tmp_path, '\n[credits]\nmaps = "Maps by Ann"\nphotographs = "Photographs © Xinhua"\ncover = "Cover by Jane '
          'Doe"\nillustrations = "Drawings by Bo"\n', 'edition = "Second edition"\nprinting = 4\n')
    meta = read_config(tmp_path, Notices()).metadata
    assert (meta.edition, meta.printing) == ("Second edition", 4)
    assert meta.credits == ("Cover by Jane Doe", "Photographs © Xinhua", "Drawings by Bo", "Maps by Ann")


def test_unknown_role_suggests_the_closest(tmp_path):
    write(tmp_path)
    path = tmp_path / "book.toml"
    path.write_text(path.read_text().replace('role = "author"', 'role = "autor"'))
    with pytest.raises(ConfigError, match="did you mean 'author'"):
        read_config(tmp_path, Notices())
