"""Write templates/docx/reference.docx, pandoc's --reference-doc, from templates/docx/styles.toml.

    .venv/bin/python scripts/make_reference_docx.py [--spec PATH] [--output PATH]

It starts from pandoc's own default reference.docx (so every style pandoc relies on is there),
restyles and adds the styles of the spec, sets the page (A4, margins, first page different),
adds a running header (a STYLEREF field to the "Citation" paragraph: pandoc copies header parts
verbatim, so literal text would be the same in every edition) and a "Page X of Y" footer.

The output is deterministic: same spec and same pandoc give the same bytes (fixed entry order,
timestamps and compression, no random ids), so the committed file can be checked by a test.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import io
import math
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline.renderers.docx_styles import (
    REFERENCE_DOCX,
    SPEC,
    Spec,
    SpecError,
    StyleSpec,
    half_points,
    load_spec,
    points,
    style_id,
    style_names,
    to_twips,
)

__all__ = ["build_reference", "default_reference", "main", "pandoc_binary", "style_names"]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NAMESPACES = {"w": W, "r": R, "a": A, "rel": RELS, "ct": TYPES}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# 1980-01-01 00:00:00 is the earliest time a zip entry can carry: nothing of the build machine's
# clock gets in. Entries are stored, not deflated: deflate output differs between zlib builds
# (zlib, zlib-ng, Apple's), stored bytes do not, and the file stays small either way.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_COMPRESSION = zipfile.ZIP_STORED

# Parts this script adds, with their relationship ids: fixed names, never counters or uuids.
HEADER_DEFAULT = ("word/header1.xml", "rIdHouseHeaderDefault")
HEADER_FIRST = ("word/header2.xml", "rIdHouseHeaderFirst")
FOOTER_DEFAULT = ("word/footer1.xml", "rIdHouseFooterDefault")
FOOTER_FIRST = ("word/footer2.xml", "rIdHouseFooterFirst")
HEADER_TYPE = f"{R}/header"
FOOTER_TYPE = f"{R}/footer"
HEADER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

# Word writes these built-in names in lower case; a capitalised one would be a second style.
WORD_NAMES = {"header": "header", "footer": "footer", **{f"heading {n}": f"heading {n}" for n in range(1, 10)}}

# The children of the elements this script writes, in the order the schema (ECMA-376 part 1)
# prescribes: Word refuses a document whose elements are out of order.
STYLE_ORDER = (
    "name", "aliases", "basedOn", "next", "link", "autoRedefine", "hidden", "uiPriority", "semiHidden",
    "unhideWhenUsed", "qFormat", "locked", "personal", "personalCompose", "personalReply", "rsid", "pPr", "rPr",
    "tblPr", "trPr", "tcPr", "tblStylePr",
)  # fmt: skip
TABLE_PROPERTIES_ORDER = (
    "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize", "tblW", "jc",
    "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
)  # fmt: skip
SETTINGS_AFTER_AUTO_HYPHENATION = (
    "consecutiveHyphenLimit", "hyphenationZone", "doNotHyphenateCaps", "showEnvelope", "summaryLength",
    "clickAndTypeStyle", "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
    "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
    "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery", "doNotUseMarginsForDrawingGridOrigin",
    "drawingGridHorizontalOrigin", "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
    "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
    "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml", "ignoreMixedContent",
    "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml", "saveXmlDataOnly", "useXSLTWhenSaving",
    "saveThroughXslt", "showXMLTags", "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr",
    "endnotePr", "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)  # fmt: skip

Element = Any  # lxml.etree._Element: lxml ships no type information


# --- small XML helpers -------------------------------------------------------------------------


def qname(name: str) -> str:
    """ "w:keepNext" -> "{namespace}keepNext"."""
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def make(name: str, attributes: dict[str, str] | None = None, children: Iterable[Element] = ()) -> Element:
    element = etree.Element(qname(name), {qname(k): v for k, v in (attributes or {}).items()})
    element.extend(children)
    return element


def local(element: Element) -> str:
    return str(etree.QName(element).localname)


def on_off(name: str, value: bool) -> Element:
    """A toggle property: <w:b/> switches on, <w:b w:val="0"/> switches off what a base style set."""
    return make(name) if value else make(name, {"w:val": "0"})


def parse(data: bytes) -> Element:
    # Blank text between elements is dropped, then the whole part is indented again on output;
    # libxml2 keeps the blanks of xml:space="preserve" and of text-only elements (<w:t> </w:t>).
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False))


def serialise(root: Element) -> bytes:
    etree.indent(root, space="  ")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def reorder(parent: Element, order: tuple[str, ...]) -> None:
    """Sort `parent`'s children into schema order (stable: repeated elements keep their order)."""
    rank = {name: i for i, name in enumerate(order)}
    children = sorted(parent, key=lambda child: rank.get(local(child), len(order)))
    for child in children:
        parent.append(child)  # appending an existing child moves it


