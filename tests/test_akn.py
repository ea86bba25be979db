"""The Akoma Ntoso edition: valid by the OASIS schema, byte-stable, named by FRBR URIs, and
carrying the HTML edition's permalinks as eIds."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import lxml.etree
import msgspec
import pikepdf
import pytest

from pipeline import cli, load
from pipeline.config import Config
from pipeline.frbr import FrbrError, FrbrUri
from pipeline.ingest import ingest_all
from pipeline.model import Document, TextType
from pipeline.renderers.akn import NAMESPACE, AknRenderer
from pipeline.renderers.html import HtmlRenderer
from pipeline.testing.corpus import generate
from tests.conftest import SEED, TEXTS
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
    assert "".join(notes[0].itertext()).startswith("Assembly debate on 24\u00a0June\u00a02003 (19th Sitting)")


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


# Reading back: source -> AKN -> source ------------------------------------------------------

GENERATED = 40  # texts of the synthetic corpus: sub-paragraphs, lettered items, notes, quotes, tables


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return generate(tmp_path_factory.mktemp("corpus"), GENERATED, seed=20)


def without_positions(node: object) -> object:
    """A model value without source line numbers and raw bytes, which a reading back cannot keep."""
    if isinstance(node, msgspec.Struct):
        return tuple(
            (name, without_positions(getattr(node, name)))
            for name in node.__struct_fields__
            if name not in ("line", "source")
        )
    if isinstance(node, tuple):
        return tuple(without_positions(item) for item in node)
    return node


def round_trip(text: Path, folder: Path) -> tuple[Document, Path]:
    document = load(text)
    edition = folder / f"{document.stem}.akn.xml"
    edition.write_bytes(render(document))
    out = folder / "sources"
    out.mkdir()
    [outcome] = ingest_all(edition, out, Config())
    assert outcome.written, [str(p) for p in outcome.problems]
    return document, outcome.written[0]


@pytest.mark.parametrize("text", TEXTS, ids=[t.stem for t in TEXTS])
def test_source_to_akn_to_source_is_the_identity(text: Path, tmp_path: Path) -> None:
    document, written = round_trip(text, tmp_path)
    assert written.name == text.name
    assert without_positions(load(written)) == without_positions(document)
    # the source written back is a fixed point: its AKN is the same bytes
    assert render(load(written)) == render(document)


def test_generated_texts_are_valid_and_read_back_identical(generated: list[Path], tmp_path: Path) -> None:
    for index, text in enumerate(generated):
        document = load(text)
        assert SCHEMA.validate(parsed(render(document))), (text.name, [str(e) for e in SCHEMA.error_log])
        folder = tmp_path / str(index)
        folder.mkdir()
        _, written = round_trip(text, folder)
        assert without_positions(load(written)) == without_positions(document), text.name


def test_the_generated_corpus_has_what_the_round_trip_must_keep(generated: list[Path]) -> None:
    sources = "\n".join(text.read_text(encoding="utf-8") for text in generated)
    for needle in ("[^", "\n> ", "\n| ", "\n## ", "\na. "):
        assert needle in sources, needle


def test_markup_characters_in_the_text_read_back_as_themselves(tmp_path: Path) -> None:
    words = "In *the* **current** [context](https://example.int/a_(b)) of 2 < 3 & R&amp;D, a_b_c `x` \\\\ #1 \\[y]"
    source = SEED.read_text(encoding="utf-8").replace("1. In the current context", "1. " + words, 1)
    source = source.replace("\n5. Consistent", "\n5\\. stays text: # no heading\n\n5. Consistent", 1)
    (tmp_path / "in").mkdir()
    text = tmp_path / "in" / SEED.name
    text.write_text(source, encoding="utf-8")
    document, written = round_trip(text, tmp_path)
    assert without_positions(load(written)) == without_positions(document)
    assert "\n5\\. stays text: # no heading\n" in written.read_text(encoding="utf-8")


def test_cli_ingests_an_akn_edition_and_the_copy_in_the_pdf(tmp_path: Path) -> None:
    assert cli.main(["build", str(SEED), "--format", "akn,pdf", "--out", str(tmp_path / "out"), "-j", "1"]) == 0
    with pikepdf.open(tmp_path / "out" / f"{SEED.stem}.pdf") as pdf:
        carried = pdf.attachments[f"{SEED.stem}.akn.xml"].get_file().read_bytes()
    assert carried == (tmp_path / "out" / f"{SEED.stem}.akn.xml").read_bytes()
    (tmp_path / "from-pdf.akn.xml").write_bytes(carried)
    for name, target in ((f"out/{SEED.stem}.akn.xml", "a"), ("from-pdf.akn.xml", "b")):
        (tmp_path / target).mkdir()
        assert cli.main(["ingest", str(tmp_path / name), "-o", str(tmp_path / target)]) == 0
        assert without_positions(load(tmp_path / target / SEED.name)) == without_positions(load(SEED))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<akomaNtoso", "not well-formed XML"),
        (b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', "declares a DTD or entities"),
        (b"<act xmlns='http://docs.oasis-open.org/legaldocml/ns/akn/3.0'/>", "not an Akoma Ntoso 3.0 statement"),
    ],
)
def test_what_is_not_an_akn_statement_is_refused_with_its_reason(data: bytes, message: str, tmp_path: Path) -> None:
    raw = tmp_path / "x.akn"
    raw.write_bytes(data)
    [outcome] = ingest_all(raw, tmp_path, Config())
    assert not outcome.written
    assert any(message in problem.message for problem in outcome.problems)
