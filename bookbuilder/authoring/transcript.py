"""A raw interview transcript -> an Interview (plain data) -> a book folder. Used by 'make-book import'.

A transcript as news agencies publish it: a headline, a subhead ("Interview with NAME, …") and a
byline ("REPORTER-PREFIX NAME"), the lead, then speaker prefixes ("Reporter: …", "Name:") before
each question and answer, photo captions followed by a credit line ("Photo by X"), end marks
like "(use up)", and a profile of the interviewee under a label ("Respondent profile:").
Every prefix and pattern is a setting (Prefixes), so other transcripts import too. Whatever the
import changes or guesses is reported, and guesses are marked for the editor in the files.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import inputs
from ..errors import Location, ManuscriptError
from ..limits import MAX_PARAGRAPH
from ..manuscript.markup import escape_markdown, typeset
from ..manuscript.text import EDITOR_MARK, misspelt
from ..vocabulary import slug
from .scaffold import book_toml, imported_text, render_part, write_folder

LABEL = re.compile(r"^(?P<label>[A-Z][^:,.;?!\"“”]{0,60}):\s*(?P<rest>.*)$")  # "Reporter: …", "Shaimergenov:"
LABEL_WORDS = 5  # "The interview transcript is summarized as follows:" is a sentence, not a speaker
CAPTION_MAX = 200  # characters: longer paragraphs are text, not captions
INTERVIEW_WITH = re.compile(r"[Ii]nterview(?:ed)? with ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)*)")
HEADLINE_QUESTION = re.compile(r"^(?P<dateline>.*?),\s*Question:\s*(?P<question>.+)$")
TITLE_WORDS = 8
HEADER_PARAGRAPHS = 5  # headline, subhead, byline: a header is short
IMAGE_WORDS = 4


@dataclass(frozen=True)
class Prefixes:
    """What marks the parts of a transcript. Empty question/answer lists: found in the text (the
    first speaker prefix asks, every other one answers)."""

    question: tuple[str, ...] = ()
    answer: tuple[str, ...] = ()
    appendix: tuple[str, ...] = ("Respondent profile", "Profile", "About the interviewee", "Biography")
    credit: str = r"^(?:Photo|Photograph|Picture|Image)(?: by|:)\s*(?P<name>.+?)\.?$"
    byline: str = r"^(?:By |.*\b(?:reporter|correspondent|journalist|writer) )(?P<name>[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3})$"
    artefact: str = r"^\(\s*[\w\s]{1,20}\)$"  # a lone parenthesised end mark: "(use up)", "(end)"
    name: str = ""  # the interviewee's name as it should be spelled; default: as the subhead gives it


@dataclass
class Paragraph:
    text: str
    line: int


@dataclass
class Figure:
    caption: str
    credit: str
    href: str
    line: int


@dataclass
class Part:
    kind: str  # introduction, chapter, appendix
    title: str
    proposed: bool = False  # the title is the import's guess
    question: list[Paragraph] = field(default_factory=list)
    blocks: list[Paragraph | Figure] = field(default_factory=list)


@dataclass
class Interview:
    headline: str
    dateline: str
    interviewee: str
    interviewer: str
    parts: list[Part]
    changes: list[str]  # what the import changed, for the report and the editorial note


def paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated paragraphs, whitespace collapsed, with their first line number."""
    found, lines, start = [], [], 0
    for number, line in enumerate([*text.splitlines(), ""], 1):
        if line.strip():
            start = start or number
            lines.append(line.strip())
        elif lines:
            found.append(Paragraph(re.sub(r"\s+", " ", " ".join(lines)), start))
            lines, start = [], 0
    return found


def speaker(paragraph: Paragraph) -> tuple[str, str] | None:
    """('Reporter', 'rest of the paragraph') when the paragraph opens with a speaker prefix."""
    match = LABEL.match(paragraph.text)
    if match and len(match["label"].split()) <= LABEL_WORDS:
        return match["label"].strip(), match["rest"].strip()
    return None


def check_patterns(prefixes: Prefixes, path: Path) -> None:
    """The command line's patterns compile, and those that find a name have the group 'name'."""
    for option, pattern, named in (("--credit-pattern", prefixes.credit, True),
                                   ("--byline-pattern", prefixes.byline, True),
                                   ("--artefact-pattern", prefixes.artefact, False)):
        try:
            compiled = re.compile(pattern)
        except (re.error, RecursionError, OverflowError) as exc:
            raise ManuscriptError(path, f"{option} '{pattern[:100]}' is not a regular expression ({exc})",
                                  "fix the pattern (Python's re syntax)", code="bad-transcript") from None
        if named and "name" not in compiled.groupindex:
            raise ManuscriptError(path, f"{option} '{pattern[:100]}' has no group 'name'",
                                  "mark the name with (?P<name>…), e.g. 'Photo by (?P<name>.+)'",
                                  code="bad-transcript")


