"""Report what this machine has for each output: Python, WeasyPrint, Pango, HarfBuzz-subset, the
shipped fonts as the build sees them, Java and EPUBCheck, Chromium and Ace, the cache folder. Each
line says ok or what to install; exit 1 when something a build needs is missing."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..doctor import findings

HELP = "what this machine has for each output, what to install"
MISSING = 1


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default="dist", type=Path, help="the output folder whose cache to report (default: dist)")


def run(args: argparse.Namespace, console) -> int:
    found = findings(args.out)
    for finding in found:
        console.say(f"{finding.status:<9}{finding.name:<17}{finding.detail}")
    return MISSING if any(f.needed and not f.ok for f in found) else 0