# --- styles.xml ----------------------------------------------------------------------------------


class Styles:
    """word/styles.xml with the spec applied."""

    def __init__(self, root: Element, spec: Spec) -> None:
        self.root = root
        self.spec = spec
        self.font = spec.text("font", "family")
        self.default_size = points(spec.length("defaults", "size"))
        line_height = spec.setting("defaults", "line_height")
        assert isinstance(line_height, int | float)
        self.default_line_height = Fraction(str(line_height))
        self.listed: dict[str, StyleSpec] = {}  # id -> its entry in the spec

    # Lookup: by name, case-insensitively (as pandoc and Word match), and by id.
    def by_name(self, name: str, kind: str) -> Element | None:
        for style in self.root.iterfind("w:style", NAMESPACES):
            if (
                style.get(qname("w:type")) == kind
                and style.find("w:name", NAMESPACES).get(qname("w:val")).casefold() == name.casefold()
            ):
                return style
        return None

    def by_id(self, identifier: str) -> Element | None:
        return self.root.find(f"w:style[@w:styleId='{identifier}']", NAMESPACES)

    def id_of(self, name: str, kind: str) -> str:
        style = self.by_name(name, kind)
        if style is None:
            raise SpecError(f'no {kind} style named "{name}"')
        return str(style.get(qname("w:styleId")))

    def apply(self) -> None:
        self.set_defaults()
        for entry in self.spec.styles:
            element = self.by_name(entry.name, entry.kind)
            if element is None:
                element = self.create(entry)
            self.listed[str(element.get(qname("w:styleId")))] = entry
        # Bases first, all of them: a size in ems or a line height is resolved through them.
        for identifier, entry in self.listed.items():
            self.set_links(self.by_id(identifier), entry)
        for identifier, entry in self.listed.items():
            self.restyle(self.by_id(identifier), entry)
        for style in self.root.iterfind("w:style", NAMESPACES):
            if str(style.get(qname("w:styleId"))) not in self.listed:
                self.house_fonts(style)
        self.copy_to_linked_character_styles()

    def set_defaults(self) -> None:
        """docDefaults: the house font and size under every style, widows and orphans controlled."""
        defaults = self.root.find("w:docDefaults", NAMESPACES)
        run = defaults.find("w:rPrDefault/w:rPr", NAMESPACES)
        language = run.find("w:lang", NAMESPACES)  # kept: pandoc rewrites it from the `lang` metadata
        run.clear()
        run.extend([self.fonts(), *self.size(self.default_size)])
        if language is not None:
            run.append(language)
        paragraph = defaults.find("w:pPrDefault/w:pPr", NAMESPACES)
        paragraph.clear()
        if self.spec.flag("defaults", "widow_control"):
            paragraph.append(make("w:widowControl"))
        paragraph.append(
            make("w:spacing", {
                "w:before": str(to_twips(self.spec.length("defaults", "space_before"), self.default_size)),
                "w:after": str(to_twips(self.spec.length("defaults", "space_after"), self.default_size)),
                **self.line(self.default_size, self.default_line_height),
            })
        )  # fmt: skip

    def create(self, entry: StyleSpec) -> Element:
        """A style pandoc's default lacks: id = name without spaces, based on Normal unless told."""
        attributes = {"w:type": entry.kind, "w:customStyle": "1", "w:styleId": style_id(entry.name)}
        name = WORD_NAMES.get(entry.name.casefold(), entry.name)
        if name != entry.name:
            del attributes["w:customStyle"]  # one of Word's own styles, which pandoc's default lacks
        children = [make("w:name", {"w:val": name})]
        if entry.kind == "paragraph":
            children += [make("w:basedOn", {"w:val": "Normal"}), make("w:qFormat")]
        elif entry.kind == "character":
            children.append(make("w:basedOn", {"w:val": "DefaultParagraphFont"}))
        element = make("w:style", attributes, children)
        self.root.append(element)
        return element

    def set_links(self, element: Element, entry: StyleSpec) -> None:
        """The style's base and the style of the paragraph after it, where the spec names them."""
        for key, child in (("based_on", "w:basedOn"), ("next", "w:next")):
            target = entry.text(key)
            if target is None:
                continue
            for old in element.findall(child, NAMESPACES):
                element.remove(old)
            kind = "paragraph" if key == "next" else entry.kind
            element.append(make(child, {"w:val": self.id_of(target, kind)}))
        reorder(element, STYLE_ORDER)

    def restyle(self, element: Element, entry: StyleSpec) -> None:
        """Replace the formatting of `element` with what the spec says (identity is kept)."""
        for old in element.findall("w:pPr", NAMESPACES) + element.findall("w:rPr", NAMESPACES):
            element.remove(old)
        size = self.resolved_size(element)
        if entry.kind == "paragraph":
            element.append(self.paragraph_properties(entry, size))
        if entry.kind == "table":
            self.table_properties(element, entry, size)
        element.append(self.run_properties(entry, size))
        reorder(element, STYLE_ORDER)

    def house_fonts(self, element: Element) -> None:
        """A style the spec does not list: the house font instead of theme fonts, theme colours off."""
        for fonts in element.findall(".//w:rFonts", NAMESPACES):  # a list: the tree changes under it
            fonts.getparent().replace(fonts, self.fonts())
        for colour in element.findall(".//w:rPr/w:color", NAMESPACES):
            colour.getparent().remove(colour)
        run = element.find("w:rPr", NAMESPACES)
        if run is None:
            run = make("w:rPr")
            element.append(run)
            reorder(element, STYLE_ORDER)
        if run.find("w:rFonts", NAMESPACES) is None:
            run.insert(0, self.fonts())

    def copy_to_linked_character_styles(self) -> None:
        """ "Title Char" and the like must look like their paragraph style, as Word keeps them."""
        for identifier, entry in self.listed.items():
            paragraph = self.by_id(identifier)
            if entry.kind != "paragraph" or paragraph is None:
                continue
            link = paragraph.find("w:link", NAMESPACES)
            if link is None:
                continue
            linked = self.by_id(str(link.get(qname("w:val"))))
            if linked is None or str(linked.get(qname("w:styleId"))) in self.listed:
                continue
            # Only a pair that links both ways: pandoc's Caption links to Body Text Char, which
            # belongs to Body Text (copying Caption's italics there would italicise every link).
            back = linked.find("w:link", NAMESPACES)
            if back is None or back.get(qname("w:val")) != identifier:
                continue
            for old in linked.findall("w:rPr", NAMESPACES):
                linked.remove(old)
            linked.append(copy.deepcopy(paragraph.find("w:rPr", NAMESPACES)))
            reorder(linked, STYLE_ORDER)

    # Inheritance: a size or line height not set on a style comes from the style it is based on.
    def chain(self, element: Element) -> Iterator[Element]:
        seen: set[str] = set()
        while element is not None and str(element.get(qname("w:styleId"))) not in seen:
            seen.add(str(element.get(qname("w:styleId"))))
            yield element
            based_on = element.find("w:basedOn", NAMESPACES)
            element = None if based_on is None else self.by_id(str(based_on.get(qname("w:val"))))

    def resolved_size(self, element: Element) -> Fraction:
        for style in self.chain(element):
            entry = self.listed.get(str(style.get(qname("w:styleId"))))
            if entry is not None:
                if entry.text("size") is not None:
                    return points(str(entry.text("size")))
                continue
            size = style.find("w:rPr/w:sz", NAMESPACES)
            if size is not None:
                return Fraction(int(size.get(qname("w:val"))), 2)
        return self.default_size

    def resolved_line_height(self, element: Element) -> Fraction:
        for style in self.chain(element):
            entry = self.listed.get(str(style.get(qname("w:styleId"))))
            value = None if entry is None else entry.properties.get("line_height")
            if isinstance(value, int | float):
                return Fraction(str(value))
        return self.default_line_height

    # Property builders.
    def fonts(self, family: str = "") -> Element:
        # Named explicitly for every script: theme fonts (Aptos in pandoc's default) must never win.
        family = family or self.font
        return make("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:cs": family, "w:eastAsia": family})

    @staticmethod
    def size(size: Fraction) -> list[Element]:
        value = str(half_points(size))
        return [make("w:sz", {"w:val": value}), make("w:szCs", {"w:val": value})]

    @staticmethod
    def line(size: Fraction, line_height: Fraction) -> dict[str, str]:
        # "At least" the CSS line height: Word's "auto" would multiply the font's own line gap.
        return {"w:line": str(math.floor(size * line_height * 20 + Fraction(1, 2))), "w:lineRule": "atLeast"}

    def paragraph_properties(self, entry: StyleSpec, size: Fraction) -> Element:
        p = entry.properties

        def twips(key: str) -> str:
            return str(to_twips(str(p[key]), size))  # an em is the style's own size

        children: list[Element] = []
        for key, name in (
            ("keep_next", "w:keepNext"),
            ("keep_lines", "w:keepLines"),
            ("widow_control", "w:widowControl"),
        ):
            flag = entry.flag(key)
            if flag is not None:
                children.append(on_off(name, flag))
        if "border_bottom" in p:
            width = Fraction(to_twips(str(p["border_bottom"]), size), 20)  # points
            space = Fraction(to_twips(str(p.get("border_space", "0pt")), size), 20)
            bottom = {"w:val": "single", "w:sz": str(round(width * 8)), "w:space": str(round(space)), "w:color": "auto"}
            children.append(make("w:pBdr", {}, [make("w:bottom", bottom)]))
        if "tabs" in p:
            tabs = p["tabs"]
            assert isinstance(tabs, list)
            own = [to_twips(t, size) for t in tabs]
            # Word adds a style's tab stops to those of its base: clear the inherited ones.
            inherited = sorted(set(self.inherited_tabs(entry)) - set(own))
            stops = [make("w:tab", {"w:val": "clear", "w:pos": str(pos)}) for pos in inherited]
            stops += [make("w:tab", {"w:val": "left", "w:pos": str(pos)}) for pos in own]
            children.append(make("w:tabs", {}, sorted(stops, key=lambda stop: int(stop.get(qname("w:pos"))))))
        hyphenate = entry.flag("hyphenate")
        if hyphenate is not None:  # the document hyphenates; a style can opt out
            children.append(on_off("w:suppressAutoHyphens", not hyphenate))
        spacing = {"w:before": twips("space_before")} if "space_before" in p else {}
        spacing |= {"w:after": twips("space_after")} if "space_after" in p else {}
        spacing |= self.line(size, self.resolved_line_height_of(entry))
        children.append(make("w:spacing", spacing))
        indents = (("indent_left", "w:left"), ("indent_right", "w:right"), ("hanging", "w:hanging"),
                   ("first_line", "w:firstLine"))  # fmt: skip
        indent = {attribute: twips(key) for key, attribute in indents if key in p}
        if indent:
            children.append(make("w:ind", indent))
        if "align" in p:
            children.append(make("w:jc", {"w:val": {"justify": "both"}.get(str(p["align"]), str(p["align"]))}))
        if "outline_level" in p:
            level = p["outline_level"]
            assert isinstance(level, int)
            children.append(make("w:outlineLvl", {"w:val": str(level - 1 if level else 9)}))  # 9: body text
        return make("w:pPr", {}, children)

    def inherited_tabs(self, entry: StyleSpec) -> list[int]:
        """The tab stops the styles under `entry` set (positions in twips)."""
        positions: list[int] = []
        for style in list(self.chain(self.by_name(entry.name, entry.kind)))[1:]:
            base = self.listed.get(str(style.get(qname("w:styleId"))))
            tabs = None if base is None else base.properties.get("tabs")
            if isinstance(tabs, list):
                positions += [to_twips(str(t), self.resolved_size(style)) for t in tabs]
        return positions

    def resolved_line_height_of(self, entry: StyleSpec) -> Fraction:
        element = self.by_name(entry.name, entry.kind)
        return self.resolved_line_height(element)

    def run_properties(self, entry: StyleSpec, size: Fraction) -> Element:
        p = entry.properties
        children = [self.fonts(str(p.get("font", self.font)))]
        for key, names in (("bold", ("w:b", "w:bCs")), ("italic", ("w:i", "w:iCs")), ("small_caps", ("w:smallCaps",))):
            flag = entry.flag(key)
            if flag is not None:
                children += [on_off(name, flag) for name in names]
        if "color" in p:
            children.append(make("w:color", {"w:val": str(p["color"]).upper()}))
        if "letter_spacing" in p:
            children.append(make("w:spacing", {"w:val": str(to_twips(str(p["letter_spacing"]), size))}))
        if "size" in p:
            children += self.size(size)
        if "underline" in p:
            children.append(make("w:u", {"w:val": str(p["underline"])}))
        if "vertical_align" in p:
            children.append(make("w:vertAlign", {"w:val": str(p["vertical_align"])}))
        return make("w:rPr", {}, children)

    def table_properties(self, element: Element, entry: StyleSpec, size: Fraction) -> None:
        p = entry.properties
        table = element.find("w:tblPr", NAMESPACES)
        if table is None:
            table = make("w:tblPr")
            element.append(table)
        if "border" in p:
            for old in table.findall("w:tblBorders", NAMESPACES):
                table.remove(old)
            width = str(round(Fraction(to_twips(str(p["border"]), size), 20) * 8))  # eighths of a point
            sides = ("top", "left", "bottom", "right", "insideH", "insideV")
            borders = [
                make(f"w:{side}", {"w:val": "single", "w:sz": width, "w:space": "0", "w:color": "auto"})
                for side in sides
            ]
            table.append(make("w:tblBorders", {}, borders))
        if "cell_padding_vertical" in p or "cell_padding_horizontal" in p:
            for old in table.findall("w:tblCellMar", NAMESPACES):
                table.remove(old)
            vertical = str(to_twips(str(p.get("cell_padding_vertical", "0pt")), size))
            horizontal = str(to_twips(str(p.get("cell_padding_horizontal", "0pt")), size))
            margins = [
                make(f"w:{side}", {"w:w": value, "w:type": "dxa"})
                for side, value in (
                    ("top", vertical),
                    ("left", horizontal),
                    ("bottom", vertical),
                    ("right", horizontal),
                )
            ]
            table.append(make("w:tblCellMar", {}, margins))
        reorder(table, TABLE_PROPERTIES_ORDER)


