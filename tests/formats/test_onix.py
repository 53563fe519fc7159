"""The ONIX 3.0 record (issue 26, point 3): valid against EDItEUR's XSD (onixcheck, offline), every
field read back equal to book.toml's or the print layout's, the same bytes from run to run, and
[trade] checked as ONIX takes it; the series in the EPUB and on the title page."""

from __future__ import annotations

import shutil
import zipfile

import onixcheck
import pytest
from conftest import ROOT
from lxml import etree

from bookbuilder.checks import Subject
from bookbuilder.checks.onix import check_onix
from bookbuilder.errors import ConfigError
from bookbuilder.formats import FORMATS
from bookbuilder.notices import Notices
from bookbuilder.pipeline import build
from bookbuilder.theme import Theme

O = {"o": "http://ns.editeur.org/onix/3.0/reference"}
TRADE = '''
[trade]
bisac = ["POL011000", "HIS037080"]
thema = ["JPSL"]
audience = "college"

[[trade.prices]]
edition = "print"
amount = "12.99"
currency = "USD"
territory = "WORLD"

[[trade.prices]]
edition = "epub"
amount = "4.99"
currency = "GBP"
territory = "GB IE"
'''
BOOK = {"isbn_print": "978-0-306-40615-7", "isbn_epub": "978-1-86197-876-9", "series": "Conversations",
        "series_number": 2}


def trade_book(tmp_path, trade: str = TRADE, barcode: str = "51299"):
    book = shutil.copytree(ROOT / "book", tmp_path / "book")
    shutil.copytree(ROOT / "images", book / "images", dirs_exist_ok=True)
    toml = book / "book.toml"
    text = toml.read_text().replace("[output]\n", f'[output]\nbarcode_price = "{barcode}"\n' if barcode else "[output]\n")
    extra = "".join(f'{key} = "{value}"\n' if isinstance(value, str) else f"{key} = {value}\n"
                    for key, value in BOOK.items())
    toml.write_text(text.replace("[book]\n", "[book]\n" + extra, 1) + trade)
    return book


