"""book.toml -> BookConfig. Defaults live in code (model.Settings); the command line overrides.

tomllib reports syntax errors with a line; for wrong keys and values we find the key's line in
the text ourselves, so every message still points at the place to fix.
"""

from __future__ import annotations

import datetime
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import ConfigError, Location
from ..inputs import LIMITS
from ..limits import Limits, read_limits
from ..model import Contributor, Metadata, Price, Settings, Trade
from ..notices import Notices
from ..printing import (
    INKS,
    LENGTH,
    MAX_BLEED_PT,
    MAX_PRINTING,
    MAX_TRIM_PT,
    MIN_TRIM_PT,
    PDFX_VARIANTS,
    SERVICES,
    points,
)
from ..stores import STORES
from ..vocabulary import ROLES
from .labels import FIELD, REFERENCE, fields, table
from .text import FORBIDDEN, check_characters, read_text

CONFIG_NAME = "book.toml"

BOOK_KEYS = {
    "title": str, "subtitle": str, "language": str, "identifier": str, "date": datetime.date,
    "publisher": str, "source": str, "rights": str, "description": str, "subjects": list,
    "chapters": list, "editorial_note": str, "contributors": list, "accessibility_summary": str,
    "edition_date": datetime.date, "accessibility_certified_by": str, "isbn_print": str, "isbn_epub": str,
    "edition": str, "printing": int, "series": str, "series_number": int,
}
# [trade]: the ONIX record's keys (formats/onix.py). Audiences: ONIX code list 28.
TRADE_KEYS = {"bisac": list, "thema": list, "audience": str, "prices": list}
PRICE_KEYS = {"edition": str, "amount": str, "currency": str, "territory": str}
AUDIENCES = {"general": "01", "children": "02", "young-adult": "03", "school": "04", "college": "05",
             "professional": "06"}
BISAC = re.compile(r"^[A-Z]{3}\d{6}$")
THEMA = re.compile(r"^[A-Z0-9][A-Z0-9.+-]{0,15}$")
TERRITORY = re.compile(r"^(WORLD|[A-Z]{2}( [A-Z]{2})*)$")
BARCODE_CURRENCIES = {"0": "GBP", "5": "USD"}  # the EAN-5 add-on's first digit: pound sterling, US dollar
ISBN_KEYS = ("isbn_print", "isbn_epub")  # one ISBN per edition: the paperback's (and its barcode), the e-book's
REQUIRED = ("title", "language", "identifier", "date", "chapters")
STRING_LISTS = ("chapters", "subjects")
# BCP 47 language tags, well-formed (RFC 5646 section 2.1, without the grandfathered irregulars).
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[a-z]{3}){0,3}(-[a-z]{4})?(-([a-z]{2}|\d{3}))?"
                          r"(-([a-z\d]{5,8}|\d[a-z\d]{3}))*(-[a-wyz\d](-[a-z\d]{2,8})+)*(-x(-[a-z\d]{1,8})+)?$|"
                          r"^x(-[a-z\d]{1,8})+$", re.IGNORECASE)
# ZIP records times from 1980 to 2107; the EPUB's files carry this edition's date (or SOURCE_DATE_EPOCH).
EARLIEST, LATEST = datetime.date(1980, 1, 1), datetime.date(2107, 12, 31)
MAX_TITLE = 500  # characters: a title is also the output's file name (slug) and every running head
CONTRIBUTOR_KEYS = {"name": str, "role": str, "sort_as": str}
OUTPUT_KEYS = {"trim": str, "handout_paper": str, "bleed": str, "marks": bool, "pages_per_inch": int,
               "pdf_variant": str, "interior": str, "service": str, "barcode_price": str,
               "formats": list, "stores": list}  # formats, stores: read before the load too (pipeline.build.chosen_formats)
TABLES = {"book": dict, "speakers": dict, "output": dict, "structure": dict, "typography": dict, "credits": dict,
          "limits": dict, "labels": dict, "trade": dict}
# the colophon's credit lines, in this order
CREDIT_KEYS = {"cover": str, "photographs": str, "illustrations": str, "maps": str}
# [structure]: how chapters are labelled and numbered, how deep the contents go, where notes stand.
STRUCTURE_CHOICES = {"chapter_labels": ("arabic", "roman", "words", "none"), "numbering": ("book", "part"),
                     "contents_depth": (1, 2), "notes": ("footnotes", "chapter-end", "book-end"),
                     "note_numbering": ("chapter", "book")}
