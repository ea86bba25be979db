"""The pinned typefaces of an edition, read from the fonts.toml beside its template."""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, RenderError
from ..model import Document, Emphasis, Inline, Link, Paragraph, Quote, Reference, Strong, Table, Text
from ..safety import describe


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    style: str
    file: Path
    sha256: str

    @property
    def url(self) -> str:
        return self.file.as_uri()


def pinned_faces(fonts_toml: Path, format_name: str) -> tuple[FontFace, ...]:
    """The faces listed in `fonts_toml`, each checked to be exactly the pinned file."""
    entries = tomllib.loads(fonts_toml.read_text(encoding="utf-8"))["face"]
    faces = tuple(FontFace(e["family"], e["weight"], e["style"], Path(e["file"]), e["sha256"]) for e in entries)
    for face in faces:
        if not face.file.is_file():
            raise RenderError("-", format_name, f"font file {face.file} is missing: run `make` to install it")
        if hashlib.sha256(face.file.read_bytes()).hexdigest() != face.sha256:
            raise RenderError("-", format_name, f"font file {face.file} is not the pinned version ({fonts_toml})")
    return faces


def covered_characters(faces: tuple[FontFace, ...]) -> frozenset[int]:
    """Every code point some pinned face has a glyph for."""
    from fontTools.ttLib import TTFont  # a WeasyPrint dependency; only the PDF needs it

    covered: set[int] = set()
    for face in faces:
        covered |= set(TTFont(face.file).getBestCmap())
    return frozenset(covered)


def uncovered(document: Document, covered: frozenset[int]) -> list[tuple[int, str]]:
    """(line, character) for each character of the text no pinned face can set.

    Without this, the PDF would take the glyph from whatever font the machine happens to have,
    and stop being the same file everywhere.
    """
    found: dict[str, int] = {}
    for line, text in _texts(document):
        for character in text:
            if ord(character) not in covered and not character.isspace() and character not in found:
                found[character] = line
    return [(line, character) for character, line in found.items()]


def print_coverage() -> frozenset[int] | None:
    """What the print edition's pinned faces can set; None when they are not installed (then
    `pipeline doctor` names the missing file, and the PDF build stops before any text)."""
    from ..templating import TEMPLATES

    try:
        return covered_characters(pinned_faces(TEMPLATES / "print" / "fonts.toml", "pdf"))
    except RenderError:
        return None


MAX_NAMED = 3  # characters named in one line's message
GLYPH_HINT = (
    "the PDF would take them from whatever font a machine has: write them otherwise, or pin a face that has them"
)


def glyph_problems(document: Document, covered: frozenset[int], source: Path) -> list[Problem]:
    """An error for each source line with characters no pinned face can set, at the first of
    them (where the source writes one as a character reference: the model's line for it)."""
    text = document.source.decode("utf-8", "replace")
    by_line: dict[int, list[tuple[int, str]]] = {}
    for line, character in uncovered(document, covered):
        column, at = 1, text.find(character)
        if at >= 0:
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
        by_line.setdefault(line, []).append((column, character))
    problems = []
    for line, found in sorted(by_line.items()):
        found.sort()
        named = ", ".join(describe(character) for _, character in found[:MAX_NAMED])
        more = f" and {len(found) - MAX_NAMED} more" if len(found) > MAX_NAMED else ""
        message = f"no pinned font of the PDF has a glyph for {named}{more}"
        problems.append(Problem(source, line, message, GLYPH_HINT, found[0][0]))
    return problems


def _texts(document: Document) -> Iterator[tuple[int, str]]:
    meta = document.metadata
    yield 1, meta.title + meta.issuing_body
    for reported in meta.adoption.documents:
        yield 1, reported.committee + reported.rapporteur
    yield from ((1, text) for text in _inline_texts(meta.adoption.note))
    for section in document.sections:
        yield from ((1, text) for text in _inline_texts(section.heading or ()))
        for block in section.blocks:
            yield from _block_texts(block)
    for note in document.footnotes:
        yield from ((1, text) for text in _inline_texts(note.content))


def _block_texts(block: Paragraph | Quote | Table) -> Iterator[tuple[int, str]]:
    if isinstance(block, Paragraph):
        yield from ((block.line, text) for text in _inline_texts(block.content))
        for child in (*block.inserts, *block.children):
            yield from _block_texts(child)
    elif isinstance(block, Quote):
        yield from ((block.line, t) for paragraph in block.paragraphs for t in _inline_texts(paragraph))
    else:
        for row in (block.header, *block.rows):
            yield from ((block.line, t) for cell in row for t in _inline_texts(cell))


def _inline_texts(nodes: tuple[Inline, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Text | Reference):
            yield node.text
        elif isinstance(node, Emphasis | Strong | Link):
            yield from _inline_texts(node.children)
