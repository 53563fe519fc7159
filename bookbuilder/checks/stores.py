"""The store preflight of 'make-book check': for each store book.toml's [output] stores names, its
rules (stores.STORES) on the e-book edition it takes, as findings that name the store, the limit,
what was measured and the fix. A rule the build already enforces (pictures re-encoded to a store's
limits, Kindle's language and size) is measured here all the same: the check reads the file."""

from __future__ import annotations

import zipfile
from io import BytesIO

from lxml import etree
from PIL import Image

from ..stores import MB, STORES
from . import Subject

XHTML_NS = "http://www.w3.org/1999/xhtml"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"


def check_stores(subject: Subject) -> str | None:
    stores = [name for name in subject.book.settings.stores if STORES[name].edition == subject.format.name]
    if not stores:
        return None
    found = 0
    with zipfile.ZipFile(subject.path) as package:
        for name in stores:
            for finding in findings(STORES[name], package, subject.path.stat().st_size):
                report(subject, name, *finding)
                found += 1
    return f"{', '.join(STORES[n].label for n in stores)}: {found} findings"


def report(subject: Subject, store: str, code: str, where: str, problem: str, fix: str, severity: str = "error") -> None:
    subject.notices.add(severity, f"{subject.path}/{where}" if where else str(subject.path),
                        f"{STORES[store].label}: {problem}", fix, f"store-{code}")


def findings(store, package: zipfile.ZipFile, size: int):
    """(code, file in the package, problem, fix[, severity]) for each rule of ``store`` the file breaks."""
    if store.book_bytes and size > store.book_bytes:
        yield ("book-size", "", f"the e-book is {size / MB:.1f} MB, over its {store.book_bytes / MB:.0f} MB",
               "make the pictures in images/ smaller")
    for info in package.infolist():
        data = package.read(info)
        if info.filename.endswith((".jpg", ".jpeg", ".png")):
            if store.image_bytes and len(data) > store.image_bytes:
                yield ("image-size", info.filename, f"the picture is {len(data) / MB:.1f} MB, over its "
                       f"{store.image_bytes / MB:.0f} MB", "use a smaller file in images/")
            if store.image_pixels:
                with Image.open(BytesIO(data)) as picture:
                    pixels = picture.width * picture.height
                if pixels > store.image_pixels:
                    yield ("image-pixels", info.filename, f"the picture has {pixels:,} pixels, over its "
                           f"{store.image_pixels:,}", "use a picture of fewer pixels in images/")
        elif info.filename.endswith(".xhtml"):
            if store.document_bytes and len(data) > store.document_bytes:
                yield ("document-size", info.filename, f"the document is {len(data) / MB:.1f} MB, over its "
                       f"{store.document_bytes / MB:.0f} MB", "split the chapter into two files")
            if store.table_columns:
                root = etree.fromstring(data)
                for table in root.iter(f"{{{XHTML_NS}}}table"):
                    columns = max((len(row.findall(f"{{{XHTML_NS}}}td")) + len(row.findall(f"{{{XHTML_NS}}}th"))
                                   for row in table.iter(f"{{{XHTML_NS}}}tr")), default=0)
                    if columns > store.table_columns:
                        yield ("table-columns", f"{info.filename}#{table.get('id', '')}".rstrip("#"),
                               f"a table of {columns} columns, more than the {store.table_columns} its screens show "
                               "whole", "split the table or turn it (fewer columns, more rows)", "warning")
        elif info.filename.endswith(".ncx") and store.ncx_depth:
            depth = max((len(list(p.iterancestors(f"{{{NCX_NS}}}navPoint"))) + 1
                         for p in etree.fromstring(data).iter(f"{{{NCX_NS}}}navPoint")), default=0)
            if depth > store.ncx_depth:
                yield ("ncx-depth", info.filename, f"the NCX nests {depth} levels, more than the {store.ncx_depth} "
                       "its Go To menu shows", "set [structure] contents_depth = 1")
