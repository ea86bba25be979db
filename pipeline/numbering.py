"""Paragraph numbers: nesting by number ("6.1." under "6."), and checks that none is missing.

Numbers are kept exactly as written; they are only checked, never recomputed.
"""

from __future__ import annotations

import msgspec

from .errors import Problems
from .model import Block, Inline, Paragraph, Quote, Table


class Draft(msgspec.Struct):
    number: str | None
    key: tuple[str, ...]  # ("6", "1") for "6.1.", ("7", "a") for "a." under 7
    content: tuple[Inline, ...]
    line: int
    id: str
    inserts: list[Quote | Table] = msgspec.field(default_factory=list)
    children: list[Draft] = msgspec.field(default_factory=list)

    def freeze(self) -> Paragraph:
        return Paragraph(
            self.number,
            self.id,
            self.content,
            self.line,
            tuple(self.inserts),
            tuple(child.freeze() for child in self.children),
        )


class ParagraphTree(msgspec.Struct):
    """Builds the paragraphs of one section (numbering restarts in each) and checks them."""

    problems: Problems
    prefix: str
    leading: list[Quote | Table] = msgspec.field(default_factory=list)
    roots: list[Draft] = msgspec.field(default_factory=list)
    by_key: dict[tuple[str, ...], Draft] = msgspec.field(default_factory=dict)
    last: Draft | None = None
    last_numbered: Draft | None = None
    counters: dict[str, int] = msgspec.field(default_factory=dict)

    def next_id(self, kind: str) -> str:
        self.counters[kind] = self.counters.get(kind, 0) + 1
        return f"{self.prefix}{kind}-{self.counters[kind]}"

    def attach(self, block: Quote | Table) -> None:
        if self.last is None:
            self.leading.append(block)
        else:
            self.last.inserts.append(block)

    def add(self, number: str | None, content: tuple[Inline, ...], line: int) -> None:
        if number is None:
            # An unnumbered paragraph continues the last numbered paragraph above it (a lead-in
            # before lettered items, a continuation): it stays there, in source order.
            draft = Draft(None, (), content, line, self.next_id("para"))
            (self.last_numbered.children if self.last_numbered else self.roots).append(draft)
            self.last = draft
            return
        key = self._key(number, line)
        draft = Draft(number, key, content, line, self.prefix + "p-" + "-".join(key))
        parent = self.by_key.get(key[:-1]) if len(key) > 1 else None
        if len(key) > 1 and parent is None:
            self.problems.error(
                line,
                f"paragraph {number} is not under paragraph {'.'.join(key[:-1])}.",
                "check the number, or add the missing parent paragraph",
            )
        elif parent is not None and not self._is_open(parent):
            previous = self.last_numbered.number if self.last_numbered else None
            self.problems.error(
                line,
                f"paragraph {number} is out of order (after {previous})",
                f"move it under paragraph {parent.number}",
            )
        else:
            siblings = parent.children if parent else self.roots
            # Only the last numbered sibling matters: a list of them all made each paragraph
            # cost as much as its predecessors (quadratic in a level's paragraphs).
            before = next((s for s in reversed(siblings) if s.number), None)
            self._check_sequence(number, key, before, line)
        siblings = parent.children if parent else self.roots
        if key in self.by_key:
            draft.id += f"-{line}"  # keep ids unique while the duplicate is reported
        siblings.append(draft)
        self.by_key.setdefault(key, draft)
        self.last = self.last_numbered = draft

    def blocks(self) -> tuple[Block, ...]:
        return (*self.leading, *(root.freeze() for root in self.roots))

    def _is_open(self, parent: Draft) -> bool:
        """Whether `parent` is the last numbered paragraph or one of its ancestors."""
        last = self.last_numbered
        return last is not None and last.key[: len(parent.key)] == parent.key

    def _key(self, number: str, line: int) -> tuple[str, ...]:
        if number[0].isalpha():  # a lettered item belongs to the last numbered paragraph
            anchor = self.last_numbered
            while anchor is not None and anchor.key and anchor.key[-1].isalpha():
                anchor = self.by_key.get(anchor.key[:-1])
            if anchor is None:
                self.problems.error(line, f"lettered item {number} has no numbered paragraph above it")
                return (number.rstrip("."),)
            return (*anchor.key, number.rstrip("."))
        return tuple(str(int(part)) for part in number.rstrip(".").split("."))

    def _check_sequence(self, number: str, key: tuple[str, ...], before: Draft | None, line: int) -> None:
        expected = _first(key[-1]) if before is None else _successor(before.key[-1])
        if key[-1] == expected:
            return
        previous = before.number if before else None
        if before and key[-1] == before.key[-1]:
            message = f"paragraph {number} is numbered twice"
        elif _order(key[-1]) < _order(expected):
            message = f"paragraph {number} is out of order (after {previous})"
        else:
            message = f"paragraph numbering jumps from {previous or 'the start'} to {number}"
        self.problems.error(line, message, f"expected {_display(key[:-1], expected)}")


def _first(part: str) -> str:
    return "a" if part.isalpha() else "1"


def _successor(part: str) -> str:
    return chr(ord(part) + 1) if part.isalpha() else str(int(part) + 1)


def _order(part: str) -> int:
    return ord(part) if part.isalpha() else int(part)


def _display(parent: tuple[str, ...], last: str) -> str:
    if last.isalpha():
        return f"{last}."
    return ".".join((*parent, last)) + "."
