"""Completing WeasyPrint's PDF/A-3b output so that it is also identified as PDF/UA-1.

WeasyPrint writes one variant's identification; PDF/UA-1 needs `pdfuaid:part` in the same XMP
packet, declared through a PDF/A extension schema (pdfuaid is not a predefined PDF/A schema).
The packet is completed through WeasyPrint's documented hook, an override of
`DocumentMetadata.generate_rdf_metadata` (WeasyPrint 68+), on the laid-out document's metadata.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any
from xml.etree.ElementTree import Element, SubElement, fromstring, register_namespace, tostring

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
PDFUAID = "http://www.aiim.org/pdfua/ns/id/"
EXTENSION = "http://www.aiim.org/pdfa/ns/extension/"
SCHEMA = "http://www.aiim.org/pdfa/ns/schema#"
PROPERTY = "http://www.aiim.org/pdfa/ns/property#"
# The lifecycle of the text (no predefined PDF/A schema says whether a version is provisional):
# an extension schema of our own, declared in the packet as PDF/A requires.
ADOPTED = "tag:coe.int,2026:pace/adopted-texts/xmp/"
for prefix, uri in {
    "adopted": ADOPTED,
    "pdfuaid": PDFUAID,
    "pdfaExtension": EXTENSION,
    "pdfaSchema": SCHEMA,
    "pdfaProperty": PROPERTY,
}.items():
    register_namespace(prefix, uri)


@dataclass(frozen=True)
class Version:
    """Which version of the text a file is: a final version and the provisional one before it
    differ in status and date, so that an archive can tell them apart by their metadata."""

    status: str  # "provisional" or "final"
    date: str  # YYYY-MM-DD, the day this version was issued


@dataclass(frozen=True)
class Identity:
    """The Akoma Ntoso FRBR work and expression the text is (issue 20): the same URIs as its AKN
    edition, its web page and its EPUB. Our own properties, because XMP's dc:identifier holds one
    value and stays the file's own identifier."""

    work: str
    expression: str


@dataclass(frozen=True)
class Description:
    """What the XMP packet says beyond WeasyPrint's own fields."""

    language: str
    relations: tuple[str, ...] = ()  # the identifiers of the text's other language versions
    version: Version | None = None
    identity: Identity | None = None


def archival_metadata(metadata: Any, description: Description) -> Any:
    """WeasyPrint's `metadata` (a DocumentMetadata) as one whose XMP packet also identifies the
    file as PDF/UA-1 and carries `description`: set it on the laid-out document before write_pdf."""
    archival = _archival_metadata_type()(**vars(metadata))
    archival.archival = description  # not `description`: WeasyPrint's own field (the dc:description)
    return archival


@cache
def _archival_metadata_type() -> type:
    from weasyprint.pdf.metadata import DocumentMetadata  # imported with WeasyPrint, only for PDFs

    class ArchivalMetadata(DocumentMetadata):  # type: ignore[misc]
        archival: Description

        def generate_rdf_metadata(self, variant: str, version: int, conformance: str) -> bytes:
            rdf = super().generate_rdf_metadata(variant, version, conformance)
            return accessible_archival_rdf(rdf, self.archival)

    return ArchivalMetadata