# --- the other parts --------------------------------------------------------------------------------


def field_runs(template: str) -> list[Element]:
    """Runs for "Page {PAGE} of {NUMPAGES}": literal text, and a complex field per {INSTRUCTION}.

    Complex fields (begin / instruction / separate / result / end) rather than fldSimple: Word,
    LibreOffice and other readers all update them. The cached result is what a reader that does
    not update fields shows: "1" for page numbers, nothing for a STYLEREF (better than wrong text).
    """
    runs: list[Element] = []
    for index, piece in enumerate(re.split(r"\{([^{}]*)\}", template)):
        if index % 2 == 0:
            if piece:
                runs.append(make("w:r", {}, [text_element("w:t", piece)]))
            continue
        instruction = piece.strip()
        if not instruction:
            raise SpecError(f"an empty field {{}} in {template!r}")
        runs.append(make("w:r", {}, [make("w:fldChar", {"w:fldCharType": "begin"})]))
        runs.append(make("w:r", {}, [text_element("w:instrText", f" {instruction} ")]))
        runs.append(make("w:r", {}, [make("w:fldChar", {"w:fldCharType": "separate"})]))
        if instruction.split()[0] in ("PAGE", "NUMPAGES", "SECTIONPAGES"):
            no_proof = make("w:rPr", {}, [make("w:noProof")])
            runs.append(make("w:r", {}, [no_proof, text_element("w:t", "1")]))
        runs.append(make("w:r", {}, [make("w:fldChar", {"w:fldCharType": "end"})]))
    return runs


