"""The content-hash cache: every kind of input change rebuilds, nothing stale is served, a corrupt
entry is ignored and replaced; the parallel layout gives the bytes of the sequential one."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import metadata

import pytest
from conftest import ROOT

from bookbuilder import cache, pipeline
from bookbuilder.errors import ResourceError
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build
from bookbuilder.theme import DEFAULTS

ALL = ["epub", "print", "handout", "cover"]


def run(book, out, formats=("epub",), **kwargs) -> dict:
    return {o.format: o for o in build(book, list(formats), out, **kwargs)}


def cached(outputs: dict) -> set[str]:
    return {name for name, output in outputs.items() if output.cached}


def fresh_bytes(book, tmp_path, formats=("epub",), **kwargs) -> dict[str, bytes]:
    """The outputs as a build with no cache at all makes them."""
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    return {name: o.path.read_bytes() for name, o in run(book, out, formats, **kwargs).items()}


def override(book, relative: str, addition: str) -> None:
    """Give the book its own copy of a default theme file, with ``addition`` appended."""
    target = book / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((DEFAULTS / relative).read_text(encoding="utf-8") + addition, encoding="utf-8")


def edit_chapter(book, monkeypatch):
    with open(book / "one.md", "a", encoding="utf-8") as f:
        f.write("\nA sentence added after the first build.\n")


def edit_book_toml(book, monkeypatch):
    toml = book / "book.toml"
    toml.write_text(toml.read_text().replace('date = 2024-02-29', 'date = 2024-03-01'))


def add_template(book, monkeypatch):
    (book / "templates").mkdir()
    (book / "templates" / "section.xhtml.j2").write_text(
        '{% extends "default:section.xhtml.j2" %}{% block header %}{{ super() }}<p>added</p>{% endblock %}')


def edit_stylesheet(book, monkeypatch):
    override(book, "styles/epub.css", "\nh2 { letter-spacing: 0.01em; }\n")


def replace_font(book, monkeypatch):
    (book / "styles" / "fonts").mkdir(parents=True)
    shutil.copy(DEFAULTS / "styles/fonts/CharisSIL-Bold.ttf", book / "styles/fonts/CharisSIL-Regular.ttf")


def repaint_image(book, monkeypatch):
    from PIL import Image

    Image.new("RGB", (60, 40), "#222222").save(book / "images" / "picture.png")


def change_epoch(book, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def upgrade_tool(book, monkeypatch):
    monkeypatch.setattr(cache, "tool_fingerprint", lambda: "a newer version of the tool")


# (change, the output it is checked on): the EPUB is quickest to make; only the PDFs embed the fonts
CHANGES = [(edit_chapter, "epub"), (edit_book_toml, "epub"), (add_template, "epub"), (edit_stylesheet, "epub"),
           (replace_font, "print"), (repaint_image, "epub"), (change_epoch, "epub"), (upgrade_tool, "epub")]

# Changes that need not change the bytes: a new tool version may make the same file, and where Charis SIL
# is also installed system-wide, fontconfig may pick that copy over the book's.
SAME_BYTES = (upgrade_tool, replace_font)


@pytest.mark.parametrize("change, name", CHANGES, ids=lambda x: getattr(x, "__name__", x))
def test_every_kind_of_input_change_rebuilds_and_nothing_stale_is_served(change, name, book_dir, tmp_path,
                                                                         monkeypatch):
    book, out = book_dir("cache"), tmp_path / "out"
    before = run(book, out, [name])[name].path.read_bytes()
    assert cached(run(book, out, [name])) == {name}
    change(book, monkeypatch)
    after = run(book, out, [name])
    assert cached(after) == set()
    assert after[name].path.read_bytes() == fresh_bytes(book, tmp_path, [name])[name]
    if change not in SAME_BYTES:
        assert after[name].path.read_bytes() != before
    assert cached(run(book, out, [name])) == {name}


def test_an_option_is_an_input(book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    run(book, out, ["print"])
    assert cached(run(book, out, ["print"], options={"trim": "A5"})) == set()
    assert cached(run(book, out, ["print"], options={"trim": "A5"})) == {"print"}


def test_a_change_rebuilds_exactly_what_depends_on_it(book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    run(book, out, ALL)
    assert cached(run(book, out, ALL)) == set(ALL)
    override(book, "styles/handout.css", "\n/* the handout only */\n")
    assert cached(run(book, out, ALL)) == {"epub", "print", "cover"}
    override(book, "styles/print.css", "\n/* the print edition: the cover's spine, the EPUB's page list */\n")
    assert cached(run(book, out, ALL)) == {"handout"}
    override(book, "templates/epub/nav.xhtml.j2", "\n{# the EPUB only #}\n")
    assert cached(run(book, out, ALL)) == {"print", "handout", "cover"}


def test_force_makes_everything_again(book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    run(book, out)
    assert cached(run(book, out, force=True)) == set()
    assert cached(run(book, out)) == {"epub"}


@pytest.mark.parametrize("garbage", [b"\x00not json", b"[]", b'{"key": 1}', b'{"key": "x", "notices": 7}'])
def test_a_corrupt_entry_is_ignored_and_replaced(garbage, book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    good = run(book, out)["epub"].path.read_bytes()
    (out / cache.CACHE_DIR / "epub.json").write_bytes(garbage)
    rebuilt = run(book, out)
    assert cached(rebuilt) == set() and rebuilt["epub"].path.read_bytes() == good
    assert cached(run(book, out)) == {"epub"}


@pytest.mark.parametrize("damage", ["edit", "delete"])
def test_an_output_changed_on_disk_is_made_again(damage, book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    output = run(book, out)["epub"].path
    good = output.read_bytes()
    if damage == "edit":
        output.write_bytes(good[:-1] + b"!")
    else:
        output.unlink()
    assert cached(run(book, out)) == set()
    assert output.read_bytes() == good


def test_warnings_are_given_again_by_a_cached_build(book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    (book / "draft.md").write_text("Not in the book yet.\n")
    first, again = Notices(), Notices()
    run(book, out, notices=first)
    assert cached(run(book, out, notices=again)) == {"epub"}
    assert [str(n) for n in again] == [str(n) for n in first]
    assert len(first) == 1 and "draft.md" in str(first[0])


def test_library_versions_come_from_the_installed_distributions():
    assert f"weasyprint-{metadata.version('weasyprint')}" in cache.installed(cache.LIBRARIES)


def test_parallel_layouts_give_the_bytes_of_one_process(book_dir, tmp_path):
    book = book_dir("cache")
    assert pipeline.by_edition(ALL) == [["epub", "print", "cover"], ["handout"]]  # a thread for each
    parallel = {name: o.path.read_bytes() for name, o in run(book, tmp_path / "parallel", ALL, jobs=2).items()}
    assert parallel == fresh_bytes(book, tmp_path, ALL, jobs=1)


def test_an_error_in_a_layout_process_is_the_users_error(book_dir, tmp_path, monkeypatch):
    book = book_dir("cache")
    override(book, "styles/handout.css", "\np { colour: red; }\n")
    monkeypatch.setattr(pipeline, "usable_cores", lambda: 2)
    with pytest.raises(ResourceError, match="the PDF layout ignores 'colour: red'"):
        run(book, tmp_path / "out", ["print", "handout"])
    assert not (tmp_path / "out" / cache.CACHE_DIR / "handout.json").exists()


def imported_after(code: str) -> set[str]:
    """Top-level modules loaded by ``code`` run in a fresh interpreter."""
    script = f"import sys\n{code}\nprint(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_an_epub_made_again_takes_the_page_map_from_the_cache_and_a_no_op_imports_no_stage(book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    code = f"from pathlib import Path\nfrom bookbuilder.pipeline import build\n" \
           f"build(Path({str(book)!r}), ['epub'], Path({str(out)!r}))"
    assert "weasyprint" in imported_after(code)  # the first EPUB measures the print layout
    assert not {"weasyprint", "ebooklib", "jinja2", "markdown_it", "PIL", "lxml"} & imported_after(code)
    epub = next(out.glob("*.epub"))
    made = epub.read_bytes()
    epub.unlink()  # as after an edit to the EPUB's own stylesheet: the print layout is unchanged
    modules = imported_after(code)
    assert "ebooklib" in modules and "weasyprint" not in modules
    assert epub.read_bytes() == made


@pytest.mark.parametrize("garbage", ['{', '{"key": "stale", "data": []}', '{"key": "KEY", "data": [{"nope": 1}]}'])
def test_a_corrupt_page_map_is_measured_again(garbage, book_dir, tmp_path):
    book, out = book_dir("cache"), tmp_path / "out"
    made = run(book, out)["epub"].path
    good = made.read_bytes()
    pages = out / cache.CACHE_DIR / "pages.json"
    record = pages.read_bytes()
    pages.write_text(garbage.replace("KEY", json.loads(record)["key"]))
    made.unlink()
    assert cached(run(book, out)) == set()
    assert made.read_bytes() == good
    assert pages.read_bytes() == record


def test_settling_leaves_another_builds_files_on_their_way_in(tmp_path):
    """Two builds at once: one settles its pieces while the other is writing its settled.json through a
    temporary file; that file is not an old piece (it was: the other build's rename then failed)."""
    from bookbuilder.cache import PieceStore
    from bookbuilder.files import TEMP_PREFIX

    store = PieceStore(tmp_path, "key")
    incoming = tmp_path / f"{TEMP_PREFIX}999-abcd1234ef012345-settled.json"
    incoming.write_text("{}")
    (tmp_path / "old.pdf").write_bytes(b"%PDF")
    store.settle([], {})
    assert incoming.exists() and not (tmp_path / "old.pdf").exists()
