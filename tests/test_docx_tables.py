"""A DOCX table is set where its paragraph's text starts, as in the print and web editions, and
never runs past the right margin; a table that belongs to no paragraph stays at the margin."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import lxml.etree

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.docx import DocxRenderer
from pipeline.renderers.docx.package import NS, w
from tests.sources import FRONT, NAME

RENDERER = DocxRenderer(Config())
TABLE = "| Member State | Reports received | Share answered |\n|---|---:|---:|\n| Austria | 3 200 000 | 61% |\n"
BODY = f"""
{TABLE}
1. The Assembly notes the following figures:

{TABLE}
1.1. It recalls, at the second level:

{TABLE}
1.1.1. and at the third:

{TABLE}
1.1.1.1. and at the fourth:

{TABLE}
"""


def tables(tmp_path: Path) -> list[tuple[int, int]]:
    """(indent, total column width) of each table of the text's DOCX, in twips."""
    source = tmp_path / NAME
    source.write_text(FRONT + BODY, encoding="utf-8")
    package = zipfile.ZipFile(io.BytesIO(RENDERER.render(load(source))))
    root = lxml.etree.fromstring(package.read("word/document.xml"))
    found = []
    for table in root.iterfind(".//w:body/w:tbl", NS):
        indent = table.find("w:tblPr/w:tblInd", NS)
        widths = [int(column.get(w("w"))) for column in table.iterfind("w:tblGrid/w:gridCol", NS)]
        found.append((0 if indent is None else int(indent.get(w("w"))), sum(widths)))
    return found


def test_each_table_starts_where_its_paragraphs_text_starts(tmp_path: Path) -> None:
    indents = [indent for indent, _ in tables(tmp_path)]
    expected = ["Body Paragraph", "Sub Paragraph 2", "Sub Paragraph 3", "Sub Paragraph 4"]
    assert indents == [0, *(RENDERER.indents[style] for style in expected)]
    assert indents[1] == 482  # 0.85 cm: styles.toml's Body Paragraph indent_left


def test_no_table_runs_past_the_right_margin(tmp_path: Path) -> None:
    for indent, width in tables(tmp_path):
        assert indent + width <= RENDERER.text_width, (indent, width)
