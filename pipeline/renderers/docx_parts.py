"""Per-document touches to the parts pandoc copies verbatim from reference.docx.

The running header is a STYLEREF "Citation" field: readers that update fields show the citation;
the cached result written here makes the others (LibreOffice 7.4 among them) show it too. The
footer's "Page X of Y" words are translated into the document's language. Footnotes are numbered
on through the document, as in every other edition: pandoc's section properties restart them at
each section, which LibreOffice shows as two notes numbered 1.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import lxml.etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
PLACEHOLDER = re.compile(r"\{(page|pages)\}")


def running_parts(package: bytes, citation: str, page_label: str) -> dict[str, bytes]:
    """New contents of the header and footer parts of `package`.

    `page_label` is the translated "Page {page} of {pages}".
    """
    pieces = PLACEHOLDER.split(page_label)  # ["Page ", "page", " of ", "pages", ""]
    if pieces[1::2] != ["page", "pages"]:
        raise ValueError(f"the page label {page_label!r} must name {{page}} before {{pages}}")
    replaced: dict[str, bytes] = {}
    with zipfile.ZipFile(BytesIO(package)) as docx:
        for name in docx.namelist():
            if re.fullmatch(r"word/(header|footer)\d+\.xml", name):
                root = lxml.etree.fromstring(docx.read(name))
                changed = _cache_citation(root, citation) | _translate_page_words(root, pieces[0], pieces[2])
                if changed:
                    replaced[name] = lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return replaced


def _cache_citation(root: lxml.etree._Element, citation: str) -> bool:
    changed = False
    for instruction in root.xpath("//w:instrText[contains(., 'STYLEREF')]", namespaces=NS):
        separate = instruction.getparent().xpath(
            "following-sibling::w:r[w:fldChar/@w:fldCharType='separate'][1]", namespaces=NS
        )[0]
        run = lxml.etree.Element(f"{{{W}}}r")
        text = lxml.etree.SubElement(run, f"{{{W}}}t")
        text.text = citation
        separate.addnext(run)
        changed = True
    return changed


def _translate_page_words(root: lxml.etree._Element, before_page: str, before_pages: str) -> bool:
    """Replace the literal words around the PAGE and NUMPAGES fields."""
    texts = root.xpath("//w:t[. = 'Page ' or . = ' of ']", namespaces=NS)
    for element in texts:
        element.text = before_page if element.text == "Page " else before_pages
    return bool(texts)


def continuous_notes(package: bytes) -> dict[str, bytes]:
    """The document part without footnote-numbering restarts (the default is continuous)."""
    with zipfile.ZipFile(BytesIO(package)) as docx:
        data = docx.read("word/document.xml")
    root = lxml.etree.fromstring(data)
    restarts = root.xpath("//w:footnotePr/w:numRestart", namespaces=NS)
    for restart in restarts:
        properties = restart.getparent()
        properties.remove(restart)
        if len(properties) == 0:  # nothing else said: drop the element and its blank text
            properties.getparent().remove(properties)
    if not restarts:
        return {}
    return {"word/document.xml": lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}


# Styles Word needs whatever the text uses: the defaults every style rests on, and the parts of
# notes, links and running heads that pandoc writes by these names.
STRUCTURAL_STYLES = frozenset(
    {
        "Normal",
        "Default Paragraph Font",
        "Table",
        "Footnote Text",
        "Footnote Reference",
        "Hyperlink",
        "Header",
        "Footer",
    }
)
STATISTICS = ("Pages", "Words", "Characters", "CharactersWithSpaces", "Lines", "Paragraphs", "TotalTime")
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"


def house_styles(package: bytes, house: frozenset[str], language: str) -> dict[str, bytes]:
    """The styles part with only the house styles, the structural ones and what the text uses
    (each with the styles it is based on or linked to): pandoc adds its own leftovers (syntax
    highlighting, Bibliography, Heading 1–9 …) that have no place in an adopted text. The text's
    language is its regional tag there ("en-GB", "fr-FR"), for Word's spelling and hyphenation;
    the script styles (Armenian, Georgian) keep their own."""
    with zipfile.ZipFile(BytesIO(package)) as docx:
        root = lxml.etree.fromstring(docx.read("word/styles.xml"))
        used = {
            str(value)
            for name in docx.namelist()
            if re.fullmatch(r"word/(document|footnotes|header\d+|footer\d+)\.xml", name)
            for value in lxml.etree.fromstring(docx.read(name)).xpath(
                "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS
            )
        }
    styles = {str(style.get(f"{{{W}}}styleId")): style for style in root.xpath("//w:style", namespaces=NS)}
    keep = {name.lower() for name in house | STRUCTURAL_STYLES}  # Word matches style names case-insensitively
    wanted = [
        style_id
        for style_id, style in styles.items()
        if style_id in used or str(style.xpath("string(w:name/@w:val)", namespaces=NS)).lower() in keep
    ]
    kept: set[str] = set()
    while wanted:  # the closure over basedOn, link and next: a kept style never points at a removed one
        style_id = wanted.pop()
        if style_id in kept or style_id not in styles:
            continue
        kept.add(style_id)
        wanted += styles[style_id].xpath("w:basedOn/@w:val | w:link/@w:val | w:next/@w:val", namespaces=NS)
    for style_id, style in styles.items():
        if style_id not in kept:
            style.getparent().remove(style)
    base = language.split("-")[0]
    for tag in root.xpath("//w:lang[@w:val]", namespaces=NS):
        if tag.get(f"{{{W}}}val").split("-")[0] == base:
            tag.set(f"{{{W}}}val", language)
    return {"word/styles.xml": lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}


def regional_language(package: bytes, language: str) -> dict[str, bytes]:
    """The theme's language set to the text's regional one ("en-GB", "fr-FR"): pandoc leaves
    reference.docx's en-US there, which Word uses for text set in the theme's fonts."""
    with zipfile.ZipFile(BytesIO(package)) as docx:
        root = lxml.etree.fromstring(docx.read("word/settings.xml"))
    for theme in root.xpath("//w:themeFontLang", namespaces=NS):
        theme.set(f"{{{W}}}val", language)
    return {"word/settings.xml": lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}


def without_statistics(package: bytes) -> dict[str, bytes]:
    """The extended properties without page, word and character counts: pandoc copies those of
    reference.docx, which are not this document's (Word recounts them when it saves)."""
    with zipfile.ZipFile(BytesIO(package)) as docx:
        root = lxml.etree.fromstring(docx.read("docProps/app.xml"))
    for name in STATISTICS:
        for element in root.findall(f"{{{EXTENDED}}}{name}"):
            root.remove(element)
    return {"docProps/app.xml": lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
