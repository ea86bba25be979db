"""The synoptic edition: language versions side by side, one row per provision, in PDF and DOCX."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html
import msgspec
import pikepdf
import pytest

from pipeline import load
from pipeline.agreement import provisions
from pipeline.cli import main
from pipeline.config import Config
from pipeline.errors import RenderError
from pipeline.model import Document, Emphasis, Inline, Link, NoteCall, Paragraph, Quote, Reference, Strong, Table, Text
from pipeline.renderers.synoptic import build_synoptic
from pipeline.synoptic import APPENDIX, Synopsis, synopsis
from tests.goldens import difference
from tests.pdftext import tsv
from tests.test_docx_fonts import embedded, expected
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
ADDED_HYPHEN = "\u00ad"  # a hyphen that hyphenation added, as the text layer gives it (renderers/pdfa.py)


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
    output = tsv(pdf)
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


def test_docx_embeds_the_house_faces_as_each_versions_docx_does(seed_editions: Path) -> None:
    faces = embedded(seed_editions / f"{SLUG}.synoptic.docx")
    assert {name: hashlib.sha256(data).hexdigest() for name, data in faces.items()} == expected({"Noto Serif"})


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


# Three versions, and everything a provision may carry -----------------------------------------

FRONT = """---
type: resolution
number: 9901
year: 2031
language: {language}
title: {title}
issued_by: {body}
{translation}adoption:
  by: assembly
  debates:
    - date: 2031-01-27
      sitting: 5
  documents:
    - doc: 99901
      kind: report
      committee: {committee}
      rapporteur: Ms Example
  date: 2031-01-27
  sitting: 5
---

{opening}

1. {one}[^a]

{continued}

2. {two}

> {quote}

2.1. {two_one}

2.2. {two_two}

3. {three}

| {year} | {cases} |
| --- | --- |
| 2030 | 12 |

## {appendix}

{appendix_opening}

1. {appendix_one}[^b]

2. {appendix_two}

