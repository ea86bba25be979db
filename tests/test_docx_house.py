"""The DOCX as the delegations' Word gets it: the regional spelling language, only the house
styles, and no statistics that are not the document's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline.renderers.docx.parts import STRUCTURAL_STYLES
from pipeline.renderers.docx.spec import style_names

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
TEXTS = {"recommendation-1607-2003.en": "en-GB", "recommendation-1607-2003.fr": "fr-FR"}


def part(docx: Path, name: str) -> lxml.etree._Element:
    with zipfile.ZipFile(docx) as package:
        return lxml.etree.fromstring(package.read(name))


@pytest.mark.parametrize(("stem", "language"), TEXTS.items())
def test_spelling_language_is_the_regional_one_on_the_defaults_and_the_theme(
    editions: Path, stem: str, language: str
) -> None:
    docx = editions / f"{stem}.docx"
    styles = part(docx, "word/styles.xml")
    defaults = styles.xpath("//w:docDefaults//w:lang/@w:val", namespaces=NS)
    assert defaults == [language]
    assert part(docx, "word/settings.xml").xpath("//w:themeFontLang/@w:val", namespaces=NS) == [language]
    base = language.split("-")[0]
    assert not [v for v in styles.xpath("//w:lang/@w:val", namespaces=NS) if v == base], (
        "a bare language is US English to Word"
    )


@pytest.mark.parametrize("stem", [*TEXTS, "resolution-9020-2032.en"])
def test_only_the_house_styles_are_shipped(editions: Path, stem: str) -> None:
    styles = part(editions / f"{stem}.docx", "word/styles.xml")
    names = {str(n) for n in styles.xpath("//w:style/w:name/@w:val", namespaces=NS)}
    house = set(style_names()) | STRUCTURAL_STYLES
    based = {str(n) for n in styles.xpath("//w:style/w:basedOn/@w:val | //w:style/w:link/@w:val", namespaces=NS)}
    ids = {
        str(i): str(n)
        for i, n in zip(
            styles.xpath("//w:style/@w:styleId", namespaces=NS),
            styles.xpath("//w:style/w:name/@w:val", namespaces=NS),
            strict=True,
        )
    }
    # names are matched as Word and pandoc match them, case-insensitively ("header" is Word's own)
    folded = {n.lower() for n in names} - {n.lower() for n in house} - {ids[b].lower() for b in based if b in ids}
    assert folded == set()
    leftovers = {"Bibliography", "Source Code", "Abstract", *(f"Heading {level}" for level in range(4, 10))}
    assert not [n for n in names if n.endswith("Tok") or n in leftovers], "pandoc's leftovers"
    assert {"Citation", "Title", "Body Paragraph", "Footnote Text"} <= names
    # every style a paragraph or run of the text names is there
    document = part(editions / f"{stem}.docx", "word/document.xml")
    used = {
        str(v) for v in document.xpath("//w:pStyle/@w:val | //w:rStyle/@w:val | //w:tblStyle/@w:val", namespaces=NS)
    }
    assert used <= set(ids)


def test_app_properties_state_no_statistics_that_are_not_the_documents(editions: Path) -> None:
    for stem in TEXTS:
        with zipfile.ZipFile(editions / f"{stem}.docx") as package:
            app = package.read("docProps/app.xml").decode()
        assert "<Words>" not in app and "<Pages>" not in app and "<Characters>" not in app
        assert "<Application>" in app