def read_transcript(path: Path, prefixes: Prefixes) -> Interview:
    check_patterns(prefixes, path)
    items = paragraphs(imported_text(path, "bad-transcript"))
    if not items:
        raise ManuscriptError(path, "the transcript is empty", "give the text file of an interview", code="bad-transcript")
    for long in (p for p in items if len(p.text) > MAX_PARAGRAPH):  # the build would refuse the chapter
        raise ManuscriptError(Location(path, long.line), f"this paragraph has {len(long.text):,} characters, more "
                              f"than the {MAX_PARAGRAPH:,} a paragraph of a book may have",
                              "break it into paragraphs with blank lines", code="bad-transcript")
    changes: list[str] = []
    name = prefixes.name or interviewee_name(items, path)
    items = merge_spellings(items, name, changes, path)
    lead_at, interviewer = header_end(items, re.compile(prefixes.byline))
    labels = [s[0] for p in items[lead_at:] if (s := speaker(p)) and s[0] not in prefixes.appendix]
    asks = prefixes.question or tuple(labels[:1])
    answers = prefixes.answer or tuple(label for label in labels if label not in asks)
    if not asks:
        raise ManuscriptError(path, "no speaker prefixes found (lines like 'Reporter: …')",
                              "name them with --question-prefix and --answer-prefix", code="bad-transcript")
    headline = HEADLINE_QUESTION.match(items[0].text)
    parts = split_parts(items[lead_at:], asks, answers, prefixes, name, changes, path)
    if len(parts) > inputs.MAX_CHAPTERS:
        raise ManuscriptError(path, f"the transcript makes {len(parts)} parts, over the {inputs.MAX_CHAPTERS} a book "
                              "may have", "split the transcript and import each part", code="bad-transcript")
    return Interview(headline=headline["question"] if headline else "",
                     dateline=headline["dateline"] if headline else "",
                     interviewee=name, interviewer=interviewer, parts=parts, changes=changes)


def interviewee_name(items: list[Paragraph], path: Path) -> str:
    for paragraph in items:
        if match := INTERVIEW_WITH.search(paragraph.text):
            return match.group(1)
    raise ManuscriptError(path, "cannot tell the interviewee's name",
                          "give it with --name \"First Last\"", code="bad-transcript")


def merge_spellings(items: list[Paragraph], name: str, changes: list[str], path: Path) -> list[Paragraph]:
    """Every near miss of the interviewee's surname becomes the spelling ``name`` gives; reported."""
    surname = name.split()[-1]
    variants: Counter[str] = Counter()

    def fix(match: re.Match) -> str:
        word = match.group()
        if misspelt(word, [surname]):
            variants[word] += 1
            return surname
        return word

    merged = [Paragraph(re.sub(r"[A-Z][\w-]+", fix, p.text), p.line) for p in items]
    if variants:
        listed = ", ".join(f"“{word}” ({count}×)" for word, count in variants.most_common())
        changes.append(f"The name spelled {listed} in {path.name} is given throughout as “{surname}”.")
    return merged


def header_end(items: list[Paragraph], byline: re.Pattern) -> tuple[int, str]:
    """Where the lead starts (after the headline, the subhead and the byline), and the interviewer's
    name from the byline ('China News Agency reporter Zhang Shuo'). Without a byline or an
    'Interview with …' subhead among the first paragraphs, only the headline is header."""
    end = 1
    for index, paragraph in enumerate(items[:HEADER_PARAGRAPHS]):
        if match := byline.match(paragraph.text):
            return index + 1, match["name"]
        if INTERVIEW_WITH.search(paragraph.text) and not speaker(paragraph):
            end = index + 1
    return end, ""


def split_parts(items: list[Paragraph], asks, answers, prefixes: Prefixes, name: str, changes: list[str],
                path: Path) -> list[Part]:
    credit, artefact = re.compile(prefixes.credit), re.compile(prefixes.artefact)
    parts = [Part("introduction", "Introduction")]
    stream = parts[0].blocks  # where the next paragraph goes: a question or the body
    for paragraph in items:
        label = speaker(paragraph)
        if label and label[0] in prefixes.appendix:
            parts.append(Part("appendix", f"About {name}"))
            stream = parts[-1].blocks
        elif label and label[0] in asks:
            parts.append(Part("chapter", "", proposed=True))
            stream = parts[-1].question
            if label[1]:
                stream.append(Paragraph(label[1], paragraph.line))
        elif label and label[0] in answers:
            stream = parts[-1].blocks
            if label[1]:
                stream.append(Paragraph(label[1], paragraph.line))
        elif match := credit.match(paragraph.text):
            parts[-1].blocks.append(figure(stream, match["name"], paragraph, changes, path))
        elif artefact.match(paragraph.text):
            changes.append(f"The end mark “{paragraph.text}” ({path.name}:{paragraph.line}) has been removed.")
        else:
            stream.append(Paragraph(tidy(paragraph, changes, path), paragraph.line))
    for part in parts:
        if part.proposed:
            part.title = proposed_title(" ".join(p.text for p in part.question))
    return [p for p in parts if p.blocks or p.question]


