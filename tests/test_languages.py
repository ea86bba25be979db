"""Language facts come from one place (pipeline/languages.py, the catalogues) and agree with Babel."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel import Locale, UnknownLocaleError
from hypothesis import given
from hypothesis import strategies as st

from pipeline.config import Config
from pipeline.i18n import PLURAL_TYPE_NAMES, TYPE_NAMES, catalogue_languages, translations, type_name, type_words
from pipeline.ingest_lines import TYPE_WORDS as CITATION_WORDS
from pipeline.languages import (
    ISO_639_2,
    QUOTATION_MARKS,
    autonym,
    base_language,
    canonical_tag,
    is_language,
    is_written_tag,
    iso_639_2,
    name_in,
    quotation_marks,
)
from pipeline.model import Paragraph, Text, TextType
from pipeline.references import CITED_TYPES, TEXT_PATTERN
from pipeline.source import read
from pipeline.typography import STRAIGHT_QUOTE
from pipeline.typography import quotation_marks as set_quotes
from tests.sources import FRONT

TAGS = ["en", "fr", "en-GB", "fr-BE", "de-CH", "sr-Latn-RS", "hy", "ka", "pt-BR"]
NOT_TAGS = ["old", "draft", "xx", "en-ZZZ", "", "-"]


def _babel(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return None


@pytest.mark.parametrize("tag", TAGS + NOT_TAGS + ["en-gb", "EN"])
def test_a_language_is_one_babel_knows(tag: str) -> None:
    assert is_language(tag) == (_babel(tag) is not None)


@pytest.mark.parametrize(("tag", "written"), [("en-GB", True), ("en-gb", False), ("sr-Latn-RS", True), ("old", False)])
def test_the_metadata_writes_tags_in_their_usual_case(tag: str, written: bool) -> None:
    assert is_written_tag(tag) == written


@pytest.mark.parametrize("tag", TAGS)
def test_a_file_names_tag_is_read_back_in_its_usual_case(tag: str) -> None:
    assert canonical_tag(tag.lower()) == tag
    assert base_language(tag) == _babel(tag).language  # type: ignore[union-attr]


@pytest.mark.parametrize("tag", TAGS)
def test_the_two_names_of_a_language_are_babels(tag: str) -> None:
    locale = _babel(tag)
    assert locale is not None
    own = locale.get_display_name(locale)
    assert own is not None
    assert autonym(tag) == own[:1].upper() + own[1:]  # capitalised as in a list: "Français"
    assert name_in(tag, "en") == locale.get_display_name("en")
    assert name_in(tag, "fr") == locale.get_display_name("fr")
    assert (autonym("fr"), name_in("fr", "en"), name_in("en-GB", "fr")) == (
        "Français",
        "French",
        "anglais (Royaume-Uni)",
    )


def test_an_unknown_tag_is_named_by_itself() -> None:
    assert autonym("old") == "Old" and name_in("old", "en") == "old"


def test_every_iso_639_2_code_names_a_language_babel_knows() -> None:
    assert len(set(ISO_639_2.values())) == len(ISO_639_2)
    for tag, code in ISO_639_2.items():
        assert is_language(tag) and re.fullmatch("[a-z]{3}", code)
    assert iso_639_2("fr-BE") == "fra" and iso_639_2("en-gb") == "eng"
    with pytest.raises(ValueError, match="ISO_639_2"):
        iso_639_2("xh")


def test_quotation_marks_are_four_per_language_and_english_by_default() -> None:
    for marks in QUOTATION_MARKS.values():
        assert len(marks) == 4 and not STRAIGHT_QUOTE.search(marks)
    assert quotation_marks("fr-CA") == QUOTATION_MARKS["fr"] and quotation_marks("de") == QUOTATION_MARKS["en"]


@pytest.mark.parametrize("language", ["en", "fr"])
@given(text=st.text(alphabet=st.sampled_from(list("ab '\"(—.,1é\n«")), max_size=30))
def test_the_smart_quote_engine_changes_only_straight_quotes(language: str, text: str) -> None:
    """Plain text (the metadata) goes through the body's engine: every straight quote becomes one
    of the language's marks, and nothing else changes."""
    marks = quotation_marks(language)
    set_as = set_quotes(text, language)
    assert len(set_as) == len(text) and not STRAIGHT_QUOTE.search(set_as)
    for typed, got in zip(text, set_as, strict=True):
        assert got == typed if typed not in "'\"" else got in marks


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    "typed",
    [
        "The 'rule of law' and the \"Ministers' Deputies\"",
        "l'\"Europe\" d'aujourd'hui",
        '\'90s and "*"',
        "a \"b 'c' d\"",
    ],
)
def test_the_metadata_and_the_body_set_quotes_alike(tmp_path: Path, language: str, typed: str) -> None:
    source = tmp_path / f"resolution-1234-2001.{language}.md"
    front = FRONT.replace("language: en", f"language: {language}").replace(
        "title: A test text", f"title: {json.dumps(typed)}"
    )
    source.write_text(f"{front}\n1. {typed}\n", encoding="utf-8")
    document = read(source, Config()).document
    assert document is not None
    [paragraph] = document.sections[0].blocks
    assert isinstance(paragraph, Paragraph)
    assert document.metadata.title == "".join(item.text for item in paragraph.content if isinstance(item, Text))


def test_type_names_are_the_catalogues_words() -> None:
    for language in catalogue_languages():
        for kind in TextType:
            assert type_name(kind, language) == translations(language).gettext(TYPE_NAMES[kind])
            assert type_name(kind, language, plural=True) == translations(language).gettext(PLURAL_TYPE_NAMES[kind])
            if language != "en":
                assert type_name(kind, language) != TYPE_NAMES[kind] or kind is TextType.OPINION  # translated
    assert [type_name(TextType.OPINION, "fr"), type_name(TextType.OPINION, "fr", plural=True)] == ["Avis", "Avis"]


def test_every_reader_recognises_every_catalogues_type_words() -> None:
    """The importer's citation line and the references in the text know the same words."""
    assert type_words() == CITATION_WORDS
    for language in catalogue_languages():
        for kind in CITED_TYPES:
            for plural in (False, True):
                word = type_name(kind, language, plural=plural)
                numbers = "12 and 13" if plural else "12"
                match = TEXT_PATTERN.search(f"see {word} {numbers} (2001)")
                assert match is not None and match.group(kind.value), (word, language)
