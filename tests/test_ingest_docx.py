"""Issue 16, item 6: a delegation's DOCX back to its source.

source -> DOCX -> source is the identity (the same document model) for every fixture and
generated text; a change made in Word comes through; pending tracked changes are refused.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from pipeline import build, load
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.ingest import ingest_all
from pipeline.model import Document, Paragraph, Text
from pipeline.testing.corpus import generate
from tests.conftest import ROOT

SOURCES = sorted(
    [
        *(ROOT / "source").glob("*.*.md"),
        *(ROOT / "tests" / "fixtures" / "texts").glob("*.md"),
        *(ROOT / "tests" / "fixtures" / "ingest" / "expected").glob("*.md"),
    ]
)


def docx_of(source: Path, folder: Path) -> Path:
    [outcome] = build([source], ["docx"], folder)
    [docx] = outcome.written
    return docx


def back(docx: Path, folder: Path) -> tuple[Document | None, list[str]]:
    [outcome] = ingest_all(docx, folder, Config())
    problems = [str(p) for p in outcome.problems]
    return (load(outcome.written[0]) if outcome.written else None), problems


def without_lines(value: object) -> object:
    """The model with every source line number set to 0: the two sources lay out their lines
    differently (front matter comments, blank lines), the text they hold is what must agree."""
    if isinstance(value, msgspec.Struct):
        changes = {name: without_lines(getattr(value, name)) for name in value.__struct_fields__}
        if "line" in changes:
            changes["line"] = 0
        return msgspec.structs.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(without_lines(item) for item in value)
    return value


def same(one: Document, other: Document) -> None:
    assert one.metadata == other.metadata
    assert without_lines(one.sections) == without_lines(other.sections)
    assert one.footnotes == other.footnotes


def edited(docx: Path, change: Callable[[str], str], folder: Path) -> Path:
    """The DOCX with its document.xml changed, as Word would save an edit."""
    with zipfile.ZipFile(docx) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/document.xml"] = change(parts["word/document.xml"].decode("utf-8")).encode("utf-8")
    target = folder / docx.name
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return target


SEED = ROOT / "source" / "recommendation-1607-2003.en.md"
# Paragraph 7 leads into 7.1-7.3 ("…:"), so it is kept with the first of them (w:keepNext).
PARAGRAPH_7 = (
    '<w:p><w:pPr><w:pStyle w:val="BodyParagraph"/><w:keepNext/></w:pPr><w:r><w:t xml:space="preserve">7.</w:t>'
)


def test_an_edited_word_and_an_added_sub_paragraph_come_through(tmp_path: Path) -> None:
    def edit(xml: str) -> str:
        xml = xml.replace("virulent increase", "sharp increase", 1)
        added = (
            '<w:p><w:pPr><w:pStyle w:val="SubParagraph2"/></w:pPr><w:r><w:t xml:space="preserve">6.8.</w:t></w:r>'
            '<w:r><w:tab/></w:r><w:r><w:t xml:space="preserve">the protection of unaccompanied children.</w:t>'
            "</w:r></w:p>"
        )
        assert PARAGRAPH_7 in xml
        return xml.replace(PARAGRAPH_7, added + PARAGRAPH_7, 1)

    docx = edited(docx_of(SEED, tmp_path / "docx"), edit, tmp_path / "edited")
    document, problems = back(docx, tmp_path / "source")
    assert problems == [] and document is not None
    main = [p for p in document.sections[0].blocks if isinstance(p, Paragraph)]
    paragraph_3 = next(p for p in main if p.number == "3.")
    assert "a sharp increase of phenomena" in "".join(n.text for n in paragraph_3.content if isinstance(n, Text))
    paragraph_6 = next(p for p in main if p.number == "6.")
    assert [child.number for child in paragraph_6.children][-2:] == ["6.7.", "6.8."]
    assert paragraph_6.children[-1].content == (Text("the protection of unaccompanied children."),)


def test_pending_tracked_changes_are_reported_and_nothing_is_written(tmp_path: Path) -> None:
    def track(xml: str) -> str:
        inserted = (
            '<w:ins w:id="90" w:author="Delegation" w:date="2026-11-30T10:00:00Z"><w:r><w:t>very </w:t></w:r></w:ins>'
        )
        return xml.replace(
            '<w:r><w:t xml:space="preserve">In the current',
            inserted + '<w:r><w:t xml:space="preserve">In the current',
            1,
        )

    docx = edited(docx_of(SEED, tmp_path / "docx"), track, tmp_path / "edited")
    [outcome] = ingest_all(docx, tmp_path / "source", Config())
    assert outcome.written == [] and not (tmp_path / "source").exists()
    [error] = [p for p in outcome.problems if p.severity is Severity.ERROR]
    assert error.message == "1 tracked changes are still pending (insertion; the first at “very”)"


def test_a_file_that_is_not_a_docx_is_one_error(tmp_path: Path) -> None:
    fake = tmp_path / "fake.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a document")
    fake.write_bytes(buffer.getvalue())
    [outcome] = ingest_all(fake, tmp_path / "out", Config())
    assert [p.message for p in outcome.problems] == ["not a DOCX: it has no word/document.xml"]


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_source_to_docx_to_source_is_the_identity(tmp_path: Path, source: Path) -> None:
    document, problems = back(docx_of(source, tmp_path / "docx"), tmp_path / "source")
    assert problems == []
    assert document is not None
    same(document, load(source))


def test_generated_texts_round_trip(tmp_path: Path) -> None:
    """The synthetic corpus (sub-paragraphs, lettered items, notes, quotes, tables, appendices,
    references, French versions): every text comes back as it went out."""
    sources = generate(tmp_path / "corpus", count=24, seed=16)
    for outcome in build(sources, ["docx"], tmp_path / "docx"):
        source = outcome.source
        [docx] = outcome.written
        document, problems = back(docx, tmp_path / "source")
        assert problems == [], source.name
        assert document is not None
        same(document, load(source))


def test_parity_sources_round_trip(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Sources drawn from the whole grammar of the source format (issue 13's generator)."""
    hypothesis = pytest.importorskip("hypothesis")
    generate_sources = pytest.importorskip("tests.parity.generate").sources

    # Imported only when present (the generator is issue 13's): mypy sees no types for it.
    @hypothesis.settings(max_examples=15, deadline=None, database=None)  # type: ignore[untyped-decorator]
    @hypothesis.given(generate_sources())  # type: ignore[untyped-decorator]
    def round_trip(text: Any) -> None:
        folder = tmp_path_factory.mktemp("parity")
        source = text.write(folder / "source")
        document, problems = back(docx_of(source, folder / "docx"), folder / "back")
        assert problems == [], text.text
        assert document is not None
        same(document, load(source))

    round_trip()


def test_a_paragraph_typed_in_another_style_is_read_by_its_number_with_a_warning(tmp_path: Path) -> None:
    def add(xml: str) -> str:
        typed = '<w:p><w:r><w:t xml:space="preserve">6.8. the protection of unaccompanied children.</w:t></w:r></w:p>'
        return xml.replace(PARAGRAPH_7, typed + PARAGRAPH_7, 1)

    docx = edited(docx_of(SEED, tmp_path / "docx"), add, tmp_path / "edited")
    [outcome] = ingest_all(docx, tmp_path / "source", Config())
    assert [p.message for p in outcome.problems] == ["a paragraph in the style 'Normal' is taken as paragraph 6.8."]
    document = load(outcome.written[0])
    paragraph_6 = next(p for p in document.sections[0].blocks if isinstance(p, Paragraph) and p.number == "6.")
    assert paragraph_6.children[-1].number == "6.8."
