"""The DOCX volume: one document for the delegations, made by pandoc from every text's DOCX
edition HTML with the house reference.docx, then given what pandoc cannot write: a TOC field,
one section per text with its own running head, and footnotes numbered from 1 in each text."""

from __future__ import annotations

import copy
import re
from typing import Any, ClassVar

import lxml.etree
from markupsafe import Markup

from ..config import Config
from ..errors import RenderError
from ..i18n import translations
from ..model import Document
from ..renderers.docx import DOCX_ASSETS, DocxRenderer, running_status
from ..renderers.docx.fonts import embed_fonts
from ..renderers.docx.package import NS, Package, R, W, to_xml
from ..renderers.docx.parts import indented_tables, lead_ins_kept_with_next, running_heads
from ..renderers.pandoc import run_pandoc
from ..templating import citation, environment, full_title
from .selection import Volume, anchor

HEADER_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
HEADER_MEDIA = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
DEFAULT_HEADER, FIRST_HEADER = "rIdHouseHeaderDefault", "rIdHouseHeaderFirst"  # as reference.docx names them
PLACEHOLDER = "volume-contents-field"
# Group headings (Heading 1) and the texts' titles make the contents; Word fills in the pages.
TOC_INSTRUCTION = ' TOC \\h \\z \\t "Heading 1,1,Title,2" '
# The ids the base macros write for notes and calls, prefixed per text as the model's ids are.
NOTE_IDS = re.compile(r'(id="|href="#)(fn|fnref)-([0-9]+)"')
# In sectPr, the schema's order: references first, then these.
SECTION_ORDER = ("headerReference", "footerReference", "footnotePr", "endnotePr", "type")


class VolumeDocxRenderer:
    name: ClassVar[str] = "docx"
    extension: ClassVar[str] = "docx"

    def __init__(self, config: Config) -> None:
        self.config = config
        self.single = DocxRenderer(config)

    def render_volume(self, volume: Volume) -> bytes:
        html = self.volume_html(volume)
        self.single.check_styles(html, volume.stem)
        made = run_pandoc(
            html,
            "docx",
            {"lang": volume.language},
            volume.stem,
            [
                "--reference-doc",
                str(DOCX_ASSETS / "reference.docx"),
                "--lua-filter",
                str(DOCX_ASSETS / "number-tab.lua"),
            ],
        )
        page_label = translations(volume.language).gettext("Page {page} of {pages}")
        package = Package(made)
        package.put("docProps/core.xml", self.core_properties(volume).encode("utf-8"))
        header_part = _part_of(package, DEFAULT_HEADER)
        headers = [self.running_head(made, header_part, text, page_label) for text in volume.texts]
        running_heads(package, "", page_label)  # the cover's and contents' pages: no running head
        document = package.xml("word/document.xml")
        self._contents_field(document, volume)
        self._sections(document, len(volume.texts), volume.stem, volume.recto)
        _numbered_per_text(document)
        package.changed("word/document.xml")
        # As in each text's own DOCX: lead-ins kept with their first item, tables at their paragraph's indent.
        lead_ins_kept_with_next(package)
        indents = [indent for text in volume.texts for indent in self.single.table_indents(text)]
        indented_tables(package, indents, self.single.text_width)
        for index, header in enumerate(headers, start=1):
            package.put(f"word/header-text-{index}.xml", header)
        _with_headers(package, len(headers))
        _with_header_types(package, [f"word/header-text-{index}.xml" for index in range(1, len(headers) + 1)])
        _updating_fields(package)
        embed_fonts(package, self.single.faces)  # as the text's own DOCX: Word sets the house faces
        return package.to_bytes()

    def running_head(self, made: bytes, part: str, text: Document, page_label: str) -> bytes:
        """The header part of one text's section: the house header with its citation cached and,
        for a provisional text, its status at the right, as in the text's own DOCX."""
        own = Package(made)
        running_heads(own, citation(text.metadata), page_label, running_status(text.metadata))
        return to_xml(own.xml(part))

    def core_properties(self, volume: Volume) -> str:
        """The volume's title, body, status and date: pandoc's are empty and dated 1970."""
        return (
            self.single.templates(volume.texts[0])
            .get_template("volume/docx-core.xml.j2")
            .render(volume=volume, issuing_body=volume.texts[0].metadata.issuing_body)
        )

    def volume_html(self, volume: Volume) -> str:
        """Each text's <main> as its DOCX edition renders it, under its type's heading."""
        articles = {}
        for text in volume.texts:
            page = self.single.render_template(text)
            # Autoescaping writes a source's "<" as &lt;: the only <main> tags are the template's.
            inner = page.partition("<main>")[2].rpartition("</main>")[0]
            if not inner:
                raise RenderError(text.stem, self.name, "the DOCX template's page has no <main>")
            articles[text.stem] = Markup(NOTE_IDS.sub(rf'\1{anchor(text)}-\2-\3"', inner))
        return (
            self.single.templates(volume.texts[0])
            .get_template("volume/docx.html.j2")
            .render(
                volume=volume,
                meta=volume,
                edition=self.single,
                issuing_body=volume.texts[0].metadata.issuing_body,
                articles=articles,
                anchors={text.stem: anchor(text) for text in volume.texts},
                contents_placeholder=PLACEHOLDER,
            )
        )

    def _contents_field(self, document: Any, volume: Volume) -> None:
        """The placeholder paragraph becomes a TOC field, its result the types and texts as
        readers that do not update fields show it (LibreOffice); Word fills in the pages."""
        found = [p for p in document.iter(f"{{{W}}}p") if "".join(p.itertext()) == PLACEHOLDER]
        if len(found) != 1:
            raise RenderError(volume.stem, self.name, "the contents' placeholder is not in pandoc's document")
        first = found[0]
        for run in first.findall(f"{{{W}}}r"):
            first.remove(run)
        _on_a_page_of_its_own(first.getprevious())  # the contents' heading: the cover is page 1 alone
        entries = [
            line
            for group in volume.groups
            for line in (
                str(group_name(volume, group.type)),
                *(full_title(t.metadata) for t in group.texts),
            )
        ]
        _field_char(first, "begin").set(f"{{{W}}}dirty", "true")
        _words(first, TOC_INSTRUCTION, tag="instrText")
        _field_char(first, "separate")
        _words(first, entries[0])
        paragraph = first
        for entry in [*entries[1:], ""]:
            following = copy.deepcopy(first.find("w:pPr", NS))
            paragraph.addnext(lxml.etree.Element(f"{{{W}}}p"))
            paragraph = paragraph.getnext()
            if following is not None:
                paragraph.append(following)
            if entry:
                _words(paragraph, entry)
        _field_char(paragraph, "end")

    def _sections(self, document: Any, texts: int, stem: str, recto: bool) -> None:
        """A section break before each text (before its type's heading for the first of a type);
        each section's header is its text's, its notes numbered from 1; in a `recto` volume each
        text's section starts on a right-hand page, as the PDF's."""
        body = document.find(f"{{{W}}}body")
        last = body.find(f"{{{W}}}sectPr")
        starts = [p for p in body.findall(f"{{{W}}}p") if _starts_text(p)]
        if len(starts) != texts:
            raise RenderError(stem, self.name, f"found {len(starts)} texts in pandoc's document, not {texts}")
        for index, start in enumerate(starts):
            # The paragraph before `start` ends the previous section: the cover, or text `index`.
            # A sectPr says how the section it ends starts: the cover's (index 0) on a new page.
            start_on = "oddPage" if recto and index > 0 else "nextPage"
            section = _section(last, FIRST_HEADER if index == 0 else f"rIdTextHeader{index}", start_on)
            start.addprevious(_break(section))
        _configure(last, f"rIdTextHeader{texts}", "oddPage" if recto else "nextPage")


