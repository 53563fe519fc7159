"""Where files come from: the book folder first, then the defaults; pictures only from the book."""

from __future__ import annotations

from conftest import BOOKS, ROOT

from bookbuilder.theme import CHECKOUT, DEFAULT_DIRS, DEFAULTS, Theme


def test_a_book_override_wins_and_the_defaults_fill_in():
    theme = Theme.for_book(BOOKS / "override")
    assert theme.find("styles/epub.css") == (BOOKS / "override" / "styles" / "epub.css").resolve()
    assert theme.find("styles/print.css") == DEFAULTS / "styles" / "print.css"


def test_the_defaults_offer_templates_and_styles_not_pictures():
    theme = Theme.for_book(BOOKS / "minimal")
    assert theme.roots[-1].path == DEFAULTS and theme.roots[-1].dirs == DEFAULT_DIRS
    assert theme.find("images/tea-ceremony-culture-day.jpg") is None
    assert theme.dirs("images") == []


def test_the_default_book_sees_the_checkouts_pictures():
    theme = Theme.for_book(ROOT / "book")
    assert theme.find("images/tea-ceremony-culture-day.jpg") == CHECKOUT / "images" / "tea-ceremony-culture-day.jpg"


def test_a_missing_file_names_the_book_folder(tmp_path):
    error = None
    try:
        Theme.for_book(tmp_path).require("images/x.jpg", None)
    except Exception as exc:  # noqa: BLE001 - the type is checked below
        error = exc
    assert type(error).__name__ == "ResourceError" and error.code == "missing-file"
    assert str(error) == f"'images/x.jpg' not found; add it to {tmp_path.resolve()} (same relative path)"
