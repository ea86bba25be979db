"""Footnotes in the print edition: WeasyPrint 70 never splits a note across pages, so a note
taller than a page's note area would be set above the page's top (its number and first words
off the page). Such a text fails with the note's line; a long note that fits keeps every word."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline import build
from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.libraries import import_weasyprint
from pipeline.renderers.pdf_fit import LongNote, long_notes_at
from tests.pdftext import joined, words
from tests.sources import FRONT, FRONT_LINES, NAME

BODY_LINE = FRONT_LINES + 2  # the first body line after FRONT and a blank line
PDF = NAME.removesuffix(".md") + ".pdf"
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "texts" / "resolution-9004-2030.en.md"
LAST = "2. A second paragraph, after the note."


def note(count: int, prefix: str = "w") -> str:
    return " ".join(f"{prefix}{i}" for i in range(count))


def write(tmp_path: Path, body: str) -> Path:
    source = tmp_path / NAME
    source.write_text(FRONT + "\n" + body + "\n", encoding="utf-8")
    return source


@pytest.mark.parametrize(
    ("body", "number", "line"),
    [
        # the repro: one note of 1,300 words, about a page and a quarter at the foot's size
        (f"1. A paragraph with a long note[^n].\n\n[^n]: {note(1300)}.\n\n{LAST}", 2, BODY_LINE + 2),
        # the second of two notes: the one that cannot fit is named, not its neighbour
        (f"1. Two notes[^a] here[^b].\n\n[^a]: Short.\n\n[^b]: {note(1300)}.\n\n{LAST}", 3, BODY_LINE + 4),
    ],
)
def test_a_note_longer_than_a_page_fails_with_its_line(body: str, number: int, line: int, tmp_path: Path) -> None:
    [outcome] = build([write(tmp_path, body)], ["pdf"], tmp_path / "out")
    assert outcome.failed
    assert f"note {number} (line {line}) is longer than a page's note area" in outcome.failure, outcome.failure
    assert not (tmp_path / "out" / PDF).exists()


def test_a_long_note_that_fits_keeps_every_word(tmp_path: Path) -> None:
    [outcome] = build(
        [write(tmp_path, f"1. A paragraph with a note[^n].\n\n[^n]: {note(400)}.\n\n{LAST}")], ["pdf"], tmp_path / "out"
    )
    assert not outcome.failed, outcome.failure
    text = joined(words(tmp_path / "out" / PDF))
    assert f"2 {note(400)}." in text  # its number, then every word in order
    assert LAST.removeprefix("2. ") in text


def test_a_volume_with_a_note_longer_than_a_page_fails_naming_its_text(tmp_path: Path) -> None:
    sources, volume = tmp_path / "source", tmp_path / "volume.en.toml"
    sources.mkdir()
    shutil.copyfile(FIXTURE, sources / FIXTURE.name)
    write(sources, f"1. A paragraph with a long note[^n].\n\n[^n]: {note(1300)}.\n\n{LAST}")
    texts = ", ".join(f'"{p.name.removesuffix(".md")}"' for p in (FIXTURE, sources / NAME))
    volume.write_text(f'title = ["Texts", "Test"]\nlanguage = "en"\nstatus = "final"\ntexts = [{texts}]\n')
    summary = build_corpus([sources], ["pdf"], tmp_path / "out", Config(), volumes=[volume])
    [outcome] = summary.volume_outcomes
    assert outcome.failed
    assert f"note 2 of {NAME} (line {BODY_LINE + 2}) is longer than a page's note area" in outcome.failure
    assert not (tmp_path / "out" / "volume.en.pdf").exists()


@pytest.mark.parametrize(
    "css",
    [
        "",  # pushed above the page's top
        "@page { @footnote { max-height: 30%; } }",  # held in the area, running off the page's bottom
        ".footnote { footnote-display: inline; }",  # the note's lines are anonymous boxes
    ],
)
@pytest.mark.parametrize("size", ["A6", "A4 landscape"])
def test_a_note_off_any_page_is_found_from_the_layout(css: str, size: str) -> None:
    weasyprint = import_weasyprint()
    style = f"@page {{ size: {size}; margin: 20mm; }} .footnote {{ float: footnote; }} {css}"

    def found(words: int) -> list[LongNote]:
        html = f'<style>{style}</style><p id="p-1">Text<span class="footnote" id="fn-2">{note(words)}</span>.</p>'
        return long_notes_at(weasyprint.HTML(string=html).render(), {"p-1": 3, "fn-2": 5})

    assert found(20) == []
    assert found(1500) == [LongNote("2", "fn-2", 5)]
