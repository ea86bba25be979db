"""Comparing two versions of a text, provision by provision.

    comparison = compare(old_document, new_document)
    comparison.summary()       # "paragraph 3 changed; 6.2 added; 6.2 renumbered 6.3, …"

Editions of a comparison: html.py (<ins>/<del>), docx.py (Word's tracked changes), and the
terminal summary in summary.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..model import Document
from .align import Pair, align, moves
from .metadata import MetadataChange, metadata_changes
from .provisions import Provision, provisions
from .words import Segment, word_diff

Status = Literal["unchanged", "changed", "added", "deleted"]


@dataclass(frozen=True)
class Change:
    """One provision of either version, with its word-level differences."""

    old: Provision | None
    new: Provision | None
    words: tuple[Segment, ...]
    moved: str = ""  # a deleted provision moved out of order: where to; an added one: where from

    @property
    def status(self) -> Status:
        if self.old is None:
            return "added"
        if self.new is None:
            return "deleted"
        return "unchanged" if self.old.text == self.new.text else "changed"

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and self.old.number != self.new.number

    @property
    def provision(self) -> Provision:
        """The provision as it now is (as it was, for a deleted one)."""
        found = self.new or self.old
        assert found is not None  # a Pair always holds one side
        return found

    @property
    def touched(self) -> bool:
        return self.status != "unchanged" or self.renumbered


@dataclass(frozen=True)
class Comparison:
    old: Document
    new: Document
    metadata: tuple[MetadataChange, ...]
    changes: tuple[Change, ...]

    @property
    def identical(self) -> bool:
        return not self.metadata and not any(change.touched for change in self.changes)


def compare(old: Document, new: Document) -> Comparison:
    pairs = align(provisions(old), provisions(new))
    moved = moves(pairs)
    changes = tuple(_change(pair, pairs[moved[i]] if i in moved else None) for i, pair in enumerate(pairs))
    return Comparison(old, new, tuple(metadata_changes(old.metadata, new.metadata)), changes)


def _change(pair: Pair, counterpart: Pair | None) -> Change:
    before = pair.old.text if pair.old else ""
    after = pair.new.text if pair.new else ""
    other = counterpart.new or counterpart.old if counterpart else None
    return Change(pair.old, pair.new, word_diff(before, after), other.label if other else "")


__all__ = ["Change", "Comparison", "MetadataChange", "compare"]
