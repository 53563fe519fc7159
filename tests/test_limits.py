"""book.toml's [limits] (limits.py): a publisher who trusts a book raises a size limit, never past its
hard ceiling; every stage that holds the book to the limit holds it to the raised one (issue 22)."""

from __future__ import annotations

import shutil

import pytest
from conftest import BOOKS

from bookbuilder.errors import ConfigError, ManuscriptError
from bookbuilder.inputs import MB
from bookbuilder.limits import CEILINGS, GIB, Limits
from bookbuilder.manuscript.config import read_config
from bookbuilder.manuscript.load import load_book
from bookbuilder.notices import Notices
from bookbuilder.pipeline import scheduling


def book(tmp_path, limits: str = "", paragraph: int = 10):
    shutil.copytree(BOOKS / "minimal", tmp_path, dirs_exist_ok=True)
    with (tmp_path / "book.toml").open("a") as config:
        config.write(f"\n[limits]\n{limits}\n")
    (tmp_path / "one.md").write_text("---\ntitle: One\n---\n\n" + "word " * paragraph + "\n")
    return tmp_path


def test_the_defaults_are_the_readmes_table():
    limits = Limits()
    assert (limits.chapter_mb, limits.manuscript_mb, limits.chapters, limits.paragraph_characters, limits.font_mb,
            limits.worker_memory_gib) == (2, 8, 1000, 100_000, 20, 2)
    assert all(getattr(limits, key) < ceiling.most for key, ceiling in CEILINGS.items())


def test_a_raised_limit_is_read(tmp_path):
    config = read_config(book(tmp_path, "font_mb = 60\nworker_memory_gib = 4"), Notices())
    assert config.settings.limits == Limits(font_mb=60, worker_memory_gib=4)
    assert config.settings.limits.file("fonts").size == 60 * MB and config.settings.limits.worker_memory == 4 * GIB


@pytest.mark.parametrize("line, message", [
    ("chapters = 4001", "'limits.chapters' cannot be 4001; give a whole number of chapters from 1 to 4,000, the "
                        "hard ceiling (a print edition opens every part on a right-hand page)"),
    ("font_mb = 0", "'limits.font_mb' cannot be 0"),
    ("worker_memory_gib = 2.5", "'limits.worker_memory_gib' cannot be 2.5"),
    ("chapter_mb = true", "'limits.chapter_mb' cannot be True"),
    ("image_mb = 80", "unknown key 'limits.image_mb'; the limits a book may raise are chapter_mb, chapters, "),
])
def test_a_limit_past_its_ceiling_is_refused_at_its_line(tmp_path, line, message):
    with pytest.raises(ConfigError) as caught:
        read_config(book(tmp_path, line), Notices())
    assert str(caught.value).startswith(f"{tmp_path / 'book.toml'}:") and message in str(caught.value)
    assert caught.value.where.line == (tmp_path / "book.toml").read_text().splitlines().index(line) + 1


def test_a_paragraph_over_the_default_builds_once_the_book_raises_it(tmp_path):
    long = book(tmp_path, paragraph=22_000)  # 110,000 characters
    with pytest.raises(ManuscriptError, match="more than the 100,000"):
        load_book(long)
    with (long / "book.toml").open("a") as config:
        config.write("paragraph_characters = 120_000\n")
    assert load_book(long).chapters[0].body_html.count("word") == 22_000


def test_the_books_theme_and_workers_take_its_limits(tmp_path):
    from bookbuilder.formats.context import Context

    loaded = load_book(book(tmp_path, "font_mb = 60\nworker_memory_gib = 3"))
    assert Context.for_book(loaded).theme.limit("styles/fonts/Face.ttf").size == 60 * MB
    assert Context.for_book(loaded).theme.limit("images/a.jpg").size == 50 * MB  # not raisable
    with scheduling.layout_processes(1, loaded.settings.limits.worker_memory) as pool:
        assert pool.submit(address_space).result() == 3 * GIB


def address_space() -> int:
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0]
