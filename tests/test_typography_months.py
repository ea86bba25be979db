"""The month names typography keeps together with their day are Babel's, in every language it knows."""

from __future__ import annotations

from babel.dates import get_month_names

from pipeline.typography import MONTH_NAMES, no_break_spaces


def test_the_month_names_are_babels() -> None:
    for language, names in MONTH_NAMES.items():
        assert names == tuple(get_month_names("wide", locale=language)[month] for month in range(1, 13))


def test_every_month_keeps_its_day() -> None:
    for names in MONTH_NAMES.values():
        for name in names:
            assert no_break_spaces(f"on 24 {name} 2003") == f"on 24\u00a0{name}\u00a02003"
