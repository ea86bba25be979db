"""The EPUB content documents as pandoc writes them, made to show their notes as the PDF does.

pandoc's EPUB 3 writer turns the template's note calls and notes into its own: calls are bare
digits (its default stylesheet, which ours replaces, raised them), the notes carry no number
and no heading, and each document is titled with its file name. Here every call becomes a
superscript link, every note starts with its number, the notes get a heading in the text's
language, and the title is the text's citation. pandoc numbers notes in order of call, as the
model does (the title note is 1), so its numbers are the model's; the suite checks it.
An appendix's heading gets back the id its `aria-labelledby` names (pandoc moves it to a section).
Words in another script, which pandoc gives `lang` only, also get the `xml:lang` that XML
reading systems read (EPUB 3 content documents are XML).
"""

from __future__ import annotations

import re

import lxml.etree

from .zipparts import Package

XHTML = "http://www.w3.org/1999/xhtml"
EPUB_OPS = "http://www.idpf.org/2007/ops"
NS = {"x": XHTML, "epub": EPUB_OPS}
CONTENT_DOCUMENT = re.compile(r"EPUB/text/ch\d+\.xhtml")
DOCTYPE = "<!DOCTYPE html>"
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def numbered_notes(package: Package, title: str, heading: str) -> dict[str, bytes]:
    """New contents of the content documents of `package`."""
    replaced: dict[str, bytes] = {}
    for name in package.names():
        if CONTENT_DOCUMENT.fullmatch(name):
            root = lxml.etree.fromstring(package.read(name))
            _retitle(root, title)
            _raise_calls(root)
            _number_notes(root, heading)
            _xml_languages(root)
            _labelling_headings(root)
            body = lxml.etree.tostring(root, encoding="unicode", doctype=DOCTYPE)
            replaced[name] = DECLARATION + body.encode("utf-8") + b"\n"
    return replaced


def _labelling_headings(root: lxml.etree._Element) -> None:
    """pandoc moves a heading's id onto a section it wraps around the heading and what follows,
    so an appendix's `aria-labelledby` named the whole appendix: the id goes back to its heading
    (the navigation document's links land on the heading all the same)."""
    for labelled in root.xpath("//*[@aria-labelledby]"):
        label = labelled.get("aria-labelledby")
        for wrapper in root.xpath("//x:section[@id=$label]", namespaces=NS, label=label):
            heading = next(iter(wrapper), None)
            if heading is not None and lxml.etree.QName(heading).localname in HEADINGS and not heading.get("id"):
                del wrapper.attrib["id"]
                heading.set("id", label)


def _xml_languages(root: lxml.etree._Element) -> None:
    for element in root.xpath("//*[@lang and not(@xml:lang)]"):
        element.set(XML_LANG, element.get("lang"))


def _element(tag: str, text: str = "", **attributes: str) -> lxml.etree._Element:
    element = lxml.etree.Element(f"{{{XHTML}}}{tag}", attributes)
    element.text = text or None
    return element


def _retitle(root: lxml.etree._Element, title: str) -> None:
    for element in root.iterfind("x:head/x:title", NS):
        element.text = title


def _raise_calls(root: lxml.etree._Element) -> None:
    for call in root.xpath("//x:a[@role='doc-noteref']", namespaces=NS):
        number = "".join(call.itertext())
        for child in list(call):
            call.remove(child)
        call.text = None
        call.append(_element("sup", number))


def _number_notes(root: lxml.etree._Element, heading: str) -> None:
    for section in root.xpath("//x:section[@epub:type='footnotes']", namespaces=NS):
        for rule in section.iterfind("x:hr", NS):
            section.remove(rule)
        title = _element("h2", heading, id="notes-heading")
        title.tail = "\n"
        section.insert(0, title)
        section.set("aria-labelledby", "notes-heading")
        for note in section.iterfind("x:aside", NS):
            number = str(note.get("id", "")).removeprefix("fn")
            first = note.find("x:p", NS)
            if first is None or not number.isdigit():
                continue
            label = _element("span", number, **{"class": "note-number"})
            label.tail = " " + (first.text or "")
            first.text = None
            first.insert(0, label)
