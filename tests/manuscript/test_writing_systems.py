"""Writing systems: which packaged face a book's text needs, the script check, the typography of
CJK text, and the starter in the book's language (bookbuilder/scripts.py)."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bookbuilder import scripts
from bookbuilder.authoring.scaffold import new_book
from bookbuilder.checks.lint import lint_book
from bookbuilder.errors import ResourceError
from bookbuilder.manuscript.labels import labels_for, shipped, table
from bookbuilder.manuscript.typography import refine
from bookbuilder.notices import Notices
from bookbuilder.printing import SERVICES, page_bleeds
from bookbuilder.render.artwork import wrap
from bookbuilder.typeset.layout import side_of


@pytest.mark.parametrize(("text", "language", "faces"), [
    ("Astana, 2022.", "en", ()),
    ("Қазақстан мен Қытай", "kk", ()),  # Cyrillic: Charis SIL sets it
    ("阿斯塔纳", "zh-Hans", ("Hans",)),
    ("阿斯塔纳", "zh-TW", ("Hant",)),
    ("阿斯塔纳", "zh-Hant", ("Hant",)),
    ("東京の猫", "ja", ("Jpan",)),
    ("The city is 阿斯塔纳.", "en", ("Hans",)),  # a quotation in another script brings its face
    ("中文和العربية", "zh", ("Arab", "Hans")),
    ("아스타나", "ko", ()),  # no Korean face is packaged: the missing-glyph error says so
])
def test_the_faces_a_text_needs(text, language, faces):
    assert scripts.faces_for(text, language) == faces


def test_a_packaged_face_whose_file_is_not_the_pinned_one_is_refused(tmp_path):
    face = scripts.FACES["Hans"]
    path = tmp_path / face.files[0].name
    path.write_bytes(b"not the font")
    with pytest.raises(ResourceError) as err:
        scripts.verified(path, face.files[0].sha256, face)
    assert err.value.code == "missing-face" and "pip install --force-reinstall 'bookbuilder[zh-hans]'" in str(err.value)


def test_a_face_that_is_not_installed_names_its_extra(monkeypatch):
    monkeypatch.setattr(scripts, "installed", lambda key: None)
    scripts.require_faces(())  # a book in Latin script needs none
    with pytest.raises(ResourceError) as err:
        scripts.require_faces(("Arab",))
    assert "Amiri" in str(err.value) and "pip install 'bookbuilder[ar]'" in str(err.value)
    assert "every output needs it" in str(err.value)


def test_an_epub_is_not_made_without_the_face_its_book_needs(monkeypatch, tmp_path):
    from bookbuilder.pipeline import build

    new_book(tmp_path / "zh", "狂人日记", "鲁迅", "zh-Hans", datetime.date(2024, 1, 1))
    monkeypatch.setattr(scripts, "installed", lambda key: None)
    with pytest.raises(ResourceError) as err:  # its page list and cover come from a layout in the face
        build(tmp_path / "zh", ["epub"], tmp_path / "out", notices=Notices())
    assert err.value.code == "missing-face" and not list((tmp_path / "out").glob("*.epub"))


def test_the_stylesheets_a_book_adds_are_only_its_own():
    assert scripts.script_styles((), "en", "ltr", pdf=True) == ()
    assert scripts.script_styles(("Hans",), "zh-Hans", "ltr", pdf=True) == ("styles/scripts/Hans.css",
                                                                            "styles/scripts/cjk.css")
    assert scripts.script_styles(("Hans",), "zh-Hans", "ltr", pdf=False) == ("styles/scripts/cjk.css",)
    assert scripts.script_styles(("Arab",), "ar", "rtl", pdf=True) == ("styles/scripts/Arab.css",
                                                                       "styles/scripts/rtl.css")


def test_latin_words_in_chinese_stand_a_quarter_em_apart():
    assert refine("在2022年，Timur  说") == "在 2022 年，Timur 说"
    assert refine("In 2022, Astana.") == "In 2022, Astana."  # nothing changes where there is no Han


@given(st.text(alphabet="阿斯塔纳年中文 ab12", max_size=30))
def test_han_and_latin_stand_one_space_apart_and_nothing_else_changes(text):
    spaced = refine(text)
    assert spaced.replace(" ", "") == text.replace(" ", "")  # no character lost or added
    han, latin = "[\u4e00-\u9fff]", "[A-Za-z0-9]"
    assert not re.search(f"{han}(?: {{2,}})?{latin}|{latin}(?: {{2,}})?{han}", spaced), repr(spaced)


def test_a_dash_is_closed_in_english_and_spaced_where_the_language_spaces_it():
    assert refine("this — that - there") == "this—that—there"
    assert refine("Бұл — кітап", "spaced") == "Бұл\u00a0— кітап"
    assert labels_for("kk").script["dash"] == "spaced" and labels_for("en").script["dash"] == "closed"


def test_the_cover_breaks_chinese_between_any_two_characters():
    from bookbuilder.render.artwork import TITLE_SIZE, font

    face = font("Bold", TITLE_SIZE)
    assert len(wrap("哈中关系三十年哈中关系三十年哈中关系三十年", face, 800)) > 1
    assert wrap("Thirty Years", face, 5000) == ["Thirty Years"]


@pytest.mark.parametrize(("language", "script"), [("en", "Latn"), ("kk", "Cyrl"), ("zh", "Hans"), ("zh-TW", "Hant"),
                                                 ("ja", "Jpan"), ("ar", "Arab"), ("kk-Latn", "Latn")])
def test_the_script_a_language_is_written_in(language, script):
    assert scripts.language_script(language) == script


def test_check_warns_of_a_chapter_in_another_script(tmp_path):
    new_book(tmp_path / "kk", "Кітап", "Абай", "kk", datetime.date(2024, 1, 1))
    config = tmp_path / "kk" / "book.toml"
    notices = Notices()
    lint_book(tmp_path / "kk", notices)
    assert [n for n in notices if n.code == "lint-script"] == []
    config.write_text(config.read_text(encoding="utf-8").replace('language = "kk"', 'language = "en"'), encoding="utf-8")
    lint_book(tmp_path / "kk", notices)
    said = [n for n in notices if n.code == "lint-script"]
    assert len(said) == 2 and said[0].where.path.name == "introduction.md"
    assert "letters are in Cyrillic script, but book.toml's language 'en'" in said[0].problem


@pytest.mark.parametrize("language", [name for name in shipped() if name != "en"])
def test_the_starter_is_written_in_the_book_language(language, tmp_path):
    made = new_book(tmp_path / "b", "T", "A", language, datetime.date(2024, 1, 1))
    words = table(language)["starter"]
    for name in ("introduction.md", "chapter-1.md"):
        text = (tmp_path / "b" / name).read_text(encoding="utf-8")
        assert scripts.foreign_script(text, language) is None, name
        assert words["introduction" if name == "introduction.md" else "chapter"] in text
    assert "images/sample-figure.jpg" in made


@pytest.mark.parametrize(("index", "rtl", "side"), [(0, False, "right"), (1, False, "left"), (0, True, "left"),
                                                     (1, True, "right")])
def test_a_right_to_left_book_opens_on_a_left_hand_recto(index, rtl, side):
    assert side_of(index, rtl) == side
    left, _, right, _ = page_bleeds(SERVICES["kdp"], 9.0, index, rtl)
    assert (left, right) == ((9.0, 0.0) if side == "left" else (0.0, 9.0))  # no bleed at the spine