STRUCTURE_KEYS = {**{key: type(choices[0]) for key, choices in STRUCTURE_CHOICES.items()}, "lists": list}
LISTS = ("illustrations", "tables")  # [structure] lists: after the contents, with their pages in the PDFs
# words never hyphenated; words with their break points ("Shay-mer-ge-nov"); how a chapter's text opens
TYPOGRAPHY_KEYS = {"no_hyphenate": list, "hyphenate": list, "opening": str}
BREAK_POINTS = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)+$")  # letters, a hyphen at each point a word may break
OPENINGS = ("small-caps", "drop-cap", "none")  # a chapter's first line in small capitals, a drop cap, or as the rest

# Named paper and trim sizes, as CSS lengths (width, height).
PAPER_SIZES = {
    "a4": ("210mm", "297mm"),
    "a5": ("148mm", "210mm"),
    "letter": ("8.5in", "11in"),
}
HANDOUT_PAPERS = ("A4", "Letter")
# WeasyPrint's PDF/A, PDF/UA and PDF/X variants (tests/test_print_options.py keeps this in step with WeasyPrint).
PDF_VARIANTS = ("pdf/a-1a", "pdf/a-1b", "pdf/a-2a", "pdf/a-2b", "pdf/a-2u", "pdf/a-3a", "pdf/a-3b", "pdf/a-3u",
                "pdf/a-4e", "pdf/a-4f", "pdf/a-4u", "pdf/ua-1", "pdf/ua-2", *PDFX_VARIANTS)


@dataclass(frozen=True)
class BookConfig:
    path: Path
    metadata: Metadata  # editorial_note_html is still empty: load.py renders the note
    editorial_note: str  # Markdown
    chapters: tuple[str, ...]
    settings: Settings

    def where(self, key: str) -> Location:
        return key_location(self.path, key)


