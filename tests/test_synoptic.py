"""The synoptic edition: language versions side by side, one row per provision, in PDF and DOCX."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import pikepdf
import pytest

from pipeline import load
from pipeline.agreement import provisions
from pipeline.cli import main
from pipeline.config import Config
from pipeline.model import Document, Emphasis, Inline, Link, NoteCall, Paragraph, Quote, Reference, Strong, Table, Text
from pipeline.renderers.synoptic import build_synoptic
from pipeline.synoptic import synopsis
from tests.goldens import difference
from tests.validators import BIN, libreoffice, qpdf

ROOT = Path(__file__).resolve().parent.parent
SEED_PAIR = [ROOT / "source" / f"recommendation-1607-2003.{language}.md" for language in ("en", "fr")]
SLUG = "recommendation-1607-2003"
SEED_NUMBERS = [
    *("1.", "2.", "3.", "4.", "5.", "6."),
    *(f"6.{n}." for n in range(1, 8)),
    "7.",
    *(f"7.{n}." for n in range(1, 4)),
]
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = {"w": W}
ADDED_HYPHEN = "\u2010"  # WeasyPrint's mark for a hyphen that hyphenation added


@pytest.fixture(scope="module")
def seed_editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synoptic")
    outcomes = build_synoptic(SEED_PAIR, out, Config())
    assert [o.failure for o in outcomes] == [""]
    assert sorted(p.name for p in outcomes[0].written) == [f"{SLUG}.synoptic.docx", f"{SLUG}.synoptic.pdf"]
    return out


@pytest.fixture(scope="module")
def seed_versions() -> list[Document]:
    return [load(path) for path in SEED_PAIR]


# The alignment ----------------------------------------------------------------------------


def test_the_seed_pair_gives_one_row_per_provision_with_both_texts(seed_versions: list[Document]) -> None:
    aligned = synopsis(list(reversed(seed_versions)))  # the French given first: English still leads
    assert [d.metadata.language for d in aligned.versions] == ["en", "fr"]
    assert [row.number for row in aligned.rows] == SEED_NUMBERS
    for row in aligned.rows:
        english, french = row.shares
        assert english and french and english.paragraph and french.paragraph
        assert english.paragraph.number == french.paragraph.number == row.number
        assert english.paragraph.line and french.paragraph.line


# Reading the editions back ------------------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    page: int
    top: float
    left: float
    text: str


def placed_words(pdf: Path) -> list[Placed]:
    """poppler's words with their position, in the order it reads each line."""
    output = subprocess.run(["pdftotext", "-tsv", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows = csv.DictReader(output.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [Placed(int(r["page_num"]), float(r["top"]), float(r["left"]), r["text"]) for r in rows if r["level"] == "5"]


def pdf_columns(pdf: Path, names: list[str]) -> tuple[list[Placed], list[list[Placed]]]:
    """The number column and each version's column, read top to bottom on every page below the
    repeated header row, whose language names give where each column starts."""
    words = placed_words(pdf)
    numbers: list[Placed] = []
    columns: list[list[Placed]] = [[] for _ in names]
    for page in sorted({w.page for w in words}):
        on_page = [w for w in words if w.page == page]
        header = [next(w for w in on_page if w.text == name) for name in names]
        starts = [w.left - 3 for w in header]
        body = sorted((w for w in on_page if w.top > header[0].top + 2 and w.top < 560), key=lambda w: (w.top, w.left))
        for word in body:
            index = sum(1 for start in starts if word.left >= start)
            (numbers if index == 0 else columns[index - 1]).append(word)
    return numbers, [sorted(column, key=lambda w: (w.page, w.top, w.left)) for column in columns]


def squeezed(words: list[str]) -> str:
    """Text without any space and with hyphenation undone: what both sides can be compared on."""
    return re.sub(r"\s+", "", "".join(words).replace(ADDED_HYPHEN, ""))


def inline_text(nodes: tuple[Inline, ...]) -> str:
    parts = []
    for node in nodes:
        if isinstance(node, Text | Reference):
            parts.append(node.text)
        elif isinstance(node, NoteCall):
            parts.append(str(node.number))
        elif isinstance(node, Emphasis | Strong | Link):
            parts.append(inline_text(node.children))
    return "".join(parts)


def provision_texts(document: Document) -> list[tuple[str, str]]:
    """(number, own words) of every provision, in the order `pipeline check` reads them."""
    by_line: dict[int, Paragraph] = {}

    def visit(block: Paragraph | Quote | Table) -> None:
        if isinstance(block, Paragraph):
            by_line[block.line] = block
            for child in (*block.inserts, *block.children):
                visit(child)

    for section in document.sections:
        for block in section.blocks:
            visit(block)
    return [(p.number, inline_text(by_line[p.line].content)) for p in provisions(document)]


def in_order(haystack: str, needles: list[str]) -> list[str]:
    """The needles not found in `haystack` one after the other (empty when all are, in order)."""
    missing, cursor = [], 0
    for needle in needles:
        found = haystack.find(re.sub(r"\s+", "", needle), cursor)
        if found < 0:
            missing.append(needle)
        else:
            cursor = found + 1
    return missing


def docx_rows(docx: Path) -> list[list[lxml.etree._Element]]:
    with zipfile.ZipFile(docx) as package:
        root = lxml.etree.fromstring(package.read("word/document.xml"))
    return [row.xpath("./w:tc", namespaces=WNS) for row in root.xpath("/w:document/w:body/w:tbl/w:tr", namespaces=WNS)]


def cell_text(cell: lxml.etree._Element) -> str:
    return "".join(cell.xpath(".//w:t/text()", namespaces=WNS))


# The PDF ------------------------------------------------------------------------------------


def test_pdf_pairs_every_provision_with_both_texts_on_its_row(
    seed_editions: Path, seed_versions: list[Document]
) -> None:
    pdf = seed_editions / f"{SLUG}.synoptic.pdf"
    numbers, columns = pdf_columns(pdf, ["English", "Français"])
    assert [n.text for n in numbers] == SEED_NUMBERS
    for document, column in zip(seed_versions, columns, strict=True):
        texts = provision_texts(document)
        assert in_order(squeezed([w.text for w in column]), [text for _, text in texts]) == []
        for number, (_, text) in zip(numbers, texts, strict=True):
            # the first word of the provision's text stands on the line of its number
            first = text.split()[0]
            assert any(w.page == number.page and abs(w.top - number.top) < 1 and w.text == first for w in column), (
                number.text,
                first,
            )


def test_pdf_tags_each_column_with_its_language_and_its_headers_with_a_scope(seed_editions: Path) -> None:
    with pikepdf.open(seed_editions / f"{SLUG}.synoptic.pdf") as pdf:
        assert pdf.Root.Lang == "en"
        assert bool(pdf.Root.MarkInfo.Marked)
        cells: list[tuple[str, str]] = []
        scopes: set[str] = set()

        def walk(element: pikepdf.Object | None) -> None:
            if not isinstance(element, pikepdf.Dictionary):
                return
            if element.get("/S") in ("/TD", "/TH"):
                cells.append((str(element.S), str(element.get("/Lang", ""))))
                if element.S == "/TH":
                    scopes.add(str(element.A.Scope))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        walk(pdf.Root.StructTreeRoot)
        languages = [language for _, language in cells]
        assert languages.count("en") == languages.count("fr") >= len(SEED_NUMBERS) + 2
        assert languages.count("") == languages.count("en")  # the number column
        assert scopes == {"/Column", "/Row"}
        assert sorted(pdf.attachments) == [f"{SLUG}.en.md", f"{SLUG}.fr.md"]
        assert pdf.attachments[f"{SLUG}.fr.md"].get_file().read_bytes() == SEED_PAIR[1].read_bytes()
        assert pdf.pages[0].MediaBox[2] > pdf.pages[0].MediaBox[3]  # landscape
        assert "pdfuaid:part" in pdf.Root.Metadata.read_bytes().decode()


def test_pdf_puts_each_note_in_its_own_language_under_its_row(seed_editions: Path) -> None:
    _, (english, french) = pdf_columns(seed_editions / f"{SLUG}.synoptic.pdf", ["English", "Français"])
    assert "Assemblydebateon24June2003" in squeezed([w.text for w in english])
    assert "Discussionparl’Assembléele24juin2003" in squeezed([w.text for w in french])


# The DOCX -----------------------------------------------------------------------------------


def test_docx_is_one_table_with_a_repeated_header_and_a_row_per_provision(
    seed_editions: Path, seed_versions: list[Document]
) -> None:
    docx = seed_editions / f"{SLUG}.synoptic.docx"
    rows = docx_rows(docx)
    header, title, *provision_rows = rows
    assert [cell_text(c) for c in header] == ["§", "English", "Français"]
    with zipfile.ZipFile(docx) as package:
        root = lxml.etree.fromstring(package.read("word/document.xml"))
    table_rows = root.xpath("/w:document/w:body/w:tbl/w:tr", namespaces=WNS)
    assert table_rows[0].xpath("./w:trPr/w:tblHeader", namespaces=WNS)
    assert not any(row.xpath("./w:trPr/w:tblHeader", namespaces=WNS) for row in table_rows[1:])
    assert root.xpath("//w:pgSz/@w:orient", namespaces=WNS) == ["landscape"]
    assert cell_text(title[1]).startswith("Recommendation 1607 (2003)")
    assert cell_text(title[2]).startswith("Recommandation 1607 (2003)")
    assert [cell_text(cells[0]) for cells in provision_rows] == SEED_NUMBERS
    for index, (document, language) in enumerate(zip(seed_versions, ("en", "fr"), strict=True), start=1):
        texts = provision_texts(document)
        for cells, (number, text) in zip(provision_rows, texts, strict=True):
            assert cell_text(cells[0]) == number
            assert squeezed([cell_text(cells[index])]).startswith(re.sub(r"\s+", "", text))
            runs = cells[index].xpath(".//w:r[w:t]", namespaces=WNS)
            assert {r.xpath("string(w:rPr/w:lang/@w:val)", namespaces=WNS) for r in runs} == {language}


def test_docx_uses_house_styles_and_keeps_the_notes_under_their_row(seed_editions: Path) -> None:
    docx = seed_editions / f"{SLUG}.synoptic.docx"
    with zipfile.ZipFile(docx) as package:
        document = package.read("word/document.xml").decode()
        core = package.read("docProps/core.xml").decode()
    styles = set(re.findall(r'<w:pStyle w:val="([^"]+)"', document))
    assert {"Citation", "Title", "IssuedBy", "UnnumberedParagraph", "FootnoteText", "TableText"} <= styles
    assert "w:footnoteReference" not in document  # notes are numbered per version, under the row
    assert re.findall(r'w:anchor="([^"]+)"', document) == ["en-fn-1", "fr-fn-1"]
    assert re.findall(r'w:name="((?:en|fr)-fn-\d+)"', document) == ["en-fn-1", "fr-fn-1"]
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2003-06-24T00:00:00Z</dcterms:modified>' in core


# Reproducible, valid, reviewed ---------------------------------------------------------------


def test_two_builds_are_byte_identical(seed_editions: Path, tmp_path: Path) -> None:
    build_synoptic(SEED_PAIR, tmp_path, Config())
    for name in (f"{SLUG}.synoptic.pdf", f"{SLUG}.synoptic.docx"):
        assert (tmp_path / name).read_bytes() == (seed_editions / name).read_bytes(), name


@pytest.mark.parametrize("format_name", ["pdf", "docx"])
def test_synoptic_edition_matches_its_golden(seed_editions: Path, format_name: str) -> None:
    diff = difference(format_name, seed_editions / f"{SLUG}.synoptic.{format_name}")
    assert not diff, diff


@pytest.mark.slow
def test_validators_accept_the_seed_pair(seed_editions: Path) -> None:
    pdf, docx = seed_editions / f"{SLUG}.synoptic.pdf", seed_editions / f"{SLUG}.synoptic.docx"
    report = json.loads(
        subprocess.run([str(BIN / "pdfua"), "check", "-f", "json", str(pdf)], capture_output=True, text=True).stdout
    )
    assert report["findings"] == [] and report["summary"]["rules_run"] > 0
    assert qpdf([pdf]) == []
    assert libreoffice([docx]) == []


# The command --------------------------------------------------------------------------------


def test_the_command_writes_both_editions_and_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    for path in [*SEED_PAIR]:
        shutil.copyfile(path, sources / path.name)
    (sources / "lonely-1-2000.en.md").write_text("not read: a text with one version has no synopsis\n")
    assert main(["synoptic", str(sources), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        f"{SLUG}.synoptic.docx",
        f"{SLUG}.synoptic.pdf",
    ]
    assert "1 of 1 texts set side by side" in capsys.readouterr().err


def test_a_single_version_gives_no_synopsis(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["synoptic", str(SEED_PAIR[0]), "--out", str(tmp_path)]) == 0
    assert list(tmp_path.iterdir()) == []
    assert "no text has two or more language versions" in capsys.readouterr().err


def test_versions_that_disagree_are_reported_and_not_set_side_by_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english, french = (tmp_path / path.name for path in SEED_PAIR)
    shutil.copyfile(SEED_PAIR[0], english)
    text = SEED_PAIR[1].read_text(encoding="utf-8").replace("translation: unofficial\n", "")
    french.write_text(re.sub(r"\n6\.7\. [^\n]*\n", "\n", text), encoding="utf-8")
    assert main(["synoptic", str(tmp_path), "--out", str(tmp_path / "out")]) == 1
    assert "6.7. has no counterpart" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
