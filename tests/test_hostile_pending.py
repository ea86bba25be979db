"""Issue 15 cases fixed in the body reader and the renderers (class 7), with variants: notes
called inside notes, headings that look like generated ids, and text wider than the PDF page."""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pipeline import build
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.source import load, read
from tests.pdftext import ADDED_HYPHEN
from tests.sources import FRONT, NAME
from tests.test_hostile import BODY_LINE

NOTE_IN_NOTE = "1. Text[^a].\n\n[^a]: See[^b].\n\n[^b]: Inner."


def write(tmp_path: Path, text: str) -> Path:
    source = tmp_path / NAME
    source.write_text(FRONT + "\n" + text + "\n", encoding="utf-8")
    return source


def errors(source: Path) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in read(source, Config()).problems if p.severity is Severity.ERROR]


def test_a_note_called_inside_a_note_is_refused(tmp_path: Path) -> None:
    problems = read(write(tmp_path, NOTE_IN_NOTE), Config()).problems
    assert [p.line for p in problems if p.severity is Severity.ERROR] == [BODY_LINE + 2]


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        # a chain: each inner call is refused where it stands
        ("1. Text[^a].\n\n[^a]: See[^b].\n\n[^b]: Then[^c].\n\n[^c]: Inner.", [BODY_LINE + 2, BODY_LINE + 4]),
        # inside emphasis, and a note defined before the one that calls it
        ("1. Text[^a].\n\n[^b]: Inner.\n\n[^a]: See *also[^b]*.", [BODY_LINE + 4]),
        # on a note's continuation line
        ("1. Text[^a].\n\n[^a]: See\n    more[^b].\n\n[^b]: Inner.", [BODY_LINE + 3]),
        # inside a quotation inside a note (its line was the front matter's before)
        ("1. Text[^a].\n\n[^a]: > Quoted[^b].\n\n[^b]: Inner.", [BODY_LINE + 2]),
        # a note calling itself
        ("1. Text[^a].\n\n[^a]: See[^a].", [BODY_LINE + 2]),
    ],
)
def test_every_call_inside_a_note_is_refused_at_its_line(body: str, lines: list[int], tmp_path: Path) -> None:
    found = errors(write(tmp_path, body))
    assert [line for line, _ in found] == lines
    assert all("is called inside another footnote" in message for _, message in found)


def test_notes_called_from_quotes_tables_and_appendices_are_still_allowed(tmp_path: Path) -> None:
    body = "1. Text[^a].\n\n> Quoted[^b].\n\n| A | B |\n|---|---|\n| x[^c] | y |\n\n## Appendix\n\n1. Item[^d].\n\n"
    body += "\n\n".join(f"[^{label}]: Note {label}." for label in "abcd")
    assert errors(write(tmp_path, body)) == []


HOSTILE_HEADINGS = [
    "Fn 1", "P 1", "Para 1", "Quote 1", "Fnref 1", "Table 1", "P 1.a", "Fn 2", "Main", "Notes heading",
    "Appendix P 1", "Appendix heading", "Appendix Para 1", "Adoption", "Debate 1", "Committee 1", "Pace",
    "Version fr", "Appendix P", "Appendix P",
]  # fmt: skip


def section_ids(tmp_path: Path, headings: list[str]) -> list[str]:
    body = "1. Text[^a].\n\n> Quoted.\n\n| A |\n|---|\n| 1 |\n\nText.\n\n[^a]: Note.\n\n"
    source = write(tmp_path, body + "".join(f"## {h}\n\n1. Item.\n\n> Quoted.\n\nMore.\n\n" for h in headings))
    document = load(source, Config())
    return [s.id for s in document.sections if s.heading]


@pytest.mark.parametrize("heading", ["Fn 1", "P 1", "Para 1", "Quote 1", "Fnref 1"])
def test_an_appendix_heading_never_takes_a_generated_id(heading: str, tmp_path: Path) -> None:
    source = write(tmp_path, f"1. Text[^a].\n\n> Quoted.\n\n[^a]: Note.\n\n## {heading}\n\n1. Item.")
    [outcome] = build([source], ["html"], tmp_path / "out")
    assert not outcome.failed
    ids = re.findall(r'\bid="([^"]+)"', (tmp_path / "out" / "resolution-1234-2001.en.html").read_text())
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


