"""The book's ONIX 3.0 record: what retailers, libraries and distributors take for each edition, one
<Product> per edition (the paperback, the EPUB), from book.toml and the print layout (its page count
and trim). Code lists are EDItEUR's (ONIX 3.0): 5 product identifiers, 15 title types, 17
contributor roles, 26 subject schemes, 28 audiences, 150 product forms, 196 accessibility details.
The accessibility features are those the EPUB states (formats/accessibility.py), so the two never
disagree. SentDateTime is the build's timestamp: two builds write the same bytes. 'make-book check'
validates the record against EDItEUR's XSD, offline (onixcheck ships the schemas; checks/onix.py).
"""

from __future__ import annotations

from lxml import etree

from ..manuscript.config import AUDIENCES
from ..model import Book
from ..printing import LENGTH, POINTS
from .accessibility import accessibility
from .context import Context

NS = "http://ns.editeur.org/onix/3.0/reference"
ROLES = {"author": "A01", "interviewee": "A44", "interviewer": "A43", "editor": "B01", "translator": "B06",
         "photographer": "A13", "illustrator": "A12"}  # code list 17
LANGUAGES = {"en": "eng", "de": "ger", "fr": "fre", "es": "spa", "it": "ita", "pt": "por", "ru": "rus", "kk": "kaz",
             "zh": "chi", "ja": "jpn", "ar": "ara", "ko": "kor", "nl": "dut", "pl": "pol", "uk": "ukr", "tr": "tur"}
# What the EPUB states (schema:accessibilityFeature) as code list 196.
FEATURES = {"tableOfContents": "11", "readingOrder": "13", "alternativeText": "14", "pageNavigation": "19",
            "ARIA": "30", "displayTransformability": "36"}
EDITIONS = {"print": ("isbn_print", "BC", None), "epub": ("isbn_epub", "ED", "E101")}  # form, detail: list 150/175


def write_onix(book: Book, ctx: Context) -> bytes:
    root = etree.Element(f"{{{NS}}}ONIXMessage", nsmap={None: NS}, release="3.0")
    header = sub(root, "Header")
    sub(sub(header, "Sender"), "SenderName", sender(book))
    sub(header, "SentDateTime", ctx.timestamp.strftime("%Y%m%dT%H%M%S"))
    for edition in EDITIONS:
        product(root, book, ctx, edition)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def sender(book: Book) -> str:
    """Who sends the record and supplies the book: the publisher, else the first contributor."""
    return book.metadata.publisher or next((c.name for c in book.metadata.contributors), book.metadata.title)


def names(book: Book) -> list[tuple[str, str, str]]:
    """(role code, name, inverted name) of each contributor, in book.toml's order."""
    return [(ROLES.get(c.role, "A01"), c.name, c.sort_as) for c in book.metadata.contributors]


def sub(parent: etree._Element, tag: str, text: str | None = None, **attributes) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NS}}}{tag}", **attributes)
    if text is not None:
        element.text = text
    return element