[^a]: {note_a}
[^b]: {note_b}
"""
WORDS = {
    "en": {
        "title": "Words side by side",
        "body": "Parliamentary Assembly",
        "committee": "Committee on Legal Affairs",
        "translation": "",
        "opening": "The Assembly opens with an unnumbered paragraph.",
        "one": "First provision in English.",
        "continued": "An unnumbered paragraph continues the first provision.",
        "two": "Second provision quoting:",
        "quote": "A quoted declaration in English.",
        "two_one": "first sub-paragraph in English;",
        "two_two": "second sub-paragraph in English.",
        "three": "Third provision with a table:",
        "year": "Year",
        "cases": "Cases",
        "appendix": "Appendix",
        "appendix_opening": "The appendix opens without a number.",
        "appendix_one": "Appendix provision one in English.",
        "appendix_two": "Appendix provision two in English.",
        "note_a": "English note to the first provision.",
        "note_b": "English note in the appendix.",
    },
    "fr": {
        "title": "Les mots côte à côte",
        "body": "Assemblée parlementaire",
        "committee": "Commission des questions juridiques",
        "translation": "",
        "opening": "L'Assemblée commence par un paragraphe non numéroté.",
        "one": "Première disposition en français.",
        "continued": "Un paragraphe non numéroté prolonge la première disposition.",
        "two": "Deuxième disposition qui cite :",
        "quote": "Une déclaration citée en français.",
        "two_one": "premier sous-paragraphe en français ;",
        "two_two": "second sous-paragraphe en français.",
        "three": "Troisième disposition avec un tableau :",
        "year": "Année",
        "cases": "Cas",
        "appendix": "Annexe",
        "appendix_opening": "L'annexe commence sans numéro.",
        "appendix_one": "Première disposition de l'annexe en français.",
        "appendix_two": "Deuxième disposition de l'annexe en français.",
        "note_a": "Note française de la première disposition.",
        "note_b": "Note française de l'annexe.",
    },
    "de": {
        "title": "Wörter nebeneinander",
        "body": "Parlamentarische Versammlung",
        "committee": "Rechtsausschuss",
        "translation": "translation: unofficial\n",
        "opening": "Die Versammlung beginnt mit einem Absatz ohne Nummer.",
        "one": "Erste Bestimmung auf Deutsch.",
        "continued": "Ein Absatz ohne Nummer setzt die erste Bestimmung fort.",
        "two": "Zweite Bestimmung, die zitiert:",
        "quote": "Eine zitierte Erklärung auf Deutsch.",
        "two_one": "erster Unterabsatz auf Deutsch;",
        "two_two": "zweiter Unterabsatz auf Deutsch.",
        "three": "Dritte Bestimmung mit einer Tabelle:",
        "year": "Jahr",
        "cases": "Fälle",
        "appendix": "Anhang",
        "appendix_opening": "Der Anhang beginnt ohne Nummer.",
        "appendix_one": "Erste Bestimmung des Anhangs auf Deutsch.",
        "appendix_two": "Zweite Bestimmung des Anhangs auf Deutsch.",
        "note_a": "Deutsche Anmerkung zur ersten Bestimmung.",
        "note_b": "Deutsche Anmerkung im Anhang.",
    },
}
TRIO = "resolution-9901-2031"
TRIO_ROWS = [("provision", ""), *(("provision", n) for n in ("1.", "2.", "2.1.", "2.2.", "3."))]
TRIO_ROWS += [("appendix", ""), ("provision", ""), ("provision", "1."), ("provision", "2.")]
NAMES = ["English", "Français", "Deutsch"]


def write_trio(folder: Path, drop: str = "") -> list[Path]:
    """The three versions in `folder`; `drop` (a line's start) is left out of the German one."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for language, words in WORDS.items():
        text = FRONT.format(language=language, **words)
        if language == "de" and drop:
            text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith(drop))
        path = folder / f"{TRIO}.{language}.md"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def trio(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Document], Path]:
    folder = tmp_path_factory.mktemp("trio")
    paths = write_trio(folder / "sources")
    outcomes = build_synoptic(paths, folder, Config())
    assert [o.failure for o in outcomes] == [""]
    return [load(path) for path in paths], folder


def test_three_versions_give_three_columns_and_keep_every_block_with_its_provision(
    trio: tuple[list[Document], Path],
) -> None:
    aligned = synopsis(trio[0])
    assert [(row.kind, row.number) for row in aligned.rows] == TRIO_ROWS
    assert all(len(row.shares) == 3 and all(row.shares) for row in aligned.rows)
    kinds = [[type(block).__name__ for block in row.shares[1].blocks] for row in aligned.rows if row.shares[1]]
    assert kinds == [["Paragraph"], ["Paragraph"], ["Quote"], [], [], ["Table"], [], ["Paragraph"], [], []]
    notes = [row.shares[2].notes for row in aligned.rows if row.shares[2]]
    assert notes == [(), (2,), (), (), (), (), (), (), (3,), ()]


def layout(aligned: Synopsis) -> list[tuple[str, str, list[tuple[str, list[str]]]]]:
    """Each row with, per version, its paragraph's identifier and its blocks' identifiers."""
    return [
        (
            row.kind,
            row.number,
            [(s.paragraph.id if s.paragraph else "", [b.id for b in s.blocks]) for s in row.shares if s],
        )
        for row in aligned.rows
    ]


def test_an_unnumbered_paragraph_stays_with_its_provision_however_the_model_holds_it(
    trio: tuple[list[Document], Path],
) -> None:
    english = trio[0][0]
    main_text = english.sections[0]
    first = next(b for b in main_text.blocks if isinstance(b, Paragraph) and b.number == "1.")
    continued = [c for c in first.children if c.number is None]
    assert continued, "the model holds the continuation as a child of paragraph 1."
    # the same text with the continuation held as a block beside its paragraph
    index = main_text.blocks.index(first)
    flat_first = msgspec.structs.replace(first, children=tuple(c for c in first.children if c.number))
    blocks = (*main_text.blocks[:index], flat_first, *continued, *main_text.blocks[index + 1 :])
    flat = msgspec.structs.replace(
        english, sections=(msgspec.structs.replace(main_text, blocks=blocks), *english.sections[1:])
    )
    assert layout(synopsis([flat, trio[0][1]])) == layout(synopsis([english, trio[0][1]]))


