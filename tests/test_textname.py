"""A text's name: parsed once from a file name or the metadata, printed in every form, refused precisely."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pipeline import load
from pipeline.frbr import FrbrUri
from pipeline.model import Document, TextType
from pipeline.scaffold import identity
from pipeline.source import all_language_versions
from pipeline.textname import TextName, TextNameError
from tests.conftest import TEXTS


def test_every_form_of_a_name() -> None:
    name = TextName.parse("resolution-1234-2001.en-gb")
    assert name == TextName(TextType.RESOLUTION, 1234, 2001, "en-GB")
    assert (name.slug, name.stem, name.source_name) == (
        "resolution-1234-2001",
        "resolution-1234-2001.en-gb",
        "resolution-1234-2001.en-gb.md",
    )
    assert name.edition("akn.xml") == "resolution-1234-2001.en-gb.akn.xml"
    assert name.identifier("tag:x,2026:{slug}/{language}") == "tag:x,2026:resolution-1234-2001/en-GB"
    assert name.in_language("fr").stem == "resolution-1234-2001.fr"
    assert TextName.of_file(Path("source") / name.source_name) == name
    assert str(name) == name.stem


def test_the_name_and_the_frbr_uri_agree(seed: Document) -> None:
    name = TextName.of(seed.metadata)
    assert name == TextName.parse(seed.stem)
    assert FrbrUri.of(name).work == "/akn/coe/statement/deliberation/pace/2003/rec-1607"
    adopted = seed.metadata.adoption.date
    expression = FrbrUri.of(name, adopted)
    assert expression == FrbrUri.for_text(seed.metadata) == FrbrUri.parse(expression.expression)
    assert FrbrUri.of(name, dt.date(2003, 6, 24)).expression.endswith("/rec-1607/eng@2003-06-24")
    assert expression.text_name() == name and expression.in_language("fr").text_name() == name.in_language("fr")
    assert FrbrUri.of(name.in_language("en-GB"), adopted).text_name("en-GB").stem == "recommendation-1607-2003.en-gb"
    with pytest.raises(ValueError, match="is a work"):
        FrbrUri.of(name).text_name()


@pytest.mark.parametrize("text", TEXTS, ids=[text.name for text in TEXTS])
def test_every_source_is_named_after_its_metadata(text: Path) -> None:
    assert TextName.of(load(text).metadata).source_name == text.name


@pytest.mark.parametrize(
    ("stem", "message"),
    [
        ("resolution-1234-2001", "no language"),
        ("resolution-1234.en", "'resolution-1234' is not <type>-<number>-<year>"),
        ("resolutoin-1234-2001.en", "unknown type 'resolutoin' (did you mean 'resolution'?)"),
        ("memo-1-2001.en", "unknown type 'memo' (use one of recommendation, resolution"),
        ("resolution-01-2001.en", "the number '01' is not a positive whole number"),
        ("resolution-1-20x1.en", "the year '20x1' is not a positive whole number"),
        ("resolution-1-2001.old", "'old' is not a language tag"),
        ("resolution-1-2001.en-GB", "'en-GB' is not a language tag in lower case"),
    ],
)
def test_a_name_that_is_not_a_text_says_which_part_is_wrong(stem: str, message: str) -> None:
    with pytest.raises(TextNameError) as raised:
        TextName.parse(stem)
    assert str(raised.value).startswith(f"{stem!r} is not the name of a text: ")
    assert message in str(raised.value)


def test_a_new_source_in_a_regional_language_is_named_as_check_expects() -> None:
    text = identity("resolution", 1234, 2001, "en-GB")
    assert (text.language, text.source_name) == ("en-GB", "resolution-1234-2001.en-gb.md")


def test_language_versions_are_grouped_by_parsed_name(tmp_path: Path) -> None:
    names = ["resolution-1-2001.en.md", "resolution-1-2001.fr.md", "resolution-1-2001.old.md", "notes.en.md"]
    paths = [tmp_path / name for name in names]
    versions = all_language_versions(paths)
    assert [(v.language, v.stem) for v in versions[paths[0]]] == [("fr", "resolution-1-2001.fr")]
    assert versions[paths[2]] == versions[paths[3]] == ()
