"""The Akoma Ntoso edition: valid by the OASIS schema, byte-stable, named by FRBR URIs, and
carrying the HTML edition's permalinks as eIds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.etree
import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.frbr import FrbrError, FrbrUri
from pipeline.model import Document, TextType
from pipeline.renderers.akn import NAMESPACE, AknRenderer
from pipeline.renderers.html import HtmlRenderer
from tests.conftest import TEXTS
from tests.validators import akn_xsd

AKN = {"a": NAMESPACE}
SCHEMA = akn_xsd()


def render(document: Document) -> bytes:
    return AknRenderer(Config()).render(document)


def parsed(data: bytes) -> lxml.etree._Element:
    return lxml.etree.fromstring(data, lxml.etree.XMLParser(resolve_entities=False, no_network=True))


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem for t in TEXTS])
def test_every_text_is_valid_akoma_ntoso_and_byte_stable(text: Path) -> None:
    data = render(load(text))
    assert SCHEMA.validate(parsed(data)), [str(e) for e in SCHEMA.error_log]
    assert render(load(text)) == data


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem for t in TEXTS])
def test_eids_are_the_html_permalinks(text: Path) -> None:
    document = load(text)
    root = parsed(render(document))
    html = HtmlRenderer(Config()).render(document).decode()
    # the text's own structure: paragraphs, quotes, tables, notes, appendices
    html_ids = set(re.findall(r' id="((?:[a-z0-9-]+-)?(?:p|para|quote|table)-[0-9a-z-]+|fn-\d+)"', html))
    html_ids |= {s.id for s in document.sections if s.heading}
    akn_ids = set(root.xpath("//a:mainBody//@eId | //a:preface//@eId | //a:attachment/@eId", namespaces=AKN))
    assert akn_ids == html_ids


def test_the_seed_is_a_statement_named_by_its_type_with_frbr_identity() -> None:
    root = parsed(render(load(TEXTS[0])))
    statement = root.find("a:statement", AKN)
    assert statement is not None and statement.get("name") == "recommendation"
    work = "/akn/coe/statement/deliberation/pace/2003/rec-1607"

    def value(path: str) -> str:
        return str(root.xpath(f"string(//a:statement/a:meta/a:identification/{path})", namespaces=AKN))

    assert value("a:FRBRWork/a:FRBRuri/@value") == work
    assert value("a:FRBRExpression/a:FRBRuri/@value") == f"{work}/eng@2003-06-24"
    assert value("a:FRBRManifestation/a:FRBRuri/@value") == f"{work}/eng@2003-06-24/!main.xml"
    assert value("a:FRBRExpression/a:FRBRlanguage/@language") == "eng"
    events = root.xpath("//a:lifecycle/a:eventRef/@date", namespaces=AKN)
    assert events == ["2003-06-24", "2003-06-24"]  # the debate and the adoption
    people = root.xpath("//a:references/a:TLCPerson/@showAs", namespaces=AKN)
    assert people == ["Mr Wilkinson"]
    refs = root.xpath("//a:mainBody//a:ref/@href", namespaces=AKN)
    assert "/akn/coe/statement/deliberation/pace/1994/rec-1253" in refs
    notes = root.xpath("//a:preface//a:authorialNote/a:p", namespaces=AKN)
    assert "".join(notes[0].itertext()).startswith("Assembly debate on 24 June 2003 (19th Sitting)")


def test_an_unofficial_translation_says_so_and_names_its_other_version() -> None:
    french = next(t for t in TEXTS if t.name == "recommendation-1607-2003.fr.md")
    document = load(french)
    root = parsed(render(document))
    assert root.xpath("string(//a:FRBRExpression/a:FRBRauthoritative/@value)", namespaces=AKN) == "false"
    assert root.xpath("string(//a:FRBRExpression/a:FRBRlanguage/@language)", namespaces=AKN) == "fra"


@pytest.mark.parametrize(
    "uri",
    [
        "/akn/coe/statement/deliberation/pace/2003/rec-1607",
        "/akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24",
        "/akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24/!main.xml",
        "/akn/coe/statement/deliberation/pace/2031/opi-9006/fra@2031-01-28/!appendix",
    ],
)
def test_frbr_uris_print_as_they_parse(uri: str) -> None:
    assert str(FrbrUri.parse(uri)) == uri


def test_frbr_uri_parts() -> None:
    uri = FrbrUri.parse("/akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24/!main.xml")
    assert (uri.type, uri.number, uri.year, uri.language) == (TextType.RECOMMENDATION, 1607, 2003, "eng")
    assert uri.date == dt.date(2003, 6, 24)
    assert uri.work == "/akn/coe/statement/deliberation/pace/2003/rec-1607"
    assert uri.manifestation == uri.expression + "/!main.xml"


@pytest.mark.parametrize(
    ("uri", "message"),
    [
        ("/akn/za/act/2009/1", "it must start with /akn/coe/statement/deliberation/pace/"),
        ("/akn/coe/statement/deliberation/pace/03/rec-1607", "four digits), not '03'"),
        ("/akn/coe/statement/deliberation/pace/2003/law-1607", "not 'law-1607'"),
        ("/akn/coe/statement/deliberation/pace/2003/rec-1607/en@2003-06-24", "language@YYYY-MM-DD"),
        ("/akn/coe/statement/deliberation/pace/2003/rec-1607/xxx@2003-06-24", "unknown language code 'xxx'"),
        ("/akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-02-30", "2003-02-30 is not a date"),
        ("/akn/coe/statement/deliberation/pace/2003/rec-1607/!main", "belongs to an expression"),
        ("/akn/coe/statement/deliberation/pace/2003", "expected the year and the number"),
    ],
)
def test_frbr_uri_errors_name_the_wrong_part(uri: str, message: str) -> None:
    with pytest.raises(FrbrError) as caught:
        FrbrUri.parse(uri)
    assert message in str(caught.value)
    assert repr(uri) in str(caught.value)
