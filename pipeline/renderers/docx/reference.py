"""Build templates/docx/reference.docx, pandoc's --reference-doc, from templates/docx/styles.toml.

    make reference-docx      (python -m pipeline.renderers.docx.reference [--spec PATH] [--output PATH])

It starts from pandoc's own default reference.docx (so every style pandoc relies on is there),
restyles and adds the styles of the spec, sets the page (A4, margins, first page different),
adds a running header (a STYLEREF field to the "Citation" paragraph: pandoc copies header parts
verbatim, so literal text would be the same in every edition) and a "Page X of Y" footer.

Styles, the sample paragraphs and the page are written through python-docx's style, font,
paragraph-format and section API. What it has no API for is written with lxml into the same
trees: the document defaults, complex-script sizes and weights, letter spacing, paragraph
borders, hyphenation, outline levels, table-style properties, fields, the settings, the font
table and the theme. python-docx reads the package but does not write it (its writer dates every
entry with the time of the run): `deterministic_zip` packs the parts, so the same spec and the
same pandoc give the same bytes, and the committed file can be checked by a test.
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
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.enum.section import WD_HEADER_FOOTER
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT, WD_UNDERLINE
from docx.section import Section
from docx.shared import Pt, RGBColor, Twips
from docx.styles.style import CharacterStyle, ParagraphStyle
from docx.styles.styles import Styles
from lxml import etree

from .package import Element, R, W, deterministic_zip
from .spec import (
    REFERENCE_DOCX,
    SPEC,
    TAB_KEYS,
    Spec,
    SpecError,
    StyleSpec,
    half_points,
    load_spec,
    points,
    to_twips,
)

__all__ = ["build_reference", "default_reference", "main", "pandoc_binary"]

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
NAMESPACES = {"w": W, "r": R, "a": A, "rel": RELS, "ct": TYPES}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Parts this builder adds, with their relationship ids: fixed names, never counters or uuids.
HEADER_DEFAULT = ("word/header1.xml", "rIdHouseHeaderDefault")
HEADER_FIRST = ("word/header2.xml", "rIdHouseHeaderFirst")
FOOTER_DEFAULT = ("word/footer1.xml", "rIdHouseFooterDefault")
FOOTER_FIRST = ("word/footer2.xml", "rIdHouseFooterFirst")
HEADER_TYPE = f"{R}/header"
FOOTER_TYPE = f"{R}/footer"
HEADER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

KIND = {"paragraph": WD_STYLE_TYPE.PARAGRAPH, "character": WD_STYLE_TYPE.CHARACTER, "table": WD_STYLE_TYPE.TABLE}
TAB_ALIGNMENT = {"left": WD_TAB_ALIGNMENT.LEFT, "center": WD_TAB_ALIGNMENT.CENTER, "right": WD_TAB_ALIGNMENT.RIGHT}
ALIGNMENT = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}
# Word writes these built-in names in lower case; a capitalised one would be a second style.
WORD_NAMES = {"header": "header", "footer": "footer", **{f"heading {n}": f"heading {n}" for n in range(1, 10)}}
# Where autoHyphenation goes among the settings: before the first of these (ECMA-376 part 1,
# CT_Settings). python-docx models only a few settings.
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
# The table-style properties the spec sets, and those that follow them in CT_TblPrBase.
AFTER_BORDERS = ("shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
AFTER_CELL_MARGINS = ("tblLook", "tblCaption", "tblDescription")


# --- small XML helpers -------------------------------------------------------------------------


def qname(name: str) -> str:
    """ "w:keepNext" -> "{namespace}keepNext"."""
    prefix, _, local = name.partition(":")
    return f"{{{NAMESPACES[prefix]}}}{local}"


def make(name: str, attributes: dict[str, str] | None = None, children: tuple[Element, ...] = ()) -> Element:
    element = etree.Element(qname(name), {qname(k): v for k, v in (attributes or {}).items()})
    element.extend(children)
    return element


def local(element: Element) -> str:
    return str(etree.QName(element).localname)


def insert_before(parent: Element, child: Element, successors: tuple[str, ...]) -> None:
    """Insert `child` before the first of `successors` that `parent` has, or at its end."""
    later = [element for element in parent if local(element) in successors]
    if later:
        later[0].addprevious(child)
    else:
        parent.append(child)


def parse(data: bytes) -> Element:
    # Blank text between elements is dropped, and none is written back: pandoc parses every part
    # of the reference for every DOCX, and the indented parts cost it 9 ms of 60 (they are read
    # indented with `python -m pipeline.renderers.docx.reference --show PART`). libxml2 keeps
    # the blanks of xml:space="preserve" and of text-only elements (<w:t> </w:t>).
    return etree.fromstring(data, etree.XMLParser(remove_blank_text=True, resolve_entities=False))


def serialise(root: Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


# --- styles.xml ----------------------------------------------------------------------------------


class HouseStyles:
    """The styles of a python-docx document with the spec applied."""

    def __init__(self, styles: Styles, spec: Spec) -> None:
        self.styles = styles
        self.spec = spec
        self.font = spec.text("font", "family")
        self.default_size = points(spec.length("defaults", "size"))
        line_height = spec.setting("defaults", "line_height")
        assert isinstance(line_height, int | float)
        self.default_line_height = Fraction(str(line_height))
        self.listed: dict[str, StyleSpec] = {}  # id -> its entry in the spec

    # Lookup: by name, case-insensitively (as pandoc and Word match), and by id.
    def house(self) -> list[CharacterStyle]:
        """Every style that formats text (all of pandoc's: it has no numbering styles)."""
        return [style for style in self.styles if isinstance(style, CharacterStyle)]

    def by_name(self, name: str, kind: str) -> CharacterStyle | None:
        for style in self.house():
            if style.type == KIND[kind] and style.element.name_val.casefold() == name.casefold():
                return style
        return None

    def by_id(self, identifier: str) -> CharacterStyle | None:
        return next((style for style in self.house() if style.style_id == identifier), None)

    def named(self, name: str, kind: str) -> CharacterStyle:
        style = self.by_name(name, kind)
        if style is None:
            raise SpecError(f'no {kind} style named "{name}"')
        return style

    def id_of(self, name: str, kind: str) -> str:
        return str(self.named(name, kind).style_id)

    def apply(self) -> None:
        self.set_defaults()
        entries = [(self.by_name(entry.name, entry.kind) or self.create(entry), entry) for entry in self.spec.styles]
        self.listed = {str(style.style_id): entry for style, entry in entries}
        # Bases first, all of them: a size in ems or a line height is resolved through them.
        for style, entry in entries:
            self.set_links(style, entry)
        for style, entry in entries:
            self.restyle(style, entry)
        for style in self.house():
            if str(style.style_id) not in self.listed:
                self.house_fonts(style)
        self.copy_to_linked_character_styles()

    def set_defaults(self) -> None:
        """docDefaults (no python-docx API): the house font and size under every style, widows
        and orphans controlled."""
        defaults = self.styles.element.find(qname("w:docDefaults"))
        run = defaults.find("w:rPrDefault/w:rPr", NAMESPACES)
        language = run.find(qname("w:lang"))  # kept: pandoc rewrites it from the `lang` metadata
        run.clear()
        size = str(half_points(self.default_size))
        run.extend([self.fonts_element(self.font), make("w:sz", {"w:val": size}), make("w:szCs", {"w:val": size})])
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
                "w:line": str(self.line(self.default_size, self.default_line_height)),
                "w:lineRule": "atLeast",
            })
        )  # fmt: skip

    def create(self, entry: StyleSpec) -> CharacterStyle:
        """A style pandoc's default lacks: id = name without spaces, based on Normal unless told."""
        name = WORD_NAMES.get(entry.name.casefold(), entry.name)
        # One of Word's own styles (which pandoc's default lacks) is built in: no customStyle.
        style = self.styles.add_style(name, KIND[entry.kind], builtin=name != entry.name)  # type: ignore[no-untyped-call]
        assert isinstance(style, CharacterStyle)
        style.style_id = entry.name.replace(" ", "")
        if entry.kind == "paragraph":
            style.base_style = self.styles.default(WD_STYLE_TYPE.PARAGRAPH)
            style.quick_style = True
        elif entry.kind == "character":
            style.base_style = self.styles.default(WD_STYLE_TYPE.CHARACTER)
        return style

    def set_links(self, style: CharacterStyle, entry: StyleSpec) -> None:
        """The style's base and the style of the paragraph after it, where the spec names them."""
        based_on = entry.text("based_on")
        if based_on is not None:
            style.base_style = self.named(based_on, entry.kind)
        following = entry.text("next")
        if following is not None:
            assert isinstance(style, ParagraphStyle)  # the spec allows `next` on paragraph styles only
            style.next_paragraph_style = self.named(following, "paragraph")

    def restyle(self, style: CharacterStyle, entry: StyleSpec) -> None:
        """Replace the formatting of `style` with what the spec says (identity is kept)."""
        element = style.element
        for old in element.findall(qname("w:pPr")) + element.findall(qname("w:rPr")):
            element.remove(old)
        size = self.resolved_size(style)
        if entry.kind == "paragraph":
            self.paragraph_format(style, entry, size)
        self.run_format(style, entry, size)
        if entry.kind == "table":
            self.table_properties(style, entry, size)

    def house_fonts(self, style: CharacterStyle) -> None:
        """A style the spec does not list: the house font instead of theme fonts, theme colours off."""
        element = style.element
        for fonts in element.findall(f".//{qname('w:rFonts')}"):  # a list: the tree changes under it
            fonts.getparent().replace(fonts, self.fonts_element(self.font))
        for colour in element.findall(f".//{qname('w:rPr')}/{qname('w:color')}"):
            colour.getparent().remove(colour)
        if element.find(f"{qname('w:rPr')}/{qname('w:rFonts')}") is None:
            self.set_family(style, self.font)

    def copy_to_linked_character_styles(self) -> None:
        """ "Title Char" and the like must look like their paragraph style, as Word keeps them."""
        for identifier, entry in self.listed.items():
            paragraph = self.by_id(identifier)
            if entry.kind != "paragraph" or paragraph is None:
                continue
            link = paragraph.element.find(qname("w:link"))
            if link is None:
                continue
            linked = self.by_id(str(link.get(qname("w:val"))))
            if linked is None or str(linked.style_id) in self.listed:
                continue
            # Only a pair that links both ways: pandoc's Caption links to Body Text Char, which
            # belongs to Body Text (copying Caption's italics there would italicise every link).
            back = linked.element.find(qname("w:link"))
            if back is None or back.get(qname("w:val")) != identifier:
                continue
            for old in linked.element.findall(qname("w:rPr")):
                linked.element.remove(old)
            linked.element.get_or_add_rPr().extend(copy.deepcopy(list(paragraph.element.rPr)))

    # Inheritance: a size or line height not set on a style comes from the style it is based on.
    def chain(self, style: CharacterStyle | None) -> Iterator[CharacterStyle]:
        seen: set[str] = set()
        while style is not None and str(style.style_id) not in seen:
            seen.add(str(style.style_id))
            yield style
            style = style.base_style

    def resolved_size(self, style: CharacterStyle) -> Fraction:
        for base in self.chain(style):
            entry = self.listed.get(str(base.style_id))
            if entry is not None:
                if entry.text("size") is not None:
                    return points(str(entry.text("size")))
                continue
            size = base.element.find(f"{qname('w:rPr')}/{qname('w:sz')}")
            if size is not None:
                return Fraction(int(size.get(qname("w:val"))), 2)
        return self.default_size

    def resolved_line_height(self, style: CharacterStyle) -> Fraction:
        for base in self.chain(style):
            entry = self.listed.get(str(base.style_id))
            value = None if entry is None else entry.properties.get("line_height")
            if isinstance(value, int | float):
                return Fraction(str(value))
        return self.default_line_height

    def inherited_tabs(self, style: CharacterStyle) -> list[int]:
        """The tab stops the styles under `style` set (positions in twips)."""
        positions: list[int] = []
        for base in list(self.chain(style))[1:]:
            entry = self.listed.get(str(base.style_id))
            if entry is not None:
                positions += [position for position, _ in self.tab_stops(entry, self.resolved_size(base))]
        return positions

    @staticmethod
    def tab_stops(entry: StyleSpec, size: Fraction) -> list[tuple[int, str]]:
        """The tab stops `entry` sets: (position in twips, alignment), left ones first."""
        stops: list[tuple[int, str]] = []
        for key, alignment in TAB_KEYS.items():
            tabs = entry.properties.get(key, [])
            assert isinstance(tabs, list)  # validated in load_spec
            stops += [(to_twips(str(t), size), alignment) for t in tabs]
        return stops

    # Formatting.
    def fonts_element(self, family: str) -> Element:
        # Named explicitly for every script: theme fonts (Aptos in pandoc's default) must never win.
        return make("w:rFonts", {"w:ascii": family, "w:hAnsi": family, "w:cs": family, "w:eastAsia": family})

    @staticmethod
    def set_family(style: CharacterStyle, family: str) -> None:
        style.font.name = family  # python-docx names the Latin faces (ascii, hAnsi) ...
        fonts = style.element.rPr.rFonts  # ... the complex-script and East Asian ones are ours
        fonts.set(qname("w:cs"), family)
        fonts.set(qname("w:eastAsia"), family)

    @staticmethod
    def line(size: Fraction, line_height: Fraction) -> int:
        # "At least" the CSS line height: Word's "auto" would multiply the font's own line gap.
        return math.floor(size * line_height * 20 + Fraction(1, 2))

    def paragraph_format(self, style: CharacterStyle, entry: StyleSpec, size: Fraction) -> None:
        p = entry.properties

        def twips(key: str) -> Twips:
            return Twips(to_twips(str(p[key]), size))  # an em is the style's own size

        # What python-docx has no API for goes in first, in schema order: python-docx then puts
        # each element it writes before the first of its successors.
        properties = style.element.get_or_add_pPr()
        if "border_bottom" in p:
            width = Fraction(to_twips(str(p["border_bottom"]), size), 20)  # points
            space = Fraction(to_twips(str(p.get("border_space", "0pt")), size), 20)
            bottom = {"w:val": "single", "w:sz": str(round(width * 8)), "w:space": str(round(space)), "w:color": "auto"}
            properties.append(make("w:pBdr", {}, (make("w:bottom", bottom),)))
        hyphenate = entry.flag("hyphenate")
        if hyphenate is not None:  # the document hyphenates; a style can opt out
            properties.append(make("w:suppressAutoHyphens", {} if not hyphenate else {"w:val": "0"}))
        if "outline_level" in p:
            level = p["outline_level"]
            assert isinstance(level, int)
            properties.get_or_add_outlineLvl().val = level - 1 if level else 9  # 9: body text

        assert isinstance(style, ParagraphStyle)
        paragraph = style.paragraph_format
        if entry.flag("keep_next") is not None:
            paragraph.keep_with_next = entry.flag("keep_next")
        if entry.flag("keep_lines") is not None:
            paragraph.keep_together = entry.flag("keep_lines")
        if entry.flag("widow_control") is not None:
            paragraph.widow_control = entry.flag("widow_control")
        stops = self.tab_stops(entry, size)
        if stops:
            own = {position for position, _ in stops}
            # Word adds a style's tab stops to those of its base: clear the inherited ones.
            for position in sorted(set(self.inherited_tabs(style)) - own):
                paragraph.tab_stops.add_tab_stop(Twips(position), WD_TAB_ALIGNMENT.CLEAR)
            for position, alignment in stops:
                paragraph.tab_stops.add_tab_stop(Twips(position), TAB_ALIGNMENT[alignment])
        if "space_before" in p:
            paragraph.space_before = twips("space_before")
        if "space_after" in p:
            paragraph.space_after = twips("space_after")
        paragraph.line_spacing = Twips(self.line(size, self.resolved_line_height(style)))
        paragraph.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        if "indent_left" in p:
            paragraph.left_indent = twips("indent_left")
        if "indent_right" in p:
            paragraph.right_indent = twips("indent_right")
        if "hanging" in p:
            paragraph.first_line_indent = -twips("hanging")
        if "first_line" in p:
            paragraph.first_line_indent = twips("first_line")
        if "align" in p:
            paragraph.alignment = ALIGNMENT[str(p["align"])]

    def run_format(self, style: CharacterStyle, entry: StyleSpec, size: Fraction) -> None:
        p = entry.properties
        properties = style.element.get_or_add_rPr()
        # No API: letter spacing and the complex-script size, in schema order, before the rest.
        if "letter_spacing" in p:
            properties.append(make("w:spacing", {"w:val": str(to_twips(str(p["letter_spacing"]), size))}))
        if "size" in p:
            properties.append(make("w:szCs", {"w:val": str(half_points(size))}))
        self.set_family(style, str(p.get("font", self.font)))
        font = style.font
        bold, italic = entry.flag("bold"), entry.flag("italic")
        if bold is not None:
            font.bold = bold
            properties.get_or_add_bCs().val = bold  # the complex-script weight: no API
        if italic is not None:
            font.italic = italic
            properties.get_or_add_iCs().val = italic
        if entry.flag("small_caps") is not None:
            font.small_caps = entry.flag("small_caps")
        if entry.flag("caps") is not None:
            font.all_caps = entry.flag("caps")
        if "color" in p:
            font.color.rgb = RGBColor.from_string(str(p["color"]).upper())
        if "size" in p:
            font.size = Pt(half_points(size) / 2)
        if "underline" in p:
            font.underline = WD_UNDERLINE.from_xml(str(p["underline"]))
        vertical = p.get("vertical_align")
        if vertical == "superscript":
            font.superscript = True
        elif vertical == "subscript":
            font.subscript = True
        elif vertical == "baseline":
            properties.get_or_add_vertAlign().val = "baseline"  # python-docx sets only the other two

    def table_properties(self, style: CharacterStyle, entry: StyleSpec, size: Fraction) -> None:
        """Rules and cell padding of a table style: python-docx has no table-style API."""
        p = entry.properties
        element = style.element
        table = element.find(qname("w:tblPr"))
        if table is None:
            table = make("w:tblPr")
            element.rPr.addnext(table)
        if "border" in p:
            for old in table.findall(qname("w:tblBorders")):
                table.remove(old)
            width = str(round(Fraction(to_twips(str(p["border"]), size), 20) * 8))  # eighths of a point
            sides = ("top", "left", "bottom", "right", "insideH", "insideV")
            borders = tuple(
                make(f"w:{side}", {"w:val": "single", "w:sz": width, "w:space": "0", "w:color": "auto"})
                for side in sides
            )
            insert_before(table, make("w:tblBorders", {}, borders), AFTER_BORDERS)
        if "cell_padding_vertical" in p or "cell_padding_horizontal" in p:
            for old in table.findall(qname("w:tblCellMar")):
                table.remove(old)
            vertical = str(to_twips(str(p.get("cell_padding_vertical", "0pt")), size))
            horizontal = str(to_twips(str(p.get("cell_padding_horizontal", "0pt")), size))
            widths = (("top", vertical), ("left", horizontal), ("bottom", vertical), ("right", horizontal))
            margins = tuple(make(f"w:{side}", {"w:w": value, "w:type": "dxa"}) for side, value in widths)
            insert_before(table, make("w:tblCellMar", {}, margins), AFTER_CELL_MARGINS)


