"""The content-hash cache: an output is made again only when something it is made from changed.

An output's key is a SHA-256 over everything its bytes depend on: the tool (its own source, the
Python and library versions), the book folder's place, the options, SOURCE_DATE_EPOCH, book.toml,
the chapters, and the theme files the format reads (book folder, then defaults). A format that
reuses another format's layout (the cover is as wide as the print edition is thick) folds that
format's key into its own.

An entry, ``<out>/.make-book-cache/<format>.json``, records the key, the output's name and SHA-256
(of a folder output, over its files: files.digest_of) and the warnings its build gave. It is served only when the key matches and the output on disk
still has those bytes; an entry that cannot be read is ignored, and the build replaces it. Data
measured from a layout (``pages.json``: where the printed pages begin, for the EPUB's page list)
is kept under the key of the format that lays it out, so the EPUB can be made again without
WeasyPrint while the print edition's inputs are unchanged.
Only hashlib, json and tomllib are imported here: a no-op build loads no layout or Markdown code.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tomllib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from . import inputs
from .errors import BookError
from .files import TEMP_PREFIX, Folder, digest_of, size_of, write_atomically
from .limits import Limits, read_limits
from .notices import Notice
from .scripts import FACES
from .theme import SCREEN_STYLES, Theme

CACHE_DIR = ".make-book-cache"
PIECES = "pieces"  # its folder of laid-out pieces, one folder per edition: <key>.pdf and <key>.json
PACKAGE = Path(__file__).resolve().parent
# Distributions whose version can change an output's bytes (layout, PDF writing, packaging, parsing).
LIBRARIES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "fonttools", "pikepdf", "pillow", "ebooklib",
             "lxml", "jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "pyyaml", "pyphen",
             "zint-bindings", *(face.package for face in FACES.values()))
ENVIRONMENT = ("SOURCE_DATE_EPOCH",)  # variables the build reads


@dataclass(frozen=True)
class Entry:
    path: Path
    size: int
    notices: tuple[Notice, ...]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def tool_fingerprint() -> str:
    """This tool's source and the versions of Python and the libraries it builds with."""
    sources = sorted(PACKAGE.rglob("*.py"))
    parts = [sys.version, *installed(LIBRARIES)]
    parts += [f"{p.relative_to(PACKAGE)}:{digest(p.read_bytes())}" for p in sources]
    return digest("\n".join(parts).encode())


def installed(names: tuple[str, ...]) -> list[str]:
    """'name-version' of the installed ``names``, from the .dist-info folder names on sys.path
    (importlib.metadata reads every METADATA file: most of a no-op build's time)."""
    wanted = {re.sub(r"[-_.]+", "_", n).lower() for n in names}
    found = set()
    for folder in sys.path:
        with contextlib.suppress(OSError):
            for entry in os.scandir(folder or "."):
                name, _, version = entry.name.removesuffix(".dist-info").partition("-")
                if entry.name.endswith(".dist-info") and re.sub(r"[-_.]+", "_", name).lower() in wanted:
                    found.add(f"{name.lower()}-{version}")
    return sorted(found)


def uses(relative: str, fmt, stylesheets: set[str]) -> bool:
    """Whether format ``fmt`` (a formats.Format) reads the theme file at ``relative``: the shared
    templates and its own template folder, its own stylesheets (of ``stylesheets``, every rendition's),
    and every other file (images, fonts, imported CSS)."""
    if relative.startswith("templates/"):
        return relative.count("/") == 1 or bool(fmt.templates and relative.startswith(fmt.templates))
    if relative in stylesheets:
        return relative in fmt.styles
    return True


