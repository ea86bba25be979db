"""The print edition's hyphenation and line breaking, measured over every fixture and over
generated texts (the synthetic corpus and the parity generator's sources): under 8 % of lines
hyphenated, never more than two in a row, no forbidden break. The report is printed (pytest -s)."""

from __future__ import annotations

import itertools
import re
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.pdf import PdfRenderer
from pipeline.renderers.pdf_lines import Line, body_lines, forbidden_breaks, overlong_runs, runs, split_word
from pipeline.testing.corpus import generate
from pipeline.typography import LAYOUT_HYPHEN
from tests.parity.generate import GeneratedSource, sources
from tests.pdftext import ADDED_HYPHEN, MARGIN_BAND_PT, PAGE_HEIGHT_PT, words
from tests.typesetting import FIXTURES, MAX_HYPHENATED_SHARE, MAX_RUN, Report, measure


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer(Config())


def assert_house_limits(report: Report) -> None:
    print(f"\n{report}")
    assert report.share < MAX_HYPHENATED_SHARE, f"{report.share:.1%} of lines hyphenated"
    assert report.longest_run <= MAX_RUN
    assert report.forbidden == []


def test_the_fixtures_are_set_within_the_house_limits(renderer: PdfRenderer) -> None:
    report = measure(FIXTURES, renderer)
    assert report.lines > 500, "every fixture measured"
    assert_house_limits(report)


@pytest.mark.slow
def test_a_synthetic_corpus_is_set_within_the_house_limits(renderer: PdfRenderer, tmp_path: Path) -> None:
    assert_house_limits(measure(generate(tmp_path, 12, seed=7), renderer))


@pytest.mark.slow
@settings(max_examples=1, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(sources(), min_size=12, max_size=12))
def test_generated_sources_are_set_within_the_house_limits(
    renderer: PdfRenderer, tmp_path_factory: pytest.TempPathFactory, texts: list[GeneratedSource]
) -> None:
    folder = tmp_path_factory.mktemp("generated")
    paths = list(dict.fromkeys(text.write(folder) for text in texts))
    report = measure(paths, renderer)
    # Generated words are random vocabulary: only the rules, not the share, say much here.
    assert report.longest_run <= MAX_RUN
    assert report.forbidden == [], report


def lines(*texts: str, paragraph: int = 0) -> list[Line]:
    return [Line(1, paragraph, text) for text in texts]


def test_a_break_inside_a_date_citation_or_protected_word_is_reported() -> None:
    found = forbidden_breaks(
        lines("adopted on 24", "June 2003 by the As\u2010", "sembly following Recommendation", "1607 (2003).")
    )
    assert [(f.kind, f.words) for f in found] == [
        ("no-break", "24| June 2003"),
        ("no-break", "Recommendation| 1607 (2003)"),
        ("hyphenation", "As|sembly"),
    ]
    assert forbidden_breaks(lines("the migra\u2010", "tion of people", "in 2003")) == []


def test_runs_are_counted_within_a_paragraph_and_the_third_line_names_its_word() -> None:
    text = [
        *lines("one cooper\u2010", "ation two exam\u2010", "ination three regis\u2010", "tration."),
        *lines("x\u2010", paragraph=1),
    ]
    assert [len(run) for run in runs(text)] == [3, 1]
    assert overlong_runs(text) == ["registration"]
    assert split_word(text[0], text[1]) == "cooperation"


def test_what_the_renderer_lays_out_has_at_most_two_hyphenated_lines_in_a_row(renderer: PdfRenderer) -> None:
    # resolution-9020-2032 had a run of three before the renderer protected the third word
    laid_out = renderer.lay_out(load(FIXTURES[-1]), pdf_variant="pdf/a-3b", pdf_tags=True)
    assert max(len(run) for run in runs(body_lines(laid_out))) <= MAX_RUN


def test_pdftotext_gives_the_words_of_the_source_whole(editions: Path) -> None:
    """A hyphen the line breaking added is a soft hyphen in the text layer, so copy and screen
    readers get no "migra‐ tion": joined with the next line's first word, it is a word of the source."""
    rebuilt: dict[str, list[str]] = {}
    for source in FIXTURES:
        pdf = editions / f"{source.stem}.pdf"
        body = [w for w in words(pdf) if MARGIN_BAND_PT <= w.top <= PAGE_HEIGHT_PT - MARGIN_BAND_PT]
        assert not [w.text for w in body if LAYOUT_HYPHEN in w.text], (
            f"{source.name}: a layout hyphen given as a character"
        )
        source_words = set(WORD.findall(source.read_text(encoding="utf-8")))
        for word, following in itertools.pairwise(body):
            if word.text.endswith(ADDED_HYPHEN):
                start = re.search(r"[\w’'-]*$", word.text.removesuffix(ADDED_HYPHEN))
                end = WORD.match(following.text)
                whole = (start.group() if start else "") + (end.group() if end else "")
                rebuilt.setdefault(source.name, []).append(whole if whole in source_words else f"NOT A WORD: {whole}")
    print(rebuilt)
    assert sum(len(found) for found in rebuilt.values()) > 20, "hyphenated lines were read"
    assert not [word for found in rebuilt.values() for word in found if word.startswith("NOT A WORD")], rebuilt


def test_plain_pdftotext_joins_every_hyphenated_word(editions: Path) -> None:
    """Poppler's plain text (what pdftotext and viewers built on poppler copy) gives each word the
    line breaking hyphenated whole, with no soft hyphen: it reads the layout hyphen's ActualText
    "-", the only line end it joins across (renderers/pdfa.py)."""
    joined = 0
    for pdf in sorted(editions.glob("*.pdf")):
        plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert ADDED_HYPHEN not in plain and LAYOUT_HYPHEN not in plain, pdf.name
        tokens = set(WORD.findall(plain))
        placed = words(pdf)
        for word, following in itertools.pairwise(placed):
            if word.text.endswith(ADDED_HYPHEN):
                start = re.search(r"[\w’'-]*$", word.text.removesuffix(ADDED_HYPHEN))
                end = WORD.match(following.text)
                whole = (start.group() if start else "") + (end.group() if end else "")
                assert whole in tokens, (pdf.name, whole)
                joined += 1
    assert joined > 20, "hyphenated lines were read"


WORD = re.compile(r"[\w’'-]+")
