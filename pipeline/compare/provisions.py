"""A document as the comparison sees it: its provisions in reading order, each as plain text.

A provision is what a delegation cites: a numbered paragraph or lettered item, an unnumbered
paragraph, a quotation, a table row, an appendix heading or a footnote. Formatting (emphasis,
links) is not compared, only words; a note call is compared through its note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..model import (
    Document,
    Emphasis,
    Inline,
    LineBreak,
    Link,
    NoteCall,
    Paragraph,
    Quote,
    Reference,
    Strong,
    Table,
    Text,
)

LETTERED = re.compile(r"^[a-z]\.$")
SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not \s: no-break spaces are part of the text


@dataclass(frozen=True)
class Provision:
    kind: str  # paragraph, quotation, table row, heading, note
    section: str  # the section's id: "main", "appendix", …
    number: str | None  # as printed, "6.1." (a note: its number); None when unnumbered
    label: str  # how the summary names it: "6.1", "Appendix 2", "text after 6", "note 2"
    text: str
    depth: int = 0  # 0 for a paragraph, 1 for its sub-paragraph, …

    @property
    def numbered_as(self) -> tuple[str, str | None]:
        return self.section, self.number


def provisions(document: Document) -> list[Provision]:
    return list(_document(document))


def plain(inlines: tuple[Inline, ...]) -> str:
    """The words of inline content, with runs of spaces collapsed."""
    return SPACES.sub(" ", "".join(_words(inline) for inline in inlines)).strip()


def _document(document: Document) -> Iterator[Provision]:
    for section in document.sections:
        prefix = ""
        if section.heading is not None:
            prefix = plain(section.heading)
            yield Provision("heading", section.id, None, prefix, prefix)
        walker = _Walker(section.id, prefix)
        for block in section.blocks:
            yield from walker.block(block, 0)
    for note in document.footnotes:
        yield Provision("note", "notes", str(note.number), f"note {note.number}", plain(note.content))


class _Walker:
    """Labels provisions within one section, remembering the last number for unnumbered ones."""

    def __init__(self, section: str, prefix: str) -> None:
        self.section = section
        self.prefix = prefix
        self.last = ""

    def name(self, number: str) -> str:
        short = number.rstrip(".")
        return f"{self.prefix} {short}" if self.prefix else short

    def block(self, block: Paragraph | Quote | Table, depth: int) -> Iterator[Provision]:
        if isinstance(block, Paragraph):
            yield from self.paragraph(block, depth)
        elif isinstance(block, Quote):
            text = " ".join(plain(paragraph) for paragraph in block.paragraphs)
            yield Provision("quotation", self.section, None, self.after("quotation"), text, depth)
        else:
            for index, row in enumerate((block.header, *block.rows)):
                text = " | ".join(plain(cell) for cell in row)
                yield Provision("table row", self.section, None, self.after(f"table row {index + 1}"), text, depth)

    def paragraph(self, paragraph: Paragraph, depth: int, parent: str = "") -> Iterator[Provision]:
        if not paragraph.number:
            label = self.after("text")
        elif LETTERED.match(paragraph.number) and parent:  # "a." is named with its paragraph: "7 a"
            label = self.last = f"{parent} {paragraph.number.rstrip('.')}"
        else:
            label = self.last = self.name(paragraph.number)
        yield Provision("paragraph", self.section, paragraph.number, label, plain(paragraph.content), depth)
        for insert in paragraph.inserts:
            yield from self.block(insert, depth + 1)
        for child in paragraph.children:
            yield from self.paragraph(child, depth + 1 if child.number else depth, label)

    def after(self, what: str) -> str:
        where = f"after {self.last}" if self.last else f"at the start of {self.prefix or 'the text'}"
        return f"{what} {where}"


def _words(inline: Inline) -> str:
    if isinstance(inline, Text):
        return inline.text
    if isinstance(inline, Reference):
        return inline.text
    if isinstance(inline, (Emphasis, Strong, Link)):
        return "".join(_words(child) for child in inline.children)
    if isinstance(inline, LineBreak):
        return " "
    if isinstance(inline, NoteCall):  # compared through the note itself
        return ""
    raise TypeError(f"the comparison has no words for {type(inline).__name__}")
