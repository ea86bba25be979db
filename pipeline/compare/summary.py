"""The comparison in words: the one-line summary the editions open with, and the terminal report."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from . import Change, Comparison, MetadataChange
from .words import Segment

CONTEXT = 30  # characters of kept text shown around a change on the terminal
SHORT = 24  # a metadata value this long is shown in the summary line itself


def summary(comparison: Comparison) -> str:
    """ "paragraphs 3 and 6.4 changed; 6.2 added; 6.2–6.7 renumbered 6.3–6.8; status changed"."""
    touched = [change for change in comparison.changes if change.touched]
    parts = [
        _listed([c for c in touched if c.status == status and not c.moved], verb)
        for status, verb in (("changed", "changed"), ("added", "added"), ("deleted", "deleted"))
    ]
    parts += [f"{c.provision.label} moved to {c.moved}" for c in touched if c.moved and c.status == "deleted"]
    parts += [_renumbered(run) for run in _runs(list(comparison.changes), lambda c: c.renumbered)]
    parts += [_metadata(change) for change in comparison.metadata]
    return "; ".join(part for part in parts if part) or "no changes"


def report(comparison: Comparison, old_name: str, new_name: str) -> str:
    """What `pipeline compare` prints: the summary, the metadata, then each change in wdiff style."""
    lines = [f"{old_name} → {new_name}: {summary(comparison)}"]
    lines += [f"  {m.name}: {m.old or '(none)'} → {m.new or '(none)'}" for m in comparison.metadata]
    lines += [f"  {heading(c)}: {_excerpt(c.words)}" for c in comparison.changes if c.touched]
    return "\n".join(lines)


def heading(change: Change) -> str:
    """ "6.3 renumbered (was 6.2)", "6.2 added", "7 deleted", "3 changed"."""
    label = change.provision.label
    if change.moved:
        return f"{label} moved {'to' if change.status == 'deleted' else 'from'} {change.moved}"
    if change.renumbered:
        assert change.old is not None
        moved = f"{label} renumbered (was {change.old.label})"
        return moved if change.status == "unchanged" else f"{moved} and changed"
    return f"{label} {change.status}"


def _metadata(change: MetadataChange) -> str:
    """ "status provisional → final" for a short value, "title changed" for a long one."""
    if 0 < len(change.old) <= SHORT and 0 < len(change.new) <= SHORT:
        return f"{change.name} {change.old} → {change.new}"
    return f"{change.name} changed"


def _listed(changes: list[Change], verb: str) -> str:
    if not changes:
        return ""
    labels = [c.provision.label for c in changes]
    numbered = all(c.provision.kind == "paragraph" and c.provision.number for c in changes)
    noun = ("paragraph " if len(labels) == 1 else "paragraphs ") if numbered else ""
    listed = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
    return f"{noun}{listed} {verb}"


def _runs(changes: list[Change], keep: Callable[[Change], bool]) -> Iterator[list[Change]]:
    """Runs of consecutive changes for which `keep(change)` holds."""
    run: list[Change] = []
    for change in changes:
        if keep(change):
            run.append(change)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _renumbered(run: list[Change]) -> str:
    first, last = run[0], run[-1]
    assert first.old is not None and last.old is not None
    if len(run) == 1:
        return f"{first.old.label} renumbered {first.provision.label}"
    return f"{first.old.label}–{last.old.label} renumbered {first.provision.label}–{last.provision.label}"


def _excerpt(segments: tuple[Segment, ...]) -> str:
    """Changes marked [-deleted-]{+inserted+}, kept text shortened to its ends."""
    if not any(s.operation != "same" for s in segments):
        return "(same words)"
    shown: list[str] = []
    for index, segment in enumerate(segments):
        if segment.operation == "delete":
            shown.append(f"[-{segment.text}-]")
        elif segment.operation == "insert":
            shown.append(f"{{+{segment.text}+}}")
        else:
            shown.append(_shortened(segment.text, first=index == 0, last=index == len(segments) - 1))
    return "".join(shown)


def _shortened(text: str, first: bool, last: bool) -> str:
    if len(text) <= 2 * CONTEXT:
        return text
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    return f"{head}…{tail}"