def key_location(path: Path, key: str, table: str = "") -> Location:
    """The line where ``key`` is first assigned in a TOML file (under ``[table]`` when given: [book]
    and [limits] both have a 'chapters'), for error messages."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
    header = re.compile(rf"^\s*\[\s*{re.escape(table)}\s*\]") if table else None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if header and header.match(line):
            header = None
        elif not header and pattern.match(line):
            return Location(path, number)
    return Location(path)


def read_config(book_dir: Path, notices: Notices) -> BookConfig:
    path = book_dir / CONFIG_NAME
    if not os.path.lexists(path):
        raise ConfigError(path, "no book.toml in the book folder",
                          "give the path of a book folder, or create one with 'make-book new DIR'", code="no-book-toml")
    try:
        data = tomllib.loads(read_text(path, notices, LIMITS[CONFIG_NAME], book_dir))
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise ConfigError(Location(path, int(line.group(1)) if line else None),
                          f"TOML syntax error ({exc})", "fix the syntax at that line", code="toml-syntax") from None
    check_keys(path, data, TABLES, "")
    check_strings(path, data)
    book = data.get("book", {})
    check_keys(path, book, BOOK_KEYS, "book.")
    for key in REQUIRED:
        if key not in book or book[key] == [] or (isinstance(book[key], str) and not book[key].strip()):
            raise ConfigError(key_location(path, key) if key in book else Location(path),
                              f"[book] has no '{key}'" if key not in book else f"'book.{key}' is empty",
                              f"add '{key} = …' under [book]", code="missing-metadata")
    limits = read_limits(data.get("limits", {}), lambda key: key_location(path, key, "limits"))
    check_book_values(path, book, limits)
    speakers = data.get("speakers", {})
    check_keys(path, speakers, dict.fromkeys(speakers, str), "speakers.")
    structure = data.get("structure", {})
    check_keys(path, structure, STRUCTURE_KEYS, "structure.")
    lists = structure.pop("lists", [])
    if not all(kind in LISTS for kind in lists) or len(set(lists)) < len(lists):
        raise ConfigError(key_location(path, "lists", "structure"), f"'structure.lists' cannot be {lists!r}",
                          f"list any of {', '.join(map(repr, LISTS))}, each once", code="bad-value")
    for key, value in structure.items():
        if value not in STRUCTURE_CHOICES[key] or isinstance(value, bool):
            raise ConfigError(key_location(path, key), f"'structure.{key}' cannot be {value!r}",
                              f"use one of {', '.join(map(repr, STRUCTURE_CHOICES[key]))}", code="bad-value")
    settings = Settings(speakers=dict(speakers), **structure, **read_typography(path, data.get("typography", {})),
                        lists=tuple(lists), limits=limits, labels=read_labels(path, data.get("labels", {})))
    output = data.get("output", {})
    check_keys(path, output, OUTPUT_KEYS, "output.")
    settings = override(path, settings, output)
    metadata = Metadata(
        title=book["title"],
        subtitle=book.get("subtitle", ""),
        language=book["language"],
        identifier=book["identifier"],
        date=book["date"],
        publisher=book.get("publisher", ""),
        source=book.get("source", ""),
        rights=book.get("rights", ""),
        description=book.get("description", ""),
        subjects=tuple(book.get("subjects", ())),
        contributors=tuple(read_contributor(path, c) for c in book.get("contributors", ())),
        accessibility_summary=book.get("accessibility_summary", ""),
        edition_date=book.get("edition_date"),
        accessibility_certified_by=book.get("accessibility_certified_by", ""),
        isbn_print=read_isbn(path, book, "isbn_print"),
        isbn_epub=read_isbn(path, book, "isbn_epub"),
        edition=book.get("edition", ""),
        printing=book.get("printing", 1),
        credits=read_credits(path, data.get("credits", {})),
        series=book.get("series", "").strip(),
        series_number=book.get("series_number", 0),
        trade=read_trade(path, data.get("trade", {}), settings.barcode_price),
    )
    return BookConfig(path, metadata, book.get("editorial_note", ""), tuple(book["chapters"]), settings)


def read_typography(path: Path, typography: dict) -> dict:
    """[typography]: no_hyphenate, a list of words or names, each one or more words; hyphenate, words
    written with a hyphen at each point they may break; opening."""
    check_keys(path, typography, TYPOGRAPHY_KEYS, "typography.")
    opening = typography.get("opening", OPENINGS[0])
    if opening not in OPENINGS:
        raise ConfigError(key_location(path, "opening"), f"'typography.opening' cannot be {opening!r}",
                          f"use one of {', '.join(map(repr, OPENINGS))}", code="bad-value")
    for key, example in (("no_hyphenate", '["Astana", "Nur-Sultan"]'), ("hyphenate", '["Shay-mer-ge-nov"]')):
        if not all(isinstance(word, str) and word.strip() for word in typography.get(key, [])):
            raise ConfigError(key_location(path, key), f"'typography.{key}' must be a list of words",
                              f"write each word or name in quotes, e.g. {key} = {example}", code="wrong-type")
    words, broken = typography.get("no_hyphenate", []), typography.get("hyphenate", [])
    kept = {word for entry in words for word in entry.split()}
    for number, entry in enumerate(broken):
        plain = entry.replace("-", "")
        problem = (f"{entry!r} is not one word with a hyphen at each point it may break"
                   if not BREAK_POINTS.match(entry) else f"{plain!r} is in no_hyphenate too" if plain in kept
                   else f"{plain!r} is given twice" if plain in (e.replace("-", "") for e in broken[:number]) else "")
        if problem:
            raise ConfigError(key_location(path, "hyphenate"), f"'typography.hyphenate': {problem}",
                              "write each word once, as the text spells it, with a hyphen where it may break, e.g. "
                              "\"Shay-mer-ge-nov\"; a word never to break goes in no_hyphenate", code="bad-hyphenation")
    return {"no_hyphenate": tuple(words), "hyphenate": tuple(broken), "opening": opening}


def read_trade(path: Path, trade: dict, barcode_price: str) -> Trade:
    """[trade]: subject codes, audience and prices, each checked as ONIX takes it; a print price in
    the currency of the barcode's price add-on must be the price it prints."""
    check_keys(path, trade, TRADE_KEYS, "trade.")
    for key, pattern, example in (("bisac", BISAC, "POL011000"), ("thema", THEMA, "JPSL")):
        for code in trade.get(key, []):
            if not isinstance(code, str) or not pattern.match(code):
                raise ConfigError(key_location(path, key, "trade"), f"'trade.{key}': {code!r} is not a "
                                  f"{key.upper() if key == 'bisac' else 'Thema'} code", f"write codes like "
                                  f"\"{example}\"", code="bad-value")
    audience = trade.get("audience", "general")
    if audience not in AUDIENCES:
        raise ConfigError(key_location(path, "audience", "trade"), f"'trade.audience' cannot be {audience!r}",
                          f"use one of {', '.join(map(repr, AUDIENCES))}", code="bad-value")
    prices = []
    for entry in trade.get("prices", []):
        where = key_location(path, "prices", "trade")
        if not isinstance(entry, dict):
            raise ConfigError(where, "'trade.prices' must be tables", "write each as [[trade.prices]] with edition, "
                              "amount, currency and territory", code="wrong-type")
        check_keys(path, entry, PRICE_KEYS, "trade.prices.")
        price = Price(entry.get("edition", ""), entry.get("amount", ""), entry.get("currency", ""),
                      entry.get("territory", "WORLD"))
        problem = ("edition must be \"print\" or \"epub\"" if price.edition not in ("print", "epub") else
                   f"{price.amount!r} is not an amount" if not re.fullmatch(r"\d+(\.\d\d)?", price.amount) else
                   f"{price.currency!r} is not a currency code" if not re.fullmatch(r"[A-Z]{3}", price.currency) else
                   f"{price.territory!r} is not WORLD or country codes" if not TERRITORY.match(price.territory) else "")
        if problem:
            raise ConfigError(where, f"'trade.prices': {problem}", "write e.g. edition = \"print\", amount = "
                              "\"12.99\", currency = \"USD\", territory = \"WORLD\" (or \"US CA\")",
                              code="bad-value")
        printed = BARCODE_CURRENCIES.get(barcode_price[:1])
        if price.edition == "print" and printed == price.currency and barcode_price[1:] != "0000" and \
                f"{int(barcode_price[1:]) / 100:.2f}" != f"{float(price.amount):.2f}":
            raise ConfigError(where, f"the print price {price.amount} {price.currency} is not the one the barcode "
                              f"prints ({barcode_price}: {int(barcode_price[1:]) / 100:.2f} {printed})",
                              "make [output] barcode_price and the price agree", code="bad-value")
        prices.append(price)
    return Trade(tuple(trade.get("bisac", ())), tuple(trade.get("thema", ())), audience, tuple(prices))


