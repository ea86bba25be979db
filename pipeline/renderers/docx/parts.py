"""Per-document touches to the parts pandoc copies verbatim from reference.docx.

The running header is a STYLEREF "Citation" field: readers that update fields show the citation;
the cached result written here makes the others (LibreOffice 7.4 among them) show it too. A
provisional text's status is added at the header's right, on every page, as the PDF prints it. The
footer's "Page X of Y" words are translated into the document's language. Footnotes are numbered
on through the document, as in every other edition: pandoc's section properties restart them at
each section, which LibreOffice shows as two notes numbered 1.
"""

from __future__ import annotations

import functools
import itertools
import re

import lxml.etree

from .package import NS, Package, to_xml, w

PLACEHOLDER = re.compile(r"\{(page|pages)\}")
RUNNING_PART = re.compile(r"word/(header|footer)\d+\.xml")
# The header's line has the tab stops of styles.toml's "Header": its centre (the citation, after
# one tab) and its right margin (the status, after two), as the PDF's @top-center and @top-right.
STATUS_TABS = 2
STATUS_STYLE = "HeaderStatus"  # styles.toml's "Header Status": the PDF's bold spaced capitals
# Style ids: level 1; levels 2 to 5, and lettered items at levels 2 to 6
NUMBERED_STYLE = re.compile(r"BodyParagraph|(?:SubParagraph|LetteredItem)(\d)")
# What follows w:tblInd in a table's properties (the schema's order: tblStyle … tblW, jc,
# tblCellSpacing, then tblInd)
TABLE_PROPERTIES_AFTER_INDENT = frozenset(
    f"{{http://schemas.openxmlformats.org/wordprocessingml/2006/main}}{name}"
    for name in ("tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")
)


def running_heads(package: Package, citation: str, page_label: str, status: str | None = None) -> None:
    """The header's cached citation, the text's status at its right, and the footer's words in
    the document's language.

    `page_label` is the translated "Page {page} of {pages}"; `status` the translated "Provisional
    version", or None (a final text): it goes in every header, the first page's too.
    """
    pieces = PLACEHOLDER.split(page_label)  # ["Page ", "page", " of ", "pages", ""]
    if pieces[1::2] != ["page", "pages"]:
        raise ValueError(f"the page label {page_label!r} must name {{page}} before {{pages}}")
    for name in package.names():
        part = RUNNING_PART.fullmatch(name)
        if part:
            root = package.xml(name)
            changed = _cache_citation(root, citation) | _translate_page_words(root, pieces[0], pieces[2])
            if status and part[1] == "header":
                changed |= _status_at_right(root, status)
            if changed:
                package.changed(name)


def _cache_citation(root: lxml.etree._Element, citation: str) -> bool:
    changed = False
    for instruction in root.xpath("//w:instrText[contains(., 'STYLEREF')]", namespaces=NS):
        separate = instruction.getparent().xpath(
            "following-sibling::w:r[w:fldChar/@w:fldCharType='separate'][1]", namespaces=NS
        )[0]
        run = lxml.etree.Element(w("r"))
        text = lxml.etree.SubElement(run, w("t"))
        text.text = citation
        separate.addnext(run)
        changed = True
    return changed


def _status_at_right(root: lxml.etree._Element, status: str) -> bool:
    """`status` at the right margin of the header's (last) line: after its second tab, in the
    house style of the PDF's status; an empty header (the first page's) gets both tabs."""
    lines = root.findall("w:p", NS)
    if not lines:
        return False
    line = lines[-1]
    for _ in range(STATUS_TABS - len(line.findall("w:r/w:tab", NS))):
        lxml.etree.SubElement(lxml.etree.SubElement(line, w("r")), w("tab"))
    run = lxml.etree.SubElement(line, w("r"))
    properties = lxml.etree.SubElement(run, w("rPr"))
    lxml.etree.SubElement(properties, w("rStyle"), {w("val"): STATUS_STYLE})
    lxml.etree.SubElement(run, w("t")).text = status
    return True


def _translate_page_words(root: lxml.etree._Element, before_page: str, before_pages: str) -> bool:
    """Replace the literal words around the PAGE and NUMPAGES fields."""
    texts = root.xpath("//w:t[. = 'Page ' or . = ' of ']", namespaces=NS)
    for element in texts:
        element.text = before_page if element.text == "Page " else before_pages
    return bool(texts)


def continuous_notes(package: Package) -> None:
    """The document part without footnote-numbering restarts (the default is continuous)."""
    root = package.xml("word/document.xml")
    restarts = root.xpath("//w:footnotePr/w:numRestart", namespaces=NS)
    for restart in restarts:
        properties = restart.getparent()
        properties.remove(restart)
        if len(properties) == 0:  # nothing else said: drop the element and its blank text
            properties.getparent().remove(properties)
    if restarts:
        package.changed("word/document.xml")


