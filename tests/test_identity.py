"""Every edition of every text names the Akoma Ntoso work and expression its AKN edition names
(issue 20, item 5): one identity, read back from each file as its readers see it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pikepdf
import pytest

from tests.conftest import TEXTS

AKN = {"a": "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"}
OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
ELI = "http://data.europa.eu/eli/ontology#"
ADOPTED = "tag:coe.int,2026:pace/adopted-texts/xmp/"
XMP_SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
STEMS = [text.name.removesuffix(".md") for text in TEXTS]


def akn_identity(editions: Path, stem: str) -> tuple[str, str]:
    root = lxml.etree.parse(str(editions / f"{stem}.akn.xml"))
    identification = "/a:akomaNtoso/a:statement/a:meta/a:identification"  # not its attachments'
    [work] = root.xpath(f"{identification}/a:FRBRWork/a:FRBRuri/@value", namespaces=AKN)
    [expression] = root.xpath(f"{identification}/a:FRBRExpression/a:FRBRuri/@value", namespaces=AKN)
    return str(work), str(expression)


def html_identity(editions: Path, stem: str) -> tuple[str, str]:
    """The ELI statements of the page's head (RDFa: about, property, content or href)."""
    page = lxml.html.fromstring((editions / f"{stem}.html").read_bytes())
    assert page.get("prefix") == f"eli: {ELI}"
    statements = {
        (element.get("about"), element.get("property")): element.get("content") or element.get("href")
        for element in page.xpath("//head/*[starts-with(@property, 'eli:')]")
    }
    [(work, _)] = [key for key in statements if key[1] == "eli:is_realized_by"]
    expression = statements[(work, "eli:is_realized_by")]
    assert statements == {
        (work, "eli:id_local"): work,
        (work, "eli:is_realized_by"): expression,
        (expression, "eli:id_local"): expression,
        (expression, "eli:realizes"): work,
    }
    [akn] = page.xpath("//head/link[@rel='alternate'][@type='application/akn+xml']/@href")
    assert akn == f"{stem}.akn.xml"
    return str(work), str(expression)


def epub_identifiers(editions: Path, stem: str) -> list[str]:
    with zipfile.ZipFile(editions / f"{stem}.epub") as epub:
        opf = lxml.etree.fromstring(epub.read("EPUB/content.opf"))
    unique = opf.get("unique-identifier")
    [own] = opf.xpath("//dc:identifier[@id=$id]/text()", id=unique, namespaces=OPF)
    assert own.startswith("tag:"), "the package's own identifier stays its unique-identifier"
    return [str(identifier) for identifier in opf.xpath("//dc:identifier/text()", namespaces=OPF)]


def pdf_identity(editions: Path, stem: str) -> tuple[str, str]:
    """The XMP packet's own properties, which PDF/A requires its extension schema to declare."""
    with pikepdf.open(editions / f"{stem}.pdf") as pdf:
        packet = pdf.Root.Metadata.read_bytes()
        xmp = pdf.open_metadata()
        work, expression = str(xmp[f"{{{ADOPTED}}}work"]), str(xmp[f"{{{ADOPTED}}}expression"])
    root = lxml.etree.fromstring(packet)
    declared = root.xpath(f"//*[local-name()='namespaceURI' and text()='{ADOPTED}']/..")
    assert len(declared) == 1, "the properties' schema is declared once"
    names = declared[0].xpath(".//*[local-name()='name']/text()")
    assert {"work", "expression"} <= set(names)
    assert all(t == "URI" for t in declared[0].xpath(".//*[local-name()='valueType']/text()")[-2:])
    assert declared[0].xpath(f"./*[namespace-uri()='{XMP_SCHEMA}' and local-name()='prefix']/text()") == ["adopted"]
    return work, expression


@pytest.mark.parametrize("stem", STEMS)
def test_every_edition_names_the_akn_editions_work_and_expression(editions: Path, stem: str) -> None:
    work, expression = akn_identity(editions, stem)
    assert expression.startswith(f"{work}/")
    assert html_identity(editions, stem) == (work, expression)
    assert epub_identifiers(editions, stem)[1:] == [work, expression]
    assert pdf_identity(editions, stem) == (work, expression)
