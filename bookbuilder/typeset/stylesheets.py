"""Stylesheets parsed once per process, not once per layout.

WeasyPrint parses every stylesheet a document links (and every <style> element) again for each
layout: with four to six layouts per piece (composition) and five stylesheets per document, parsing
was most of a build (issue 21: 1,229 parses, 21.7 s of a 37 s build). A parsed stylesheet is a
function of its bytes, its URL and the media type, except for what it adds to the document it is
parsed for: its @page rules (appended to the document's list) and its @font-face rules (registered
with the layout's font configuration). ``parsed`` keeps each sheet's selectors, @page rules and
font faces, and replays the last two into every later document, in the place the parse would have
put them: the cascade, and so the PDF, is the same.

A sheet is parsed again (not kept) when it has anything else that reaches beyond itself: @import
(the imported sheet shares its matcher), @layer, @counter-style, @color-profile; and when WeasyPrint
warned while parsing it, so that every build that uses it fails the same way (layout.weasyprint_log).
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import threading
from collections import Counter
from dataclasses import dataclass

from ..errors import ResourceError
from .weasy import CSS, CounterStyle, css_module

STYLESHEET = contextvars.ContextVar("stylesheet", default=None)  # the stylesheet being read, for its messages
IMPORTING = contextvars.ContextVar("importing", default=())  # the URLs of the stylesheets being parsed, outermost first
MAX_IMPORTS = 8  # stylesheets importing each other, one inside another
RECORDING = contextvars.ContextVar("recording", default=None)  # the Recording of the parse under way
PARSES: Counter = Counter()  # (URL or base URL, digest, media) -> times parsed in this process, for the build's counts


@dataclass(frozen=True)
class Parsed:
    """What a stylesheet gives every document that uses it."""

    base_url: str | None
    matcher: object  # cssselect2.Matcher of its selectors: read, never changed, by the cascade
    page_rules: tuple  # what it appends to the document's @page rules
    font_faces: tuple  # the descriptors of its @font-face rules, for each layout's font configuration


class FontFaces:
    """A font configuration's stand-in while a stylesheet is parsed: notes the faces it adds."""

    def __init__(self):
        self.added: list = []

    def add_font_face(self, rule_descriptors, url_fetcher):
        self.added.append(rule_descriptors)


class Recording(logging.Handler):
    """One parse under way: whether it may be kept (no warning, nothing beyond the sheet itself)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.keep = True
        self.thread = threading.get_ident()  # the build's editions lay out in threads of one process

    def emit(self, record):
        self.keep = self.keep and record.thread != self.thread


KEPT: dict[tuple, Parsed] = {}  # (URL or base URL, digest of the text, media type) -> the parsed sheet


def parsed(*, url=None, string=None, url_fetcher=None, media_type="print", font_config=None, counter_style=None,
           color_profiles=None, page_rules=None, layers=None, **more):
    """WeasyPrint's ``CSS(...)`` as find_stylesheets() calls it, from what this process kept when it can."""
    if more.get("matcher") is not None or more.get("layer") is not None or (url is None) == (string is None):
        if RECORDING.get():  # an @import: the importing sheet's parse is not kept
            RECORDING.get().keep = False
        with named(url_fetcher, url):
            return CSS(url=url, string=string, url_fetcher=url_fetcher, media_type=media_type, font_config=font_config,
                       counter_style=counter_style, color_profiles=color_profiles, page_rules=page_rules,
                       layers=layers, **more)
    text = fetched(url_fetcher, url) if url is not None else string.encode("utf-8", "surrogatepass")
    key = (url or more.get("base_url"), hashlib.sha256(text).digest() if text is not None else None, media_type)
    sheet = KEPT.get(key) if text is not None else None
    if sheet is None:
        PARSES[key] += 1
        sheet, keep = parse(url, string, url_fetcher, media_type, **more)
        if not keep:  # parsed again into the document itself, as WeasyPrint would
            return CSS(url=url, string=string, url_fetcher=url_fetcher, media_type=media_type, font_config=font_config,
                       counter_style=counter_style, color_profiles=color_profiles, page_rules=page_rules,
                       layers=layers, **more)
        if text is not None:
            KEPT[key] = sheet
    return replayed(sheet, url_fetcher, font_config, page_rules, layers)