class Cache:
    """The cache of the outputs of one book folder in one output folder, for one set of options."""

    def __init__(self, book_dir: Path, out_dir: Path, options: dict, formats: dict, force: bool = False):
        self.book_dir = book_dir.resolve()
        self.force = force  # serve nothing; store what is made
        self.folder = out_dir / CACHE_DIR
        self.out_dir = out_dir
        self.options = {name: value for name, value in options.items() if value is not None}  # None: book.toml's
        self.formats = formats  # name -> formats.Format (its templates, styles and the layout it reuses)
        self.stylesheets = {s for fmt in formats.values() for s in fmt.styles} | set(SCREEN_STYLES)
        self.keys: dict[str, str | None] = {}
        self.limits = Limits()  # book.toml's, once common_key() has read it
        self.common = self.common_key()

    def common_key(self) -> str | None:
        """What every format depends on; None when book.toml or a chapter cannot be read, or is one
        the build would refuse (the build says why): nothing is read before inputs.py checked it."""
        folders = [self.book_dir]
        try:
            config = inputs.read(self.book_dir / "book.toml", folders, inputs.LIMITS["book.toml"])
            table = tomllib.loads(config.decode("utf-8"))
            chapters = table["book"]["chapters"]
            self.limits = read_limits(table.get("limits", {}), lambda key: None)
            if len(chapters) > self.limits.chapters:
                return None
            texts, total = [], 0
            for name in chapters:
                data = inputs.read(self.book_dir / name, folders, self.limits.file("chapter"))
                total += len(data)
                if total > self.limits.manuscript_bytes:
                    return None
                texts.append(f"{name}:{digest(data)}")
        except (BookError, UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, TypeError):
            return None
        unlisted = sorted(p.name for p in self.book_dir.glob("*.md"))  # an unlisted chapter is a warning
        environment = {name: os.environ.get(name) for name in ENVIRONMENT}
        parts = [tool_fingerprint(), str(self.book_dir), json.dumps(self.options, sort_keys=True, default=str),
                 json.dumps(environment, sort_keys=True), digest(config), *texts, *unlisted]
        return digest("\n".join(parts).encode())

    @cached_property
    def theme_digests(self) -> dict[tuple[int, str], str]:
        """(rank of the root, relative path) -> SHA-256 of every theme file the build may read (a new
        override changes it); a file it would refuse is not read, so it is not part of the key."""
        theme = Theme.for_book(self.book_dir, self.limits)
        found = {}
        for rank, relative, path in theme.files():
            with contextlib.suppress(BookError):
                found[rank, relative] = digest(inputs.read(path, theme.folders(), theme.limit(relative)))
        return found

    def key(self, name: str) -> str | None:
        if name not in self.keys:
            self.keys[name] = self.make_key(name)
        return self.keys[name]

    def make_key(self, name: str) -> str | None:
        if self.common is None:
            return None
        fmt = self.formats[name]
        parts = [self.common, name]
        parts += [f"{rank}:{relative}:{sha}" for (rank, relative), sha in self.theme_digests.items()
                  if uses(relative, fmt, self.stylesheets)]
        if fmt.layout and fmt.layout != name:
            parts.append(f"layout:{self.key(fmt.layout)}")
        return digest("\n".join(parts).encode())

    def entry_path(self, name: str) -> Path:
        return self.folder / f"{name}.json"

    def lookup(self, name: str) -> Entry | None:
        """The entry of ``name`` if it is current and its output is on disk as it was made."""
        key = self.key(name)
        if key is None or self.force:
            return None
        record = self.record(name, key)
        if record is None:
            return None
        try:
            path = self.out_dir / record["file"]
            if path.parent != self.out_dir or path.is_symlink():
                return None
            data = Folder.read(path) if path.is_dir() else path.read_bytes()
            if data is None or digest_of(data) != record["sha256"]:
                return None
            notices = tuple(Notice(where, problem, fix, severity, code)
                            for where, problem, fix, severity, code in record["notices"])
            return Entry(path, size_of(data), notices)
        except (OSError, ValueError, KeyError, TypeError):  # missing, unreadable or corrupt: make it again
            return None

    def record(self, name: str, key: str) -> dict | None:
        """The stored record of ``name`` if it was made under ``key``; a missing or corrupt one is None."""
        try:
            record = json.loads(self.entry_path(name).read_text(encoding="utf-8"))
            return record if isinstance(record, dict) and record.get("key") == key else None
        except (OSError, ValueError):
            return None

    def store(self, name: str, path: Path, data: bytes | Folder, notices: list[Notice]) -> None:
        key = self.key(name)
        if key is None:
            return
        record = {"key": key, "file": path.name, "sha256": digest_of(data),
                  "notices": [[str(n.where) if n.where else None, n.problem, n.fix, n.severity, n.code]
                              for n in notices]}
        write_atomically(self.entry_path(name), json.dumps(record, indent=1).encode())

    def recall(self, name: str, layout: str) -> list | None:
        """Plain data measured from ``layout``'s laid-out document (the print edition's page map),
        if it was stored while that layout's inputs were as they are now."""
        key = self.key(layout)
        if key is None or self.force:
            return None
        record = self.record(name, key)
        return record["data"] if record and isinstance(record.get("data"), list) else None

    def pieces(self, edition: str) -> PieceStore | None:
        """The store of the laid-out pieces of ``edition`` ('print', 'handout'), under what they depend
        on besides their HTML: the tool, the options, book.toml and the theme files its PDF reads."""
        if self.common is None:
            return None
        fmt = self.formats[edition]
        parts = [tool_fingerprint(), json.dumps(self.options, sort_keys=True, default=str),
                 json.dumps({name: os.environ.get(name) for name in ENVIRONMENT}, sort_keys=True),
                 digest(inputs.read(self.book_dir / "book.toml", [self.book_dir], inputs.LIMITS["book.toml"]))]
        parts += [f"{rank}:{relative}:{sha}" for (rank, relative), sha in self.theme_digests.items()
                  if uses(relative, fmt, self.stylesheets)]
        return PieceStore(self.folder / PIECES / edition, digest("\n".join(parts).encode()), self.force)

    def keep(self, name: str, layout: str, data: list) -> None:
        key = self.key(layout)
        if key is not None:
            write_atomically(self.entry_path(name), json.dumps({"key": key, "data": data}).encode())


