"""Completing WeasyPrint's PDF/A-3b output so that it is also identified as PDF/UA-1.

WeasyPrint writes one variant's identification; PDF/UA-1 needs `pdfuaid:part` in the same XMP
packet, declared through a PDF/A extension schema (pdfuaid is not a predefined PDF/A schema).
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
for prefix, uri in {
    "pdfuaid": PDFUAID,
    "pdfaExtension": EXTENSION,
    "pdfaSchema": SCHEMA,
    "pdfaProperty": PROPERTY,
}.items():
    register_namespace(prefix, uri)

XPACKET_HEAD = b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
XPACKET_TAIL = b'</x:xmpmeta>\n<?xpacket end="r"?>'


def accessible_archival_xmp(rdf_bytes: bytes, language: str, relations: tuple[str, ...] = ()) -> bytes:
    """WeasyPrint's PDF/A-3b RDF plus the PDF/UA-1 identification, its schema, dc:language and
    dc:relation (the identifiers of the text's other language versions)."""
    rdf = fromstring(rdf_bytes)
    _describe(rdf).set(f"{{{PDFUAID}}}part", "1")
    languages = SubElement(SubElement(_describe(rdf), f"{{{DC}}}language"), f"{{{RDF}}}Bag")
    SubElement(languages, f"{{{RDF}}}li").text = language
    if relations:
        related = SubElement(SubElement(_describe(rdf), f"{{{DC}}}relation"), f"{{{RDF}}}Bag")
        for relation in relations:
            SubElement(related, f"{{{RDF}}}li").text = relation
    schemas = SubElement(SubElement(_describe(rdf), f"{{{EXTENSION}}}schemas"), f"{{{RDF}}}Bag")
    schema = _resource(SubElement(schemas, f"{{{RDF}}}li"))
    for name, value in (
        ("schema", "PDF/UA Universal Accessibility Schema"),
        ("namespaceURI", PDFUAID),
        ("prefix", "pdfuaid"),
    ):
        SubElement(schema, f"{{{SCHEMA}}}{name}").text = value
    properties = SubElement(SubElement(schema, f"{{{SCHEMA}}}property"), f"{{{RDF}}}Seq")
    part = _resource(SubElement(properties, f"{{{RDF}}}li"))
    for name, value in (
        ("name", "part"),
        ("valueType", "Integer"),
        ("category", "internal"),
        ("description", "Part of ISO 14289 to which the file conforms"),
    ):
        SubElement(part, f"{{{PROPERTY}}}{name}").text = value
    body: bytes = tostring(rdf, encoding="utf-8", xml_declaration=False)
    return XPACKET_HEAD + body + XPACKET_TAIL


def finish(document: Any, pdf: Any, language: str, relations: tuple[str, ...] = ()) -> None:
    """WeasyPrint finisher: complete the XMP packet and list each associated file once in /AF."""
    metadata = pdf.objects[int(pdf.catalog["Metadata"].split()[0])]
    rdf = document.metadata.generate_rdf_metadata("a", 3, "B")
    metadata.stream = [accessible_archival_xmp(rdf, language, relations)]
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)


def _describe(rdf: Element) -> Element:
    description = SubElement(rdf, f"{{{RDF}}}Description")
    description.set(f"{{{RDF}}}about", "")
    return description


def _resource(element: Element) -> Element:
    element.set(f"{{{RDF}}}parseType", "Resource")
    return element