def test_pdf_sets_each_version_in_its_column_in_source_order(trio: tuple[list[Document], Path]) -> None:
    folder = trio[1]
    numbers, columns = pdf_columns(folder / f"{TRIO}.synoptic.pdf", NAMES)
    assert [n.text for n in numbers] == [n for _, n in TRIO_ROWS if n]
    for language, column in zip(WORDS, columns, strict=True):
        words = WORDS[language]
        expected = [words[key] for key in ("title", "note_a")[:1]]
        expected += [words[key] for key in ("opening", "one", "continued", "note_a", "two", "quote", "two_one")]
        expected += [words[key] for key in ("two_two", "three", "year", "cases", "appendix", "appendix_opening")]
        expected += [words[key] for key in ("appendix_one", "note_b", "appendix_two")]
        text = squeezed([w.text for w in column]).replace("’", "'").replace("\u202f", "").replace("\u00a0", "")
        assert in_order(text, expected) == [], language


def test_pdf_tags_every_cell_and_heading_with_its_version_language(trio: tuple[list[Document], Path]) -> None:
    with pikepdf.open(trio[1] / f"{TRIO}.synoptic.pdf") as pdf:
        found: list[tuple[str, str]] = []

        def walk(element: pikepdf.Object | None) -> None:
            if not isinstance(element, pikepdf.Dictionary):
                return
            if "/Lang" in element:
                found.append((str(element.S), str(element.Lang)))
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

        walk(pdf.Root.StructTreeRoot)
    assert [language for tag, language in found if tag == "/H2"] == ["en", "fr", "de"]
    cells = [language for tag, language in found if tag in ("/TD", "/TH")]
    assert cells.count("en") == cells.count("fr") == cells.count("de") >= len(TRIO_ROWS)


def test_html_identifiers_never_collide_between_versions_and_every_link_lands(
    trio: tuple[list[Document], Path],
) -> None:
    from pipeline.renderers.synoptic.columns import render_synopsis
    from pipeline.renderers.synoptic.pdf import SynopticPdfRenderer

    edition = SynopticPdfRenderer(Config())
    html = render_synopsis(edition, synopsis(trio[0]), edition.template, fonts=edition.fonts)
    root = lxml.html.fromstring(html)
    ids = root.xpath("//@id")
    assert len(ids) == len(set(ids))
    assert {"en-fn-2", "fr-fn-2", "de-fn-2", "en-quote-1", "de-table-1"} <= set(ids)
    assert {str(href)[1:] for href in root.xpath("//a/@href") if str(href).startswith("#")} <= set(ids)
    for note in root.xpath("//note-text"):
        assert note.xpath("ancestor::td/@lang")[0] == note.get("id").split("-fn-")[0]


def test_docx_gives_every_column_and_every_heading_its_language(trio: tuple[list[Document], Path]) -> None:
    rows = docx_rows(trio[1] / f"{TRIO}.synoptic.docx")
    assert [cell_text(c) for c in rows[0]] == ["§", *NAMES]
    body = rows[2:]
    assert [cell_text(cells[0]) for cells in body if len(cells) == 4] == [
        n for kind, n in TRIO_ROWS if kind != APPENDIX
    ]
    (heading,) = [cells[0] for cells in body if len(cells) == 1]
    assert heading.xpath("./w:tcPr/w:gridSpan/@w:val", namespaces=WNS) == ["4"]
    paragraphs = heading.xpath("./w:p", namespaces=WNS)
    assert [cell_text(p) for p in paragraphs] == ["Appendix", "Annexe", "Anhang"]
    assert [p.xpath("string(.//w:lang/@w:val)", namespaces=WNS) for p in paragraphs] == ["en", "fr", "de"]
    for cells in (cells for cells in body if len(cells) == 4):
        for cell, language in zip(cells[1:], WORDS, strict=True):
            assert {
                r.xpath("string(w:rPr/w:lang/@w:val)", namespaces=WNS)
                for r in cell.xpath(".//w:r[w:t]", namespaces=WNS)
            } == {language}


