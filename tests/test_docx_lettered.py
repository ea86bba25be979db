"""Lettered items in the DOCX: the letter where the text of its paragraph starts, the item's text
1.8 em further in, as the print (and web, EPUB) editions set them.

They were set in the next numbered level's style (5.2's "a." in Sub Paragraph 3, made for
"20.10.10."): their text started up to 2.5 em further right than in the PDF.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.docx import DOCX_ASSETS, DocxRenderer
from pipeline.renderers.pdf import PdfRenderer
from tests.parity.editions import _lines, _pages
from tests.sources import FRONT, NAME
from tests.validators import convert_with_libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
RENDERER = DocxRenderer(Config())
TEXT_SIZE_PT = 10.5
LETTER_HANG_PT = 1.8 * TEXT_SIZE_PT  # the print edition's .lettered padding
BODY = """
1. The Assembly calls on member States to:

a. alpha, a lettered item under a paragraph of the first level, long enough to run over more than one line;

b. beta, the second of them;

Continued, a paragraph without a number after the lettered items, which continues the last of them.

2. The Assembly also:

2.1. recommends, at the second level, that they:

a. gamma, a lettered item under a paragraph of the second level;

3. Finally:

3.1. at the second level:

3.1.1. and at the third, that they:

a. delta, a lettered item under a paragraph of the third level.

| Region | Share |
|---|---:|
| North | 12% |
"""


def document_xml(docx: bytes) -> lxml.etree._Element:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return lxml.etree.fromstring(package.read("word/document.xml"))


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("lettered") / NAME
    path.write_text(FRONT + BODY, encoding="utf-8")
    return path


def test_lettered_items_have_their_own_styles(source: Path) -> None:
    root = document_xml(RENDERER.render(load(source)))
    styles = {}
    for paragraph in root.iterfind("w:body/w:p", NS):
        words = "".join(paragraph.xpath(".//w:t/text()", namespaces=NS))
        styles[words.split(",")[0]] = str(paragraph.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS))
    assert [styles[key] for key in ("a.alpha", "b.beta", "a.gamma", "a.delta")] == [
        "LetteredItem2",
        "LetteredItem2",
        "LetteredItem3",
        "LetteredItem4",
    ]
    assert styles["Continued"] == "LetteredContinuation2"  # where beta's text starts


def test_a_lettered_items_letter_hangs_under_its_paragraphs_text() -> None:
    """In the house styles: the letter where the parent level's text starts, the text 1.8 em in;
    a continuation of the item where its text starts."""
    indents = RENDERER.indents
    parents = ["Body Paragraph", *(f"Sub Paragraph {level}" for level in range(2, 6))]
    with zipfile.ZipFile(DOCX_ASSETS / "reference.docx") as package:
        styles = lxml.etree.fromstring(package.read("word/styles.xml"))
    for level, parent in enumerate(parents, start=2):
        [item] = styles.xpath(f"//w:style[@w:styleId='LetteredItem{level}']/w:pPr", namespaces=NS)
        hanging = int(item.xpath("string(w:ind/@w:hanging)", namespaces=NS))
        assert abs(hanging - LETTER_HANG_PT * 20) <= 3, level  # twips
        text = indents[f"Lettered Item {level}"]
        assert abs(text - hanging - indents[parent]) <= 1, level  # a twip of rounding: cm to twips
        assert item.xpath("w:tabs/w:tab[@w:val='left']/@w:pos", namespaces=NS) == [str(text)]
        assert indents[f"Lettered Continuation {level}"] == text


def test_lead_ins_keep_with_their_lettered_items_and_tables_take_their_indent(source: Path) -> None:
    root = document_xml(RENDERER.render(load(source)))
    paragraphs = root.findall("w:body/w:p", NS)
    kept = [
        "".join(p.xpath(".//w:t/text()", namespaces=NS))
        for p in paragraphs
        if p.find("w:pPr/w:keepNext", NS) is not None
    ]
    assert {"1.The Assembly calls on member States to:", "2.1.recommends, at the second level, that they:"} <= set(kept)
    [table] = root.findall("w:body/w:tbl", NS)
    assert table.xpath("string(w:tblPr/w:tblInd/@w:w)", namespaces=NS) == str(RENDERER.indents["Lettered Item 4"])


def starts(pdf: bytes) -> dict[str, tuple[float, float]]:
    """By its number ("1.", "2.1.") or, for a letter or a line without a number, its first word
    ("a.alpha", "Continued"): where the line's first glyph starts and where its text does."""
    found: dict[str, tuple[float, float]] = {}
    for page in _pages(pdf):
        for line in _lines(page):
            glyphs = [g for g in line if g.text.strip()]
            text = "".join(g.text for g in glyphs)
            number = re.match(r"(?:\d+\.)+|[a-z]\.(?=[a-z])", text)
            width = len(number.group()) if number else 0
            word = re.sub(r"[^A-Za-z].*", "", text[width:])
            key = number.group() if number and number.group()[0].isdigit() else text[:width] + word
            found.setdefault(key, (glyphs[0].x0, glyphs[width].x0))
    return found


@pytest.mark.slow
def test_libreoffice_sets_lettered_items_where_the_pdf_does(source: Path, tmp_path: Path) -> None:
    document = load(source)
    (tmp_path / "edition.docx").write_bytes(RENDERER.render(document))
    convert_with_libreoffice([tmp_path / "edition.docx"], tmp_path, timeout=180).check_returncode()
    print_edition = starts(PdfRenderer(Config()).render(document))
    office = starts((tmp_path / "edition.pdf").read_bytes())
    for item, parent in (("a.alpha", "1."), ("b.beta", "1."), ("a.gamma", "2.1."), ("a.delta", "3.1.1.")):
        for edition in (print_edition, office):
            assert abs(edition[item][0] - edition[parent][1]) < 1, (item, edition)  # under the parent's text
        # The item's text as far in from its parent's as in the PDF (1.8 em), within a point.
        pdf_in = print_edition[item][1] - print_edition[parent][1]
        docx_in = office[item][1] - office[parent][1]
        assert abs(pdf_in - LETTER_HANG_PT) < 0.5 and abs(docx_in - pdf_in) < 1, (item, pdf_in, docx_in)
    for edition in (print_edition, office):  # a continuation starts where the item's text does
        assert abs(edition["Continued"][0] - edition["b.beta"][1]) < 1
