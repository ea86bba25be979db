"""The typed document model: the only thing templates and renderers ever see.

Its classes are frozen msgspec Structs: made in C, a class costs a fiftieth of a dataclass to
define and an instance a seventh to make, which every process pays at start (a cold one-text
build is the editor's loop) and every parse pays per node. `msgspec.structs.replace` stands for
`dataclasses.replace`, a class's `__struct_fields__` for `dataclasses.fields`."""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping

import msgspec


class TextType(enum.StrEnum):
    """Kinds of adopted text; the value is the key used in sources and file names."""

    RECOMMENDATION = "recommendation"
    RESOLUTION = "resolution"
    OPINION = "opinion"
    ORDER = "order"
    DECISION = "decision"


class AdoptingBody(enum.StrEnum):
    ASSEMBLY = "assembly"
    STANDING_COMMITTEE = "standing-committee"


class Status(enum.StrEnum):
    PROVISIONAL = "provisional"
    FINAL = "final"


class Sitting(msgspec.Struct, frozen=True):
    """A date of the Assembly's calendar, with the sitting number when there was one."""

    date: dt.date
    number: int | None = None


class ReportedDocument(msgspec.Struct, frozen=True):
    """A document the text was adopted on: "Doc. 9814, report of the Committee on ..."."""

    number: str
    kind: str
    committee: str
    rapporteur: str
    url: str


class Adoption(msgspec.Struct, frozen=True):
    """How the text was adopted; the title footnote is generated from it."""

    by: AdoptingBody
    date: dt.date
    sitting: int | None
    debates: tuple[Sitting, ...] = ()
    documents: tuple[ReportedDocument, ...] = ()
    note: tuple[Inline, ...] = ()  # free-text override of the generated formula


class Metadata(msgspec.Struct, frozen=True):
    type: TextType
    number: int
    year: int
    language: str
    title: str
    issuing_body: str
    adoption: Adoption
    status: Status = Status.FINAL
    keywords: tuple[str, ...] = ()
    unofficial_translation: bool = False  # a translation made by the service, not an official text
    version_date: dt.date | None = None  # when this version (provisional or final) was issued

    @property
    def issued(self) -> dt.date:
        """The date of this version: its own, or the adoption date. A final version and the
        provisional one before it differ in status and in this date."""
        return self.version_date or self.adoption.date


# Inline content -------------------------------------------------------------


class Text(msgspec.Struct, frozen=True):
    text: str


class Emphasis(msgspec.Struct, frozen=True):
    children: tuple[Inline, ...]


class Strong(msgspec.Struct, frozen=True):
    children: tuple[Inline, ...]


class Link(msgspec.Struct, frozen=True):
    """An explicit link to the web written in the source."""

    children: tuple[Inline, ...]
    url: str


class Reference(msgspec.Struct, frozen=True):
    """A recognised mention of another adopted text or an Assembly document."""

    text: str
    kind: str  # a TextType value, or "document"
    number: str
    year: int | None
    url: str
    language: str = ""  # the target's language when it is not the text's own (a corpus build's `hreflang`)


class NoteCall(msgspec.Struct, frozen=True):
    """Where a footnote is called; number is the printed footnote number."""

    number: int


class LineBreak(msgspec.Struct, frozen=True):
    pass


Inline = Text | Emphasis | Strong | Link | Reference | NoteCall | LineBreak


# Blocks ----------------------------------------------------------------------


class Quote(msgspec.Struct, frozen=True):
    id: str
    paragraphs: tuple[tuple[Inline, ...], ...]
    line: int


class Table(msgspec.Struct, frozen=True):
    """A pipe table; `alignments` has one entry per column: "left", "center", "right" or ""
    (not stated: the edition's default)."""

    id: str
    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    line: int
    alignments: tuple[str, ...] = ()


class Paragraph(msgspec.Struct, frozen=True):
    """A paragraph with its number exactly as in the official text ("6.1.", "a."), or none.

    `inserts` are quotes and tables written after the paragraph's text, before its children.
    `children` are its sub-paragraphs, lettered items and the unnumbered paragraphs that
    continue it, in source order.
    """

    number: str | None
    id: str
    content: tuple[Inline, ...]
    line: int
    inserts: tuple[Quote | Table, ...] = ()
    children: tuple[Paragraph, ...] = ()


Block = Paragraph | Quote | Table


class Section(msgspec.Struct, frozen=True):
    """A run of blocks: the main text (no heading) or an appendix; numbering restarts in each."""

    heading: tuple[Inline, ...] | None
    id: str
    blocks: tuple[Block, ...]


class Footnote(msgspec.Struct, frozen=True):
    number: int
    content: tuple[Inline, ...]
    line: int = 0  # of its definition; a note read back elsewhere is the same note (not compared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not Footnote:
            return NotImplemented
        return (self.number, self.content) == (other.number, other.content)

    def __hash__(self) -> int:
        return hash((self.number, self.content))

    @property
    def id(self) -> str:
        return f"fn-{self.number}"

    @property
    def call_id(self) -> str:
        return f"fnref-{self.number}"


class Document(msgspec.Struct, frozen=True, dict=True):  # dict: for the cached `notes`
    """One adopted text in one language."""

    stem: str
    metadata: Metadata
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...] = ()
    source: bytes = b""  # the canonical source as read, embedded in archival editions
    versions: tuple[LanguageVersion, ...] = ()  # the same text in other languages, set by the build
    editions: tuple[EditionFile, ...] = ()  # its other editions in the same build, set by the build

    @functools.cached_property
    def notes(self) -> Mapping[int, Footnote]:
        """The footnotes by number, indexed once: templates look each call's note up here
        (a scan of all notes per call made a text's rendering quadratic in its notes)."""
        return {note.number: note for note in self.footnotes}  # a dict: documents are pickled to workers


class EditionFile(msgspec.Struct, frozen=True):
    """Another edition of the same text, written by the same build: what its web page links."""

    format: str  # as `--format` names it
    file: str  # beside this edition
    size: int  # in bytes


class LanguageVersion(msgspec.Struct, frozen=True):
    """Another language version of the same text: `<slug>.<language>.md` beside this one."""

    language: str
    stem: str


TITLE_NOTE_NUMBER = 1
"""The adoption footnote on the title is always note 1; notes in the body follow from 2."""
