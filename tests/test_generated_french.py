"""The phrases the templates generate read as a French text does: the plural article before
several debate days, the narrow no-break space before a semicolon between documents, and a
French colon in the PDF's outline entry of an appendix (all found by reading the editions)."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.html
import pikepdf

from pipeline import build

SOURCE = """---
type: resolution
number: 2001
year: 2010
language: fr
title: L’accès à la justice
issued_by: Assemblée parlementaire
adoption:
  by: assembly
  debates:
    - date: 2010-06-22
      sitting: 21
    - date: 2010-06-23
      sitting: 22
  documents:
    - doc: 12345
      committee: commission des questions juridiques
      rapporteur: Mme Dupont
    - doc: 12350
      kind: opinion
      committee: commission des questions politiques
      rapporteur: M. Martin
  date: 2010-06-23
  sitting: 22
---

1. L’Assemblée rappelle ses travaux.

## Annexe

Texte introductif de l’annexe.

1. Premier point de l’annexe.
"""


def _one_day(source: str) -> str:
    return source.replace("    - date: 2010-06-23\n      sitting: 22\n", "", 1)


def _build(tmp_path: Path, source: str, formats: list[str]) -> str:
    """The path of the text's editions without their extension."""
    path = tmp_path / "source" / "resolution-2001-2010.fr.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    [outcome] = build([path], formats, tmp_path / "out")
    assert not outcome.failed, outcome.failure or [str(p) for p in outcome.problems]
    return str(tmp_path / "out" / "resolution-2001-2010.fr")


def _title_note(page: str) -> str:
    root = lxml.html.parse(page).getroot()
    return re.sub(r"[ \t\n]+", " ", root.xpath("string(//*[@id='fn-1'])"))  # no-break spaces kept


def test_several_debate_days_take_the_plural_article_and_one_the_singular(tmp_path: Path) -> None:
    several = _title_note(_build(tmp_path / "two", SOURCE, ["html"]) + ".html")
    assert "Discussion par l’Assemblée les 22 et 23\u00a0juin\u00a02010" in several
    one = _title_note(_build(tmp_path / "one", _one_day(SOURCE), ["html"]) + ".html")
    assert "Discussion par l’Assemblée le 22\u00a0juin\u00a02010" in one


def test_the_semicolon_between_documents_has_its_narrow_no_break_space(tmp_path: Path) -> None:
    note = _title_note(_build(tmp_path, SOURCE, ["html"]) + ".html")
    assert "Mme\u00a0Dupont\u202f; et Doc.\u00a012350" in note
    assert " ;" not in note and "t; " not in note


def test_an_appendix_outline_entry_has_the_french_colon(tmp_path: Path) -> None:
    with pikepdf.open(_build(tmp_path, SOURCE, ["pdf"]) + ".pdf") as pdf, pdf.open_outline() as outline:
        titles = [child.title for item in outline.root for child in item.children]
    assert "Annexe\u00a0: Texte introductif de l’annexe." in titles, titles
