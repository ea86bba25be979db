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
