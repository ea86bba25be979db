"""Per-document touches to the parts pandoc copies verbatim from reference.docx.

The running header is a STYLEREF "Citation" field: readers that update fields show the citation;
the cached result written here makes the others (LibreOffice 7.4 among them) show it too. The
footer's "Page X of Y" words are translated into the document's language. Footnotes are numbered
on through the document, as in every other edition: pandoc's section properties restart them at
each section, which LibreOffice shows as two notes numbered 1.
"""

from __future__ import annotations

import re

import lxml.etree

from .package import NS, Package, w

PLACEHOLDER = re.compile(r"\{(page|pages)\}")
RUNNING_PART = re.compile(r"word/(header|footer)\d+\.xml")


def running_heads(package: Package, citation: str, page_label: str) -> None:
    """The header's cached citation and the footer's words in the document's language.

    `page_label` is the translated "Page {page} of {pages}".
    """
    pieces = PLACEHOLDER.split(page_label)  # ["Page ", "page", " of ", "pages", ""]
    if pieces[1::2] != ["page", "pages"]:
        raise ValueError(f"the page label {page_label!r} must name {{page}} before {{pages}}")
    for name in package.names():
        if RUNNING_PART.fullmatch(name):
            root = package.xml(name)
            if _cache_citation(root, citation) | _translate_page_words(root, pieces[0], pieces[2]):
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