# --- the other parts --------------------------------------------------------------------------------


def field_runs(template: str) -> list[Element]:
    """Runs for "Page {PAGE} of {NUMPAGES}": literal text (a tab character a tab), and a complex
    field per {INSTRUCTION}.

    Complex fields (begin / instruction / separate / result / end) rather than fldSimple: Word,
    LibreOffice and other readers all update them. The cached result is what a reader that does
    not update fields shows: "1" for page numbers, nothing for a STYLEREF (better than wrong text).
    python-docx has no API for fields.
    """
    runs: list[Element] = []
    for index, piece in enumerate(re.split(r"\{([^{}]*)\}", template)):
        if index % 2 == 0:
            for position, words in enumerate(piece.split("\t")):
                if position:
                    runs.append(make("w:r", {}, (make("w:tab"),)))
                if words:
                    runs.append(make("w:r", {}, (text_element("w:t", words),)))
            continue
        instruction = piece.strip()
        if not instruction:
            raise SpecError(f"an empty field {{}} in {template!r}")
        runs.append(make("w:r", {}, (make("w:fldChar", {"w:fldCharType": "begin"}),)))
        runs.append(make("w:r", {}, (text_element("w:instrText", f" {instruction} "),)))
        runs.append(make("w:r", {}, (make("w:fldChar", {"w:fldCharType": "separate"}),)))
        if instruction.split()[0] in ("PAGE", "NUMPAGES", "SECTIONPAGES"):
            no_proof = make("w:rPr", {}, (make("w:noProof"),))
            runs.append(make("w:r", {}, (no_proof, text_element("w:t", "1"))))
        runs.append(make("w:r", {}, (make("w:fldChar", {"w:fldCharType": "end"}),)))
    return runs