def lead_ins_kept_with_next(package: Package) -> None:
    """A paragraph that ends with a colon and leads into deeper ones ("recommends that the
    Committee of Ministers:") is kept on the page of the first of them, as the PDF keeps its
    lead-ins: a page would otherwise end on it, its items all on the next."""
    root = package.xml("word/document.xml")
    paragraphs = root.xpath("/w:document/w:body/w:p", namespaces=NS)  # not a table cell's
    changed = False
    for current, following in itertools.pairwise(paragraphs):
        level, deeper = _level(current), _level(following)
        if level is None or deeper is None or deeper <= level:
            continue
        if not "".join(current.xpath(".//w:t/text()", namespaces=NS)).rstrip().endswith(":"):
            continue
        style = current.find("w:pPr/w:pStyle", NS)  # there: _level found it
        after = style.getnext()
        if after is None or after.tag != w("keepNext"):
            style.addnext(lxml.etree.Element(w("keepNext")))  # the schema's order: pStyle, then keepNext
            changed = True
    if changed:
        package.changed("word/document.xml")


def indented_tables(package: Package, indents: list[int], text_width: int) -> None:
    """Each table of the body set at `indents` (twips, in document order: the text indent of the
    paragraph it belongs to, as the print and web editions set it), its columns narrowed to
    keep it within the text width. pandoc sets every table at the margin."""
    root = package.xml("word/document.xml")
    tables = root.xpath("/w:document/w:body/w:tbl", namespaces=NS)
    if len(tables) != len(indents):  # not a text's own template (a volume, a synopsis): left as it is
        return
    for table, indent in zip(tables, indents, strict=True):
        if indent <= 0:
            continue
        properties = table.find("w:tblPr", NS)
        later = [child for child in properties if child.tag in TABLE_PROPERTIES_AFTER_INDENT]
        element = lxml.etree.Element(w("tblInd"), {w("w"): str(indent), w("type"): "dxa"})
        if later:
            later[0].addprevious(element)
        else:
            properties.append(element)
        columns = table.findall("w:tblGrid/w:gridCol", NS)
        widths = [int(column.get(w("w"), "0")) for column in columns]
        room = text_width - indent
        if sum(widths) > room > 0:
            for column, width in zip(columns, widths, strict=True):
                column.set(w("w"), str(width * room // sum(widths)))
    if any(indent > 0 for indent in indents):
        package.changed("word/document.xml")


def _level(paragraph: lxml.etree._Element) -> int | None:
    """A numbered or lettered paragraph's level (1 to 6) by its house style; None for any other."""
    style = paragraph.find("w:pPr/w:pStyle", NS)
    found = NUMBERED_STYLE.fullmatch(str(style.get(w("val")))) if style is not None else None
    if found is None:
        return None
    return int(found[1]) if found[1] else 1


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
USING_STYLES = re.compile(r"word/(document|footnotes|header\d+|footer\d+)\.xml")


def house_styles(package: Package, house: frozenset[str], language: str) -> None:
    """The styles part with only the house styles, the structural ones and what the text uses
    (each with the styles it is based on or linked to): pandoc adds its own leftovers (syntax
    highlighting, Bibliography, Heading 1–9 …) that have no place in an adopted text. The text's
    language is its regional tag there ("en-GB", "fr-FR"), for Word's spelling and hyphenation;
    the script styles (Armenian, Georgian) keep their own."""
    used = frozenset(
        str(value)
        for name in package.names()
        if USING_STYLES.fullmatch(name)
        for value in package.xml(name).xpath(
            "//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS
        )
    )
    # pandoc writes the same styles part for most texts: its trimmed bytes are kept, by what decides them
    package.put("word/styles.xml", _trimmed_styles(package.read("word/styles.xml"), used, house, language))


@functools.lru_cache(maxsize=32)
def _trimmed_styles(part: bytes, used: frozenset[str], house: frozenset[str], language: str) -> bytes:
    root = lxml.etree.fromstring(part)
    styles = {str(style.get(w("styleId"))): style for style in root.xpath("//w:style", namespaces=NS)}
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
        if tag.get(w("val")).split("-")[0] == base:
            tag.set(w("val"), language)
    return to_xml(root)


def regional_language(package: Package, language: str) -> None:
    """The theme's language set to the text's regional one ("en-GB", "fr-FR"): pandoc leaves
    reference.docx's en-US there, which Word uses for text set in the theme's fonts."""
    root = package.xml("word/settings.xml")
    for theme in root.xpath("//w:themeFontLang", namespaces=NS):
        theme.set(w("val"), language)
    package.changed("word/settings.xml")


def without_statistics(package: Package) -> None:
    """The extended properties without page, word and character counts: pandoc copies those of
    reference.docx, which are not this document's (Word recounts them when it saves)."""
    root = package.xml("docProps/app.xml")
    for name in STATISTICS:
        for element in root.findall(f"{{{EXTENDED}}}{name}"):
            root.remove(element)
    package.changed("docProps/app.xml")
