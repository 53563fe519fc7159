"""A non-fiction book made for testing what real non-fiction has: a preface and an introduction, two
parts of 7 and 13 chapters, notes numbered through the book, a table of 16 columns with cells spanning
rows and columns (a grid table, as pandoc writes it), a wide pipe table of 18, a table without a
header, definition lists, maps with a credit, and lists of illustrations and tables. The sentences
are those of the shipped book and the novel test book (public domain), shuffled by a seeded
generator; the tables come from tests/books/wide-table; nothing else is committed.

    python tests/nonfiction.py DIR
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

from longbook import PICTURES, config, paragraph, sentences

HERE = Path(__file__).resolve().parent
WIDE = HERE / "books" / "wide-table"
HEADERLESS = "|   |   |\n|---|---|\n| Ship | *Fox* |\n| Master | F. L. M'Clintock |\n| Tonnage | 177 |\n"
TERMS = "Floe\n: A sheet of ice floating free.\n\nPack\n: Ice driven together into one mass.\n\n  It may hold a ship all winter.\n"
PARTS = {"part-1.md": ("The Voyage", 7), "part-2.md": ("The Search", 13)}


def grid_table() -> str:
    """The 16-column grid table with spans, and pandoc's caption after it (tests/books/wide-table)."""
    text = (WIDE / "readings.md").read_text(encoding="utf-8")
    return text[text.index("+----"):].strip() + "\n"


def pipe_table() -> str:
    """The 18-column pipe table, in a table div with its caption."""
    lines = (WIDE / "journal.md").read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if line.startswith("|") and line.count("|") > 10]
    return "::: table\nTable 3. The meteorological journal of July again.\n\n" + "\n".join(table) + "\n:::\n"


def chapter(rng: random.Random, pool: list[str], title: str, extra: list[str], kind: str = "chapter") -> str:
    blocks, notes = [], []
    for n in range(rng.randint(8, 14)):
        if rng.random() < 0.18:
            notes.append(f"[^n{n}]: {paragraph(rng, pool)}")
            blocks.append(f"{paragraph(rng, pool)}[^n{n}] {rng.choice(pool)}")
        else:
            blocks.append(paragraph(rng, pool))
    for block in extra:
        blocks.insert(rng.randint(1, len(blocks)), block)
    head = f"---\ntitle: {title}\n" + (f"type: {kind}\n" if kind != "chapter" else "") + "---\n\n"
    return head + "\n\n".join(blocks + notes) + "\n"


def write(target: Path, seed: int = 23) -> Path:
    """The book folder at ``target`` (made anew)."""
    rng = random.Random(seed)
    pool = sentences()
    shutil.copytree(HERE.parent / "images", target / "images")
    maps = [f"::: figure\n![A map: {name[:-4].replace('-', ' ')}](images/{name})\n\nMap {n}. The route past "
            f"{name.split('-')[0].capitalize()}. [Drawn for this test book]{{.credit}}\n:::"
            for n, name in enumerate(PICTURES[:3], 1)]
    extras = {3: [grid_table()], 5: [HEADERLESS, TERMS], 9: [maps[0]], 12: [pipe_table()], 15: [maps[1]],
              18: [maps[2], TERMS]}
    names = ["preface.md", "introduction.md"]
    (target / "preface.md").write_text(chapter(rng, pool, "Preface", [], "preface"), encoding="utf-8")
    (target / "introduction.md").write_text(chapter(rng, pool, "Introduction", [], "introduction"), encoding="utf-8")
    number = 0
    for part, (title, count) in PARTS.items():
        (target / part).write_text(f"---\ntitle: {title}\ntype: part\n---\n", encoding="utf-8")
        names.append(part)
        for _ in range(count):
            number += 1
            words = re.sub(r"[^\w ]", "", rng.choice(pool)).split()[:rng.randint(2, 5)]
            name = f"chapter-{number:02d}.md"
            (target / name).write_text(chapter(rng, pool, " ".join(words) or f"Chapter {number}",
                                               extras.get(number, [])), encoding="utf-8")
            names.append(name)
    names.append("appendix.md")
    (target / "appendix.md").write_text(chapter(rng, pool, "Appendix", [HEADERLESS], "appendix"), encoding="utf-8")
    (target / "book.toml").write_text(config(
        "A Non-Fiction Test Book", "en-GB", "6d2f0b8e-1c3a-4e5f-9a7b-8c9d0e1f2a3b", "2026-12-07", names,
        '[structure]\nnote_numbering = "book"\nlists = ["illustrations", "tables"]\n\n'
        '[credits]\nmaps = "Maps drawn for this test book"\n'), encoding="utf-8")
    return target


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    print(write(parser.parse_args().target))
