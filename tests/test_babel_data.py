"""Babel's locale data kept in the user's cache is the data Babel itself merges."""

from __future__ import annotations

import datetime as dt
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel import Locale, localedata
from babel.dates import format_date
from babel.lists import format_list

from pipeline.babel_data import prime

LOCALES = ["en", "en_GB", "fr", "fr_BE", "ru", "el", "hy", "ka", "de_CH"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(localedata, "_cache", {})
    prime.cache_clear()
    yield tmp_path / "babel"
    prime.cache_clear()


def as_babel_merges_it(name: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    with monkeypatch.context() as patch:
        patch.setattr(localedata, "_cache", {})
        return localedata.load(name)


def start_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing loaded, nothing primed."""
    monkeypatch.setattr(localedata, "_cache", {})
    prime.cache_clear()


def written(name: str) -> tuple[str, str]:
    locale = Locale.parse(name)
    return format_date(dt.date(2003, 6, 24), "d MMMM y", locale=locale), format_list(["a", "b", "c"], locale=locale)


@pytest.mark.parametrize("name", LOCALES)
def test_kept_data_is_babels_own(name: str, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    expected = as_babel_merges_it(name, monkeypatch)
    expected_text = written(name)
    start_again(monkeypatch)
    prime(name)  # merged by Babel, then kept
    kept = sorted(cache.glob(f"{name}-*.pickle"))
    assert len(kept) == 1
    start_again(monkeypatch)
    prime(name)  # read back
    assert sorted(cache.glob(f"{name}-*.pickle")) == kept
    assert pickle.dumps(localedata._cache[name]) == pickle.dumps(expected)
    assert written(name) == expected_text


@pytest.mark.parametrize("damage", [b"", b"\x80\x05junk", pickle.dumps({}), pickle.dumps([1])])
def test_a_damaged_entry_is_merged_again(damage: bytes, cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prime("fr")
    [kept] = cache.glob("fr-*.pickle")
    kept.write_bytes(damage)
    start_again(monkeypatch)
    prime("fr")
    assert pickle.dumps(localedata._cache["fr"]) == pickle.dumps(as_babel_merges_it("fr", monkeypatch))
    assert kept.read_bytes() != damage  # and kept again


def test_an_unknown_locale_is_left_to_babel(cache: Path) -> None:
    prime("xx_YY")
    assert "xx_YY" not in localedata._cache
    assert not cache.exists() or not list(cache.iterdir())


def test_without_a_cache_babel_loads_as_always(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    start_again(monkeypatch)
    prime("fr")
    assert written("fr") == ("24 juin 2003", "a, b et c")
    assert list(tmp_path.iterdir()) == []
    prime.cache_clear()