def figure(stream: list[Paragraph | Figure], credit: str, at: Paragraph, changes: list[str], path: Path) -> Figure:
    """The caption is the paragraph above the credit line, joined with any it continues: a
    paragraph that opens with a name the one above it gave ("Beijing philatelists display stamps
    of the Shanghai Cooperation Organization …" / "The Shanghai Cooperation Organization is …")."""
    if not stream or not isinstance(stream[-1], Paragraph):
        raise ManuscriptError(Location(path, at.line), f"the credit line '{at.text}' follows no caption",
                              "put the caption paragraph just above it", code="bad-transcript")
    caption = [stream.pop()]
    while stream and isinstance(stream[-1], Paragraph) and continues(caption[0].text, stream[-1].text):
        caption.insert(0, stream.pop())
    if len(caption) > 1:
        changes.append(f"The {len(caption)}-paragraph caption at {path.name}:{caption[0].line} is joined into one.")
    text = " ".join(p.text for p in caption)
    return Figure(text, credit.strip(), f"images/{image_name(text)}.jpg", caption[0].line)


def continues(text: str, above: str) -> bool:
    opening = re.match(r"(?:The )?((?:[A-Z][\w-]+ ){1,5}[A-Z][\w-]+)", text)
    return len(above) <= CAPTION_MAX and bool(opening) and opening.group(1) in above


def tidy(paragraph: Paragraph, changes: list[str], path: Path) -> str:
    """Stray spaces before a full stop and doubled stops, as machine translation leaves them."""
    text = re.sub(r"\.\s+\.$", ".", paragraph.text)
    text = re.sub(r"(\w) +([.,;:?!])", r"\1\2", text)
    if text != paragraph.text:
        changes.append(f"Stray punctuation at {path.name}:{paragraph.line} has been tidied.")
    return text


def proposed_title(question: str) -> str:
    """A working title from the question: its first clause, at most TITLE_WORDS words."""
    first = re.split(r"(?<=[.?!])\s", question)[0].rstrip("?.!")
    first = re.sub(r"^(?:In your (?:opinion|view), |Why do you say that |How do you understand )", "", first)
    words = typeset(first).split()  # curled before it is cut, so a cut quotation keeps its curly mark
    title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return title[:1].upper() + title[1:]


def image_name(caption: str) -> str:
    """A file name from the caption's first words: 'lianyungang-jiangsu-china-kazakhstan'."""
    return "-".join(slug(caption).split("-")[:IMAGE_WORDS])


def write_book(interview: Interview, folder: Path, language: str, date: datetime.date, source: Path) -> list[str]:
    """The book folder: book.toml, introduction.md, chapter-N.md …, appendix.md, placeholder pictures."""
    names, number = [], 0
    texts: dict[str, str] = {}
    pictures: dict[str, list[str]] = {}
    for part in interview.parts:
        number += part.kind == "chapter"
        name = f"chapter-{number}.md" if part.kind == "chapter" else f"{part.kind}.md"
        names.append(name)
        texts[name] = render_part("part.md.j2", **part_view(part, pictures))
    people = [{"name": interview.interviewee, "role": "interviewee", "sort_as": interview.interviewee}]
    if interview.interviewer:
        people.append({"name": interview.interviewer, "role": "interviewer", "sort_as": interview.interviewer})
    values = {
        "title": f"In Conversation with {interview.interviewee}", "language": language, "date": date,
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, imported_text(source, 'bad-transcript'))}",
        "source": typeset(interview.dateline), "description": typeset(interview.headline), "chapters": names,
        "editorial_note": "\n".join(["Imported from the raw transcript by make-book import:", "",
                                     *(f"- {change}" for change in interview.changes),
                                     "- Chapter titles are proposals; photographs are placeholders.", ""]),
    }
    marks = {key: f"{EDITOR_MARK} proposed by make-book import; check it" for key in ("title", "date")}
    speakers = {"question": interview.interviewer or "Question"}
    texts = {"book.toml": book_toml(folder, values, people, speakers, marks), **texts}
    write_folder(folder, texts, pictures)
    return [*texts, *pictures]


def part_view(part: Part, pictures: dict[str, list[str]]) -> dict:
    """What part.md.j2 shows: escaped Markdown text, figures with their placeholder pictures."""
    blocks = []
    for block in part.blocks:
        if isinstance(block, Figure):
            pictures[block.href] = ["Photograph not supplied:", f"credit {block.credit}"]
            first = re.split(r"(?<=[.?!])\s", block.caption)[0]
            blocks.append({"figure": True, "href": block.href, "credit": escape_markdown(block.credit),
                           "alt": escape_markdown(f"Placeholder for a photograph by {block.credit}: {first}"),
                           "caption": escape_markdown(block.caption)})
        else:
            blocks.append({"figure": False, "text": escape_markdown(block.text)})
    mark = f"  # {EDITOR_MARK} proposed from the question; write the chapter's title" if part.proposed else ""
    return {"title": part.title, "mark": mark, "kind": part.kind,
            "question": [escape_markdown(p.text) for p in part.question], "blocks": blocks}
