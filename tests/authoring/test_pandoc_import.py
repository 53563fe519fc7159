"""make-book import of Markdown that pandoc wrote: sections become chapter files of the right type
and title, notes follow their calls, classes the build does not set are unwrapped with their text,
and the result loads as a book. Each input is what pandoc 3 writes from a well-made EPUB's HTML."""

from __future__ import annotations

import datetime
import re

import pytest
from conftest import run_cli
from hypothesis import given
from hypothesis import strategies as st

from bookbuilder.authoring.pandoc import read_pandoc, write_pandoc_book
from bookbuilder.authoring.pandoc_inlines import Inlines
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices

DAY = datetime.date(2024, 1, 1)
NOVEL = """---
author: Mary Shelley
lang: en-GB
title: Frankenstein
---

::: {#titlepage .section .titlepage epub:type="titlepage"}
# Frankenstein
:::

::: {#dedication .section .dedication epub:type="dedication"}
To\\
William Godwin, [etc.]{.abbr}
:::

::: {#letter-1 .section .chapter epub:type="chapter"}
## [Letter]{.se:label epub:type="se:label"} [I]{.z3998:roman epub:type="z3998:roman"}

> ::: {role="presentation"}
> To [Mrs.]{.abbr .z3998:name-title
> epub:type="z3998:name-title"} Saville, England.
> :::
>
> You will rejoice[1](endnotes.xhtml#note-1){#noteref-1 .noteref
> epub:type="noteref"} to hear it, [*mon ami*]{lang="fr"}.

### The voyage {#voyage epub:type="title"}

See [the second letter](letter-2.xhtml) and [the voyage](#voyage).
:::

:::: {#book-1 .section .part epub:type="part"}
::: {}
## [Book]{.se:label} [I]{.z3998:roman}
:::

::: {#chapter-1-2 .section .chapter epub:type="chapter"}
### II {#ii}

Of the Principle Which Gives Occasion to the Division of Labour

The text of the chapter.[2](endnotes.xhtml#note-2){#noteref-2 .noteref epub:type="noteref"}
:::
::::

::: {#endnotes .section .endnotes epub:type="endnotes"}
## Endnotes {epub:type="title"}

1.  ::: {#note-1}
    Coleridge's "Ancient Mariner."
    [↩](letter-1.xhtml#noteref-1){.backlink epub:type="backlink"}
    :::

2.  ::: {#note-2}
    A note of two paragraphs.

    Its second. [↩](chapter-1-2.xhtml#noteref-2){.backlink epub:type="backlink"}
    :::

3.  ::: {#note-3}
    Called from a part not converted.
    :::
:::
"""


@pytest.fixture
def novel(tmp_path):
    source = tmp_path / "novel.md"
    source.write_text(NOVEL)
    imported = read_pandoc(source, None, DAY)
    write_pandoc_book(imported, tmp_path / "book")
    return imported, tmp_path / "book"


def test_sections_become_chapters_of_their_type_and_title(novel):
    imported, folder = novel
    book = load_book(folder, None, Notices())
    assert [(c.id, c.kind, c.title) for c in book.chapters] == [
        ("dedication", "dedication", "Dedication"), ("letter-1", "chapter", "Letter I"), ("book-1", "part", "Book I"),
        ("chapter-1-2", "chapter", "II: Of the Principle Which Gives Occasion to the Division of Labour"),
        ("endnotes", "endnotes", "Notes")]  # the notes section the build makes (structure.notes = "book-end")
    assert imported.values["title"] == "Frankenstein" and imported.values["language"] == "en-GB"
    assert imported.authors == ["Mary Shelley"]
    assert imported.structure == {"chapter_labels": "none", "notes": "book-end", "note_numbering": "book"}


def test_notes_follow_their_calls_and_links_point_at_chapters(novel):
    _, folder = novel
    letter = (folder / "letter-1.md").read_text()
    assert "rejoice[^note-1] to hear" in letter and "[^note-1]: Coleridge's \"Ancient Mariner.\"" in letter
    assert "↩" not in letter and "noteref" not in letter
    assert "[the voyage](letter-1.md#voyage)" in letter
    assert "\n## [The voyage]{#voyage}\n" in letter  # the chapter's sections start at ##, a link's target kept
    assert "See the second letter and" in letter  # a link to a file not converted keeps its text
    chapter = (folder / "chapter-1-2.md").read_text()
    assert "[^note-2]: A note of two paragraphs.\n\n    Its second." in chapter


def test_unknown_classes_are_unwrapped_and_counted(novel):
    imported, folder = novel
    letter = (folder / "letter-1.md").read_text()
    assert "To Mrs. Saville, England." in letter and "[*mon ami*]{lang=fr}" in letter
    assert not re.search(r"\{\.|\{#(?!voyage)|:::", letter)
    assert "the class .abbr (2 times), which the build does not set, unwrapped: its text kept" in imported.changes
    assert "left out, as the build makes its own: 'titlepage'" in imported.changes
    assert "1 note called from no converted part left out" in imported.changes


def test_a_grid_table_keeps_its_columns_when_its_cells_are_rewritten(tmp_path):
    source = tmp_path / "table.md"
    source.write_text("# Accounts\n\n+-------+-----------------+\n| Years | Bounty          |\n"
                      "+=======+=================+\n| 1771  | 10[s.]{.abbr} a |\n|       | bushel          |\n"
                      "+-------+-----------------+\n")
    write_pandoc_book(read_pandoc(source, None, DAY), tmp_path / "book")
    text = (tmp_path / "book" / "chapter-1.md").read_text()
    assert "| 1771  | 10s. a          |" in text
    body = load_book(tmp_path / "book", None, Notices()).chapters[0].body_html
    assert "<td>10s. a bushel</td>" in body.replace("\n", " ")


def test_a_file_without_sections_is_split_at_its_top_headings(tmp_path):
    source = tmp_path / "plain.md"
    source.write_text("# One\n\nFirst text.\n\n## A section\n\nMore.\n\n# Two\n\nSecond text.\n")
    imported = read_pandoc(source, "de", DAY)
    assert list(imported.chapters) == ["chapter-1.md", "chapter-2.md"]
    assert imported.values["language"] == "de" and imported.values["title"] == "Plain"
    assert "## A section" in imported.chapters["chapter-1.md"]


def test_transcript_options_are_refused_with_markdown(tmp_path):
    source = tmp_path / "book.md"
    source.write_text("# One\n\nText.\n")
    result = run_cli("import", str(source), str(tmp_path / "out"), "--question-prefix", "Q")
    assert result.returncode != 0 and "bad-markdown" not in result.stdout
    assert "--question-prefix does not apply to Markdown" in result.stderr
    assert not (tmp_path / "out").exists()


@given(st.text(alphabet="ab []{}()#.!*`\\^:=\"\n", max_size=60))
def test_rewriting_never_fails_and_keeps_plain_text(text):
    out = Inlines().rewrite(text)
    assert isinstance(out, str)
    if not set(text) & set("[]{}()`!"):
        assert out == text