def accessible_archival_rdf(rdf_bytes: bytes, description: Description) -> bytes:
    """WeasyPrint's PDF/A-3b RDF plus the PDF/UA-1 identification, its schema, dc:language,
    dc:relation and the version."""
    language, relations, version = description.language, description.relations, description.version
    rdf = fromstring(rdf_bytes)
    _describe(rdf).set(f"{{{PDFUAID}}}part", "1")
    if version:
        described = _describe(rdf)
        described.set(f"{{{ADOPTED}}}status", version.status)
        described.set(f"{{{ADOPTED}}}versionDate", version.date)
    if description.identity:
        described = _describe(rdf)
        described.set(f"{{{ADOPTED}}}work", description.identity.work)
        described.set(f"{{{ADOPTED}}}expression", description.identity.expression)
    languages = SubElement(SubElement(_describe(rdf), f"{{{DC}}}language"), f"{{{RDF}}}Bag")
    SubElement(languages, f"{{{RDF}}}li").text = language
    if relations:
        related = SubElement(SubElement(_describe(rdf), f"{{{DC}}}relation"), f"{{{RDF}}}Bag")
        for relation in relations:
            SubElement(related, f"{{{RDF}}}li").text = relation
    schemas = SubElement(SubElement(_describe(rdf), f"{{{EXTENSION}}}schemas"), f"{{{RDF}}}Bag")
    _declare(
        schemas,
        "PDF/UA Universal Accessibility Schema",
        PDFUAID,
        "pdfuaid",
        [("part", "Integer", "internal", "Part of ISO 14289 to which the file conforms")],
    )
    fields: list[tuple[str, str, str, str]] = []
    if version:
        fields += [
            ("status", "Text", "external", "provisional or final"),
            ("versionDate", "Date", "external", "The day this version of the text was issued"),
        ]
    if description.identity:
        fields += [
            ("work", "URI", "external", "The Akoma Ntoso FRBR work URI of the text"),
            ("expression", "URI", "external", "The Akoma Ntoso FRBR expression URI of this language version"),
        ]
    if fields:
        _declare(schemas, "Adopted text version", ADOPTED, "adopted", fields)
    body: bytes = tostring(rdf, encoding="utf-8", xml_declaration=False)
    return body


def finish(document: Any, pdf: Any, version: Version | None = None) -> None:
    """WeasyPrint finisher: state the version in the Info dictionary too (the XMP packet says it
    through archival_metadata), and list each associated file once in /AF."""
    if version:
        pdf.info["Status"] = pydyf.String(version.status)
        pdf.info["VersionDate"] = pydyf.String(version.date)
    if "AF" in pdf.catalog:
        unique = list(dict.fromkeys(pdf.catalog["AF"]))
        pdf.catalog["AF"].clear()
        pdf.catalog["AF"].extend(unique)
    soft_layout_hyphens(pdf)


# WeasyPrint draws the hyphens it adds at line ends as U+2010 (the source's own U+2010 become
# hyphen-minus, see typography.no_break_spaces), and its ToUnicode maps give them to readers as
# real characters: copied text and screen readers got "migra‐ tion". ISO 32000-1 (14.8.2.2.3,
# hyphenation) asks for a soft hyphen there: the glyph stays, its text becomes U+00AD, which the
# structure tree's readers drop when they join the word again.
# Poppler (pdftotext 22.12, and the viewers built on it) joins a word across a line only when the
# line ends with U+002D: it printed "proceed\u00ad" + newline + "ings". It reads a marked-content
# /ActualText before the font's map, so each layout hyphen is also drawn inside a /Span whose
# ActualText is "-": poppler then gives "proceedings"; readers of the ToUnicode maps (the
# structure tree, pdfminer) still get the soft hyphen.
LAYOUT_HYPHEN_TEXT = b" <2010>"
SOFT_HYPHEN_TEXT = b" <00ad>"
HYPHEN_ACTUAL_TEXT = b"/Span <</ActualText (-)>> BDC"
# A TJ whose last string ends with a glyph code, and the adjustment after it.
_LAST_GLYPHS = re.compile(rb"\[(?P<before>.*)<(?P<glyphs>[0-9a-f]+)>(?P<after>-?[0-9.]*)\] TJ", re.DOTALL)
_FONT = re.compile(rb"/(\S+) \S+ Tf")


def soft_layout_hyphens(pdf: Any) -> None:
    """Map every font's layout-hyphen glyph to U+00AD SOFT HYPHEN in its ToUnicode CMap, and
    give each drawn layout hyphen the ActualText "-" (see above)."""
    codes: dict[bytes, set[bytes]] = {}  # font object number -> the codes of its layout hyphen
    for font in pdf.objects:
        if not isinstance(font, dict) or font.get("Type") != "/Font" or "ToUnicode" not in font:
            continue
        cmap = pdf.objects[int(font["ToUnicode"].split()[0])]
        found = {line.split()[0] for line in cmap.stream if line.endswith(LAYOUT_HYPHEN_TEXT)}
        if found:
            codes[str(font.number).encode()] = found  # type: ignore[attr-defined]  # pydyf's object number
        cmap.stream = [
            line[: -len(LAYOUT_HYPHEN_TEXT)] + SOFT_HYPHEN_TEXT if line.endswith(LAYOUT_HYPHEN_TEXT) else line
            for line in cmap.stream
        ]
    by_name = _hyphen_codes_by_font_name(pdf, codes)
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and by_name:
            stream.stream = list(_marked_hyphens(stream.stream, by_name))


