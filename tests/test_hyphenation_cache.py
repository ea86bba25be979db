"""The hyphenation dictionaries kept in the user's cache give pyphen's own patterns."""

from __future__ import annotations

from pathlib import Path

import pyphen  # type: ignore[import-untyped]
import pytest

from pipeline.renderers.hyphenation import _KeptDictionary

WORDS = ["international", "parliamentary", "recommendation", "gouvernementales", "développement"]


def dictionary(language: str) -> Path:
    return Path(pyphen.LANGUAGES[pyphen.language_fallback(language)])


def entries(folder: Path) -> list[Path]:
    return sorted((folder / "hyphenation").iterdir())


@pytest.mark.parametrize("language", ["en_GB", "fr_FR", "ru_RU", "el_GR"])
def test_kept_patterns_are_pyphens_own(language: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    parsed = pyphen.HyphDict(dictionary(language))
    made = _KeptDictionary(dictionary(language))  # parsed, then kept
    [kept] = entries(tmp_path)
    read_back = _KeptDictionary(dictionary(language))  # from the cache
    assert entries(tmp_path) == [kept]
    for each in (made, read_back):
        assert each.patterns == parsed.patterns and each.maxlen == parsed.maxlen
        assert [each.positions(word) for word in WORDS] == [parsed.positions(word) for word in WORDS]


@pytest.mark.parametrize("damage", [b"", b"\x00not marshal", b"N"], ids=["empty", "junk", "None"])
def test_a_damaged_entry_is_parsed_again(damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    _KeptDictionary(dictionary("fr_FR"))
    [kept] = entries(tmp_path)
    kept.write_bytes(damage)
    assert _KeptDictionary(dictionary("fr_FR")).patterns == pyphen.HyphDict(dictionary("fr_FR")).patterns
    assert kept.read_bytes() != damage  # and kept again


def test_a_dictionary_of_nonstandard_hyphenation_is_not_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path / "cache"))
    source = tmp_path / "hyph_xx.dic"
    source.write_text("UTF-8\n1a\nf1f/ff=f,1,2\n", encoding="utf-8")  # "ff=f": objects marshal cannot write
    made = _KeptDictionary(source)
    assert made.patterns == pyphen.HyphDict(source).patterns
    assert list((tmp_path / "cache" / "hyphenation").iterdir()) == []


def test_without_a_cache_it_is_parsed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert _KeptDictionary(dictionary("fr_FR")).patterns == pyphen.HyphDict(dictionary("fr_FR")).patterns
    assert list(tmp_path.iterdir()) == []
