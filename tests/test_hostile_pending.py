"""Issue 15 cases whose fix belongs to the body reader or the renderers (issues 13 and 14).

Each is marked xfail(strict=True): it fails today, and the owner's fix turns it green (strict,
so the mark must then be removed). What each needs is in its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline import build
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.source import read
from tests.sources import FRONT, NAME
from tests.test_hostile import BODY_LINE

NOTE_IN_NOTE = "1. Text[^a].\n\n[^a]: See[^b].\n\n[^b]: Inner."


def write(tmp_path: Path, text: str) -> Path:
    source = tmp_path / NAME
    source.write_text(FRONT + "\n" + text + "\n", encoding="utf-8")
    return source


@pytest.mark.xfail(strict=True, reason="needs body change: a note called inside a note is refused (class 7)")
def test_a_note_called_inside_a_note_is_refused(tmp_path: Path) -> None:
    problems = read(write(tmp_path, NOTE_IN_NOTE), Config()).problems
    assert [p.line for p in problems if p.severity is Severity.ERROR] == [BODY_LINE + 2]


@pytest.mark.xfail(strict=True, reason="needs body change: appendix heading ids never take generated ids (class 7)")
@pytest.mark.parametrize("heading", ["Fn 1", "P 1", "Quote 1", "Fnref 1"])
def test_an_appendix_heading_never_takes_a_generated_id(heading: str, tmp_path: Path) -> None:
    source = write(tmp_path, f"1. Text[^a].\n\n> Quoted.\n\n[^a]: Note.\n\n## {heading}\n\n1. Item.")
    [outcome] = build([source], ["html"], tmp_path / "out")
    assert not outcome.failed
    ids = re.findall(r'\bid="([^"]+)"', (tmp_path / "out" / "resolution-1234-2001.en.html").read_text())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.xfail(strict=True, reason="needs renderer change: a word wider than the PDF page is reported (class 7)")
def test_a_word_too_long_for_the_page_is_reported_with_its_line(tmp_path: Path) -> None:
    source = write(tmp_path, "1. " + "Rights" * 30 + ".")
    [outcome] = build([source], ["pdf"], tmp_path / "out")
    assert outcome.failure or [p for p in outcome.problems if p.line == BODY_LINE]


@pytest.mark.xfail(strict=True, reason="needs renderer change: a table wider than the PDF page is reported (class 7)")
def test_a_table_too_wide_for_the_page_is_reported_with_its_line(tmp_path: Path) -> None:
    header = "| " + " | ".join(f"Column {i}" for i in range(25)) + " |"
    rule = "|" + "---|" * 25
    row = "| " + " | ".join(str(i) for i in range(25)) + " |"
    source = write(tmp_path, f"1. Votes:\n\n{header}\n{rule}\n{row}")
    [outcome] = build([source], ["pdf"], tmp_path / "out")
    assert outcome.failure or [p for p in outcome.problems if p.line == BODY_LINE + 2]
