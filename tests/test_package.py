"""A real package: a wheel built from the repository carries everything the tool needs, and the
installed command works from an unrelated folder, with no checkout on its path."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from conftest import BOOKS, ROOT

pytestmark = pytest.mark.slow

DATA = ("templates/section.xhtml.j2", "templates/epub/nav.xhtml.j2", "templates/pdf/print.html.j2",
        "styles/print.css", "styles/fonts/CharisSIL-Regular.ttf", "styles/fonts/OFL.txt", "starter/book.toml.j2")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(ROOT)], check=True, capture_output=True)
    return next(out.glob("bookbuilder-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed into a folder of its own (its dependencies are this environment's)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    return target


def make_book(installed: Path, cwd: Path, *args: str, **kwargs):
    """The installed make-book, run from ``cwd``: its own copy comes first on the path."""
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = "import sys, bookbuilder.cli; sys.exit(bookbuilder.cli.main())"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          **kwargs)


def test_the_wheel_carries_templates_styles_fonts_and_the_starter(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"bookbuilder/data/{path}" for path in DATA} <= names
    assert "bookbuilder/typeset/fonts.conf" in names
    assert not [n for n in names if "/images/" in n or n.startswith("book/")]  # the default book is not the tool's


def test_installed_copy_is_the_one_that_runs(installed, tmp_path):
    code = "import bookbuilder.theme as t; print(t.__file__); print(t.DEFAULTS)"
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(installed)},
                            capture_output=True, text=True, check=True)
    module, defaults = result.stdout.split()
    assert Path(module).is_relative_to(installed) and Path(defaults) == installed / "bookbuilder" / "data"


def test_new_build_check_and_import_from_an_unrelated_folder(installed, tmp_path):
    assert make_book(installed, tmp_path, "new", "mybook", "--title", "My Book").returncode == 0
    built = make_book(installed, tmp_path, "mybook")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "dist").glob("my-book*")) == [
        "my-book-cover.pdf", "my-book-handout.pdf", "my-book-print.pdf", "my-book.epub"]
    checked = make_book(installed, tmp_path, "check", "mybook", "--format", "epub", "--no-ace", "--out", "checked")
    assert checked.returncode == 0 and "check: 0 errors, 0 warnings" in checked.stdout, checked.stdout
    imported = make_book(installed, tmp_path, "import", str(BOOKS / "transcript-qa.txt"), "talk")
    assert imported.returncode == 0, imported.stderr
    assert make_book(installed, tmp_path, "talk", "--format", "epub", "--out", "talk-dist").returncode == 0


def test_serve_from_an_unrelated_folder(installed, tmp_path):
    assert make_book(installed, tmp_path, "new", "mybook").returncode == 0
    env = {**os.environ, "PYTHONPATH": str(installed)}
    code = "import sys, bookbuilder.cli; sys.exit(bookbuilder.cli.main())"
    process = subprocess.Popen([sys.executable, "-c", code, "serve", "mybook", "--port", "0"], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline, url = time.monotonic() + 60, None
        while url is None and time.monotonic() < deadline:
            line = process.stdout.readline()
            url = (re.search(r"http://127\.0\.0\.1:\d+/", line) or [None])[0] if line else None
        assert url, process.stderr.read() if process.poll() is not None else "no address printed"
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode()
        assert "Mybook" in page and "<html" in page
        with urllib.request.urlopen(url + "styles/screen.css", timeout=30) as response:
            assert response.status == 200
    finally:
        process.kill()
        process.communicate(timeout=30)  # closes the pipes


def test_a_book_naming_the_default_books_picture_gets_the_missing_image_error(book_dir, tmp_path):
    """The default book's photographs are its own, not a silent fallback for other books."""
    from bookbuilder.errors import ResourceError
    from bookbuilder.manuscript.load import load_book

    book = book_dir("minimal")
    (book / "one.md").write_text("---\ntitle: One\n---\n\n::: figure\n![A tea ceremony]"
                                 "(images/tea-ceremony-culture-day.jpg)\n\nA caption.\n:::\n")
    with pytest.raises(ResourceError) as err:
        load_book(book)
    assert err.value.code == "missing-file" and "'images/tea-ceremony-culture-day.jpg' not found" in str(err.value)
