"""Shared fixtures: the default book built once per session, tiny book folders, the CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from lxml import etree

# Hypothesis profiles (tests/test_properties.py): 'ci' by default, '--hypothesis-profile=long' for the long run.
HYPOTHESIS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]}
settings.register_profile("ci", max_examples=300, derandomize=True, **HYPOTHESIS)
settings.register_profile("long", max_examples=2000, **HYPOTHESIS)
settings.register_profile("fuzz", max_examples=1000, **HYPOTHESIS)  # tests/built/test_fuzz.py, per target
settings.load_profile("ci")

# Each xdist worker keeps to a core of its own: the builds it runs then lay out in the worker itself
# (a build makes a pool only with two usable cores) rather than forking pools that compete with the
# other worker's. A test of the pools asks for them with jobs=2.
if os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw") and hasattr(os, "sched_setaffinity"):
    CORES = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {CORES[int(os.environ["PYTEST_XDIST_WORKER"][2:]) % len(CORES)]})

ROOT = Path(__file__).resolve().parent.parent
BOOKS = Path(__file__).resolve().parent / "books"
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "ncx": "http://www.daisy.org/z3986/2005/ncx/"}


@pytest.fixture(scope="session")
def default_build(tmp_path_factory):
    """The default book, every format, built once through the public entry point: (format -> path,
    the build's notices)."""
    from bookbuilder.notices import Notices
    from bookbuilder.pipeline import build

    out = tmp_path_factory.mktemp("dist")
    notices = Notices()
    outputs = build(ROOT / "book", ["epub", "print", "handout", "cover", "web"], out, notices=notices)
    return {o.format: o.path for o in outputs}, notices


@pytest.fixture(scope="session")
def built(default_build) -> dict[str, Path]:
    return default_build[0]


@pytest.fixture
def book_dir(tmp_path):
    """Copy a test book folder from tests/books/<name> into tmp and return its path."""
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(BOOKS / name, target)
        return target
    return copy


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "make_book.py"), *args], cwd=cwd,
                          capture_output=True, text=True)


class Epub:
    """An EPUB opened for reading back: members, parsed XML documents, the OPF."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def names(self) -> list[str]:
        return self.zip.namelist()

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @property
    def opf(self) -> etree._Element:
        return self.xml("EPUB/content.opf")

    def documents(self) -> dict[str, etree._Element]:
        return {n: self.xml(n) for n in self.names() if n.endswith(".xhtml")}


@pytest.fixture(scope="session")
def epub(built) -> Epub:
    return Epub(built["epub"])