def product(root: etree._Element, book: Book, ctx: Context, edition: str) -> None:
    meta, trade = book.metadata, book.metadata.trade
    key, form, detail = EDITIONS[edition]
    isbn = getattr(meta, key).replace("-", "")
    item = sub(root, "Product")
    sub(item, "RecordReference", f"{meta.identifier}#{edition}")
    sub(item, "NotificationType", "03")
    identifier(item, isbn, meta.identifier)
    described = sub(item, "DescriptiveDetail")
    sub(described, "ProductComposition", "00")
    sub(described, "ProductForm", form)
    if detail:
        sub(described, "ProductFormDetail", detail)
        for code in accessibility_codes(book, ctx):
            feature = sub(described, "ProductFormFeature")
            sub(feature, "ProductFormFeatureType", "09")
            sub(feature, "ProductFormFeatureValue", code)
        summary = sub(described, "ProductFormFeature")
        sub(summary, "ProductFormFeatureType", "09")
        sub(summary, "ProductFormFeatureValue", "00")
        sub(summary, "ProductFormFeatureDescription", accessibility(book, page_labels(ctx)).summary)
    else:
        for measure, size in (("01", book.settings.trim[1]), ("02", book.settings.trim[0])):
            element = sub(described, "Measure")
            sub(element, "MeasureType", measure)
            sub(element, "Measurement", f"{millimetres(size):.0f}")
            sub(element, "MeasureUnitCode", "mm")
    if meta.series:
        collection = sub(described, "Collection")
        sub(collection, "CollectionType", "10")  # the publisher's series
        title_detail(collection, "02", meta.series, number=meta.series_number)
    else:
        sub(described, "NoCollection")
    title_detail(described, "01", meta.title, subtitle=meta.subtitle)
    for n, (role, name, inverted) in enumerate(names(book), 1):
        person = sub(described, "Contributor")
        sub(person, "SequenceNumber", str(n))
        sub(person, "ContributorRole", role)
        sub(person, "PersonName", name)
        sub(person, "PersonNameInverted", inverted)
    language = sub(described, "Language")
    sub(language, "LanguageRole", "01")
    sub(language, "LanguageCode", LANGUAGES.get(meta.language.split("-")[0].lower(), "und"))
    extent = sub(described, "Extent")
    sub(extent, "ExtentType", "00")
    sub(extent, "ExtentValue", str(ctx.layout.pages))
    sub(extent, "ExtentUnit", "03")
    subjects(described, meta.subjects, trade.bisac if trade else (), trade.thema if trade else ())
    sub(described, "AudienceCode", AUDIENCES[trade.audience if trade else "general"])
    if meta.description:
        text = sub(sub(item, "CollateralDetail"), "TextContent")
        sub(text, "TextType", "03")
        sub(text, "ContentAudience", "00")
        sub(text, "Text", meta.description)
    publishing = sub(item, "PublishingDetail")
    if meta.publisher:
        publisher = sub(publishing, "Publisher")
        sub(publisher, "PublishingRole", "01")
        sub(publisher, "PublisherName", meta.publisher)
    sub(publishing, "PublishingStatus", "04")
    date = sub(publishing, "PublishingDate")
    sub(date, "PublishingDateRole", "01")
    sub(date, "Date", meta.modified.strftime("%Y%m%d"))
    other = getattr(meta, EDITIONS["epub" if edition == "print" else "print"][0]).replace("-", "")
    if other:
        related = sub(sub(item, "RelatedMaterial"), "RelatedProduct")
        sub(related, "ProductRelationCode", "06")  # the same work in another form
        identifier(related, other, "")
    for price in (p for p in (trade.prices if trade else ()) if p.edition == edition):
        supply = sub(item, "ProductSupply")
        territory = sub(sub(supply, "Market"), "Territory")
        if price.territory == "WORLD":
            sub(territory, "RegionsIncluded", "WORLD")
        else:
            sub(territory, "CountriesIncluded", price.territory)
        supplying = sub(supply, "SupplyDetail")
        supplier = sub(supplying, "Supplier")
        sub(supplier, "SupplierRole", "01")
        sub(supplier, "SupplierName", sender(book))
        sub(supplying, "ProductAvailability", "20")
        amount = sub(supplying, "Price")
        sub(amount, "PriceType", "02" if price.edition == "epub" else "01")
        sub(amount, "PriceAmount", price.amount)
        sub(amount, "CurrencyCode", price.currency)


def title_detail(parent: etree._Element, level: str, text: str, subtitle: str = "", number: int = 0) -> None:
    """A distinctive title (type 01) at ``level`` (01: the product, 02: its collection)."""
    detail = sub(parent, "TitleDetail")
    sub(detail, "TitleType", "01")
    element = sub(detail, "TitleElement")
    sub(element, "TitleElementLevel", level)
    if number:
        sub(element, "PartNumber", str(number))
    sub(element, "TitleText", text)
    if subtitle:
        sub(element, "Subtitle", subtitle)


def identifier(parent: etree._Element, isbn: str, fallback: str) -> None:
    """The edition's ISBN-13 (code 15), else the book's own identifier (code 01, proprietary)."""
    element = sub(parent, "ProductIdentifier")
    if isbn:
        sub(element, "ProductIDType", "15")
        sub(element, "IDValue", isbn)
    else:
        sub(element, "ProductIDType", "01")
        sub(element, "IDTypeName", "book.toml identifier")
        sub(element, "IDValue", fallback)


def subjects(parent: etree._Element, keywords: tuple[str, ...], bisac: tuple[str, ...], thema: tuple[str, ...]) -> None:
    """BISAC (scheme 10) and Thema (93) codes, the first of each the main subject; the free-text
    subjects as keywords (20), as the EPUB's dc:subject has them."""
    for scheme, codes in (("10", bisac), ("93", thema)):
        for n, code in enumerate(codes):
            subject = sub(parent, "Subject")
            if n == 0:
                sub(subject, "MainSubject")
            sub(subject, "SubjectSchemeIdentifier", scheme)
            sub(subject, "SubjectCode", code)
    if keywords:
        subject = sub(parent, "Subject")
        sub(subject, "SubjectSchemeIdentifier", "20")
        sub(subject, "SubjectHeadingText", "; ".join(keywords))


def accessibility_codes(book: Book, ctx: Context) -> list[str]:
    """Code list 196 for what the EPUB's accessibility metadata states."""
    facts = accessibility(book, page_labels(ctx))
    return sorted({FEATURES[f] for f in facts.features if f in FEATURES} | {"22"})  # 22: language tagging provided


def page_labels(ctx: Context) -> tuple[str, ...]:
    """The printed folios, as the EPUB's page list gives them."""
    return tuple(start.label for start in ctx.layout.starts)


def millimetres(length: str) -> float:
    """A trim length as book.toml gives it ('6in', '148mm') in millimetres."""
    number, unit = LENGTH.match(length).groups()
    return float(number) * POINTS[unit] * 25.4 / 72