def test_hostile_headings_give_unique_ids_in_every_markup_edition(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        "1. Text[^a].\n\n> Quoted.\n\n| A |\n|---|\n| 1 |\n\nText.\n\n[^a]: Note.\n\n## Appendix\n\n1. First.\n\n"
        + "".join(f"## {h}\n\n1. Item.\n\n2. Two.\n\n> Quoted.\n\nMore.\n\n" for h in HOSTILE_HEADINGS),
    )
    [outcome] = build([source], ["html", "epub", "akn"], tmp_path / "out")
    assert not outcome.failed, outcome.failure
    html = (tmp_path / "out" / "resolution-1234-2001.en.html").read_text()
    akn = (tmp_path / "out" / "resolution-1234-2001.en.akn.xml").read_text()
    for ids in (re.findall(r'\bid="([^"]+)"', html), re.findall(r'\beId="([^"]+)"', akn)):
        assert sorted({i for i in ids if ids.count(i) > 1}) == []
    # the title note's call still leads to the title note, not to an appendix
    assert re.search(r'<li id="fn-1">Assembly debate', html)
    with zipfile.ZipFile(tmp_path / "out" / "resolution-1234-2001.en.epub") as epub:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                ids = re.findall(r'\bid="([^"]+)"', epub.read(name).decode())
                assert sorted({i for i in ids if ids.count(i) > 1}) == [], name


def test_section_ids_of_ordinary_headings_are_unchanged(tmp_path: Path) -> None:
    headings = ["Appendix", "Appendix II", "Annexe", "Appendix", "Appendix 2", "Table of votes", "Pages", "P", "£"]
    assert section_ids(tmp_path, headings) == [
        "appendix", "appendix-ii", "annexe", "appendix-2", "appendix-2-2", "table-of-votes", "pages", "p", "section",
    ]  # fmt: skip


def test_a_heading_that_looks_generated_is_moved_out_of_the_generated_namespace(tmp_path: Path) -> None:
    ids = section_ids(tmp_path, ["P 1", "Fn 1", "Appendix", "Appendix P", "Appendix P", "Heading", "Appendix heading"])
    assert ids == [
        "p-1-section", "fn-1-section", "appendix", "appendix-p", "appendix-p-section", "heading",
        "appendix-heading-section",
    ]  # fmt: skip


def pdf_text(tmp_path: Path, source: Path) -> str:
    """Every character pdftotext sees on the pages (it keeps to the page box, as a reader does),
    without the line breaks and the hyphens that layout added."""
    [outcome] = build([source], ["pdf"], tmp_path / "out")
    assert not outcome.failed, outcome.failure
    pdf = tmp_path / "out" / "resolution-1234-2001.en.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split()).replace(ADDED_HYPHEN, "")


def wide_table(columns: int) -> str:
    header = "| " + " | ".join(f"Column {i}" for i in range(columns)) + " |"
    rule = "|" + "---|" * columns
    row = "| " + " | ".join(str(1000 + i) for i in range(columns)) + " |"
    return f"1. Votes:\n\n{header}\n{rule}\n{row}"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("1. " + "Rights" * 30 + ".", ["Rights" * 30]),
        ("1. " + "x" * 130 + ".", ["x" * 130]),  # no hyphenation point at all
        ("1. Text[^a].\n\n[^a]: See " + "7" * 150 + ".", ["7" * 150]),  # in a note (set at the foot)
        ("1. Text.\n\n> " + "q" * 120 + " quoted.", ["q" * 120]),
        # in a cell: the last, so that pdftotext reads no other cell's words into its lines
        ("1. Votes:\n\n| A | B |\n|---|---|\n| 5 | " + "z" * 120 + " |", ["z" * 120]),
    ],
)
def test_a_word_too_long_for_the_page_is_broken_not_clipped(body: str, words: list[str], tmp_path: Path) -> None:
    text = pdf_text(tmp_path, write(tmp_path, body))
    assert all(word in text for word in words)


def test_a_title_too_long_for_the_page_is_broken_not_clipped(tmp_path: Path) -> None:
    source = tmp_path / NAME
    source.write_text(FRONT.replace("title: A test text", "title: " + "T" * 140) + "\n1. Text.\n", encoding="utf-8")
    assert "T" * 140 in pdf_text(tmp_path, source)


def test_a_table_too_wide_for_the_page_is_set_whole(tmp_path: Path) -> None:
    text = pdf_text(tmp_path, write(tmp_path, wide_table(25)))
    # Every character on the page: pdftotext reads the narrow cells' lines across the row.
    cells = Counter("".join(f"Column{i}{1000 + i}" for i in range(25)))
    assert not cells - Counter(text)


def test_a_table_that_cannot_fit_however_broken_fails_with_its_line(tmp_path: Path) -> None:
    [outcome] = build([write(tmp_path, wide_table(80))], ["pdf"], tmp_path / "out")
    assert f"line {BODY_LINE + 2}" in outcome.failure and "runs off the page" in outcome.failure
    assert not (tmp_path / "out" / "resolution-1234-2001.en.pdf").exists()
