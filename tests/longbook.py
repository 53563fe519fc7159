"""A long book made for testing page composition: about 400 print pages in parts, with figures,
tables, notes, scene breaks and section headings at places a seeded generator picks, so pages
break everywhere a real book's do. The sentences are those of the shipped book and the novel test
book (public domain), shuffled; nothing is committed but this generator.

    python tests/longbook.py DIR [--chapters 40]
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = (HERE.parent / "book", HERE / "books" / "novel")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
PICTURES = sorted(p.name for p in (HERE.parent / "images").glob("*.jpg"))
TABLE = """::: table
Tonnage carried over the land bridge, by year (figures invented for this test book).

| Year | Trains | Containers | Tonnes |
|-----:|-------:|-----------:|-------:|
{rows}
:::
"""


def sentences() -> list[str]:
    """Every plain sentence of the source books' chapters (no markup, no headings)."""
    found = []
    for folder in SOURCES:
        for path in sorted(folder.glob("*.md")):
            for line in FRONT_MATTER.sub("", path.read_text(encoding="utf-8")).splitlines():
                if line and line[0].isalpha() and not re.search(r"[\\\[\]{}|*_:<>#!]", line):
                    found += [s for s in re.split(r"(?<=[.?!”])\s+", line) if len(s) > 20]
    return found


def paragraph(rng: random.Random, pool: list[str]) -> str:
    return " ".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 3, 3, 4, 5, 6, 8))))


def chapter(rng: random.Random, pool: list[str], number: int, blocks: tuple[int, int]) -> str:
    title = " ".join(rng.choice(pool).split()[:rng.randint(2, 6)]).strip(",;.“”")
    made, notes = [], []
    for n in range(rng.randint(*blocks)):
        roll = rng.random()
        if roll < 0.04:
            made.append(f"## {rng.choice(pool).split(',')[0][:48].strip('.“”')}")
        elif roll < 0.08:
            picture = rng.choice(PICTURES)
            made.append(f"::: figure\n![A placeholder picture, {picture[:-4].replace('-', ' ')}](images/{picture})\n\n"
                          f"{rng.choice(pool)} [Photo: test]{{.credit}}\n:::")
        elif roll < 0.095:
            rows = "\n".join(f"| {1995 + i} | {rng.randint(10, 900)} | {rng.randint(100, 90000)} | {rng.randint(1000, 999999)} |"
                             for i in range(rng.randint(3, 12)))
            made.append(TABLE.format(rows=rows))
        elif roll < 0.11:
            made.append("***")
        elif roll < 0.15:
            notes.append(f"[^n{n}]: {paragraph(rng, pool)}")
            made.append(f"{paragraph(rng, pool)}[^n{n}] {rng.choice(pool)}")
        else:
            made.append(paragraph(rng, pool))
    if made[0].startswith(("##", "***")):
        made[0] = paragraph(rng, pool)
    return f"---\ntitle: {title or f'Chapter {number}'}\n---\n\n" + "\n\n".join(made + notes) + "\n"


def config(title: str, language: str, uuid: str, date: str, names: list[str], more: str) -> str:
    """A test book's book.toml: its chapters ``names``, then the tables ``more`` gives."""
    listed = ", ".join(f'"{name}"' for name in names)
    return f"""[book]
title = "{title}"
language = "{language}"
identifier = "urn:uuid:{uuid}"
date = {date}
publisher = "The bookbuilder test suite"
rights = "Sentences from public-domain and shipped texts, shuffled for testing."
chapters = [{listed}]

[[book.contributors]]
name = "Test Author"
role = "author"

{more}"""


def write(target: Path, chapters: int = 40, blocks: tuple[int, int] = (28, 42), seed: int = 1) -> Path:
    """The book folder at ``target`` (made anew): ``chapters`` chapters in four parts, each of a
    number of blocks (paragraphs, figures …) in the range ``blocks``."""
    rng = random.Random(seed)
    pool = sentences()
    shutil.copytree(HERE.parent / "images", target / "images")
    names = []
    for n in range(1, chapters + 1):
        if n % (chapters // 4 or 1) == 1 or chapters == 1:
            part = f"part-{len(names) + 1:03d}.md"
            (target / part).write_text(f"---\ntitle: Part {n // (chapters // 4 or 1) + 1}\ntype: part\n---\n", encoding="utf-8")
            names.append(part)
        name = f"chapter-{n:03d}.md"
        (target / name).write_text(chapter(rng, pool, n, blocks), encoding="utf-8")
        names.append(name)
    (target / "book.toml").write_text(config("A Long Test Book", "en-US", "0b7b2d55-3c4e-4b8a-9d61-4a2f5e8c7d10",
                                             "2026-12-01", names, "[structure]\ncontents_depth = 1\n"), encoding="utf-8")
    return target


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--chapters", type=int, default=40)
    args = parser.parse_args()
    print(write(args.target, args.chapters))