def fetched(url_fetcher, url: str) -> bytes | None:
    """The bytes at ``url`` (None if they cannot be fetched: the parse then says why)."""
    try:
        with contextlib.closing(url_fetcher(url)) as response:
            data = response.read()
    except Exception:  # noqa: BLE001 - the parse that follows fails the same way and says so
        return None
    return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data


def parse(url, string, url_fetcher, media_type, **more) -> tuple[Parsed, bool]:
    """The sheet parsed on its own, into empty lists; whether it may be kept."""
    recording, faces, rules, layers, profiles = Recording(), FontFaces(), [], [], {}
    styles = CounterStyle()
    logger = css_module.LOGGER
    logger.addHandler(recording)
    outer = RECORDING.set(recording)
    try:
        with named(url_fetcher, url):
            css = CSS(url=url, string=string, url_fetcher=url_fetcher, media_type=media_type, font_config=faces,
                      counter_style=styles, color_profiles=profiles, page_rules=rules, layers=layers, **more)
    finally:
        RECORDING.reset(outer)
        logger.removeHandler(recording)
    keep = recording.keep and not layers and not profiles and not styles
    return Parsed(css.base_url, css.matcher, tuple(rules), tuple(faces.added)), keep


@contextlib.contextmanager
def named(url_fetcher, url: str | None):
    """While a stylesheet is parsed, WeasyPrint's messages name its file (the theme's, by its URL);
    a <style> element's name none (fetcher.Warnings then looks for the template line). A sheet that
    imports itself, through others or directly, or imports more than MAX_IMPORTS deep, and a parser
    that runs out of stack or memory on it, is the book's error at the file that imports or is read."""
    importer, chain = STYLESHEET.get(), IMPORTING.get()
    file = getattr(url_fetcher, "stylesheet_file", lambda _: None)(url) if url else None
    if url is not None and (url in chain or len(chain) >= MAX_IMPORTS):
        between = len(chain) - chain.index(url) - 1 if url in chain else None  # the sheets in the circle
        problem = (f"imports stylesheets more than {MAX_IMPORTS} deep" if between is None else "imports itself"
                   + (f" through {between} other stylesheet(s)" if between else ""))
        raise ResourceError(importer or file, f"the stylesheet {problem}", "remove the @import that closes the "
                            "circle, or import the sheets from one place", code="stylesheet-limit")
    token, imports = STYLESHEET.set(file), IMPORTING.set((*chain, url) if url else chain)
    try:
        yield
    except (RecursionError, MemoryError):
        raise ResourceError(file, "the stylesheet is too deeply nested or too large for the CSS parser",
                            "simplify it (the manual lists a stylesheet's limits)", code="stylesheet-limit") from None
    finally:
        STYLESHEET.reset(token)
        IMPORTING.reset(imports)


def replayed(sheet: Parsed, url_fetcher, font_config, page_rules, layers):
    """A CSS object for one document: the kept selectors, its @page rules appended to the document's
    and its faces added to the layout's font configuration, as the parse would have done."""
    css = CSS.__new__(CSS)
    css.base_url, css.matcher = sheet.base_url, sheet.matcher
    css.page_rules = [] if page_rules is None else page_rules  # the document's own lists, as CSS() keeps them
    css.layers = [] if layers is None else layers
    css.page_rules.extend(sheet.page_rules)
    for descriptors in sheet.font_faces if font_config is not None else ():
        font_config.add_font_face(descriptors, url_fetcher)
    return css


css_module.CSS = parsed  # find_stylesheets() and @import call this name; nothing else in WeasyPrint does
