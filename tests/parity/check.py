"""The parity property, as one function other tests (and other work) can call on any source."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.config import Config
from pipeline.model import Document, Emphasis, Inline, Link, Strong, Table, Text
from pipeline.renderers import Renderer
from pipeline.source import read
from tests.parity.editions import Reading, read_edition
from tests.parity.reading import Entry, flat, inline_tokens, model_notes, model_reading

FORMATS = ("html", "pdf", "docx", "epub")
ARTIFACTS = Path(__file__).resolve().parent.parent / "_artifacts" / "parity"


@dataclass(frozen=True)
class Editions:
    document: Document
    files: dict[str, bytes]
    readings: dict[str, Reading]


def render_all(path: Path, renderers: dict[str, Renderer]) -> Editions:
    """Read a source as `pipeline check` does (no problem allowed) and render every edition."""
    reading = read(path, Config())
    assert [str(p) for p in reading.problems] == [], "a generated source must pass pipeline check"
    assert reading.document is not None
    files = {name: renderers[name].render(reading.document) for name in FORMATS}
    return Editions(reading.document, files, {name: read_edition(name, data) for name, data in files.items()})


def assert_parity(editions: Editions, expected: tuple[Entry, ...] | None = None) -> None:
    """Every edition reads as the model, the model as the source (when `expected` is known),
    and every note has the same number and words everywhere."""
    model = model_reading(editions.document)
    if expected is not None:
        assert model == list(expected), "the model's reading order is not the source's"
    straight = [text for text in _texts(editions.document) if '"' in text]
    assert straight == [], "straight double quotes left in the model"
    readings = editions.readings
    for name in ("html", "epub"):
        assert list(readings[name].entries) == model, f"{name}: reading order, numbers, levels or notes differ"
    docx_model = [entry if entry.kind in ("paragraph", "heading") else entry.without_level() for entry in model]
    assert list(readings["docx"].entries) == docx_model, "docx: reading order, numbers, styles or notes differ"
    stream = flat(model)
    headers = frozenset(tuple(row) for row in _header_rows(editions.document))
    pdf = readings["pdf"].stream(headers)
    assert pdf[len(pdf) - len(stream) :] == stream, "pdf: the body's words, numbers and calls differ"
    notes = model_notes(editions.document)
    title_note = readings["html"].notes.get(1)
    for name, edition in readings.items():
        assert sorted(edition.notes) == [1, *sorted(notes)], f"{name}: note numbers differ"
        assert {n: w for n, w in edition.notes.items() if n != 1} == notes, f"{name}: notes' words differ"
        assert edition.notes[1] == title_note, f"{name}: the title note differs"


def _header_rows(document: Document) -> list[list[str]]:
    """The tokens of each table's header row, which the print edition repeats on a new page."""
    rows: list[list[str]] = []

    def walk(blocks: tuple[object, ...]) -> None:
        for block in blocks:
            if isinstance(block, Table) and block.header:
                rows.append([token for cell in block.header for token in inline_tokens(cell)])
            walk(getattr(block, "inserts", ()))
            walk(getattr(block, "children", ()))

    for section in document.sections:
        walk(section.blocks)
    return rows


def keep_for_inspection(stem: str, editions: Editions) -> Path:
    folder = ARTIFACTS / stem
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in editions.files.items():
        (folder / f"{stem}.{name}").write_bytes(data)
    (folder / f"{stem}.md").write_bytes(editions.document.source)
    return folder


def _texts(document: Document) -> list[str]:
    found: list[str] = []

    def walk(nodes: tuple[Inline, ...]) -> None:
        for node in nodes:
            if isinstance(node, Text):
                found.append(node.text)
            elif isinstance(node, Emphasis | Strong | Link):
                walk(node.children)

    def blocks(items: tuple[object, ...]) -> None:
        for block in items:
            for name in ("content",):
                walk(getattr(block, name, ()))
            for paragraph in getattr(block, "paragraphs", ()):
                walk(paragraph)
            for row in (getattr(block, "header", ()), *getattr(block, "rows", ())):
                for cell in row:
                    walk(cell)
            blocks(getattr(block, "inserts", ()))
            blocks(getattr(block, "children", ()))

    for section in document.sections:
        blocks(section.blocks)
    for note in document.footnotes:
        walk(note.content)
    return found