def _hyphen_codes_by_font_name(pdf: Any, codes: dict[bytes, set[bytes]]) -> dict[bytes, set[bytes]]:
    """The layout-hyphen codes of each font resource name the content streams select with Tf."""
    by_name: dict[bytes, set[bytes]] = {}
    for resources in pdf.objects:
        fonts = resources.get("Font") if isinstance(resources, dict) else None
        if isinstance(fonts, bytes):  # a reference
            fonts = pdf.objects[int(fonts.split()[0])]
        if isinstance(fonts, dict):
            for name, reference in fonts.items():
                number = reference.split()[0] if isinstance(reference, bytes) else b""
                if number in codes:
                    by_name.setdefault(name.encode() if isinstance(name, str) else name, set()).update(codes[number])
    return by_name


def _marked_hyphens(operations: list[Any], by_name: dict[bytes, set[bytes]]) -> Any:
    """The content stream's operations with each layout hyphen, which ends a line and so its
    TJ, drawn by a TJ of its own inside the ActualText span."""
    font = b""
    for operation in operations:
        if not isinstance(operation, bytes):
            yield operation
            continue
        # Most operations draw text without a layout hyphen at the end: a look at the end first.
        drawn = _LAST_GLYPHS.fullmatch(operation) if _may_end_with(operation, by_name.get(font, ())) else None
        hyphen = _hyphen_at_end(drawn, by_name.get(font, set())) if drawn else None
        if drawn and hyphen:
            glyphs = drawn.group("glyphs")[: -len(hyphen)]
            before = drawn.group("before") + (b"<" + glyphs + b">" if glyphs else b"")
            if before:
                yield b"[" + before + b"] TJ"
            yield from (HYPHEN_ACTUAL_TEXT, b"[<" + hyphen + b">" + drawn.group("after") + b"] TJ", b"EMC")
            continue
        selected = _FONT.fullmatch(operation) if operation.endswith(b" Tf") else None
        if selected:
            font = selected.group(1)
        yield operation


def _may_end_with(operation: bytes, codes: Iterable[bytes]) -> bool:
    """Whether a TJ's last glyph codes could end with one of `codes` ("<0a1f>" each)."""
    if not operation.endswith(b"] TJ"):
        return False
    last = operation.rfind(b">")
    return any(operation.endswith(code[1:-1], 0, last) for code in codes)


def _hyphen_at_end(drawn: re.Match[bytes], codes: set[bytes]) -> bytes | None:
    glyphs = drawn.group("glyphs")
    for code in codes:
        digits = code.strip(b"<>")
        if glyphs.endswith(digits) and (len(glyphs) - len(digits)) % len(digits) == 0:
            return digits
    return None


def _declare(schemas: Element, title: str, uri: str, prefix: str, fields: list[tuple[str, str, str, str]]) -> None:
    """A PDF/A extension schema: its namespace and each property's name, type and meaning."""
    schema = _resource(SubElement(schemas, f"{{{RDF}}}li"))
    for name, value in (("schema", title), ("namespaceURI", uri), ("prefix", prefix)):
        SubElement(schema, f"{{{SCHEMA}}}{name}").text = value
    properties = SubElement(SubElement(schema, f"{{{SCHEMA}}}property"), f"{{{RDF}}}Seq")
    for name, kind, category, description in fields:
        field = _resource(SubElement(properties, f"{{{RDF}}}li"))
        for key, value in (("name", name), ("valueType", kind), ("category", category), ("description", description)):
            SubElement(field, f"{{{PROPERTY}}}{key}").text = value


def _describe(rdf: Element) -> Element:
    description = SubElement(rdf, f"{{{RDF}}}Description")
    description.set(f"{{{RDF}}}about", "")
    return description


def _resource(element: Element) -> Element:
    element.set(f"{{{RDF}}}parseType", "Resource")
    return element
