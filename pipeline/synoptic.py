"""The synoptic edition's model: the language versions of one text aligned row by row.

A row is one provision (a numbered paragraph, matched across versions by its place and number as
`pipeline check` matches them), an appendix heading, or the unnumbered text that opens a part
before its first number. Unnumbered paragraphs, quotations and tables stay with the provision
they follow in the source, whether the model holds them as children, inserts or blocks beside it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field

from .agreement import PREFERRED_REFERENCE, provisions
from .errors import RenderError
from .languages import base_language
from .model import Block, Document, Emphasis, Inline, Link, NoteCall, Paragraph, Quote, Strong, Table
from .textname import TextName

APPENDIX, PROVISION = "appendix", "provision"
Key = tuple[str, int, str]  # (kind, part, number); number "" for a heading or a part's opening text


@dataclass(frozen=True)
class Share:
    """What one version says in one row."""

    paragraph: Paragraph | None = None  # the numbered paragraph, shown without its sub-paragraphs
    blocks: tuple[Block, ...] = ()  # what follows it before the next number, in source order
    heading: tuple[Inline, ...] = ()  # an appendix heading

    @property
    def notes(self) -> tuple[int, ...]:
        """The notes this share calls, in order: they are printed under the row."""
        found = list(_calls(self.paragraph.content)) if self.paragraph else []
        for block in self.blocks:
            found.extend(_block_calls(block))
        return tuple(found)


@dataclass(frozen=True)
class Row:
    kind: str  # APPENDIX or PROVISION
    part: int  # 0 the main text, 1… the appendices
    number: str  # "" when the row has no number of its own
    shares: tuple[Share | None, ...]  # one per version; None where a version has no counterpart
    lead_in: bool = False  # the next row is its first sub-paragraph: keep them on one page


@dataclass(frozen=True)
class Synopsis:
    slug: str
    versions: tuple[Document, ...]  # the reference version first
    rows: tuple[Row, ...]


@dataclass
class _Entry:
    key: Key
    paragraph: Paragraph | None = None
    blocks: list[Block] = field(default_factory=list)
    heading: tuple[Inline, ...] = ()

    def share(self) -> Share:
        return Share(self.paragraph, tuple(self.blocks), self.heading)


def synopsis(versions: list[Document]) -> Synopsis:
    """The versions (two or more of one slug) side by side, the reference version first."""
    ordered = tuple(sorted(versions, key=reference_order))
    rows: list[tuple[Key, list[Share | None]]] = []
    for index, document in enumerate(ordered):
        entries = walk(document)
        matcher = difflib.SequenceMatcher(a=[key for key, _ in rows], b=[e.key for e in entries], autojunk=False)
        merged: list[tuple[Key, list[Share | None]]] = []
        for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
            if tag == "equal":
                for (key, shares), entry in zip(rows[a_start:a_end], entries[b_start:b_end], strict=True):
                    merged.append((key, [*shares, entry.share()]))
                continue
            kept = [(key, [*shares, None]) for key, shares in rows[a_start:a_end]]
            added = [(e.key, [*([None] * index), e.share()]) for e in entries[b_start:b_end]]
            merged.extend(_by_part(kept, added))
        rows = merged
    keys = [key for key, _ in rows]
    return Synopsis(
        TextName.of(ordered[0].metadata).slug,
        ordered,
        tuple(
            Row(*key, tuple(shares), lead_in=_leads_in(key, keys[index + 1] if index + 1 < len(keys) else None))
            for index, (key, shares) in enumerate(rows)
        ),
    )


def _by_part(
    kept: list[tuple[Key, list[Share | None]]], added: list[tuple[Key, list[Share | None]]]
) -> list[tuple[Key, list[Share | None]]]:
    """The unmatched rows of both sides, each part's rows under its own heading.

    Putting all of one side's rows before the other's set a version's last provisions of an
    appendix under the next appendix's heading when the other version had that appendix only.
    A stable sort keeps each side's source order: parts ascend and a heading opens its part.
    """
    return sorted([*kept, *added], key=lambda row: (row[0][1], row[0][0] != APPENDIX))


def _leads_in(key: Key, following: Key | None) -> bool:
    """ "6. … in the following areas:" followed by "6.1." """
    return bool(key[2]) and following is not None and following[:2] == key[:2] and following[2].startswith(key[2])


def reference_order(document: Document) -> tuple[int, int, str]:
    """Official versions first, then the Assembly's languages in order (as `check` compares them)."""
    meta = document.metadata
    base = base_language(meta.language)
    rank = PREFERRED_REFERENCE.index(base) if base in PREFERRED_REFERENCE else len(PREFERRED_REFERENCE)
    return (1 if meta.unofficial_translation else 0, rank, meta.language)


def walk(document: Document) -> list[_Entry]:
    """One entry per row of this version, in source order.

    Its provisions must be exactly those `pipeline check` compares: if the model gains a way of
    holding a numbered paragraph that this walk misses, the edition fails rather than drop it.
    """
    entries: list[_Entry] = []
    part = 0
    for section in document.sections:
        if section.heading is not None:
            part += 1
            entries.append(_Entry((APPENDIX, part, ""), heading=section.heading))
        opening = len(entries)
        for block in section.blocks:
            _visit(block, part, entries, opening)
    walked = [(e.key[1], e.key[2]) for e in entries if e.key[0] == PROVISION and e.key[2]]
    expected = [p.key for p in provisions(document)]
    if walked != expected:
        raise RenderError(document.stem, "synoptic", f"rows {walked} do not follow its provisions {expected}")
    return entries


def _visit(block: Block, part: int, entries: list[_Entry], opening: int) -> None:
    if isinstance(block, Paragraph) and block.number:
        entries.append(_Entry((PROVISION, part, block.number), paragraph=block))
        entries[-1].blocks.extend(block.inserts)
    else:
        if len(entries) == opening:  # unnumbered text before the part's first number: a row of its own
            entries.append(_Entry((PROVISION, part, "")))
        entries[-1].blocks.append(block)
        if not isinstance(block, Paragraph):
            return
        entries[-1].blocks.extend(block.inserts)
    for child in block.children:
        _visit(child, part, entries, opening)


def _block_calls(block: Block) -> Iterator[int]:
    if isinstance(block, Paragraph):
        yield from _calls(block.content)  # its inserts and children are blocks of the share too
    elif isinstance(block, Quote):
        for paragraph in block.paragraphs:
            yield from _calls(paragraph)
    elif isinstance(block, Table):
        for row in (block.header, *block.rows):
            for cell in row:
                yield from _calls(cell)


def _calls(nodes: tuple[Inline, ...]) -> Iterator[int]:
    for node in nodes:
        if isinstance(node, NoteCall):
            yield node.number
        elif isinstance(node, Emphasis | Strong | Link):
            yield from _calls(node.children)
