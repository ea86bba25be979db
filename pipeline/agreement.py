"""Language versions of one text must say the same thing: the same provisions, notes, appendices, adoption.

Each disagreement is one problem located in the file that has the thing the other lacks, naming
both files. Between two official versions it is an error; when one side is an unofficial
translation (`translation: unofficial`), which may lag while it is being made, a warning.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

import msgspec

from .errors import Problem, Severity
from .frontmatter import FrontMatterError, split
from .languages import base_language
from .model import Block, Document, Emphasis, Inline, Link, NoteCall, Paragraph, Quote, Strong, Table
from .source import Reading
from .textname import TextName

# The language a version is compared against, when several are official: the Assembly's
# official languages first.
PREFERRED_REFERENCE = ("en", "fr")


class Provision(msgspec.Struct, frozen=True):
    """A numbered paragraph where it stands: in which part of the text, under which number."""

    part: int  # 0 the main text, 1… the appendices in order
    number: str
    line: int
    notes: int  # how many notes its own text calls

    @property
    def key(self) -> tuple[int, str]:
        return (self.part, self.number)

    def name(self) -> str:
        where = f" of appendix {self.part}" if self.part else ""
        return f"paragraph {self.number}{where}"


class Version(msgspec.Struct, frozen=True):
    path: Path
    document: Document

    @property
    def official(self) -> bool:
        return not self.document.metadata.unofficial_translation


_Report = Callable[[Version, int, str], None]  # records one problem in one version


def check_sources(sources: list[Path], read: Callable[[Path], Reading]) -> dict[Path, list[Problem]]:
    """Every problem of every source, its own and its disagreements with its language versions.

    Sources are read one group of language versions at a time, so that a corpus of thousands
    never holds more than one text's versions in memory; the result keeps the order of `sources`.
    """
    groups: dict[str, list[Path]] = defaultdict(list)
    for source in sources:
        groups[source.name.rpartition(".")[0].rpartition(".")[0] or source.name].append(source)
    found: dict[Path, list[Problem]] = {source: [] for source in sources}
    for group in groups.values():
        documents: dict[Path, Document] = {}
        for source in group:
            reading = read(source)
            found[source].extend(reading.problems)
            if reading.document is not None:
                documents[source] = reading.document
        for problem in disagreements(documents):
            found[problem.path].append(problem)
    return found


def disagreements(documents: dict[Path, Document]) -> list[Problem]:
    """Every disagreement between the language versions among `documents` (grouped by slug)."""
    by_slug: dict[str, list[Version]] = defaultdict(list)
    for path, document in documents.items():
        by_slug[TextName.of(document.metadata).slug].append(Version(path, document))
    problems: list[Problem] = []
    for versions in by_slug.values():
        if len(versions) < 2:
            continue
        reference = min(versions, key=_reference_order)
        for other in sorted(versions, key=_reference_order):
            if other is not reference:
                problems.extend(compare(reference, other))
    return problems


def _reference_order(version: Version) -> tuple[int, int, str]:
    language = base_language(version.document.metadata.language)
    rank = PREFERRED_REFERENCE.index(language) if language in PREFERRED_REFERENCE else len(PREFERRED_REFERENCE)
    return (0 if version.official else 1, rank, version.path.name)


def compare(reference: Version, other: Version) -> list[Problem]:
    severity = Severity.ERROR if reference.official and other.official else Severity.WARNING
    hint = "make the versions agree" + ("" if severity is Severity.ERROR else " (an unofficial translation may lag)")
    found: list[Problem] = []

    def problem(version: Version, line: int, message: str) -> None:
        found.append(Problem(version.path, line, message, hint, severity=severity))

    _compare_provisions(reference, other, problem)
    _compare_parts(reference, other, problem)
    _compare_notes(reference, other, problem)
    _compare_adoption(reference, other, problem)
    return found


def _compare_provisions(reference: Version, other: Version, problem: _Report) -> None:
    ours, theirs = provisions(reference.document), provisions(other.document)
    matcher = difflib.SequenceMatcher(a=[p.key for p in ours], b=[p.key for p in theirs], autojunk=False)
    for tag, a_start, a_end, b_start, b_end in matcher.get_opcodes():
        if tag == "equal":
            for mine, yours in zip(ours[a_start:a_end], theirs[b_start:b_end], strict=True):
                if mine.notes != yours.notes:
                    problem(
                        other,
                        yours.line,
                        f"{yours.name()} calls {_notes(yours.notes)}, its counterpart in "
                        f"{reference.path.name}:{mine.line} calls {_notes(mine.notes)}",
                    )
            continue
        for missing in ours[a_start:a_end]:
            problem(reference, missing.line, f"{missing.name()} has no counterpart in {other.path.name}")
        for extra in theirs[b_start:b_end]:
            problem(other, extra.line, f"{extra.name()} has no counterpart in {reference.path.name}")


def _compare_parts(reference: Version, other: Version, problem: _Report) -> None:
    ours, theirs = _appendices(reference.document), _appendices(other.document)
    if len(ours) != len(theirs):
        version, line = (reference, ours[len(theirs)]) if len(ours) > len(theirs) else (other, theirs[len(ours)])
        problem(
            version,
            line,
            f"{reference.path.name} has {_count(len(ours), 'appendix', 'appendices')}, "
            f"{other.path.name} has {len(theirs)}",
        )


def _compare_notes(reference: Version, other: Version, problem: _Report) -> None:
    ours, theirs = len(reference.document.footnotes), len(other.document.footnotes)
    if ours != theirs:
        problem(
            other,
            1,
            f"{other.path.name} has {_notes(theirs)} in its body, {reference.path.name} has {ours}",
        )


def _compare_adoption(reference: Version, other: Version, problem: _Report) -> None:
    ours, theirs = _adoption_facts(reference.document), _adoption_facts(other.document)
    lines = _front_lines(other.document)
    for field, value in ours.items():
        if theirs.get(field) != value:
            line = lines.get(("adoption", field), lines.get(("adoption",), 1))
            problem(
                other,
                line,
                f"adoption {field}: {_shown(theirs.get(field))} here, {_shown(value)} in {reference.path.name}",
            )


def _adoption_facts(document: Document) -> dict[str, object]:
    """What every language version must share of its adoption (names are translated; numbers are not)."""
    adoption = document.metadata.adoption
    return {
        "by": adoption.by.value,
        "date": adoption.date.isoformat(),
        "sitting": adoption.sitting,
        "debates": [(sitting.date.isoformat(), sitting.number) for sitting in adoption.debates],
        "documents": [(reported.number, reported.kind) for reported in adoption.documents],
    }


def _front_lines(document: Document) -> dict[tuple[str | int, ...], int]:
    try:
        return dict(split(document.source.decode("utf-8")).lines)
    except (FrontMatterError, UnicodeDecodeError):
        return {}


def provisions(document: Document) -> list[Provision]:
    """Every numbered paragraph of the document, in reading order."""
    found: list[Provision] = []
    part = 0
    for section in document.sections:
        if section.heading is not None:
            part += 1
        for block in section.blocks:
            found.extend(_numbered(block, part))
    return found


def _numbered(block: Block, part: int) -> Iterator[Provision]:
    if isinstance(block, Paragraph):
        if block.number:
            yield Provision(part, block.number, block.line, _calls(block.content))
        for child in (*block.inserts, *block.children):
            yield from _numbered(child, part)


def _appendices(document: Document) -> list[int]:
    """The line where each appendix starts (its first block's line, the heading is just above)."""
    lines = []
    for section in document.sections:
        if section.heading is not None:
            lines.append(max(1, _first_line(section.blocks) - 2))
    return lines


def _first_line(blocks: tuple[Block, ...]) -> int:
    for block in blocks:
        if isinstance(block, Paragraph | Quote | Table):
            return block.line
    return 1


def _calls(nodes: tuple[Inline, ...]) -> int:
    count = 0
    for node in nodes:
        if isinstance(node, NoteCall):
            count += 1
        elif isinstance(node, Emphasis | Strong | Link):
            count += _calls(node.children)
    return count


def _notes(count: int) -> str:
    return _count(count, "note", "notes")


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _shown(value: object) -> str:
    if isinstance(value, list):
        return ", ".join("/".join(str(part) for part in item if part is not None) for item in value) or "none"
    return "none" if value is None else str(value)