def text_element(name: str, text: str) -> Element:
    element = make(name)
    element.text = text
    element.set(XML_SPACE, "preserve")
    return element


def header_footer_part(root_name: str, style: str, template: str) -> bytes:
    root = etree.Element(qname(root_name), nsmap={"w": W, "r": R})
    paragraph = make("w:p", {}, (make("w:pPr", {}, (make("w:pStyle", {"w:val": style}),)),))
    paragraph.extend(field_runs(template))
    root.append(paragraph)
    return serialise(root)


def set_page(document: WordDocument, spec: Spec) -> None:
    """The page: A4, the margins, header and footer distances, a first page of its own.

    The header and footer parts are referenced by fixed ids (python-docx would number them);
    pandoc's footnote numbering (restart in each section) is kept."""

    def twips(key: str) -> Twips:
        return Twips(to_twips(spec.length("page", key), Fraction(0)))  # ems mean nothing for a page

    properties = document.element.body.sectPr
    section = Section(properties, document.part)
    for child in list(properties):
        if local(child) != "footnotePr":
            properties.remove(child)
    properties.add_headerReference(WD_HEADER_FOOTER.PRIMARY, HEADER_DEFAULT[1])
    properties.add_headerReference(WD_HEADER_FOOTER.FIRST_PAGE, HEADER_FIRST[1])
    properties.add_footerReference(WD_HEADER_FOOTER.PRIMARY, FOOTER_DEFAULT[1])
    properties.add_footerReference(WD_HEADER_FOOTER.FIRST_PAGE, FOOTER_FIRST[1])
    section.page_width, section.page_height = twips("width"), twips("height")
    section.top_margin, section.right_margin = twips("margin_top"), twips("margin_right")
    section.bottom_margin, section.left_margin = twips("margin_bottom"), twips("margin_left")
    section.header_distance, section.footer_distance = twips("header_distance"), twips("footer_distance")
    section.gutter = Twips(0)
    section.different_first_page_header_footer = spec.flag("page", "different_first_page")


