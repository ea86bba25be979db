"""The DOCX edition of a comparison: the text with Word's own tracked changes (w:ins, w:del).

Accepting every change gives the new version's words, rejecting every change the old one's, so
delegations review the comparison in Word's review pane like any other revision. What the text
does not print (adoption facts, keywords) is listed in a comment on the title. The house styles
come from the DOCX edition's reference document.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from itertools import count
from xml.etree import ElementTree as ET

from ..i18n import translations
from ..model import Metadata, Status
from ..templating import TEMPLATES, citation
from . import Change, Comparison
from .provisions import Provision
from .summary import summary
from .words import Segment, word_diff

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
REFERENCE = TEMPLATES / "docx" / "reference.docx"
DEFAULT_AUTHOR = "Adopted texts service"
STYLES = {"paragraph": "BodyText", "quotation": "BlockText", "table row": "Compact", "heading": "Heading2"}
STYLES |= {"note": "FootnoteText"}
INDENT_TWIPS = 567  # 1 cm a level of sub-paragraphs
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # fixed: the same comparison gives the same bytes

ET.register_namespace("w", W)


def w(name: str) -> str:
    return f"{{{W}}}{name}"


class TrackedDocument:
    """Builds document.xml; every revision carries a fresh id, the author and the date."""

    def __init__(self, author: str, date: str, language: str) -> None:
        self.author = author
        self.date = date
        self.language = language
        self.ids = count(1)
        self.body = ET.Element(w("body"))

    def revision(self, kind: str) -> ET.Element:
        return ET.Element(w(kind), {w("id"): str(next(self.ids)), w("author"): self.author, w("date"): self.date})

    def paragraph(self, style: str, depth: int = 0, mark: str = "") -> ET.Element:
        """A new paragraph; `mark` "ins" or "del" tracks the paragraph itself (its mark)."""
        paragraph = ET.SubElement(self.body, w("p"))
        properties = ET.SubElement(paragraph, w("pPr"))
        ET.SubElement(properties, w("pStyle"), {w("val"): style})
        if depth:
            ET.SubElement(properties, w("ind"), {w("left"): str(INDENT_TWIPS * depth)})
        if mark:
            ET.SubElement(properties, w("rPr")).append(self.revision(mark))
        return paragraph

    def run(self, text: str, deleted: bool = False, bold: bool = False) -> ET.Element:
        run = ET.Element(w("r"))
        properties = ET.SubElement(run, w("rPr"))
        if bold:
            ET.SubElement(properties, w("b"))
        ET.SubElement(properties, w("lang"), {w("val"): self.language})
        element = ET.SubElement(run, w("delText" if deleted else "t"))
        element.text = text
        element.set(XML_SPACE, "preserve")
        return run

    def segments(self, paragraph: ET.Element, segments: tuple[Segment, ...], bold: bool = False) -> None:
        for segment in segments:
            if segment.operation == "same":
                paragraph.append(self.run(segment.text, bold=bold))
                continue
            tracked = self.revision("del" if segment.operation == "delete" else "ins")
            tracked.append(self.run(segment.text, deleted=segment.operation == "delete", bold=bold))
            paragraph.append(tracked)

    def xml(self) -> bytes:
        document = ET.Element(w("document"))
        document.append(self.body)
        return _xml(document)


def render_docx(comparison: Comparison, author: str = DEFAULT_AUTHOR) -> bytes:
    new = comparison.new.metadata
    document = TrackedDocument(author, f"{new.adoption.date.isoformat()}T00:00:00Z", new.language)
    _title_block(document, comparison)
    for change in comparison.changes:
        _provision(document, change)
    return _package(document, comparison, author)


def _title_block(document: TrackedDocument, comparison: Comparison) -> None:
    old, new = comparison.old.metadata, comparison.new.metadata
    cited = document.paragraph("Subtitle")
    document.segments(cited, word_diff(citation(old), citation(new)))
    title = document.paragraph("Title")
    start = ET.SubElement(title, w("commentRangeStart"), {w("id"): "0"})
    document.segments(title, word_diff(old.title, new.title))
    title.append(ET.Element(w("commentRangeEnd"), start.attrib))
    reference = ET.SubElement(title, w("r"))
    ET.SubElement(reference, w("commentReference"), start.attrib)
    was, now = _provisional_line(old), _provisional_line(new)
    if was or now:
        mark = "" if was and now else ("del" if was else "ins")
        document.segments(document.paragraph("BodyText", mark=mark), word_diff(was, now))


def _provisional_line(meta: Metadata) -> str:
    """The line the editions print on a provisional text, in its language."""
    if meta.status is not Status.PROVISIONAL:
        return ""
    return translations(meta.language).gettext("Provisional version")


def _provision(document: TrackedDocument, change: Change) -> None:
    provision = change.provision
    mark = {"added": "ins", "deleted": "del"}.get(change.status, "")
    paragraph = document.paragraph(STYLES[provision.kind], provision.depth, mark)
    document.segments(paragraph, _renumbering(change), bold=True)
    document.segments(paragraph, change.words)


def _renumbering(change: Change) -> tuple[Segment, ...]:
    """The number, or the old one deleted and the new one inserted: whole, as the review pane lists it."""
    before, after = _number(change.old), _number(change.new)
    if before == after:
        return (Segment("same", after),) if after else ()
    deleted = (Segment("delete", before),) if before else ()
    return (*deleted, Segment("insert", after)) if after else deleted


def _number(provision: Provision | None) -> str:
    """The number as the paragraph starts with it ("6.3. "), or nothing."""
    return f"{provision.number} " if provision is not None and provision.number else ""


def _comment(comparison: Comparison, author: str, date: str) -> bytes:
    """comments.xml: one comment on the title with the summary and every metadata change."""
    comments = ET.Element(w("comments"))
    comment = ET.SubElement(comments, w("comment"), {w("id"): "0", w("author"): author, w("date"): date})
    lines = [f"Changes: {summary(comparison)}."]
    lines += [f"{c.name}: {c.old or '(none)'} → {c.new or '(none)'}" for c in comparison.metadata]
    for line in lines:
        paragraph = ET.SubElement(comment, w("p"))
        text = ET.SubElement(ET.SubElement(paragraph, w("r")), w("t"))
        text.text = line
        text.set(XML_SPACE, "preserve")
    return _xml(comments)


def _package(document: TrackedDocument, comparison: Comparison, author: str) -> bytes:
    with zipfile.ZipFile(REFERENCE) as reference:
        styles = reference.read("word/styles.xml")
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": _relationships([("officeDocument", "word/document.xml")]),
        "word/_rels/document.xml.rels": _relationships([("styles", "styles.xml"), ("comments", "comments.xml")]),
        "word/document.xml": document.xml(),
        "word/styles.xml": styles,
        "word/comments.xml": _comment(comparison, author, document.date),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, compress_type=zipfile.ZIP_DEFLATED)
    return output.getvalue()


def _relationships(targets: list[tuple[str, str]]) -> bytes:
    """A relationships part; the names are ours (no source text), so written out directly."""
    lines = [f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_RELATIONSHIPS}">']
    for index, (kind, target) in enumerate(targets, start=1):
        lines.append(f'<Relationship Id="rId{index}" Type="{OFFICE}/{kind}" Target="{target}"/>')
    return "".join([*lines, "</Relationships>"]).encode("utf-8")


def _xml(root: ET.Element) -> bytes:
    data: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return data


def _content_types() -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>'
    yield '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    yield '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    yield '<Default Extension="xml" ContentType="application/xml"/>'
    for part, kind in (("document", "document.main"), ("styles", "styles"), ("comments", "comments")):
        content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
        yield f'<Override PartName="/word/{part}.xml" ContentType="{content_type}"/>'
    yield "</Types>"


CONTENT_TYPES = "".join(_content_types()).encode("utf-8")
