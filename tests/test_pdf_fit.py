"""A table too wide for the page, laid out again in equal columns (renderers/pdf_fit.py): its
numbers break only between their digit groups ("3 200" / "000", never "3 200 0" / "00"), no text
runs out of its cell, and a group wider than its column fails the text at the table's line.
Measured on the real PDF's words, where poppler sets them."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from pipeline import build
from pipeline.renderers.pdf_fit import Overflow, refit_html
from pipeline.typeset import breakable_figures
from tests.pdftext import PlacedWord, placed_words
from tests.sources import FRONT, FRONT_LINES, NAME

TABLE_LINE = FRONT_LINES + 4  # after the body's first paragraph and a blank line
NARROW = "\u202f"
LONG_WORD = "Herzegovina"  # the first column's: broken anywhere, as any word of the refit
RULE = 2.25  # pt from a cell's text to the rule after it, at least: the refit's 2 pt padding, half a 0.5 pt rule
PAGE_RIGHT = 595.28 - 24 * 72 / 25.4  # A4 less the print style's 24 mm right margin
# Three digits (12.6 pt at the refit's 7.5 pt) fit a 25th of the measure less the cell's padding, not a 26th.
MOST_COLUMNS = 25


def table_text(numbers: list[str], right: bool) -> str:
    """A paragraph and a table of one row: the long word, then `numbers`; the header's letters
    mark where each column's text starts (or, aligned right, ends)."""
    letters = [chr(ord("A") + i) for i in range(len(numbers) + 1)]
    rule = ("---:|" if right else "---|") * len(letters)
    return (
        f"1. Figures:\n\n| {' | '.join(letters)} |\n|{rule}\n| {LONG_WORD} | {' | '.join(numbers)} |\n\n"
        "2. End of the figures.\n"
    )


def built(folder: Path, numbers: list[str], right: bool) -> tuple[Path | None, str]:
    """The PDF of a text with that table, or None and why it failed."""
    source = folder / NAME
    source.write_text(FRONT + "\n" + table_text(numbers, right), encoding="utf-8")
    [outcome] = build([source], ["pdf"], folder / "out")
    pdf = folder / "out" / NAME.replace(".md", ".pdf")
    assert outcome.failed != pdf.exists()
    return (None, outcome.failure or "") if outcome.failed else (pdf, "")


def columns(pdf: Path, count: int, right: bool) -> list[list[PlacedWord]]:
    """The words of the table's row, column by column, each column's top to bottom; each word
    is also checked to stay inside its column, clear of the rule to the next one."""
    words = [word for word in placed_words(pdf) if word.page == 1]
    letters = [chr(ord("A") + i) for i in range(count)]
    lines: dict[float, list[PlacedWord]] = {}
    for word in words:
        lines.setdefault(round(word.top), []).append(word)
    [header] = [
        row
        for row in (sorted(line, key=lambda w: w.left) for line in lines.values())
        if [w.text for w in row] == letters
    ]
    end = next(word.top for word in words if word.text == "End")
    found: list[list[PlacedWord]] = [[] for _ in range(count)]
    for word in sorted((w for w in words if header[0].top + 1 < w.top < end - 1), key=lambda w: (w.top, w.left)):
        if right:
            column = next(i for i, letter in enumerate(header) if word.right <= letter.right + 0.5)
            start = header[column - 1].right + RULE if column else 0.0
            stop = header[column].right + 0.5
        else:
            column = max(i for i, letter in enumerate(header) if letter.left <= word.left + 0.5)
            start = header[column].left - 0.5
            stop = header[column + 1].left - RULE if column + 1 < count else PAGE_RIGHT
        assert start <= word.left and word.right <= stop, f"{word.text!r} runs out of column {letters[column]}"
        found[column].append(word)
    return found


