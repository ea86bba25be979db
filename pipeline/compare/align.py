"""Pairing the provisions of two versions: by number where the words agree, by words when
numbers moved (an insertion renumbers what follows: 6.2 becomes 6.3, not "deleted and added").

Provisions kept word for word anchor the alignment (difflib over the whole texts); between two
anchors, a small dynamic programme pairs the rest, scoring each pair by word similarity with a
bonus for the same number, and never crossing pairs, so reading order is kept.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .provisions import Provision
from .words import similarity

SIMILAR = 0.5  # words shared for two provisions to be one, changed
SIMILAR_SAME_NUMBER = 0.25  # enough when the number is also the same
SAME_NUMBER_BONUS = 0.3
MOVED = 0.8  # words shared for a deleted and an added provision to be one, moved out of order
LARGEST_GAP = 250_000  # pairs scored between two anchors; beyond, unmatched text is deleted and added


@dataclass(frozen=True)
class Pair:
    """One provision in the old version, the new one, or both."""

    old: Provision | None
    new: Provision | None


def align(old: list[Provision], new: list[Provision]) -> list[Pair]:
    keys = ([(p.kind, p.text) for p in old], [(p.kind, p.text) for p in new])
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    pairs: list[Pair] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            pairs += [Pair(old[i], new[j]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
        else:
            pairs += _gap(old[i1:i2], new[j1:j2])
    return pairs


def _gap(old: list[Provision], new: list[Provision]) -> list[Pair]:
    """The best order-keeping pairing of two runs with no provision in common word for word."""
    if not old or not new or len(old) * len(new) > LARGEST_GAP:
        return [Pair(p, None) for p in old] + [Pair(None, p) for p in new]
    rows, columns = len(old), len(new)
    best = [[0.0] * (columns + 1) for _ in range(rows + 1)]  # best[i][j]: score of old[i:] with new[j:]
    for i in range(rows - 1, -1, -1):
        for j in range(columns - 1, -1, -1):
            skip = max(best[i + 1][j], best[i][j + 1])
            score = _score(old[i], new[j])
            best[i][j] = max(skip, score + best[i + 1][j + 1]) if score else skip
    pairs: list[Pair] = []
    i = j = 0
    while i < rows and j < columns:
        score = _score(old[i], new[j])
        if score and best[i][j] == score + best[i + 1][j + 1]:
            pairs.append(Pair(old[i], new[j]))
            i, j = i + 1, j + 1
        elif best[i + 1][j] >= best[i][j + 1]:
            pairs.append(Pair(old[i], None))
            i += 1
        else:
            pairs.append(Pair(None, new[j]))
            j += 1
    return pairs + [Pair(p, None) for p in old[i:]] + [Pair(None, p) for p in new[j:]]


def _score(old: Provision, new: Provision) -> float:
    """How much two provisions look like one; 0 when they cannot be paired."""
    if old.kind != new.kind:
        return 0.0
    same_number = old.number is not None and old.numbered_as == new.numbered_as
    words = similarity(old.text, new.text)
    if words >= SIMILAR or (same_number and words >= SIMILAR_SAME_NUMBER):
        return words + (SAME_NUMBER_BONUS if same_number else 0.0)
    return 0.0


def moves(pairs: list[Pair]) -> dict[int, int]:
    """Deleted and added provisions that are one moved out of order: index -> its counterpart's.

    Order-keeping alignment cannot pair them (a move crosses other pairs); they are matched
    afterwards, most similar first, each at most once.
    """
    deleted = [i for i, pair in enumerate(pairs) if pair.new is None]
    added = [j for j, pair in enumerate(pairs) if pair.old is None]
    if len(deleted) * len(added) > LARGEST_GAP:
        return {}
    candidates = []
    for i in deleted:
        for j in added:
            old, new = pairs[i].old, pairs[j].new
            assert old is not None and new is not None
            words = similarity(old.text, new.text) if old.kind == new.kind else 0.0
            if words >= MOVED:
                candidates.append((-words, i, j))
    found: dict[int, int] = {}
    for _, i, j in sorted(candidates):
        if i not in found and j not in found:
            found[i], found[j] = j, i
    return found