class PieceStore:
    """Laid-out pieces of the print edition (typeset/pieces.py), each under the SHA-256 of its HTML
    and the store's ``key``: a PDF and a JSON record of what the join reads off its layout. What the
    last build's rounds settled on (each piece's start folio, the targets' folios) is kept as the next
    build's first guess; a guess only saves rounds, so it is read under --force too."""

    def __init__(self, folder: Path, key: str, force: bool = False):
        self.folder = folder
        self.key = key
        self.force = force

    def name(self, html: str) -> str:
        return digest(f"{self.key}\n{html}".encode())

    def load(self, html: str) -> tuple[bytes, dict] | None:
        if self.force:
            return None
        name = self.name(html)
        try:
            record = json.loads((self.folder / f"{name}.json").read_text(encoding="utf-8"))
            data = (self.folder / f"{name}.pdf").read_bytes()
        except (OSError, ValueError):
            return None
        return (data, record) if isinstance(record, dict) and record.get("sha256") == digest(data) else None

    def save(self, html: str, data: bytes, record: dict) -> None:
        """Keep a piece, if the folder takes it: a piece not kept is laid out again, and a folder that
        cannot be written is the outputs' error, said when they are written."""
        name = self.name(html)
        with contextlib.suppress(BookError):
            write_atomically(self.folder / f"{name}.pdf", data)
            write_atomically(self.folder / f"{name}.json", json.dumps({**record, "sha256": digest(data)}).encode())

    def guess(self) -> dict:
        try:
            state = json.loads((self.folder / "settled.json").read_text(encoding="utf-8"))
            return state if isinstance(state, dict) and state.get("key") == self.key else {}
        except (OSError, ValueError):
            return {}

    def settle(self, htmls: list[str], state: dict) -> None:
        """Keep ``state`` as the next guess and only the pieces of ``htmls``: older ones are left over."""
        with contextlib.suppress(BookError):  # as in save()
            write_atomically(self.folder / "settled.json", json.dumps({**state, "key": self.key}).encode())
        wanted = {self.name(html) for html in htmls}
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*.*"):  # not another build's file on its way in (files.TEMP_PREFIX)
                if path.suffix in (".pdf", ".json") and path.stem not in wanted and path.name != "settled.json" \
                        and not path.name.startswith(TEMP_PREFIX):
                    path.unlink(missing_ok=True)