def assert_set_whole(pdf: Path, numbers: list[str], right: bool) -> None:
    """Every number reads as its digit groups, in order, in its own column: a group split
    across two lines would read as two words ("3 200 0" / "00")."""
    found = columns(pdf, len(numbers) + 1, right)
    assert "".join(word.text for word in found[0]) == LONG_WORD
    read = [" ".join(word.text for word in column).split() for column in found[1:]]
    assert read == [number.split() for number in numbers]


def grouped(lead: int, groups: list[int], gap: str) -> str:
    return gap.join([str(lead), *(f"{group:03d}" for group in groups)])


@pytest.mark.parametrize(
    ("numbers", "right"),
    [
        # the report's case: "3 200 0" / "00" in 14 columns
        (["3 200 000", "12 450 000", "870 000", "1 240 500", "45 000 000", "123 456 789", "9 999"] * 2, False),
        # narrow gaps, typed; aligned right, where a gap left at a line's end would show
        ([grouped(3, [200, 0], NARROW), grouped(45, [0, 0], NARROW), grouped(870, [0], NARROW)] * 4, True),
        # 25 columns: three digits still fit
        (["123 456 789"] * (MOST_COLUMNS - 1), False),
    ],
)
def test_a_refitted_table_breaks_its_numbers_only_between_digit_groups(
    numbers: list[str], right: bool, tmp_path: Path
) -> None:
    pdf, failure = built(tmp_path, numbers, right)
    assert pdf is not None, failure
    assert_set_whole(pdf, numbers, right)


def test_a_digit_group_wider_than_its_column_fails_with_the_tables_line(tmp_path: Path) -> None:
    pdf, failure = built(tmp_path, ["1 000"] * MOST_COLUMNS, False)
    assert pdf is None
    assert f"line {TABLE_LINE}: '000'" in failure and "runs out of its table column" in failure


numbers = st.builds(
    grouped, st.integers(1, 999), st.lists(st.integers(0, 999), min_size=1, max_size=3), st.sampled_from([" ", NARROW])
)


# Each example is a PDF built: a failing one is reported as drawn, not shrunk (minutes of builds).
@settings(
    max_examples=12,
    derandomize=True,
    database=None,
    deadline=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)
@given(
    st.integers(6, MOST_COLUMNS + 3).flatmap(lambda n: st.lists(numbers, min_size=n - 1, max_size=n - 1)), st.booleans()
)
@example(numbers=[grouped(99, [999], NARROW)] * MOST_COLUMNS, right=True)  # one column too many
def test_every_table_sets_its_numbers_whole_in_their_cells_or_fails_at_its_line(
    numbers: list[str], right: bool
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        pdf, failure = built(Path(folder), numbers, right)
        if len(numbers) + 1 > MOST_COLUMNS:
            assert pdf is None and f"line {TABLE_LINE}" in failure and "runs out of its table column" in failure
        else:
            assert pdf is not None, failure
            assert_set_whole(pdf, numbers, right)


def test_figures_are_marked_in_text_only_with_breakable_gaps() -> None:
    markup = f'<td title="1 000">3\u00a0200\u00a0000 and <em>12{NARROW}450</em> in 2030; 1\u00a0000{NARROW}000</td>'
    assert breakable_figures(markup) == (
        '<td title="1 000"><span class="figure">3 200 000</span> and '
        '<em><span class="figure narrow">12 450</span></em> in 2030; <span class="figure">1 000 000</span></td>'
    )


def test_only_the_tables_that_ran_off_are_marked() -> None:
    cell = "<td>3\u00a0200</td>"
    html = f'<p>3\u00a0200</p><table id="table-1">{cell}</table><table id="table-2">{cell}</table>'
    found = [Overflow('[id="table-2"]', "table-2", True, 9, ""), Overflow('[id="p-1"]', "p-1", False, 3, "")]
    assert refit_html(html, found) == html.replace(
        '"table-2"><td>3\u00a0200', '"table-2"><td><span class="figure">3 200</span>'
    )
