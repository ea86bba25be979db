"""The house faces inside the DOCX, embedded as Word embeds fonts (ECMA-376 Part 1, §17.8.1).

Noto Serif is not an Office font: without it, Word substitutes another face, with other line
breaks and another page count. Each face of a family the document uses is stored whole (a
delegation edits the text: a subset would lack the letters of its amendments) as an obfuscated
font part, `word/fonts/fontN.odttf`: its first 32 bytes XORed with the font key, a GUID written in
the font table beside the part's relationship. The key is derived from the face's bytes (a
name-based UUID), never drawn at random, so the edition stays the same file from run to run.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

import lxml.etree

from ..fonts import FontFace
from ..zipparts import Deflated
from .package import NS, Element, Package, R, to_xml, w

FONT_TABLE = "word/fontTable.xml"
FONT_TABLE_RELATIONSHIPS = "word/_rels/fontTable.xml.rels"
RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# The namespace of the font keys: any fixed UUID would do; this one is uuid5(NAMESPACE_URL, the
# section of the standard that defines the obfuscation).
KEY_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ecma:376:part1:17.8.1")
# The four faces of a family, in the order a w:font lists them, last of its children (CT_Font).
FACE_ELEMENTS = ("embedRegular", "embedBold", "embedItalic", "embedBoldItalic")
# The settings that come before embedTrueTypeFonts (CT_Settings).
BEFORE_EMBED_SETTING = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData",
)  # fmt: skip
# Parts whose paragraphs and runs name styles and fonts.
TEXT_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml", "word/comments.xml")


@dataclass(frozen=True)
class EmbeddedFace:
    """One face as it is stored in the package: which of the family's four it is, its font key
    and its obfuscated bytes."""

    family: str
    element: str  # "embedRegular", "embedBold", …
    key: str  # "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}", as the font table writes it
    data: bytes
    deflated: Deflated  # the same, deflated once: every package carries it unchanged


def embedded_face(face: FontFace, data: bytes) -> EmbeddedFace:
    element = FACE_ELEMENTS[(face.weight >= 700) + 2 * (face.style == "italic")]
    key = font_key(data)
    obfuscated = obfuscate(data, key)
    return EmbeddedFace(face.family, element, "{" + str(key).upper() + "}", obfuscated, Deflated.kept(obfuscated))


def font_key(data: bytes) -> uuid.UUID:
    """A GUID that only these bytes give: a name-based UUID of their SHA-256."""
    return uuid.uuid5(KEY_NAMESPACE, hashlib.sha256(data).hexdigest())


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """The font with its first 32 bytes XORed with the key (§17.8.1): the key's 16 bytes in
    reverse order of the GUID's written form, applied twice. XOR undoes itself."""
    mask = key.bytes[::-1]
    head = bytes(byte ^ mask[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def used_families(package: Package) -> set[str]:
    """The font families the text is set in: those named by the document defaults, by the
    styles its paragraphs, runs and tables use (with the styles they are based on) and by its
    runs directly."""
    styles = package.xml("word/styles.xml")
    by_id = {str(style.get(w("styleId"))): style for style in styles.iterfind("w:style", NS)}
    wanted = [identifier for identifier, style in by_id.items() if style.get(w("default")) in ("1", "true", "on")]
    named: list[Element] = list(styles.iterfind("w:docDefaults//w:rFonts", NS))
    for name in (*TEXT_PARTS, *(n for n in package.names() if n.startswith(("word/header", "word/footer")))):
        if name in package:
            root = package.xml(name)
            wanted += root.xpath("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS)
            named += root.iterfind(".//w:rPr/w:rFonts", NS)
    seen: set[str] = set()
    while wanted:
        identifier = str(wanted.pop())
        if identifier in seen or identifier not in by_id:
            continue
        seen.add(identifier)
        style = by_id[identifier]
        named += style.iterfind(".//w:rFonts", NS)
        wanted += style.xpath("w:basedOn/@w:val", namespaces=NS)
    return {
        str(family)
        for fonts in named
        for family in (fonts.get(w(attribute)) for attribute in ("ascii", "hAnsi", "cs", "eastAsia"))
        if family
    }


def embed_fonts(package: Package, faces: Iterable[EmbeddedFace]) -> None:
    """Embed every face of the families the document uses, in the font table's order."""
    families = used_families(package)
    chosen = sorted(
        (face for face in faces if face.family in families),
        key=lambda face: (face.family, FACE_ELEMENTS.index(face.element)),
    )
    if not chosen:
        return
    table = package.xml(FONT_TABLE)
    relationships = lxml.etree.Element(f"{{{RELATIONSHIPS}}}Relationships", nsmap={None: RELATIONSHIPS})
    for number, face in enumerate(chosen, start=1):
        identifier, target = f"rIdFont{number}", f"fonts/font{number}.odttf"
        package.put(f"word/{target}", face.data, face.deflated)
        lxml.etree.SubElement(
            relationships, f"{{{RELATIONSHIPS}}}Relationship", Id=identifier, Type=f"{R}/font", Target=target
        )
        entry = font_entry(table, face.family)
        reference = lxml.etree.Element(w(face.element))
        reference.set(f"{{{R}}}id", identifier)
        reference.set(w("fontKey"), face.key)
        entry.append(reference)  # the faces come last in a w:font, and `chosen` is in their order
    package.changed(FONT_TABLE)
    package.put(FONT_TABLE_RELATIONSHIPS, to_xml(relationships))
    keep_embedding(package)
    declare_font_type(package)


def font_entry(table: Element, family: str) -> Element:
    """The font table's entry for `family`, added after the others when reference.docx has none."""
    for entry in table.iterfind("w:font", NS):
        if entry.get(w("name")) == family:
            return entry
    return lxml.etree.SubElement(table, w("font"), {w("name"): family})


def keep_embedding(package: Package) -> None:
    """The setting that tells Word to embed the fonts again when the document is saved."""
    settings = package.xml("word/settings.xml")
    if settings.find("w:embedTrueTypeFonts", NS) is not None:
        return
    earlier = [child for child in settings if lxml.etree.QName(child).localname in BEFORE_EMBED_SETTING]
    setting = lxml.etree.Element(w("embedTrueTypeFonts"))
    if earlier:
        earlier[-1].addnext(setting)
    else:
        settings.insert(0, setting)
    package.changed("word/settings.xml")


def declare_font_type(package: Package) -> None:
    """The content type of .odttf parts (reference.docx declares it; a package without it gets it)."""
    types = package.xml("[Content_Types].xml")
    if types.find(f"{{{CONTENT_TYPES}}}Default[@Extension='odttf']") is None:
        lxml.etree.SubElement(types, f"{{{CONTENT_TYPES}}}Default", Extension="odttf", ContentType=OBFUSCATED_FONT)
        package.changed("[Content_Types].xml")