def text_element(name: str, text: str) -> Element:
    element = make(name)
    element.text = text
    element.set(XML_SPACE, "preserve")
    return element


def header_footer_part(root_name: str, style: str, template: str) -> bytes:
    root = etree.Element(qname(root_name), nsmap={"w": W, "r": R})
    paragraph = make("w:p", {}, [make("w:pPr", {}, [make("w:pStyle", {"w:val": style})])])
    paragraph.extend(field_runs(template))
    root.append(paragraph)
    return serialise(root)


def section_properties(spec: Spec, old: Element | None) -> Element:
    """The page: A4, the margins, header and footer distances, a first page of its own."""

    def twips(key: str) -> str:
        return str(to_twips(spec.length("page", key), Fraction(0)))  # ems mean nothing for a page

    children = [
        make("w:headerReference", {"w:type": "default", "r:id": HEADER_DEFAULT[1]}),
        make("w:headerReference", {"w:type": "first", "r:id": HEADER_FIRST[1]}),
        make("w:footerReference", {"w:type": "default", "r:id": FOOTER_DEFAULT[1]}),
        make("w:footerReference", {"w:type": "first", "r:id": FOOTER_FIRST[1]}),
    ]
    if old is not None:  # pandoc's footnote numbering (restart in each section) is kept
        children += [copy.deepcopy(e) for e in old.findall("w:footnotePr", NAMESPACES)]
    children.append(make("w:pgSz", {"w:w": twips("width"), "w:h": twips("height")}))
    children.append(
        make("w:pgMar", {
            "w:top": twips("margin_top"), "w:right": twips("margin_right"), "w:bottom": twips("margin_bottom"),
            "w:left": twips("margin_left"), "w:header": twips("header_distance"), "w:footer": twips("footer_distance"),
            "w:gutter": "0",
        })
    )  # fmt: skip
    if spec.flag("page", "different_first_page"):
        children.append(make("w:titlePg"))
    return make("w:sectPr", {}, children)