@pytest.fixture(scope="module")
def record(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("onix")
    book = trade_book(tmp)
    outputs = {o.format: o.path for o in build(book, ["onix", "print", "epub"], tmp / "out")}
    return book, outputs


def test_the_record_is_valid_onix_3(record):
    _, outputs = record
    assert onixcheck.validate(str(outputs["onix"])) == []


def test_every_field_reads_back_as_its_source(record):
    import tomllib

    import pikepdf

    book, outputs = record
    source = tomllib.loads((book / "book.toml").read_text())
    root = etree.parse(str(outputs["onix"])).getroot()
    text = lambda item, path: item.xpath(f"string({path})", namespaces=O)  # noqa: E731
    products = root.findall("o:Product", O)
    assert [text(p, "o:ProductIdentifier/o:IDValue") for p in products] == ["9780306406157", "9781861978769"]
    with pikepdf.open(outputs["print"]) as pdf:
        pages = len(pdf.pages)
    for product, form in zip(products, ("BC", "ED")):
        detail = "o:DescriptiveDetail/"
        assert text(product, detail + "o:ProductForm") == form
        assert text(product, detail + "o:TitleDetail/o:TitleElement/o:TitleText") == source["book"]["title"]
        assert text(product, detail + "o:TitleDetail/o:TitleElement/o:Subtitle") == source["book"]["subtitle"]
        people = [(text(c, "o:PersonName"), text(c, "o:ContributorRole")) for c in product.xpath(detail + "o:Contributor", namespaces=O)]
        assert people == [("Timur Shaymergenov", "A44"), ("Zhang Shuo", "A43")]
        assert text(product, detail + "o:Collection/o:TitleDetail/o:TitleElement/o:TitleText") == "Conversations"
        assert text(product, detail + "o:Collection/o:TitleDetail/o:TitleElement/o:PartNumber") == "2"
        assert text(product, detail + "o:Language/o:LanguageCode") == "eng"
        assert text(product, detail + "o:Extent/o:ExtentValue") == str(pages)
        codes = product.xpath(detail + "o:Subject[o:SubjectSchemeIdentifier='10']/o:SubjectCode/text()", namespaces=O)
        assert codes == source["trade"]["bisac"]
        assert product.xpath(detail + "o:Subject[o:SubjectSchemeIdentifier='93']/o:SubjectCode/text()", namespaces=O) == ["JPSL"]
        assert text(product, detail + "o:Subject[o:SubjectSchemeIdentifier='20']/o:SubjectHeadingText") == \
            "; ".join(source["book"]["subjects"])
        assert text(product, detail + "o:AudienceCode") == "05"
        assert text(product, "o:CollateralDetail/o:TextContent/o:Text") == source["book"]["description"]
        assert text(product, "o:PublishingDetail/o:Publisher/o:PublisherName") == source["book"]["publisher"]
        assert text(product, "o:PublishingDetail/o:PublishingDate/o:Date") == \
            (source["book"].get("edition_date") or source["book"]["date"]).strftime("%Y%m%d")
    print_, epub = products
    assert [text(print_, "o:DescriptiveDetail/o:Measure[o:MeasureType='0%d']/o:Measurement" % n) for n in (1, 2)] == ["229", "152"]
    assert text(print_, "o:ProductSupply/o:SupplyDetail/o:Price/o:PriceAmount") == "12.99"
    assert text(epub, "o:ProductSupply/o:Market/o:Territory/o:CountriesIncluded") == "GB IE"
    assert text(epub, "o:ProductSupply/o:SupplyDetail/o:Price/o:CurrencyCode") == "GBP"
    features = set(epub.xpath("o:DescriptiveDetail/o:ProductFormFeature/o:ProductFormFeatureValue/text()", namespaces=O))
    assert {"11", "13", "14", "19", "22"} <= features  # what the EPUB states: contents, order, alt text, pages, languages
    with zipfile.ZipFile(outputs["epub"]) as z:
        opf = z.read("EPUB/content.opf").decode()
        assert "alternativeText" in opf and "pageNavigation" in opf
        assert 'property="belongs-to-collection" id="series">Conversations<' in opf
        assert ">2</meta>" in opf and "Conversations · Book 2" in z.read("EPUB/titlepage.xhtml").decode()


def test_the_record_is_the_same_bytes_and_dated_by_the_build(record, tmp_path, monkeypatch):
    book, outputs = record
    [again] = build(book, ["onix"], tmp_path, force=True)
    assert again.path.read_bytes() == outputs["onix"].read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    [dated] = build(book, ["onix"], tmp_path / "dated")
    assert b"<SentDateTime>20231114T221320</SentDateTime>" in dated.path.read_bytes()


def test_the_check_reports_a_record_the_schema_refuses(record, tmp_path):
    _, outputs = record
    broken = tmp_path / "broken-onix.xml"
    broken.write_bytes(outputs["onix"].read_bytes().replace(b"<NotificationType>03</NotificationType>", b"", 1))
    notices = Notices()
    said = check_onix(Subject(FORMATS["onix"], None, Theme.defaults(), path=broken, notices=notices))
    assert said != "ONIX 3.0 schema: 0 messages" and {n.code for n in notices} == {"onix-schema"}


@pytest.mark.parametrize("trade, barcode, problem", [
    ('[trade]\nbisac = ["POLITICS"]\n', "", "is not a BISAC code"),
    ('[trade]\naudience = "everyone"\n', "", "'trade.audience' cannot be 'everyone'"),
    (TRADE, "51499", "is not the one the barcode prints (51499: 14.99 USD)"),
    (TRADE.replace('"WORLD"', '"Europe"'), "51299", "is not WORLD or country codes"),
])
def test_trade_values_are_checked_as_onix_takes_them(tmp_path, trade, barcode, problem):
    book = trade_book(tmp_path, trade, barcode)
    with pytest.raises(ConfigError) as caught:
        build(book, ["onix"], tmp_path / "out")
    assert problem in caught.value.problem and caught.value.code == "bad-value"
