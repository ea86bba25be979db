"""`pipeline ingest x.akn.xml`: an Akoma Ntoso document of the `akn` edition's shape -> canonical source.

Facts are read where AKN keeps them (statement name, FRBR URIs, preface, classification,
lifecycle, references) and from our `proprietary` element for what AKN has no place for
(sitting numbers, the adopting body, the BCP 47 tag). The body is written back as the Markdown a
person would write: one line per paragraph, its number first, notes after the paragraph that
calls them. Text is escaped so that every character reads back as itself.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

from .errors import Problems
from .frbr import FrbrError, FrbrUri
from .languages import LANGUAGES_BY_ISO_639_2
from .model import TextType
from .renderers.akn import NAMESPACE, PROPRIETARY

Origin = tuple[str, int]
AKN_SUFFIXES = (".akn", ".xml")  # the edition's file and the PDF's copy (<stem>.akn.xml), and older `.akn`
A = f"{{{NAMESPACE}}}"
P = f"{{{PROPRIETARY}}}"
HIERARCHY = {f"{A}paragraph", f"{A}subparagraph", f"{A}point"}
# Markdown would read these as markup: a backslash keeps each a plain character.
ESCAPED = re.compile(r"[\\`*_\[\]<]|&(?=#?\w+;)")
# ... and these only at the start of a line (a number, a heading, a quote, a rule, a list).
LINE_START = re.compile(r"^(?:(\d{1,3})\.|([a-z])\.(?=[ \u00a0]|$)|([#>+=|-]))", re.MULTILINE)
ALIGNMENTS = {"align-left": ":---", "align-center": ":---:", "align-right": "---:"}


class AknError(Exception):
    """A document this reader cannot take: not AKN, or not of the akn edition's shape."""


def akn_source(data: bytes, problems: Problems) -> tuple[str, list[Origin]] | None:
    """The canonical source's file name and lines; None after reporting why not."""
    try:
        return AknReader(_parse(data)).source()
    except AknError as exc:
        problems.error(1, str(exc), "ingest reads Akoma Ntoso documents as the akn edition writes them")
    except FrbrError as exc:
        problems.error(1, str(exc))
    return None


