"""Start a book: a folder with book.toml (every key explained), two sample chapters and a picture,
ready to build."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from ..authoring.scaffold import new_book
from ..errors import ConfigError
from ..manuscript.config import LANGUAGE_TAG, MAX_TITLE
from ..manuscript.text import FORBIDDEN
from ..progress import Progress

HELP = "start a new book folder that builds at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="the new book folder (must not exist, or be empty)")
    p.add_argument("--title", help="the book's title (default: from the folder's name)")
    p.add_argument("--author", default="Your Name", help="the author's name (default: 'Your Name')")
    p.add_argument("--language", default="en", help="BCP 47 language tag (default: en)")


def check_arguments(title: str, author: str, language: str) -> None:
    """What book.toml would refuse, refused before a folder is written that does not build."""
    for option, text in (("--title", title), ("--author", author)):
        if FORBIDDEN.search(text) or not text.strip() or len(text) > MAX_TITLE:
            raise ConfigError(option, f"cannot use {option} '{text[:60].encode('unicode_escape').decode()}'",
                              f"give printable text of 1 to {MAX_TITLE} characters", code="bad-value")
    if not LANGUAGE_TAG.match(language):
        raise ConfigError("--language", f"'{language[:60]}' is not a BCP 47 language tag",
                          "write e.g. \"en\", \"en-GB\", \"kk-Cyrl\" or \"zh-Hans\"", code="bad-value")


def run(args: argparse.Namespace, console) -> int:
    title = args.title or args.folder.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    check_arguments(title, args.author, args.language)
    with Progress(console.stage).stage("new") as step:
        made = new_book(args.folder, title, args.author, args.language, datetime.date.today())
        step.detail = f"{args.folder}  {len(made)} files"
        step.more = made
    console.say(f"next: make-book {args.folder}   (or: make-book serve {args.folder})")
    return 0
