"""Make a book folder from a manuscript in another form, chosen by the file's type.

A raw interview transcript (.txt): the lead becomes the introduction, each question with its answer
a chapter (with a proposed title, marked for the editor), photo credits figures with placeholder
pictures, the profile the appendix. Spellings of the interviewee's name are merged.

Markdown that pandoc wrote from a book's HTML or EPUB (.md, .markdown): a chapter per section, notes
as the tool's notes, classes the build does not set unwrapped.

A Word manuscript (.docx): a chapter at each Heading 1 (a part at each paragraph of --part-style),
footnotes and endnotes as the tool's notes, pictures with their alt text into images/; a document
with tracked changes is refused. Every change is reported (and listed in the editorial note)."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from ..authoring.docx import read_docx, write_docx_book
from ..authoring.pandoc import read_pandoc, write_pandoc_book
from ..authoring.transcript import Prefixes, read_transcript, write_book
from ..errors import ManuscriptError
from ..progress import Progress

HELP = "a book folder from a transcript, pandoc's Markdown or Word"
DEFAULTS = Prefixes()
MARKDOWN = (".md", ".markdown")
WORD = ".docx"
TRANSCRIPT_ONLY = {"question_prefix": [], "answer_prefix": [], "appendix_label": [], "credit_pattern": DEFAULTS.credit,
                   "artefact_pattern": DEFAULTS.artefact, "byline_pattern": DEFAULTS.byline, "name": ""}


USAGE = "make-book import FILE DIR [options]"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("transcript", type=Path, metavar="FILE", help="a transcript (.txt), pandoc's Markdown, a .docx")
    p.add_argument("folder", type=Path, metavar="DIR", help="the new book folder (absent or empty)")
    p.add_argument("--language", default=None, help="BCP 47 tag (default: the Markdown's 'lang', or en)")
    p.add_argument("--date", type=datetime.date.fromisoformat, default=datetime.date.today(),
                   help="publication date, YYYY-MM-DD (default: today)")
    p.add_argument("--part-style", metavar="STYLE", help="a Word file's paragraph style that starts a part")
    transcript = p.add_argument_group("a transcript's options (defaults: the manual)")
    transcript.add_argument("--question-prefix", action="append", default=[], metavar="PREFIX",
                            help="speaker prefix of the questions ('Reporter')")
    transcript.add_argument("--answer-prefix", action="append", default=[], metavar="PREFIX",
                            help="speaker prefix of the answers")
    transcript.add_argument("--appendix-label", action="append", default=[], metavar="LABEL",
                            help="label that starts the profile ('Profile')")
    transcript.add_argument("--credit-pattern", default=DEFAULTS.credit, metavar="REGEX",
                            help="a photo credit; group 'name': the photographer")
    transcript.add_argument("--artefact-pattern", default=DEFAULTS.artefact, metavar="REGEX",
                            help="paragraphs to drop ('(use up)')")
    transcript.add_argument("--byline-pattern", default=DEFAULTS.byline, metavar="REGEX",
                            help="the byline; group 'name': the interviewer")
    transcript.add_argument("--name", default="", help="the interviewee's name as it should be spelled")


def run(args: argparse.Namespace, console) -> int:
    suffix = args.transcript.suffix.lower()
    if suffix in MARKDOWN:
        return run_pandoc(args, console)
    if suffix == WORD:
        return run_docx(args, console)
    if args.part_style:
        raise ManuscriptError(args.transcript, "--part-style applies to a Word document (.docx), not to a "
                              "transcript", "leave out --part-style", code="bad-transcript")
    prefixes = Prefixes(question=tuple(args.question_prefix), answer=tuple(args.answer_prefix),
                        appendix=tuple(args.appendix_label) or DEFAULTS.appendix, credit=args.credit_pattern, byline=args.byline_pattern,
                        artefact=args.artefact_pattern, name=args.name)
    progress = Progress(console.stage)
    with progress.stage("read") as step:
        interview = read_transcript(args.transcript, prefixes)
        chapters = sum(p.kind == "chapter" for p in interview.parts)
        step.detail = f"{args.transcript}  {len(interview.parts)} parts ({chapters} questions)"
    return written(console, progress, args.folder, interview.changes, "the editor's notes are listed as 'lint-editor'",
                   lambda: write_book(interview, args.folder, args.language or "en", args.date, args.transcript))


def refuse_transcript_options(args: argparse.Namespace, what: str, code: str, more: tuple[str, ...] = ()) -> None:
    given = [f"--{name.replace('_', '-')}" for name, default in TRANSCRIPT_ONLY.items()
             if getattr(args, name) != default] + [f"--{name.replace('_', '-')}" for name in more if getattr(args, name)]
    if given:
        raise ManuscriptError(args.transcript, f"{', '.join(given)} does not apply to {what}",
                              f"leave out {', '.join(given)}", code=code)


def run_pandoc(args: argparse.Namespace, console) -> int:
    refuse_transcript_options(args, "Markdown", "bad-markdown", ("part_style",))
    progress = Progress(console.stage)
    with progress.stage("read") as step:
        imported = read_pandoc(args.transcript, args.language, args.date)
        step.detail = f"{args.transcript}  {len(imported.chapters)} parts"
    return written(console, progress, args.folder, imported.changes, "the title and date are marked 'EDITOR:' in "
                   "book.toml", lambda: write_pandoc_book(imported, args.folder))


def run_docx(args: argparse.Namespace, console) -> int:
    refuse_transcript_options(args, "a Word document", "bad-docx")
    progress = Progress(console.stage)
    with progress.stage("read") as step:
        imported = read_docx(args.transcript, args.language, args.date, args.part_style)
        step.detail = f"{args.transcript}  {len(imported.chapters)} parts, {len(imported.pictures)} pictures"
    for warning in imported.warnings:
        console.notice(warning)
    changes = [c for c in imported.changes if c not in {w.problem for w in imported.warnings}]
    return written(console, progress, args.folder, changes, "the title and date are marked 'EDITOR:' in book.toml",
                   lambda: write_docx_book(imported, args.folder))


def written(console, progress: Progress, folder: Path, changes: list[str], hint: str, write) -> int:
    """The import's last stage: ``write`` makes the folder; each change is said, and what to do next."""
    with progress.stage("write") as step:
        made = write()
        step.detail = f"{folder}  {len(made)} files"
        step.more = made
    for change in changes:
        console.say(f"changed: {change}")
    console.say(f"next: make-book check {folder}   ({hint})")
    return 0