def add_samples(document: WordDocument, styles: HouseStyles, spec: Spec) -> None:
    """One paragraph per house style with a `sample`, before pandoc's own, so that reference.docx
    shows its own styles."""
    first = document.paragraphs[0]
    for entry in spec.styles:
        sample = entry.text("sample")
        if sample is None:
            continue
        style = styles.named(entry.name, entry.kind)
        assert isinstance(style, ParagraphStyle)  # samples show paragraph styles
        paragraph = first.insert_paragraph_before(style=style)
        for index, piece in enumerate(sample.split("\t")):
            if index:
                paragraph.add_run().add_tab()
            paragraph.add_run(piece)


def build_settings(data: bytes, spec: Spec) -> bytes:
    root = parse(data)
    for old in root.findall(qname("w:autoHyphenation")):
        root.remove(old)
    if spec.flag("document", "auto_hyphenation"):
        insert_before(root, make("w:autoHyphenation"), SETTINGS_AFTER_AUTO_HYPHENATION)
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
    entry = make("w:font", {"w:name": family}, (
        make("w:panose1", {"w:val": spec.text("font", "panose").upper()}),
        make("w:charset", {"w:val": "00"}),
        make("w:family", {"w:val": spec.text("font", "generic_family")}),
        make("w:pitch", {"w:val": spec.text("font", "pitch")}),
        make("w:sig", {f"w:{key}": str(signature[key]).upper() for key in keys}),
    ))  # fmt: skip
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
    document = docx.Document(io.BytesIO(base))
    styles = HouseStyles(document.styles, spec)
    styles.apply()
    add_samples(document, styles, spec)
    set_page(document, spec)
    parts["word/styles.xml"] = serialise(document.styles.element)
    parts["word/document.xml"] = serialise(document.element)
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
    return deterministic_zip(parts)


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


def show_part(package: Path, name: str) -> int:
    """The part, indented as a reviewer reads it (the file itself holds no blank text)."""
    try:
        with zipfile.ZipFile(package) as archive:
            root = parse(archive.read(name))
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        print(f"error: {package}: {error}", file=sys.stderr)
        return 1
    etree.indent(root, space="  ")
    print(etree.tostring(root, encoding="unicode"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--spec", type=Path, default=SPEC, help=f"the house style (default: {SPEC})")
    parser.add_argument(
        "--output", type=Path, default=REFERENCE_DOCX, help=f"where to write (default: {REFERENCE_DOCX})"
    )
    parser.add_argument(
        "--show", metavar="PART", help="print a part of the --output file indented (e.g. word/styles.xml), for review"
    )
    arguments = parser.parse_args(argv)
    if arguments.show:
        return show_part(arguments.output, arguments.show)
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
