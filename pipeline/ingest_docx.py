"""A DOCX in the house styles -> its paragraphs, tables and footnotes, as Markdown inline text.

Reads our own DOCX edition, or any Word document that uses the reference document's styles
(matched by name, as Word does). Runs become Markdown: bold and italic as `**` and `*`, footnote
references as `[^n]`, links to the web as `[text](https://…)`, and mentions of other texts (links
the edition made from references) as plain text, which `pipeline check` links again. Tracked
changes still pending are counted, never accepted silently.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree import ElementTree

from .references import CITED_TYPE_NAMES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CORE_DC = "{http://purl.org/dc/elements/1.1/}"
CORE_TERMS = "{http://purl.org/dc/terms/}"
CORE_CP = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
MAX_PART_BYTES = 32 * 1024 * 1024  # an expanded part larger than this is a zip bomb, not a text
TRACKED = {f"{W}ins": "insertion", f"{W}del": "deletion", f"{W}moveFrom": "move", f"{W}moveTo": "move"}
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>])")


class DocxError(Exception):
    """The file is not a DOCX that can be read."""


@dataclass
class Paragraph:
    style: str  # the style's name, lower case ("body paragraph", "sub paragraph 2", …)
    text: str  # Markdown inline text; a tab stands where the number ends
    notes: list[str] = field(default_factory=list)  # footnote ids referenced, in order
    rows: list[list[str]] | None = None  # a table: its rows of cells
    alignments: list[str] = field(default_factory=list)  # a table's columns: left, center, right or ""


@dataclass
class Docx:
    paragraphs: list[Paragraph]
    footnotes: dict[str, str]  # id -> Markdown inline text
    language: str
    created: str  # docProps/core.xml dcterms:created: the edition writes the adoption date there
    keywords: list[str]
    pending: list[tuple[str, str]]  # tracked changes: (kind, a few words of context)
    comments: int


def read_docx(data: bytes) -> Docx:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocxError("not a DOCX (a zip archive of Word parts)") from exc
    with archive:
        parts = {info.filename: info for info in archive.infolist()}
        if "word/document.xml" not in parts:
            raise DocxError("not a DOCX: it has no word/document.xml")

        def part(name: str) -> ElementTree.Element | None:
            info = parts.get(name)
            if info is None:
                return None
            if info.file_size > MAX_PART_BYTES:
                raise DocxError(f"{name} expands to {info.file_size:,} bytes: refused")
            try:
                return ElementTree.fromstring(archive.read(name))
            except ElementTree.ParseError as exc:
                raise DocxError(f"{name} is not well-formed XML: {exc}") from exc

        document = part("word/document.xml")
        assert document is not None
        reader = _Reader(_styles(part("word/styles.xml")), _links(part("word/_rels/document.xml.rels")))
        body = document.find(f"{W}body")
        paragraphs = reader.blocks(body if body is not None else document)
        footnotes_part = part("word/footnotes.xml")
        note_reader = _Reader(reader.styles, _links(part("word/_rels/footnotes.xml.rels")), pending=reader.pending)
        footnotes = note_reader.footnotes(footnotes_part) if footnotes_part is not None else {}
        core = part("docProps/core.xml")
        comments = part("word/comments.xml")
    language = _core_text(core, f"{CORE_DC}language") or _default_language(document)
    keywords = [k.strip() for k in _core_text(core, f"{CORE_CP}keywords").split(",") if k.strip()]
    count = len(comments.findall(f"{W}comment")) if comments is not None else 0
    created = _core_text(core, f"{CORE_TERMS}created")[:10]
    return Docx(paragraphs, footnotes, language, created, keywords, reader.pending, count)


class _Reader:
    def __init__(
        self, styles: dict[str, str], links: dict[str, str], pending: list[tuple[str, str]] | None = None
    ) -> None:
        self.styles = styles
        self.links = links
        self.pending: list[tuple[str, str]] = [] if pending is None else pending

    def blocks(self, body: ElementTree.Element) -> list[Paragraph]:
        found: list[Paragraph] = []
        for child in body:
            if child.tag == f"{W}p":
                found.append(self.paragraph(child))
            elif child.tag == f"{W}tbl":
                found.append(self.table(child))
            elif child.tag in TRACKED or child.tag == f"{W}sdt":
                content = child.find(f"{W}sdtContent") if child.tag == f"{W}sdt" else child
                found += self.blocks(content if content is not None else child)
        return found

    def paragraph(self, element: ElementTree.Element) -> Paragraph:
        style_element = element.find(f"{W}pPr/{W}pStyle")
        style_id = style_element.get(f"{W}val", "") if style_element is not None else ""
        paragraph = Paragraph(self.styles.get(style_id, style_id).lower(), "")
        pieces: list[tuple[str, str]] = []  # (emphasis marks, text)
        self._inline(element, pieces, paragraph, "")
        paragraph.text = BOUND_MENTION.sub(_unbind, _markdown(pieces)).strip(" ")
        return paragraph

    def table(self, element: ElementTree.Element) -> Paragraph:
        """A table: its cells' text, the notes called in them in order, its columns' alignment."""
        table = Paragraph("table", "", rows=[])
        assert table.rows is not None
        for row in element.iter(f"{W}tr"):
            cells = []
            for cell in row.findall(f"{W}tc"):
                paragraphs = [self.paragraph(p) for p in cell.findall(f"{W}p")]
                table.notes += [note for paragraph in paragraphs for note in paragraph.notes]
                cells.append(" ".join(p.text for p in paragraphs if p.text))
                if len(table.rows) == 0:
                    table.alignments.append(_alignment(cell))
            table.rows.append(cells)
        return table

    def footnotes(self, root: ElementTree.Element) -> dict[str, str]:
        notes: dict[str, str] = {}
        for note in root.findall(f"{W}footnote"):
            if note.get(f"{W}type") in ("separator", "continuationSeparator", "continuationNotice"):
                continue
            texts = [self.paragraph(p).text for p in note.findall(f"{W}p")]
            notes[note.get(f"{W}id", "")] = " ".join(t.strip() for t in texts if t.strip())
        return notes

    def _inline(
        self, element: ElementTree.Element, pieces: list[tuple[str, str]], paragraph: Paragraph, marks: str
    ) -> None:
        for child in element:
            tag = child.tag
            if tag == f"{W}r":
                self._run(child, pieces, paragraph, marks)
            elif tag == f"{W}hyperlink":
                self._hyperlink(child, pieces, paragraph, marks)
            elif tag in TRACKED:
                words = " ".join(
                    "".join(t.text or "" for t in child.iter() if t.tag in (f"{W}t", f"{W}delText")).split()
                )
                self.pending.append((TRACKED[tag], words[:40]))
                if tag in (f"{W}del", f"{W}moveFrom"):
                    self._inline_deleted(child, pieces, paragraph, marks)
            elif tag in (f"{W}smartTag", f"{W}sdt", f"{W}sdtContent", f"{W}fldSimple", f"{W}customXml"):
                self._inline(child, pieces, paragraph, marks)

    def _inline_deleted(
        self, element: ElementTree.Element, pieces: list[tuple[str, str]], paragraph: Paragraph, marks: str
    ) -> None:
        """A pending deletion is still the text until it is accepted: kept, and reported."""
        for run in element.iter(f"{W}r"):
            for text in run.iter(f"{W}delText"):
                pieces.append((marks + _marks(run), text.text or ""))

    def _run(self, run: ElementTree.Element, pieces: list[tuple[str, str]], paragraph: Paragraph, marks: str) -> None:
        run_marks = marks + _marks(run)
        for child in run:
            if child.tag == f"{W}t":
                pieces.append((run_marks, child.text or ""))
            elif child.tag == f"{W}tab":
                pieces.append(("", "\t"))
            elif child.tag in (f"{W}br", f"{W}cr"):
                pieces.append(("", " "))
            elif child.tag == f"{W}noBreakHyphen":
                pieces.append((run_marks, "\u2011"))
            elif child.tag == f"{W}footnoteReference":
                note = child.get(f"{W}id", "")
                paragraph.notes.append(note)
                pieces.append(("", f"\0{note}\0"))

    def _hyperlink(
        self, link: ElementTree.Element, pieces: list[tuple[str, str]], paragraph: Paragraph, marks: str
    ) -> None:
        inner: list[tuple[str, str]] = []
        self._inline(link, inner, paragraph, "")
        url = self.links.get(link.get(f"{R}id", ""), "")
        text = _markdown(inner)
        if url.startswith("https://") and not _is_reference(text):
            pieces.append((marks, f"\x01[{text}]({url})\x01"))
        else:
            pieces += [(marks + m, t) for m, t in inner]


JUSTIFICATION = {"left": "left", "start": "left", "center": "center", "right": "right", "end": "right"}


def _alignment(cell: ElementTree.Element) -> str:
    justified = cell.find(f"{W}p/{W}pPr/{W}jc")
    return JUSTIFICATION.get(justified.get(f"{W}val", "") if justified is not None else "", "")


def _marks(run: ElementTree.Element) -> str:
    properties = run.find(f"{W}rPr")
    if properties is None:
        return ""
    marks = ""
    for tag, mark in ((f"{W}b", "**"), (f"{W}i", "*")):
        element = properties.find(tag)
        if element is not None and element.get(f"{W}val", "true") not in ("0", "false"):
            marks += mark
    return marks


def _markdown(pieces: list[tuple[str, str]]) -> str:
    """Runs with their emphasis -> Markdown; adjacent runs of the same emphasis are merged first."""
    merged: list[tuple[str, str]] = []
    for marks, text in pieces:
        if merged and merged[-1][0] == marks:
            merged[-1] = (marks, merged[-1][1] + text)
        else:
            merged.append((marks, text))
    out = []
    for marks, text in merged:
        escaped = _escape(text)
        if not marks or not text.strip():
            out.append(escaped)
            continue
        lead, core, trail = _split_spaces(escaped)
        out.append(f"{lead}{marks}{core}{marks[::-1]}{trail}")
    return "".join(out)


def _escape(text: str) -> str:
    """Markdown's special characters escaped, but not in the links and calls made above."""
    parts = re.split(r"(\x01[^\x01]*\x01|\0[^\0]*\0)", text)
    return "".join(
        part.strip("\x01")
        if part.startswith("\x01")
        else part
        if part.startswith("\0")
        else MARKDOWN_SPECIAL.sub(r"\\\1", part)
        for part in parts
    )