def _words(paragraph: Any, words: str, tag: str = "t") -> None:
    run = lxml.etree.SubElement(paragraph, f"{{{W}}}r")
    text = lxml.etree.SubElement(run, f"{{{W}}}{tag}")
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    text.text = words


# What may come before w:pageBreakBefore in a paragraph's properties (the schema's order).
BEFORE_PAGE_BREAK = frozenset(f"{{{W}}}{name}" for name in ("pStyle", "keepNext", "keepLines"))


def _on_a_page_of_its_own(paragraph: Any) -> None:
    """`paragraph` (the contents' heading) starts a page, as the print volume's contents do."""
    properties = paragraph.find("w:pPr", NS)
    if properties is None:
        properties = lxml.etree.Element(f"{{{W}}}pPr")
        paragraph.insert(0, properties)
    earlier = [child for child in properties if child.tag in BEFORE_PAGE_BREAK]
    index = properties.index(earlier[-1]) + 1 if earlier else 0
    properties.insert(index, lxml.etree.Element(f"{{{W}}}pageBreakBefore"))


def _field_char(paragraph: Any, kind: str) -> Any:
    run = lxml.etree.SubElement(paragraph, f"{{{W}}}r")
    return lxml.etree.SubElement(run, f"{{{W}}}fldChar", {f"{{{W}}}fldCharType": kind})


def group_name(volume: Volume, kind: Any) -> str:
    """The type's heading in the volume's language, from the templates' one macro."""
    macros: Any = environment(volume.language).get_template("volume/macros.html.j2").module
    return str(macros.group_name(kind))


