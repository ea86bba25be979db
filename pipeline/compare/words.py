"""Word-level differences between two texts, as runs of kept, deleted and inserted text."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Literal

TOKENS = re.compile(r"\s+|\w+|[^\w\s]")  # words, spaces and each punctuation mark apart
Operation = Literal["same", "delete", "insert"]


@dataclass(frozen=True)
class Segment:
    operation: Operation
    text: str


def tokens(text: str) -> list[str]:
    return TOKENS.findall(text)


def similarity(old: str, new: str) -> float:
    """0 (nothing shared) to 1 (same words), on words only: spacing and punctuation aside."""
    if old == new:
        return 1.0
    a, b = _words(old), _words(new)
    if not a or not b:
        return 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < 0.3 or matcher.quick_ratio() < 0.3:  # cheap upper bounds first
        return matcher.quick_ratio()
    return matcher.ratio()


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The runs that turn `old` into `new`; in each run of changes, the deleted text comes first."""
    a, b = tokens(old), tokens(new)
    raw: list[Segment] = []
    for operation, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if operation == "equal":
            raw.append(Segment("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            raw.append(Segment("delete", "".join(a[i1:i2])))
        if j2 > j1:
            raw.append(Segment("insert", "".join(b[j1:j2])))
    return tuple(_grouped(raw))


def old_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.operation != "insert")


def new_text(segments: tuple[Segment, ...]) -> str:
    return "".join(s.text for s in segments if s.operation != "delete")


def _words(text: str) -> list[str]:
    return [token for token in tokens(text) if not token.isspace()]


def _grouped(raw: list[Segment]) -> list[Segment]:
    """Runs of changes as one deletion then one insertion. A lone space kept between two
    replacements joins them: "<del>a b</del><ins>c d</ins>" reads better than four pieces."""
    result: list[Segment] = []
    deleted = inserted = ""
    for index, segment in enumerate(raw):
        if segment.operation == "delete":
            deleted += segment.text
        elif segment.operation == "insert":
            inserted += segment.text
        elif segment.text == " " and deleted and inserted and index + 1 < len(raw):
            deleted, inserted = deleted + " ", inserted + " "  # the next segment is a change
        else:
            result += _run(deleted, inserted)
            deleted = inserted = ""
            result.append(segment)
    return result + _run(deleted, inserted)


def _run(deleted: str, inserted: str) -> list[Segment]:
    run = [Segment("delete", deleted)] if deleted else []
    return [*run, Segment("insert", inserted)] if inserted else run