def test_a_lagging_unofficial_translation_leaves_its_cell_empty_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_trio(tmp_path / "sources", drop="2.2. ")
    assert main(["synoptic", str(tmp_path / "sources"), "--out", str(tmp_path / "out")]) == 0
    assert "2.2. has no counterpart" in capsys.readouterr().err
    rows = docx_rows(tmp_path / "out" / f"{TRIO}.synoptic.docx")
    (row,) = [cells for cells in rows if cell_text(cells[0]) == "2.2."]
    assert [cell_text(c) for c in row[1:]] == [
        "second sub-paragraph in English.",
        "second sous-paragraphe en français.",
        "—",
    ]


def test_a_lead_in_stays_on_the_page_of_its_first_sub_paragraph(seed_editions: Path) -> None:
    numbers, _ = pdf_columns(seed_editions / f"{SLUG}.synoptic.pdf", ["English", "Français"])
    page = {n.text: n.page for n in numbers}
    assert page["6."] == page["6.1."] and page["7."] == page["7.1."]
    kept = [
        cell_text(cells[0]) for cells in docx_rows(seed_editions / f"{SLUG}.synoptic.docx") if keeps_with_next(cells)
    ]
    assert kept == ["6.", "7."]


def keeps_with_next(cells: list[lxml.etree._Element]) -> bool:
    paragraphs = [p for cell in cells for p in cell.xpath("./w:p", namespaces=WNS)]
    return all(p.xpath("./w:pPr/w:keepNext", namespaces=WNS) for p in paragraphs)


def test_a_provision_the_rows_would_miss_fails_the_edition_instead(seed_versions: list[Document]) -> None:
    english, french = seed_versions
    main_text = english.sections[0]
    first, second, *rest = main_text.blocks
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    hidden = msgspec.structs.replace(first, inserts=(second,))  # a shape it may take one day
    changed = msgspec.structs.replace(main_text, blocks=(hidden, *rest))
    with pytest.raises(RenderError, match="do not follow its provisions"):
        synopsis([msgspec.structs.replace(english, sections=(changed,)), french])


def test_a_provision_only_one_version_has_stays_in_its_own_appendix(tmp_path: Path) -> None:
    """The English has a second appendix, the German one more provision in the first."""
    english, _, german = write_trio(tmp_path)
    english_text = english.read_text(encoding="utf-8").replace(
        "[^a]:", "## Appendix II\n\n1. Only in the English second appendix.\n\n[^a]:"
    )
    english.write_text(english_text, encoding="utf-8")
    german_text = german.read_text(encoding="utf-8").replace(
        "[^a]:", "3. Dritte Bestimmung des Anhangs, nur auf Deutsch.\n\n[^a]:"
    )
    german.write_text(german_text, encoding="utf-8")
    aligned = synopsis([load(path) for path in (english, german)])
    appendices = [(row.kind, row.part, row.number) for row in aligned.rows if row.part]
    assert appendices == [
        ("appendix", 1, ""),
        ("provision", 1, ""),
        ("provision", 1, "1."),
        ("provision", 1, "2."),
        ("provision", 1, "3."),
        ("appendix", 2, ""),
        ("provision", 2, "1."),
    ]
    third, heading, only_english = aligned.rows[-3:]
    assert [bool(s) for s in third.shares] == [False, True]
    assert [bool(s) for s in heading.shares] == [True, False]
    assert [bool(s) for s in only_english.shares] == [True, False]
