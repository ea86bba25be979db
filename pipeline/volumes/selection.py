"""The texts of a declared volume, found among the sources, in the order the Assembly prints them:
Opinions, Recommendations, Resolutions, then the other types; by number within a type."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import msgspec

from ..errors import Problem, Problems, Severity, shown
from ..linking import within
from ..model import Document, Paragraph, Quote, Section, Status, Table, TextType
from ..source import Reading
from ..textname import TextName, TextNameError, file_stem
from .declaration import Declaration

TYPE_ORDER = (TextType.OPINION, TextType.RECOMMENDATION, TextType.RESOLUTION, TextType.ORDER, TextType.DECISION)


@dataclass(frozen=True)
class Group:
    """The texts of one type, in the volume's order."""

    type: TextType
    texts: tuple[Document, ...]


@dataclass(frozen=True)
class Volume:
    """A volume ready to render: its declaration's facts and its texts grouped by type."""

    stem: str
    title: tuple[str, ...]
    language: str
    status: Status
    recto: bool
    # Texts' block ids are prefixed with their anchor (one page holds them all), and their
    # references to each other point at those anchors ("#text-…").
    groups: tuple[Group, ...]
    source: bytes = b""  # the volume file, embedded beside the texts' sources

    @property
    def texts(self) -> tuple[Document, ...]:
        return tuple(text for group in self.groups for text in group.texts)

    @property
    def provisional(self) -> bool:
        return self.status is Status.PROVISIONAL

    @property
    def issued(self) -> dt.date:
        """The newest date among its texts' versions: the volume's own date (no clock)."""
        return max(text.metadata.issued for text in self.texts)


def select(
    declaration: Declaration, sources: list[Path], read: Callable[[Path], Reading]
) -> tuple[Volume | None, list[Problem]]:
    """The volume `declaration` asks for, made of the texts among `sources`, or every problem."""
    problems = Problems(declaration.path)
    candidates = _candidates(declaration, sources, problems)
    found: list[Document] = []
    for name, source in candidates:
        reading = read(source)
        problems.items.extend(p for p in reading.problems if p.severity is Severity.ERROR)
        if reading.document is None:
            where = declaration.line("texts", name) if declaration.texts else 1
            problems.error(where, f"the text {name} has errors", f"fix {source} first (pipeline check)")
            continue
        meta = reading.document.metadata
        if declaration.texts or in_range(declaration, meta.adoption.date, meta.type):
            found.append(reading.document)
    if not problems.errors and not found:
        problems.error(
            declaration.line("from"),
            f"no text in {shown(declaration.language)} was adopted between {declaration.start} and {declaration.end}"
            + (f" among the types {', '.join(t.value for t in declaration.types)}" if declaration.types else ""),
            "check the dates and the sources given",
        )
    if problems.errors:
        return None, problems.items
    provisional = [text.stem for text in found if text.metadata.status is Status.PROVISIONAL]
    if declaration.status is Status.FINAL and provisional:
        problems.warning(
            declaration.line("status"),
            f"the volume is final but holds provisional texts: {', '.join(sorted(provisional))}",
            "publish their final versions first, or make the volume provisional",
        )
    return _volume(declaration, found), problems.items


def _candidates(declaration: Declaration, sources: list[Path], problems: Problems) -> list[tuple[str, Path]]:
    """(name, source) of the texts to read: those listed, or every source in the volume's language."""
    by_stem = {file_stem(source): source for source in sources}
    if not declaration.texts:
        language = declaration.language.lower()
        return [(stem, source) for stem, source in by_stem.items() if language_of(stem) == language]
    chosen = []
    for name in declaration.texts:
        line = declaration.line("texts", name)
        if name not in by_stem:
            # the volume's own language first: "resolution-1005-2006" in an English volume is the .en one
            own = sorted(stem for stem in by_stem if language_of(stem) == declaration.language.lower())
            close = difflib.get_close_matches(name, own, n=1) or difflib.get_close_matches(name, sorted(by_stem), n=1)
            hint = f"did you mean {close[0]!r}?" if close else "give the folder that holds it, or remove it"
            problems.error(line, f"no source named {name}.md among the sources given", hint)
        elif language_of(name) != declaration.language.lower():
            problems.error(
                line,
                f"{name} is in {language_of(name) or 'no language'}, the volume in {declaration.language}",
                "list the version in the volume's language",
            )
        else:
            chosen.append((name, by_stem[name]))
    return chosen


def language_of(stem: str) -> str:
    """The language a text's file name gives it, in lower case ("" if it names none)."""
    try:
        return TextName.parse(stem).language.lower()
    except TextNameError:
        return ""


def in_range(declaration: Declaration, adopted: dt.date, kind: TextType) -> bool:
    """Whether a volume chosen by dates (and types) holds a text adopted on `adopted`."""
    assert declaration.start is not None and declaration.end is not None
    within = declaration.start <= adopted <= declaration.end
    return within and (not declaration.types or kind in declaration.types)


def _volume(declaration: Declaration, texts: list[Document]) -> Volume:
    held = {text.stem.rpartition(".")[0]: "#" + anchor(text) for text in texts}
    groups = []
    for kind in TYPE_ORDER:
        chosen = sorted((t for t in texts if t.metadata.type is kind), key=lambda t: (t.metadata.number, t.stem))
        if chosen:
            groups.append(Group(kind, tuple(within(namespaced(text, anchor(text) + "-"), held) for text in chosen)))
    return Volume(
        source=declaration.source,
        stem=declaration.stem,
        title=declaration.title,
        language=declaration.language,
        status=declaration.status,
        recto=declaration.recto,
        groups=tuple(groups),
    )


def anchor(document: Document) -> str:
    """The id of a text in a volume: its stem, dots made hyphens (ids stay [a-z0-9-])."""
    return "text-" + document.stem.replace(".", "-")


def namespaced(document: Document, prefix: str) -> Document:
    """`document` with every block id prefixed, so that the texts of one volume page never share
    an id (the text's own editions keep theirs: they are its permalinks)."""
    return msgspec.structs.replace(document, sections=tuple(_section(section, prefix) for section in document.sections))


def _section(section: Section, prefix: str) -> Section:
    return msgspec.structs.replace(
        section, id=prefix + section.id, blocks=tuple(_block(block, prefix) for block in section.blocks)
    )


def _block(block: Paragraph | Quote | Table, prefix: str) -> Paragraph | Quote | Table:
    if isinstance(block, Paragraph):
        return msgspec.structs.replace(
            block,
            id=prefix + block.id,
            inserts=tuple(_block(insert, prefix) for insert in block.inserts),
            children=tuple(_block(child, prefix) for child in block.children),
        )
    return msgspec.structs.replace(block, id=prefix + block.id)