def read_credits(path: Path, credits: dict) -> tuple[str, ...]:
    """[credits]: the cover's, photographs', illustrations' and maps' credit lines, as the colophon prints them."""
    check_keys(path, credits, CREDIT_KEYS, "credits.")
    return tuple(credits[key].strip() for key in CREDIT_KEYS if credits.get(key, "").strip())


def check_book_values(path: Path, book: dict, limits: Limits) -> None:
    """Lists of strings, a language tag EPUB readers accept, a chapter count the build can lay out."""
    for key in STRING_LISTS:
        if not all(isinstance(item, str) for item in book.get(key, ())):
            raise ConfigError(key_location(path, key), f"'book.{key}' must be a list of strings",
                              "put each entry in quotes", code="wrong-type")
    if not LANGUAGE_TAG.match(book["language"]):
        raise ConfigError(key_location(path, "language"), f"'{book['language']}' is not a BCP 47 language tag",
                          "write e.g. \"en\", \"en-GB\", \"kk-Cyrl\" or \"zh-Hans\"", code="bad-value")
    stamped = "edition_date" if isinstance(book.get("edition_date"), datetime.date) else "date"
    if not EARLIEST <= book[stamped] <= LATEST:  # the outputs' files carry it; a first publication may be older
        raise ConfigError(key_location(path, stamped), f"the date {book[stamped]} is outside what an EPUB (a ZIP file) "
                          f"can carry", f"give a date from {EARLIEST} to {LATEST}"
                          + (" (or an 'edition_date' in that range)" if stamped == "date" else ""), code="bad-value")
    printing = book.get("printing", 1)
    if isinstance(printing, bool) or not 1 <= printing <= MAX_PRINTING:
        raise ConfigError(key_location(path, "printing"), f"'book.printing' cannot be {printing!r}",
                          f"give this printing's number, 1 (the first) to {MAX_PRINTING}", code="bad-value")
    for key in ("title", "subtitle"):
        if len(book.get(key, "")) > MAX_TITLE:
            raise ConfigError(key_location(path, key), f"'book.{key}' has {len(book[key]):,} characters, over the "
                              f"{MAX_TITLE} a title may have", "shorten it; put longer text in 'description'",
                              code="bad-value")
    if len(book["chapters"]) > limits.chapters:
        raise ConfigError(key_location(path, "chapters"), f"{len(book['chapters'])} chapters, over the limit of "
                          f"{limits.chapters:,}", "split the book into volumes, or raise 'limits.chapters' if you "
                          "trust the book", code="too-many-chapters")