def sample_paragraphs(styles: Styles, spec: Spec) -> list[Element]:
    """One paragraph per house style with a `sample`, so that reference.docx shows its own style."""
    paragraphs = []
    for entry in spec.styles:
        sample = entry.text("sample")
        if sample is None:
            continue
        runs = []
        for index, piece in enumerate(sample.split("\t")):
            if index:
                runs.append(make("w:r", {}, [make("w:tab")]))
            runs.append(make("w:r", {}, [text_element("w:t", piece)]))
        identifier = styles.id_of(entry.name, entry.kind)
        paragraphs.append(make("w:p", {}, [make("w:pPr", {}, [make("w:pStyle", {"w:val": identifier})]), *runs]))
    return paragraphs


def build_document(data: bytes, spec: Spec, styles: Styles) -> bytes:
    root = parse(data)
    body = root.find("w:body", NAMESPACES)
    old = body.find("w:sectPr", NAMESPACES)
    if old is not None:
        body.remove(old)
    for index, paragraph in enumerate(sample_paragraphs(styles, spec)):
        body.insert(index, paragraph)
    body.append(section_properties(spec, old))
    return serialise(root)


def build_settings(data: bytes, spec: Spec) -> bytes:
    root = parse(data)
    for old in root.findall("w:autoHyphenation", NAMESPACES):
        root.remove(old)
    if spec.flag("document", "auto_hyphenation"):
        # Before the first element that follows autoHyphenation in the schema.
        later = [child for child in root if local(child) in SETTINGS_AFTER_AUTO_HYPHENATION]
        position = root.index(later[0]) if later else len(root)
        root.insert(position, make("w:autoHyphenation"))
    return serialise(root)