def _parse(data: bytes) -> ET.Element:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # no DTD, no entities: nothing to expand
        raise AknError("the document declares a DTD or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise AknError(f"not well-formed XML: {exc}") from None
    if root.tag != f"{A}akomaNtoso" or root.find(f"{A}statement") is None:
        raise AknError("not an Akoma Ntoso 3.0 statement (akomaNtoso/statement)")
    return root


class AknReader:
    def __init__(self, root: ET.Element) -> None:
        self.statement = _required(root, "statement")
        self.meta = _required(self.statement, "meta")
        self.notes: dict[str, str] = {}  # marker -> Markdown of the note, as its call is met

    def source(self) -> tuple[str, list[Origin]]:
        front = self.front_matter()
        body = self.body()
        name = self.expression().text_name(front["language"]).source_name
        lines = ["---", *(f"{key}: {value}" for key, value in front.items() if key != "adoption")]
        lines += ["adoption:", *self.adoption(), "---", ""]
        return name, [(line, 1) for line in [*lines, *body]]

    # Front matter -------------------------------------------------------------------------

    def expression(self) -> FrbrUri:
        return FrbrUri.parse(_value(self.meta, "identification/{a}FRBRExpression/{a}FRBRuri", "value"))

    def front_matter(self) -> dict[str, str]:
        kind = self.statement.get("name", "")
        if kind not in set(TextType):
            raise AknError(f"statement name {kind!r} is not a type of adopted text")
        uri = self.expression()
        text = self._proprietary("text")
        language = text.get("language") or LANGUAGES_BY_ISO_639_2[uri.language]
        preface = _required(self.statement, "preface")
        front = {
            "type": kind,
            "number": str(uri.number),
            "year": str(uri.year),
            "language": language,
            "title": _quoted("".join(_required(preface, ".//{a}docTitle").itertext())),
            "issued_by": _quoted("".join(_required(preface, ".//{a}docAuthority").itertext())),
            "status": text.get("status", "final"),
            "translation": text.get("translation", "official"),
            "keywords": "["
            + ", ".join(_quoted(k.get("value", "")) for k in self.meta.iterfind(_a(".//{a}keyword")))
            + "]",
        }
        return front

    def adoption(self) -> list[str]:
        adoption = self._proprietary("adoption")
        lines = [f"  by: {adoption.get('by', 'assembly')}"]
        debates = adoption.findall(f"{P}debate")
        if debates:
            lines.append("  debates:")
        for debate in debates:
            event = self._by_id(debate.get("event", ""))
            lines.append(f"    - date: {event.get('date', '')}")
            if debate.get("sitting"):
                lines.append(f"      sitting: {debate.get('sitting')}")
        documents = adoption.findall(f"{P}document")
        if documents:
            lines.append("  documents:")
        for document in documents:
            lines += [
                f"    - doc: {document.get('doc', '')}",
                f"      kind: {document.get('kind', 'report')}",
                f"      committee: {_quoted(self._by_id(document.get('committee', '')).get('showAs', ''))}",
                f"      rapporteur: {_quoted(self._by_id(document.get('rapporteur', '')).get('showAs', ''))}",
            ]
        lines.append(f"  date: {adoption.get('date', '')}")
        if adoption.get("sitting"):
            lines.append(f"  sitting: {adoption.get('sitting')}")
        if adoption.get("note") == "verbatim":
            note = _required(self.statement, "preface//{a}authorialNote[@eId='fn-1']/{a}p")
            lines.append(f"  note: {_quoted(self.inline(note))}")
        return lines

    def _proprietary(self, name: str) -> ET.Element:
        return _required(self.meta, f"{{a}}proprietary/{P}{name}")

    def _by_id(self, reference: str) -> ET.Element:
        eid = reference.removeprefix("#")
        for element in self.meta.iter():
            if element.get("eId") == eid:
                return element
        raise AknError(f"nothing in meta has the eId {eid!r}")

    # Body ---------------------------------------------------------------------------------

    def body(self) -> list[str]:
        lines: list[str] = []
        self.blocks(_required(self.statement, "mainBody"), lines)
        for attachment in self.statement.iterfind(_a("{a}attachments/{a}attachment/{a}doc")):
            heading = _required(attachment, "preface//{a}docTitle")
            _paragraph_break(lines)
            lines.append(f"## {self.inline(heading)}")
            self.blocks(_required(attachment, "mainBody"), lines)
        return lines

    def blocks(self, container: ET.Element, lines: list[str]) -> None:
        for element in container:
            self.block(element, lines)

    def block(self, element: ET.Element, lines: list[str]) -> None:
        if element.tag in HIERARCHY:
            self.paragraph(element, lines)
        elif element.tag == f"{A}p" and element.get("class") == "quotation":
            _paragraph_break(lines)
            quoted = [f"> {self.inline(p)}" for p in _required(element, "embeddedStructure").iterfind(f"{A}p")]
            lines += "\n>\n".join(quoted).split("\n")
            self.flush_notes(lines)
        elif element.tag == f"{A}table":
            self.table(element, lines)
        else:
            raise AknError(f"a <{_local(element.tag)}> has no place in the body of an adopted text")

    def paragraph(self, element: ET.Element, lines: list[str]) -> None:
        number = element.findtext(f"{A}num")
        wrapper = element.find(f"{A}intro")
        wrapper = _required(element, "content") if wrapper is None else wrapper
        first, *inserts = list(wrapper)
        text = self.inline(first)
        _paragraph_break(lines)
        lines.append(f"{number} {_line_starts(text)}" if number else _line_starts(text, at_start=True))
        self.flush_notes(lines)
        for insert in inserts:
            self.block(insert, lines)
        for child in element:
            if child.tag in HIERARCHY:
                self.paragraph(child, lines)

    def table(self, element: ET.Element, lines: list[str]) -> None:
        rows = element.findall(f"{A}tr")
        _paragraph_break(lines)
        for index, row in enumerate(rows):
            cells = [self.inline(_required(cell, "p")).replace("|", "\\|") for cell in row]
            lines.append("| " + " | ".join(cells) + " |")
            if index == 0:
                lines.append("| " + " | ".join(ALIGNMENTS.get(cell.get("class", ""), "---") for cell in row) + " |")
        self.flush_notes(lines)

    def flush_notes(self, lines: list[str]) -> None:
        for marker, text in self.notes.items():
            lines += ["", f"[^{marker}]: {text}"]
        self.notes.clear()

    def inline(self, element: ET.Element) -> str:
        """The Markdown of an element's mixed content."""
        parts = [_escaped(element.text or "")]
        for child in element:
            parts.append(self.inline_child(child))
            parts.append(_escaped(child.tail or ""))
        return "".join(parts)

    def inline_child(self, child: ET.Element) -> str:
        tag = _local(child.tag)
        if tag == "authorialNote":
            marker = child.get("marker", "")
            self.notes[marker] = self.inline(_required(child, "p"))
            return f"[^{marker}]"
        if tag == "a":
            href = child.get("href", "")
            target = f"<{href}>" if re.search(r"[\s()<>]", href) else href
            return f"[{self.inline(child)}]({target})"
        wrap: dict[str, Callable[[str], str]] = {
            "i": lambda text: f"*{text}*",
            "b": lambda text: f"**{text}**",
            "ref": str,  # a reference is recognised again from its words
            "span": str,
        }
        if tag == "br":
            return "\\\n"
        if tag not in wrap:
            raise AknError(f"an inline <{tag}> has no place in an adopted text")
        return wrap[tag](self.inline(child))


def _escaped(text: str) -> str:
    return ESCAPED.sub(lambda match: "\\" + match.group(), text)


def _line_starts(text: str, at_start: bool = False) -> str:
    """Escape what would open a block at the start of a line (after a line break, or the
    paragraph's first line when it has no number)."""

    def escape(match: re.Match[str]) -> str:
        if match.start() == 0 and not at_start:
            return match.group()
        if match.group(1) is not None:
            return f"{match.group(1)}\\."
        if match.group(2) is not None:
            return f"{match.group(2)}\\."
        return "\\" + match.group(3)

    return LINE_START.sub(escape, text)


def _paragraph_break(lines: list[str]) -> None:
    if lines:
        lines.append("")


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _a(path: str) -> str:
    return path.replace("{a}", A)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _required(element: ET.Element, path: str) -> ET.Element:
    path = _a(path if path.startswith((".", "{")) else "{a}" + path)
    found = element.find(path)
    if found is None:
        raise AknError(f"the document has no {path.replace(A, '')}")
    return found


def _value(element: ET.Element, path: str, attribute: str) -> str:
    return _required(element, path).get(attribute, "")