def read_isbn(path: Path, book: dict, key: str) -> str:
    """An ISBN as ISBN-13 with its hyphens ('978-0-14-143951-8'), its check digit verified (python-stdnum
    knows the registration groups that place the hyphens); empty when not given."""
    from stdnum import isbn
    from stdnum.exceptions import ValidationError

    text = book.get(key, "").strip()
    if not text:
        return ""
    try:
        return isbn.format(isbn.to_isbn13(isbn.validate(text)))
    except ValidationError as exc:
        raise ConfigError(key_location(path, key), f"'{text}' is not a valid ISBN ({exc.message.rstrip('.')})",
                          "copy it again from your ISBN agency's record (13 digits, hyphens optional)",
                          code="bad-isbn") from None


def check_strings(path: Path, value, key: str = "") -> None:
    """No string in book.toml may carry a character XML forbids (TOML lets escapes like \\u0001 in)."""
    if isinstance(value, str):
        if FORBIDDEN.search(value):  # finding the line reads the file: only for a string it refuses
            check_characters(value, path, key_location(path, key).line)
    elif isinstance(value, dict):
        for name, item in value.items():
            check_strings(path, item, name)
    elif isinstance(value, list):
        for item in value:
            check_strings(path, item, key)


def read_labels(path: Path, labels: dict) -> dict[str, str]:
    """book.toml [labels]: the book's own words for any of the tool's labels (locales/en.toml names
    them), with the fields the build fills and no others."""
    check_keys(path, labels, {key: str for key, value in table(REFERENCE).items() if isinstance(value, str)},
               "labels.")
    for key, value in labels.items():
        unknown = set(FIELD.findall(value)) - fields(key) or ({"{"} if FIELD.sub("", value).count("{") else set())
        if unknown:
            raise ConfigError(key_location(path, key, "labels"), f"'labels.{key}' has a field the build does not "
                              f"fill ({', '.join(sorted(unknown))})", "use only " + (", ".join(
                                  f"{{{f}}}" for f in sorted(fields(key))) or "plain words"), code="bad-value")
    return dict(labels)


def check_keys(path: Path, table: dict, allowed: dict, prefix: str) -> None:
    """Refuse unknown keys (suggesting the closest) and values of the wrong type."""
    for key, value in table.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(allowed))}"
            raise ConfigError(key_location(path, key), f"unknown key '{prefix}{key}'", hint, code="unknown-key")
        expected = allowed[key]
        if not isinstance(value, expected) or (expected is datetime.date and isinstance(value, datetime.datetime)):
            raise ConfigError(key_location(path, key), f"'{prefix}{key}' must be a {type_name(expected)}",
                              "change the value's type", code="wrong-type")


def type_name(kind: type) -> str:
    return {str: "string", list: "list", dict: "table", datetime.date: "date (YYYY-MM-DD)", bool: "true or false",
            int: "whole number"}[kind]


def read_contributor(path: Path, entry) -> Contributor:
    if not isinstance(entry, dict):
        raise ConfigError(key_location(path, "contributors"), "each contributor must be a table",
                          "write [[book.contributors]] with name = … and role = … under it", code="wrong-type")
    check_keys(path, entry, CONTRIBUTOR_KEYS, "contributors.")
    if not entry.get("name", "").strip() or "role" not in entry:
        raise ConfigError(key_location(path, "[[book.contributors]]"), "a contributor needs 'name' and 'role'",
                          "add both, e.g. name = \"Zhang Shuo\" and role = \"interviewer\"",
                          code="missing-metadata")
    if entry["role"] not in ROLES:
        close = difflib.get_close_matches(entry["role"], ROLES, n=1)
        raise ConfigError(key_location(path, "role"), f"unknown contributor role '{entry['role']}'",
                          f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(ROLES)}",
                          code="bad-value")
    return Contributor(entry["name"], entry["role"], entry.get("sort_as", entry["name"]))


