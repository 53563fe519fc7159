"""'make-book catalogue': many books, each into its own folder, in local processes or on a Dask
cluster of two worker processes on 127.0.0.1; a broken book stops no other, and every output is
byte for byte what 'make-book BOOK' makes."""

from __future__ import annotations

import shutil

import pytest
from conftest import BOOKS

from bookbuilder import cli
from bookbuilder.cache import tool_fingerprint
from bookbuilder.pipeline import build
from bookbuilder.pipeline.catalogue import PIECE_TASK, build_catalogue, build_task, pack

FORMATS = ["epub", "print", "cover"]  # (the handout is made as the print edition is: test_pieces.py)


@pytest.fixture(scope="module")
def shelf(tmp_path_factory):
    """Three book folders (one broken) and what a plain build makes of the two good ones."""
    root = tmp_path_factory.mktemp("shelf")
    for name in ("minimal", "pages"):
        shutil.copytree(BOOKS / name, root / name)
    shutil.copytree(BOOKS / "minimal", root / "broken")
    toml = root / "broken" / "book.toml"
    toml.write_text(toml.read_text().replace('chapters = ["one.md"]', 'chapters = ["nope.md"]'))
    alone = {}
    for name in ("minimal", "pages"):
        alone[name] = {o.path.name: o.path.read_bytes() for o in build(root / name, FORMATS, root / "alone" / name)}
    return root, alone


def books(root):
    return [root / "minimal", root / "broken", root / "pages"]


def outputs(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_local_processes_build_each_book_and_report_the_broken_one(shelf, tmp_path, capsys):
    root, alone = shelf
    status = cli.main(["catalogue", *map(str, books(root)), "--out", str(tmp_path), "--jobs", "2",
                       "--format", ",".join(FORMATS)])
    out, err = capsys.readouterr()
    assert status == 1  # one book failed
    assert {name: outputs(tmp_path / name) for name in alone} == alone
    assert not (tmp_path / "broken").exists()
    assert "error: broken: " in err and "chapter file 'nope.md' does not exist" in err
    table = out.splitlines()[-4:]
    assert table[0].split() == ["book", "outputs", "time", "errors"]
    assert [row.split()[0] for row in table[1:]] == ["minimal", "broken", "pages"]  # in the order given
    assert [row.split()[-1] for row in table[1:]] == ["0", "1", "0"]


def test_a_second_run_is_answered_by_the_cache(shelf, tmp_path):
    root, _ = shelf
    build_catalogue([root / "minimal"], tmp_path, FORMATS)
    again = build_catalogue([root / "minimal"], tmp_path, FORMATS)
    assert again[0].made == () and again[0].cached == tuple(FORMATS)


@pytest.mark.slow
def test_a_dask_cluster_builds_the_same_bytes(shelf, tmp_path):
    distributed = pytest.importorskip("distributed")
    root, alone = shelf
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0") as cluster:
        results = build_catalogue(books(root), tmp_path, FORMATS, scheduler=cluster.scheduler_address)
        pieces = cluster.scheduler.task_prefixes.get(PIECE_TASK)  # the chapters were tasks of their own
    assert [bool(r.error) for r in results] == [False, True, False]
    assert {name: outputs(tmp_path / name) for name in alone} == alone
    assert pieces is not None and sum(pieces.state_counts.values()) >= 2


def test_a_worker_with_another_version_refuses(shelf):
    root, _ = shelf
    result = build_task(pack(root / "minimal"), FORMATS, {}, "not-" + tool_fingerprint())
    assert result.exit_code == 70 and "another version of bookbuilder" in result.error and not result.made


def test_packing_sends_only_what_a_build_may_read(shelf, tmp_path):
    root, _ = shelf
    book = tmp_path / "book"
    shutil.copytree(root / "minimal", book)
    (tmp_path / "secret.txt").write_text("secret")
    (book / "images").mkdir()
    (book / "images" / "link.png").symlink_to(tmp_path / "secret.txt")
    (book / "notes.txt").write_text("not part of the book")
    assert sorted(name for name, _ in pack(book).files) == ["book.toml", "one.md"]
