"""The build's processes (pipeline/scheduling.py): each worker within its memory, and a worker that
runs out of it is the book's error, not exit 70 (issue 22)."""

from __future__ import annotations

import resource

from bookbuilder import cli
from bookbuilder.limits import MEMORY_LIMIT, Limits
from bookbuilder.pipeline import scheduling


def address_space() -> int:
    return resource.getrlimit(resource.RLIMIT_AS)[0]


def test_every_worker_is_held_to_the_memory_limit():
    here = address_space()
    with scheduling.layout_processes(2) as pool:
        assert set(pool.map(limit_there, range(4))) == {MEMORY_LIMIT}
    assert address_space() == here  # the build's own process is not limited


def limit_there(_: int) -> int:
    return address_space()


def test_a_worker_out_of_memory_is_the_books_error(book_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(Limits, "worker_memory", property(lambda self: 64 * 1024**2))  # less than a worker starts with
    status = cli.main([str(book_dir("minimal")), "--format", "print", "--jobs", "2", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert status == 4 and err.startswith("error: a layout process ran out of the 0.0625 GiB of memory"), err
    assert not (tmp_path / "out").exists()


def test_a_book_out_of_memory_in_a_catalogue_fails_alone(book_dir, monkeypatch):
    from bookbuilder.pipeline import catalogue

    def greedy(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(catalogue, "make_outputs", greedy)
    result = catalogue.build_task(book_dir("minimal"), ["epub"], {}, catalogue.tool_fingerprint())
    assert result.exit_code == 4 and result.error.startswith("a layout process ran out of the 2 GiB of memory")


def test_a_book_that_kills_its_worker_in_a_catalogue_fails_alone(book_dir, monkeypatch):
    """A library's abort (or the kernel's kill) ends the worker outright and breaks the pool: the books
    it had not finished are built again one at a time, and only the one that kills its process fails."""
    import os
    import signal

    from bookbuilder.pipeline import catalogue

    making = catalogue.make_outputs

    def aborting(book, *args, **kwargs):
        if book.root.name == "minimal":
            os.kill(os.getpid(), signal.SIGKILL)
        return making(book, *args, **kwargs)

    monkeypatch.setattr(catalogue, "make_outputs", aborting)
    killer, other = book_dir("minimal"), book_dir("override")
    results = dict(catalogue.local_tasks({killer: ["epub"], other: ["epub"]}, {}, 2))
    assert results[killer].exit_code == 4
    assert results[killer].error.startswith("a layout process ran out of the 2 GiB of memory")
    assert not results[other].error and [m.format for m in results[other].made] == ["epub"]