def override(path: Path, settings: Settings, values: dict) -> Settings:
    """Apply [output] values or command-line options on top of ``settings``, validated."""
    changes = {}
    if values.get("trim"):
        changes["trim"] = parse_size(values["trim"], key_location(path, "trim"))
    if values.get("handout_paper"):
        paper = values["handout_paper"]
        if paper.lower() not in (p.lower() for p in HANDOUT_PAPERS):
            raise ConfigError(key_location(path, "handout_paper"), f"unknown handout paper '{paper}'",
                              f"use one of {', '.join(HANDOUT_PAPERS)}", code="bad-value")
        changes["handout_paper"] = next(p for p in HANDOUT_PAPERS if p.lower() == paper.lower())
    if values.get("bleed"):
        changes["bleed"] = parse_bleed(values["bleed"], key_location(path, "bleed"))
    if values.get("marks") is not None:
        changes["marks"] = values["marks"]
    if values.get("pages_per_inch") is not None:
        if isinstance(values["pages_per_inch"], bool) or values["pages_per_inch"] < 100:
            raise ConfigError(key_location(path, "pages_per_inch"), "'pages_per_inch' must be at least 100",
                              "ask the printer for the paper's pages per inch (e.g. 444 for white, 400 for cream)",
                              code="bad-value")
        changes["pages_per_inch"] = values["pages_per_inch"]
    if values.get("pdf_variant"):
        if values["pdf_variant"] not in PDF_VARIANTS:
            raise ConfigError(key_location(path, "pdf_variant"), f"unknown PDF variant '{values['pdf_variant']}'",
                              f"use one of {', '.join(PDF_VARIANTS)}", code="bad-value")
        changes["pdf_variant"] = values["pdf_variant"]
    if values.get("barcode_price"):
        if not re.fullmatch(r"\d{5}", values["barcode_price"]):
            raise ConfigError(key_location(path, "barcode_price"), f"the price code {values['barcode_price']!r} is "
                              "not five digits", "write the currency digit and the price, e.g. \"51299\" for US$12.99 "
                              "or \"90000\" for no price", code="bad-value")
        changes["barcode_price"] = values["barcode_price"]
    if values.get("service"):
        changes["service"] = choice(path, "service", values["service"], tuple(SERVICES))
    if values.get("interior"):
        changes["interior"] = choice(path, "interior", values["interior"], INKS)
    if values.get("stores"):
        changes["stores"] = tuple(dict.fromkeys(choice(path, "stores", str(name), tuple(STORES))
                                                for name in values["stores"]))
    return replace(settings, **changes)


def choice(path: Path, key: str, value: str, choices: tuple[str, ...]) -> str:
    """``value`` if it is one of ``choices``; else an error suggesting the closest."""
    if value in choices:
        return value
    close = difflib.get_close_matches(value, choices, n=1)
    raise ConfigError(key_location(path, key), f"'output.{key}' cannot be {value!r}",
                      f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(map(repr, choices))}",
                      code="bad-value")


def parse_bleed(text: str, where: Location) -> str:
    """A CSS length no wider than WeasyPrint can record in the PDF's BleedBox."""
    if not LENGTH.match(text.strip()) or points(text.strip()) > MAX_BLEED_PT:
        raise ConfigError(where, f"cannot use the bleed '{text}'",
                          f"give one length up to {MAX_BLEED_PT:g}pt, e.g. \"0.125in\" or \"3mm\" (\"0pt\" for none)",
                          code="bad-value")
    return text.strip()


def parse_size(text: str, where: Location) -> tuple[str, str]:
    """'A5', 'letter' or 'WIDTH HEIGHT' in in/mm/cm/pt -> two CSS lengths."""
    named = PAPER_SIZES.get(text.strip().lower())
    if named:
        return named
    parts = text.split()
    if len(parts) == 2 and all(LENGTH.match(p) for p in parts):
        if not all(MIN_TRIM_PT <= points(p) <= MAX_TRIM_PT for p in parts):
            raise ConfigError(where, f"the size '{text}' is not a book's page",
                              f"give a width and height from {MIN_TRIM_PT / 72:g}in to {MAX_TRIM_PT / 72:g}in, "
                              "e.g. \"6in 9in\"", code="bad-value")
        return parts[0], parts[1]
    raise ConfigError(where, f"cannot read the size '{text}'",
                      "write a name (A5, A4, Letter) or two lengths, e.g. \"6in 9in\" or \"148mm 210mm\"",
                      code="bad-value")