def _split_spaces(text: str) -> tuple[str, str, str]:
    core = text.strip(" ")
    start = text.index(core)
    return text[:start], core, text[start + len(core) :]


# The edition binds a mention with no-break spaces ("Doc.\u00a0198", "Resolution\u00a02527\u00a0(2024)");
# the source has plain ones, and `pipeline check` binds them again.
BOUND_MENTION = re.compile(
    rf"\b(?:{CITED_TYPE_NAMES}|Doc\.)"
    r"\u00a0\d{1,5}(?:\u00a0\(\d{4}\))?|\b\d{1,5}\u00a0\(\d{4}\)"  # also the last of a plural: "and 9005 (2030)"
)


def _unbind(match: re.Match[str]) -> str:
    return match.group().replace("\u00a0", " ")


REFERENCE = re.compile(
    rf"^(?:{CITED_TYPE_NAMES}\s+\d"
    r"|Doc\.\s*\d|\d{1,5}(?:\s+\(\d{4}\))?$)"
)


def _is_reference(text: str) -> bool:
    """A mention of an adopted text or document that the edition linked: the source has it as text."""
    return bool(REFERENCE.match(text.strip()))


def _styles(root: ElementTree.Element | None) -> dict[str, str]:
    if root is None:
        return {}
    styles = {}
    for style in root.findall(f"{W}style"):
        name = style.find(f"{W}name")
        styles[style.get(f"{W}styleId", "")] = name.get(f"{W}val", "") if name is not None else ""
    return styles


def _links(root: ElementTree.Element | None) -> dict[str, str]:
    if root is None:
        return {}
    return {
        rel.get("Id", ""): rel.get("Target", "")
        for rel in root.iter(RELATIONSHIP)
        if rel.get("TargetMode") == "External"
    }


def _core_text(core: ElementTree.Element | None, tag: str) -> str:
    element = core.find(tag) if core is not None else None
    return (element.text or "").strip() if element is not None else ""


def _default_language(document: ElementTree.Element) -> str:
    lang = next(document.iter(f"{W}lang"), None)
    return lang.get(f"{W}val", "") if lang is not None else ""
