"""The title footnote is generated from the adoption metadata in the official wording."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest

from pipeline import build

FRONT = """---
type: resolution
number: 1400
year: 2004
language: en
title: A test text
issued_by: Parliamentary Assembly
adoption:
{adoption}
---

1. Text.
"""
TWO_DAYS = """  debates:
    - date: 2004-06-22
      sitting: 19
    - date: 2004-06-23
      sitting: 20
  documents:
    - doc: 10200
      committee: Political Affairs Committee
      rapporteur: Mrs Durrieu
    - doc: 10215
      kind: opinion
      committee: Committee on Legal Affairs and Human Rights
      rapporteur: Mr Jurgens
  date: 2004-06-23
  sitting: 20"""
STANDING = """  by: standing-committee
  documents:
    - doc: 10100
      committee: Committee on Culture, Science and Education
      rapporteur: Mr de Puig
  date: 2004-03-22"""
OVERRIDE = """  date: 2004-01-29
  note: "See Doc. 10050. Text adopted by the Assembly on 29 January 2004 (8th Sitting), after a vote by roll-call."
"""


def title_note(tmp_path: Path, adoption: str) -> str:
    source = tmp_path / "resolution-1400-2004.en.md"
    source.write_text(FRONT.format(adoption=adoption), encoding="utf-8")
    [outcome] = build([source], ["html"], tmp_path)
    assert not outcome.failed, outcome.problems
    page = lxml.html.fromstring((tmp_path / "resolution-1400-2004.en.html").read_bytes())
    [note] = page.xpath("//li[@id='fn-1']")
    note.xpath("./a[@class='back']")[0].drop_tree()
    return str(note.text_content()).replace("\u00a0", " ").strip()


@pytest.mark.parametrize(
    ("adoption", "expected"),
    [
        (
            TWO_DAYS,
            "Assembly debate on 22 and 23 June 2004 (19th and 20th Sittings) (see Doc. 10200, report of the "
            "Political Affairs Committee, rapporteur: Mrs Durrieu; and Doc. 10215, opinion of the Committee on "
            "Legal Affairs and Human Rights, rapporteur: Mr Jurgens). Text adopted by the Assembly on "
            "23 June 2004 (20th Sitting).",
        ),
        (
            STANDING,
            "Text adopted by the Standing Committee, acting on behalf of the Assembly, on 22 March 2004 (see "
            "Doc. 10100, report of the Committee on Culture, Science and Education, rapporteur: Mr de Puig).",
        ),
        (
            OVERRIDE,
            "See Doc. 10050. Text adopted by the Assembly on 29 January 2004 (8th Sitting), after a vote by roll-call.",
        ),
    ],
)
def test_formula(tmp_path: Path, adoption: str, expected: str) -> None:
    assert title_note(tmp_path, adoption) == expected
