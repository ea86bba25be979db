"""The DOCX volume: one document with a TOC field, each text in its own section with its own
running head and its notes numbered from 1, opened by LibreOffice."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.model import Document
from pipeline.renderers.docx import DocxRenderer
from pipeline.source import find_sources, load
from pipeline.templating import citation, full_title
from pipeline.testing.corpus import generate
from tests.sources import volume_file
from tests.test_docx_fonts import embedded, expected
from tests.validators import convert_with_libreoffice, libreoffice

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
ORDER = ["opinion", "recommendation", "resolution", "order", "decision"]


@pytest.fixture(scope="module")
def volume(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Document]]:
    corpus = tmp_path_factory.mktemp("docx-volume-texts")
    for source in FIXTURE_TEXTS.glob("*.en.md"):
        shutil.copyfile(source, corpus / source.name)
    generate(corpus, 12, 3)  # with an opinion among them
    out = tmp_path_factory.mktemp("docx-volume")
    declaration = out / "v.en.toml"
    declaration.write_text(
        'title = ["Texts adopted by the Assembly", "Test session"]\nlanguage = "en"\nstatus = "provisional"\n'
        "from = 1990-01-01\nto = 2040-12-31\n",
        encoding="utf-8",
    )
    assert main(["build", str(corpus), str(declaration), "--out", str(out), "--format", "docx"]) == 0
    first = (out / "v.en.docx").read_bytes()
    assert main(["build", str(corpus), str(declaration), "--out", str(out), "--format", "docx", "--force"]) == 0
    assert (out / "v.en.docx").read_bytes() == first  # the same bytes from run to run
    texts = [load(s, Config()) for s in find_sources([corpus]) if s.name.endswith(".en.md")]
    texts.sort(key=lambda t: (ORDER.index(t.metadata.type.value), t.metadata.number))
    return out / "v.en.docx", texts


def part(docx: Path, name: str) -> lxml.etree._Element:
    with zipfile.ZipFile(docx) as package:
        return lxml.etree.fromstring(package.read(name))


def test_a_real_contents_field_listing_every_text(volume: tuple[Path, list[Document]]) -> None:
    docx, texts = volume
    assert len(texts) >= 12 and len({t.metadata.type for t in texts}) >= 3
    document = part(docx, "word/document.xml")
    (instruction,) = document.xpath("//w:instrText[contains(., 'TOC')]", namespaces=NS)
    assert instruction.text.strip().startswith("TOC ")
    listed = ["".join(p.itertext()) for p in document.xpath("//w:body/w:p", namespaces=NS)]
    entries = [full_title(t.metadata) for t in texts]
    start = listed.index(entries[0])
    assert [line for line in listed[start:] if line in entries][: len(entries)] == entries  # in the volume's order
    assert part(docx, "word/settings.xml").find("w:updateFields", NS) is not None


def test_each_text_in_its_own_section_with_its_own_header(volume: tuple[Path, list[Document]]) -> None:
    docx, texts = volume
    document = part(docx, "word/document.xml")
    sections = document.xpath("//w:sectPr", namespaces=NS)
    assert len(sections) == len(texts) + 1  # the cover and contents, then one per text
    relations = {rel.get("Id"): rel.get("Target") for rel in part(docx, "word/_rels/document.xml.rels")}
    for section, text in zip(sections[1:], texts, strict=True):
        (header,) = section.xpath("w:headerReference[@w:type='default']/@r:id", namespaces=NS)
        root = part(docx, f"word/{relations[header]}")
        words = "".join(root.itertext())
        assert citation(text.metadata) in words
        # A provisional text's status at the header's right, once, as in the text's own DOCX.
        statuses = root.xpath("//w:r[w:rPr/w:rStyle/@w:val='HeaderStatus']/w:t/text()", namespaces=NS)
        assert statuses == (["Provisional version"] if text.metadata.status.value == "provisional" else [])
        assert words.count("Provisional version") == len(statuses), words
        assert section.xpath("w:footnotePr/w:numRestart/@w:val", namespaces=NS) == ["eachSect"]
        assert section.xpath("w:type/@w:val", namespaces=NS) == ["nextPage"]


def test_its_properties_name_and_date_the_volume(volume: tuple[Path, list[Document]]) -> None:
    docx, texts = volume
    core = part(docx, "docProps/core.xml")
    names = {"dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    names["cp"] = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    newest = max(text.metadata.issued for text in texts).isoformat()
    assert core.findtext("dc:title", namespaces=names) == "Texts adopted by the Assembly – Test session"
    assert core.findtext("dc:creator", namespaces=names) == "Parliamentary Assembly"
    assert core.findtext("cp:contentStatus", namespaces=names) == "provisional"
    for date in ("dcterms:created", "dcterms:modified"):
        assert core.findtext(date, namespaces=names) == f"{newest}T00:00:00Z"  # never pandoc's 1970


def test_a_recto_volume_starts_each_text_on_a_right_hand_page(tmp_path: Path) -> None:
    for name in ("resolution-9004-2030.en.md", "resolution-9005-2030.en.md"):
        shutil.copyfile(FIXTURE_TEXTS / name, tmp_path / name)
    texts = ["resolution-9004-2030.en", "resolution-9005-2030.en"]
    declaration = volume_file(tmp_path / "recto.en.toml", texts, more="recto = true\n")
    assert main(["build", str(tmp_path), str(declaration), "--out", str(tmp_path), "--format", "docx"]) == 0
    sections = part(tmp_path / "recto.en.docx", "word/document.xml").xpath("//w:sectPr", namespaces=NS)
    kinds = [section.xpath("string(w:type/@w:val)", namespaces=NS) for section in sections]
    assert kinds == ["nextPage", "oddPage", "oddPage"]  # the cover and contents, then each text


def test_libreoffice_opens_it_and_numbers_notes_per_text(volume: tuple[Path, list[Document]], tmp_path: Path) -> None:
    docx, texts = volume
    assert libreoffice([docx]) == []
    convert_with_libreoffice([docx], tmp_path).check_returncode()
    text = subprocess.run(["pdftotext", str(tmp_path / "v.en.pdf"), "-"], capture_output=True, text=True).stdout
    # Every text's adoption note is note 1 of its own, in LibreOffice as in Word.
    numbers = re.findall(r"^(\d+)\n\n(?:Assembly debate on|Text adopted by the Standing)", text, flags=re.MULTILINE)
    assert numbers == ["1"] * len(texts)


def test_the_house_faces_are_embedded_as_in_each_texts_docx(volume: tuple[Path, list[Document]]) -> None:
    faces = {name: hashlib.sha256(data).hexdigest() for name, data in embedded(volume[0]).items()}
    assert expected({"Noto Serif"}).items() <= faces.items()  # the four faces of the house family
    # and a script's faces where its texts use it (the generated texts have Armenian and Georgian words)
    assert faces == expected({family for family, _ in faces})


def test_tables_and_lead_ins_are_set_as_in_each_texts_docx(volume: tuple[Path, list[Document]]) -> None:
    """Each table at its paragraph's indent and each lead-in kept with its first item, as the
    text's own DOCX sets them (pandoc sets every table at the margin)."""
    docx, texts = volume
    body = part(docx, "word/document.xml").find("w:body", NS)
    assert body is not None
    found = []
    for table in body.iterfind("w:tbl", NS):
        indent = table.find("w:tblPr/w:tblInd", NS)
        found.append(0 if indent is None else int(indent.get(f"{{{W}}}w", "0")))
    single = DocxRenderer(Config())
    expected_indents = [indent for text in texts for indent in single.table_indents(text)]
    assert found == expected_indents
    assert any(indent > 0 for indent in found), "the fixtures hold a table inside a numbered paragraph"
    lead_ins = [
        p
        for p in body.iterfind("w:p", NS)
        if "".join(p.itertext()).rstrip().endswith(":") and p.find("w:pPr/w:pStyle", NS) is not None
    ]
    kept = [p for p in lead_ins if p.find("w:pPr/w:keepNext", NS) is not None]
    assert kept, "a lead-in ending in a colon is kept with the paragraph after it"


def test_the_cover_is_a_page_of_its_own_and_the_contents_start_the_next(
    volume: tuple[Path, list[Document]], tmp_path: Path
) -> None:
    docx, _ = volume
    document = part(docx, "word/document.xml")
    (heading,) = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='TOCHeading']", namespaces=NS)
    assert heading.find("w:pPr/w:pageBreakBefore", NS) is not None
    convert_with_libreoffice([docx], tmp_path).check_returncode()
    pdf = str(tmp_path / "v.en.pdf")
    first = subprocess.run(["pdftotext", "-f", "1", "-l", "1", pdf, "-"], capture_output=True, text=True).stdout
    second = subprocess.run(["pdftotext", "-f", "2", "-l", "2", pdf, "-"], capture_output=True, text=True).stdout
    assert "Texts adopted by the Assembly" in first and "Contents" not in first
    assert second.lstrip().startswith("Contents")
