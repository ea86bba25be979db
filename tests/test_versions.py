"""A provisional text says so under its citation, on every page and in every edition's metadata;
its final version differs from it by metadata alone (status and its own date)."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pikepdf
import pytest

from pipeline import build
from tests.conftest import FIXTURE_TEXTS
from tests.pdftext import body_text, header_text, page_count, page_text

PROVISIONAL = FIXTURE_TEXTS / "resolution-9005-2030.en.md"
STEM = PROVISIONAL.stem
FORMATS = ["html", "pdf", "docx", "epub"]


@pytest.fixture(scope="module")
def versions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The provisional fixture and its final version, issued a month later, in four formats."""
    folders = {}
    for status in ("provisional", "final"):
        folder = tmp_path_factory.mktemp(status)
        source = folder / PROVISIONAL.name
        text = PROVISIONAL.read_text(encoding="utf-8")
        if status == "final":
            text = text.replace("status: provisional\n", "status: final\nversion_date: 2030-11-05\n")
        source.write_text(text, encoding="utf-8")
        outcomes = build([source], FORMATS, folder / "out")
        assert not [o for o in outcomes if o.failed]
        folders[status] = folder / "out"
    return folders


def test_the_pdf_says_provisional_under_the_citation_and_on_every_page(versions: dict[str, Path]) -> None:
    pdf = versions["provisional"] / f"{STEM}.pdf"
    first = body_text(pdf, 1)
    under_citation = r"^Resolution 9005 \(2030\)\s*1\s+PROVISIONAL VERSION\s+Ensuring the continuity"
    assert re.search(under_citation, first), first[:200]
    pages = page_count(pdf)
    assert pages >= 1
    assert all("PROVISIONAL VERSION" in header_text(pdf, page) for page in range(1, pages + 1))
    final = versions["final"] / f"{STEM}.pdf"
    assert all("PROVISIONAL" not in page_text(final, page) for page in range(1, page_count(final) + 1))


def pdf_version(pdf: Path) -> tuple[str, str, str, str, str]:
    with pikepdf.open(pdf) as document:
        info = document.docinfo
        with document.open_metadata() as xmp:
            return (
                str(xmp.get("{tag:coe.int,2026:pace/adopted-texts/xmp/}status")),
                str(xmp.get("{tag:coe.int,2026:pace/adopted-texts/xmp/}versionDate")),
                str(info["/Status"]),
                str(info["/VersionDate"]),
                str(info["/ModDate"]),
            )


def test_pdf_metadata_tells_the_versions_apart(versions: dict[str, Path]) -> None:
    assert pdf_version(versions["provisional"] / f"{STEM}.pdf") == (
        "provisional",
        "2030-10-03",
        "provisional",
        "2030-10-03",
        "D:20301003000000Z",
    )
    assert pdf_version(versions["final"] / f"{STEM}.pdf") == (
        "final",
        "2030-11-05",
        "final",
        "2030-11-05",
        "D:20301105000000Z",
    )


def test_docx_epub_and_html_metadata_tell_the_versions_apart(versions: dict[str, Path]) -> None:
    for status, date in (("provisional", "2030-10-03"), ("final", "2030-11-05")):
        out = versions[status]
        core = zipfile.ZipFile(out / f"{STEM}.docx").read("docProps/core.xml").decode()
        assert f"<cp:contentStatus>{status}</cp:contentStatus>" in core
        assert f"<cp:version>{date}</cp:version>" in core
        assert f">{date}T00:00:00Z</dcterms:modified>" in core
        epub = zipfile.ZipFile(out / f"{STEM}.epub")
        opf = epub.read(next(n for n in epub.namelist() if n.endswith(".opf"))).decode()
        assert f'<meta property="schema:creativeWorkStatus">{status}</meta>' in opf
        assert f'<meta property="dcterms:modified">{date}T00:00:00Z</meta>' in opf
        html = (out / f"{STEM}.html").read_text(encoding="utf-8")
        assert f'<meta name="version-status" content="{status}">' in html
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))  # type: ignore[union-attr]
        assert (ld["creativeWorkStatus"], ld["version"], ld["dateModified"]) == (status, date, date)


def test_every_edition_of_a_provisional_text_prints_the_status_before_the_title(versions: dict[str, Path]) -> None:
    out = versions["provisional"]
    html = (out / f"{STEM}.html").read_text(encoding="utf-8")
    assert html.index("Provisional version") < html.index('<h1 class="title">')
    document = zipfile.ZipFile(out / f"{STEM}.docx").read("word/document.xml").decode()
    assert document.index("Provisional version") < document.index("Ensuring the continuity")


def test_a_version_date_before_the_adoption_is_refused(tmp_path: Path) -> None:
    source = tmp_path / PROVISIONAL.name
    source.write_text(
        PROVISIONAL.read_text(encoding="utf-8").replace(
            "status: provisional\n", "status: final\nversion_date: 2030-01-01\n"
        ),
        encoding="utf-8",
    )
    outcomes = build([source], ["html"], tmp_path / "out")
    problems = [str(p) for o in outcomes for p in o.problems]
    assert any("'version_date' 2030-01-01 is before the adoption (2030-10-03)" in p for p in problems), problems
