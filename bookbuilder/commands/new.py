"""Start a book: a folder with book.toml (every key explained), two sample chapters and a picture,
ready to build."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path

from ..authoring.scaffold import new_book
from ..progress import Progress

HELP = "start a new book folder that builds at once"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", type=Path, metavar="DIR", help="the new book folder (must not exist, or be empty)")
    p.add_argument("--title", help="the book's title (default: from the folder's name)")
    p.add_argument("--author", default="Your Name", help="the author's name (default: 'Your Name')")
    p.add_argument("--language", default="en", help="BCP 47 language tag (default: en)")


def run(args: argparse.Namespace, console) -> int:
    title = args.title or args.folder.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    with Progress(console.stage).stage("new") as step:
        made = new_book(args.folder, title, args.author, args.language, datetime.date.today())
        step.detail = f"{args.folder}  {len(made)} files"
        step.more = made
    console.say(f"next: make-book {args.folder}   (or: make-book serve {args.folder})")
    return 0
