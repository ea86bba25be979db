"""The DOCX running head of a provisional text: its status on every page, as the PDF prints it.

The PDF sets "PROVISIONAL VERSION" at the top right of every page (the first too); the DOCX showed
the status only in its title block, on page 1.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.docx import DocxRenderer
from pipeline.renderers.pdf import PdfRenderer
from tests.conftest import FIXTURE_TEXTS
from tests.validators import convert_with_libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
STATUS = {"en": "Provisional version", "fr": "Version provisoire"}


def provisional(source: Path, folder: Path) -> Path:
    """A copy of the fixture `source` with `status: provisional` in its front matter."""
    text = source.read_text(encoding="utf-8")
    if re.search(r"^status: ", text, flags=re.MULTILINE):
        text = re.sub(r"^status: .*$", "status: provisional", text, count=1, flags=re.MULTILINE)
    else:
        text = re.sub(r"^(issued_by: .*)$", r"\1\nstatus: provisional", text, count=1, flags=re.MULTILINE)
    copy = folder / source.name
    copy.write_text(text, encoding="utf-8")
    return copy


def headers(docx: bytes) -> dict[str, lxml.etree._Element]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return {
            name: lxml.etree.fromstring(package.read(name))
            for name in package.namelist()
            if re.fullmatch(r"word/header\d+\.xml", name)
        }


def line(header: lxml.etree._Element) -> list[tuple[str, str]]:
    """The header's line as (what, style) pairs: "<tab>" for a tab, else the words of a run."""
    pieces = []
    for run in header.xpath("w:p/w:r[w:t or w:tab]", namespaces=NS):
        words = "<tab>" if run.find("w:tab", NS) is not None else "".join(run.xpath("w:t/text()", namespaces=NS))
        pieces.append((words, str(run.xpath("string(w:rPr/w:rStyle/@w:val)", namespaces=NS))))
    return pieces


@pytest.mark.parametrize(
    ("stem", "citation"),
    [
        ("resolution-9020-2032.en", "Resolution 9020 (2032)"),
        ("recommendation-9013-2032.fr", "Recommandation 9013 (2032)"),
    ],
)
def test_a_provisional_texts_status_heads_every_page(tmp_path: Path, stem: str, citation: str) -> None:
    document = load(provisional(FIXTURE_TEXTS / f"{stem}.md", tmp_path))
    docx = DocxRenderer(Config()).render(document)
    status = STATUS[document.metadata.language]
    parts = headers(docx)
    assert len(parts) == 2  # from page 2, and page 1's own
    for name, header in parts.items():
        pieces = line(header)
        # At the right margin, after the centre tab stop (and the citation, from page 2).
        assert pieces[-2:] == [("<tab>", ""), (status, "HeaderStatus")], name
        assert [words for words, _ in pieces].count("<tab>") == 2, name
    assert [words for words, _ in line(parts["word/header1.xml"])] == ["<tab>", citation, "<tab>", status]
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        styles = lxml.etree.fromstring(package.read("word/styles.xml"))
    assert styles.xpath("//w:style[@w:type='character']/@w:styleId = 'HeaderStatus'", namespaces=NS)


def test_a_final_texts_header_is_the_citation_alone() -> None:
    document = load(FIXTURE_TEXTS / "resolution-9004-2030.en.md")
    parts = headers(DocxRenderer(Config()).render(document))
    assert [words for words, _ in line(parts["word/header1.xml"])] == ["<tab>", "Resolution 9004 (2030)"]
    assert line(parts["word/header2.xml"]) == []


def top_line(pdf: Path, page: int) -> str:
    text = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(next(line for line in text.splitlines() if line.strip()).split())


@pytest.mark.slow
def test_libreoffice_shows_the_status_at_the_top_of_page_two_as_the_pdf(tmp_path: Path) -> None:
    document = load(provisional(FIXTURE_TEXTS / "resolution-9020-2032.en.md", tmp_path))
    (tmp_path / "edition.docx").write_bytes(DocxRenderer(Config()).render(document))
    (tmp_path / "print.pdf").write_bytes(PdfRenderer(Config()).render(document))
    convert_with_libreoffice([tmp_path / "edition.docx"], tmp_path, timeout=180).check_returncode()
    expected = "Resolution 9020 (2032) PROVISIONAL VERSION"
    assert top_line(tmp_path / "print.pdf", 2) == expected
    assert top_line(tmp_path / "edition.pdf", 2) == expected
    assert top_line(tmp_path / "edition.pdf", 1) == top_line(tmp_path / "print.pdf", 1) == "PROVISIONAL VERSION"
