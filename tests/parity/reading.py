"""What a reader reads, as data: entries in reading order, and the model's own reading order.

An entry is one block of text: a paragraph (with its number or none), a paragraph of a
quotation, a table cell, or an appendix heading, with its level (1 for a top paragraph, one more
for each level of nesting; quotations and tables take the level of the paragraph they follow)
and its tokens: the words, and "^N" where note N is called. Words are runs of letters and
digits: punctuation, quotation marks and the kind of space are the editions' business (and are
tested elsewhere); which words, in which order, under which number, calling which note is what
must never differ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from pipeline.model import (
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

WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    kind: str  # "paragraph", "quote", "cell", "heading"
    level: int | None  # None where an edition does not encode it
    number: str | None
    tokens: tuple[str, ...]

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(t for t in self.tokens if not t.startswith("^"))

    @property
    def notes(self) -> tuple[int, ...]:
        return tuple(int(t[1:]) for t in self.tokens if t.startswith("^"))

    def without_level(self) -> Entry:
        return replace(self, level=None)


def words_of(text: str) -> list[str]:
    return WORD.findall(text)


def inline_tokens(nodes: Iterable[Inline]) -> list[str]:
    tokens: list[str] = []
    for node in nodes:
        if isinstance(node, Text | Reference):
            tokens += words_of(node.text)
        elif isinstance(node, Emphasis | Strong | Link):
            tokens += inline_tokens(node.children)
        elif isinstance(node, NoteCall):
            tokens.append(f"^{node.number}")
        elif not isinstance(node, LineBreak):
            raise TypeError(f"no reading for {node!r}")
    return tokens


def model_reading(document: Document) -> list[Entry]:
    """The model's body in reading order."""
    entries: list[Entry] = []
    for section in document.sections:
        if section.heading:
            entries.append(Entry("heading", 0, None, tuple(inline_tokens(section.heading))))
        for block in section.blocks:
            entries += _block(block, 0)
    return entries


def _block(block: Paragraph | Quote | Table, level: int) -> Iterator[Entry]:
    if isinstance(block, Paragraph):
        yield Entry("paragraph", level + 1, block.number, tuple(inline_tokens(block.content)))
        for insert in block.inserts:
            yield from _block(insert, level + 1)
        for child in block.children:
            yield from _block(child, level + 1)
    elif isinstance(block, Quote):
        for paragraph in block.paragraphs:
            yield Entry("quote", level, None, tuple(inline_tokens(paragraph)))
    else:
        for row in (block.header, *block.rows):
            for cell in row:
                yield Entry("cell", level, None, tuple(inline_tokens(cell)))


def model_notes(document: Document) -> dict[int, tuple[str, ...]]:
    """The body notes: printed number -> words."""
    return {note.number: tuple(inline_tokens(note.content)) for note in document.footnotes}


def flat(entries: Iterable[Entry]) -> list[str]:
    """Numbers and tokens as one stream: what a reader of a page without structure reads."""
    stream: list[str] = []
    for entry in entries:
        stream += words_of(entry.number or "")
        stream += entry.tokens
    return stream
