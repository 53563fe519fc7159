"""Serve a live preview of the book on 127.0.0.1: the shared templates set for a screen, with the
print and handout PDFs a click away. Saving a file in the book folder rebuilds the preview and
reloads the page in the browser."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..pipeline.preview import serve
from ..progress import Progress

HELP = "serve a live preview that reloads when a file changes"


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("book_dir", nargs="?", default="book", type=Path, help="the book folder (default: book)")
    p.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000; 0: any free port)")
    p.add_argument("--out", default="dist", type=Path,
                   help="the output folder whose cache the preview's PDFs share with builds (default: dist)")


def run(args: argparse.Namespace, console) -> int:
    serve(args.book_dir, args.port, Progress(console.stage), console.notice, console.say, console.detail, args.out)
    return 0