def build_font_table(data: bytes, spec: Spec) -> bytes:
    """Noto Serif's entry: what Word needs to substitute a similar face where it is missing."""
    root = parse(data)
    family = spec.text("font", "family")
    for old in root.findall(f"w:font[@w:name='{family}']", NAMESPACES):
        root.remove(old)
    signature = spec.setting("font", "signature")
    assert isinstance(signature, dict)
    keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    entry = make("w:font", {"w:name": family}, [
        make("w:panose1", {"w:val": spec.text("font", "panose").upper()}),
        make("w:charset", {"w:val": "00"}),
        make("w:family", {"w:val": spec.text("font", "generic_family")}),
        make("w:pitch", {"w:val": spec.text("font", "pitch")}),
        make("w:sig", {f"w:{key}": str(signature[key]).upper() for key in keys}),
    ])  # fmt: skip
    root.insert(0, entry)
    return serialise(root)


def build_theme(data: bytes, spec: Spec) -> bytes:
    """The theme's body and heading fonts too, for what Word offers as "+Body" and "+Headings"."""
    root = parse(data)
    for latin in root.iterfind(".//a:fontScheme/*/a:latin", NAMESPACES):
        latin.set("typeface", spec.text("font", "family"))
        latin.set("panose", spec.text("font", "panose").upper())
    return serialise(root)