def _numbered_per_text(document: Any) -> None:
    """Each note call shows its number within its text as its mark (the note repeats it).

    Word's own numbering restarts in each section (numRestart), but LibreOffice 7.4 numbers the
    first note of every section after the first 0: the marks make every reader show the PDF's.
    """
    number = 0
    for child in document.find(f"{{{W}}}body"):
        if child.tag == f"{{{W}}}p" and child.find("w:pPr/w:sectPr", NS) is not None:
            number = 0  # a section break: the next text begins
        for reference in child.iter(f"{{{W}}}footnoteReference"):
            number += 1
            reference.set(f"{{{W}}}customMarkFollows", "1")
            mark = lxml.etree.Element(f"{{{W}}}t")
            mark.text = str(number)
            reference.addnext(mark)


def _starts_text(paragraph: Any) -> bool:
    style = paragraph.find("w:pPr/w:pStyle", NS)
    name = style.get(f"{{{W}}}val") if style is not None else ""
    if name == "Heading1":
        return True
    previous = paragraph.getprevious()
    while previous is not None and previous.tag != f"{{{W}}}p":  # a text's bookmark starts between them
        previous = previous.getprevious()
    previous_style = previous.find("w:pPr/w:pStyle", NS) if previous is not None else None
    after_heading = previous_style is not None and previous_style.get(f"{{{W}}}val") == "Heading1"
    return name == "Citation" and not after_heading


def _section(model: Any, header: str, start_on: str) -> Any:
    section = copy.deepcopy(model)
    _configure(section, header, start_on)
    return section


def _configure(section: Any, header: str, start_on: str) -> None:
    """Its default header `header`; a new page (`start_on`: nextPage or oddPage); notes restarting at 1."""
    for reference in section.findall("w:headerReference", NS):
        if reference.get(f"{{{W}}}type") == "default":
            reference.set(f"{{{R}}}id", header)
    for old in section.findall("w:footnotePr", NS) + section.findall("w:type", NS):
        section.remove(old)
    notes = lxml.etree.Element(f"{{{W}}}footnotePr")
    # numStart too: without it LibreOffice 7.4 numbers the first note of the next sections 0.
    lxml.etree.SubElement(notes, f"{{{W}}}numStart", {f"{{{W}}}val": "1"})
    lxml.etree.SubElement(notes, f"{{{W}}}numRestart", {f"{{{W}}}val": "eachSect"})
    kind = lxml.etree.Element(f"{{{W}}}type", {f"{{{W}}}val": start_on})
    references = [c for c in section if lxml.etree.QName(c).localname in SECTION_ORDER[:2]]
    position = section.index(references[-1]) + 1 if references else 0
    section.insert(position, notes)
    section.insert(position + 1, kind)


def _break(section: Any) -> Any:
    paragraph = lxml.etree.Element(f"{{{W}}}p")
    lxml.etree.SubElement(paragraph, f"{{{W}}}pPr").append(section)
    return paragraph


def _part_of(package: Package, relation: str) -> str:
    for rel in package.xml("word/_rels/document.xml.rels"):
        if rel.get("Id") == relation:
            return "word/" + str(rel.get("Target"))
    raise KeyError(relation)


def _with_headers(package: Package, texts: int) -> None:
    rels = package.xml("word/_rels/document.xml.rels")
    namespace = lxml.etree.QName(rels).namespace
    for index in range(1, texts + 1):
        lxml.etree.SubElement(
            rels,
            f"{{{namespace}}}Relationship",
            {"Id": f"rIdTextHeader{index}", "Type": HEADER_TYPE, "Target": f"header-text-{index}.xml"},
        )
    package.changed("word/_rels/document.xml.rels")


def _with_header_types(package: Package, names: list[str]) -> None:
    types = package.xml("[Content_Types].xml")
    namespace = lxml.etree.QName(types).namespace
    for name in names:
        lxml.etree.SubElement(types, f"{{{namespace}}}Override", {"PartName": f"/{name}", "ContentType": HEADER_MEDIA})
    package.changed("[Content_Types].xml")


# What may follow updateFields and footnotePr in CT_Settings: they go before the first of these.
SETTINGS_AFTER = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids")


def _updating_fields(package: Package) -> None:
    """Settings that make Word update the contents' field when the document opens, and number
    notes from 1 in each section."""
    settings = package.xml("word/settings.xml")
    later = [child for child in settings if lxml.etree.QName(child).localname in SETTINGS_AFTER]
    update = lxml.etree.Element(f"{{{W}}}updateFields", {f"{{{W}}}val": "true"})
    notes = lxml.etree.Element(f"{{{W}}}footnotePr")
    lxml.etree.SubElement(notes, f"{{{W}}}numRestart", {f"{{{W}}}val": "eachSect"})
    for element in (update, notes):
        if later:
            later[0].addprevious(element)
        else:
            settings.append(element)
    package.changed("word/settings.xml")