def build_relationships(data: bytes) -> bytes:
    root = parse(data)
    for target, identifier in (HEADER_DEFAULT, HEADER_FIRST, FOOTER_DEFAULT, FOOTER_FIRST):
        kind = HEADER_TYPE if "header" in target else FOOTER_TYPE
        for old in root.findall(f"rel:Relationship[@Id='{identifier}']", NAMESPACES):
            root.remove(old)
        root.append(
            etree.Element(f"{{{RELS}}}Relationship", Id=identifier, Type=kind, Target=target.removeprefix("word/"))
        )
    return serialise(root)


def build_content_types(data: bytes) -> bytes:
    root = parse(data)
    for target, _ in (HEADER_DEFAULT, HEADER_FIRST, FOOTER_DEFAULT, FOOTER_FIRST):
        part = f"/{target}"
        for old in root.findall(f"ct:Override[@PartName='{part}']", NAMESPACES):
            root.remove(old)
        content = HEADER_CONTENT if "header" in target else FOOTER_CONTENT
        root.append(etree.Element(f"{{{TYPES}}}Override", PartName=part, ContentType=content))
    return serialise(root)


# --- the package --------------------------------------------------------------------------------


def build_reference(spec: Spec, base: bytes) -> bytes:
    """reference.docx: `base` (pandoc's default reference.docx) with `spec` applied."""
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    styles_root = parse(parts["word/styles.xml"])
    styles = Styles(styles_root, spec)
    styles.apply()
    parts["word/styles.xml"] = serialise(styles_root)
    parts["word/document.xml"] = build_document(parts["word/document.xml"], spec, styles)
    parts["word/settings.xml"] = build_settings(parts["word/settings.xml"], spec)
    parts["word/fontTable.xml"] = build_font_table(parts["word/fontTable.xml"], spec)
    parts["word/theme/theme1.xml"] = build_theme(parts["word/theme/theme1.xml"], spec)
    parts["word/_rels/document.xml.rels"] = build_relationships(parts["word/_rels/document.xml.rels"])
    parts["[Content_Types].xml"] = build_content_types(parts["[Content_Types].xml"])
    header_style = styles.id_of(spec.text("header", "style"), "paragraph")
    footer_style = styles.id_of(spec.text("footer", "style"), "paragraph")
    parts[HEADER_DEFAULT[0]] = header_footer_part("w:hdr", header_style, spec.text("header", "text"))
    parts[HEADER_FIRST[0]] = header_footer_part("w:hdr", header_style, spec.text("header", "first_page_text"))
    parts[FOOTER_DEFAULT[0]] = header_footer_part("w:ftr", footer_style, spec.text("footer", "text"))
    parts[FOOTER_FIRST[0]] = header_footer_part("w:ftr", footer_style, spec.text("footer", "text"))
    return package(parts)


def package(parts: dict[str, bytes]) -> bytes:
    """The zip, byte for byte the same on every run: fixed order, time, compression and attributes."""
    first = ["[Content_Types].xml", "_rels/.rels"]  # [Content_Types].xml first, as Word writes it
    order = first + sorted(name for name in parts if name not in first)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=ZIP_COMPRESSION) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = ZIP_COMPRESSION
            info.create_system = 0  # MS-DOS, as Word writes: otherwise it depends on the build platform
            info.external_attr = 0
            archive.writestr(info, parts[name])
    return buffer.getvalue()


def pandoc_binary() -> Path:
    """The pandoc of the pinned pypandoc-binary wheel: the default reference.docx is its own."""
    found = importlib.util.find_spec("pypandoc")
    if found is None or found.origin is None:
        raise SystemExit("pypandoc-binary is not installed: run `make`")
    return Path(found.origin).parent / "files" / "pandoc"


def default_reference() -> bytes:
    """pandoc's own reference.docx (user data files ignored, as --print-default-data-file does)."""
    command = [str(pandoc_binary()), "--print-default-data-file", "reference.docx"]
    return subprocess.run(command, check=True, capture_output=True).stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=SPEC, help=f"the house style (default: {SPEC})")
    parser.add_argument(
        "--output", type=Path, default=REFERENCE_DOCX, help=f"where to write (default: {REFERENCE_DOCX})"
    )
    arguments = parser.parse_args(argv)
    try:
        spec = load_spec(arguments.spec)
        data = build_reference(spec, default_reference())
    except SpecError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    # Written through a temporary file: an interrupted run never leaves half a reference.docx.
    temporary = arguments.output.with_name(f".{arguments.output.name}.tmp")
    temporary.write_bytes(data)
    temporary.replace(arguments.output)
    print(f"wrote {arguments.output} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
