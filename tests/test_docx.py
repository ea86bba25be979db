"""The DOCX edition of the seed: text, real footnotes, house styles, core properties, no Word numbering."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.errors import RenderError
from pipeline.renderers.docx import DocxRenderer
from tests.conftest import SEED
from tests.wordcheck import raw_seed, tokens

STEM = "recommendation-1607-2003.en"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}


@pytest.fixture(scope="module")
def docx(editions: Path) -> Path:
    return editions / f"{STEM}.docx"


def part(docx: Path, name: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(zipfile.ZipFile(docx).read(name))


def text_of(root: lxml.etree._Element) -> str:
    """Paragraph texts, a tab read as a space, as a reader sees them."""
    paragraphs = root.xpath("descendant-or-self::w:p", namespaces=NS)
    return "\n".join(
        "".join(" " if node.tag == f"{{{W}}}tab" else (node.text or "") for node in p.iter(f"{{{W}}}t", f"{{{W}}}tab"))
        for p in paragraphs
    )


def test_every_word_of_the_seed_in_order(docx: Path) -> None:
    seed = raw_seed()
    document = part(docx, "word/document.xml")
    styles = (
        "@w:val='Citation' or @w:val='Title' or @w:val='IssuedBy' or starts-with(@w:val, 'BodyParagraph') or "
        "starts-with(@w:val, 'SubParagraph')"
    )
    text_paragraphs = document.xpath(f"//w:body/w:p[w:pPr/w:pStyle[{styles}]]", namespaces=NS)
    words = tokens(" ".join(text_of(p) for p in text_paragraphs))
    assert words == seed.body  # exactly: nothing lost, added or duplicated
    notes = part(docx, "word/footnotes.xml").xpath("//w:footnote[not(@w:type)]", namespaces=NS)
    assert tokens(" ".join(text_of(n) for n in notes)) == seed.footnote


def test_the_title_note_is_a_real_word_footnote(docx: Path) -> None:
    document = part(docx, "word/document.xml")
    [citation] = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='Citation']", namespaces=NS)
    [reference] = citation.xpath(".//w:footnoteReference/@w:id", namespaces=NS)
    [note] = part(docx, "word/footnotes.xml").xpath(f"//w:footnote[@w:id='{reference}']", namespaces=NS)
    assert text_of(note).strip().startswith("Assembly debate on 24\u00a0June\u00a02003 (19th Sitting)")
    assert note.xpath(".//w:pStyle/@w:val", namespaces=NS) == ["FootnoteText"]


def test_house_styles_are_applied(docx: Path) -> None:
    document = part(docx, "word/document.xml")
    styles = [str(s) for s in document.xpath("//w:body/w:p/w:pPr/w:pStyle/@w:val", namespaces=NS)]
    assert styles[:3] == ["Citation", "Title", "IssuedBy"]
    assert styles.count("BodyParagraph") == 7
    assert styles.count("SubParagraph2") == 10


def test_paragraph_numbers_are_literal_text_then_a_tab(docx: Path) -> None:
    document = part(docx, "word/document.xml")
    assert document.xpath("//w:numPr", namespaces=NS) == [], "Word numbering could renumber an official text"
    numbered = document.xpath("//w:p[w:pPr/w:pStyle/@w:val='SubParagraph2']", namespaces=NS)
    first = numbered[0]
    assert first.xpath("string(w:r[1]/w:t)", namespaces=NS) == "6.1."
    assert first.xpath("w:r[2]/w:tab", namespaces=NS)


def test_core_properties(docx: Path) -> None:
    core = part(docx, "docProps/core.xml")

    def value(path: str) -> str:
        return str(core.xpath(f"string({path})", namespaces=NS))

    assert value("dc:title") == (
        "Recommendation 1607 (2003): Activities of the International Organization for Migration (IOM), 1998-2002"
    )
    assert value("dc:creator") == "Parliamentary Assembly"
    assert value("dc:subject") == "Recommendation 1607 (2003)"
    assert value("cp:keywords") == (
        "migration, International Organization for Migration, trafficking in human beings, co-operation"
    )
    assert value("dc:language") == "en"
    assert value("dcterms:created") == value("dcterms:modified") == "2003-06-24T00:00:00Z"


def test_no_visible_date_or_title_block_from_pandoc(docx: Path) -> None:
    styles = part(docx, "word/document.xml").xpath("//w:pStyle/@w:val", namespaces=NS)
    assert not {"Date", "Author", "Subtitle"} & set(styles)


def test_running_header_and_page_footer(docx: Path) -> None:
    with zipfile.ZipFile(docx) as package:
        headers = [package.read(n) for n in package.namelist() if n.startswith("word/header")]
        footers = [package.read(n) for n in package.namelist() if n.startswith("word/footer")]
    assert any(b"STYLEREF" in h and b"<w:t>Recommendation 1607 (2003)</w:t>" in h for h in headers)
    assert all(b"PAGE" in f and b"NUMPAGES" in f for f in footers)
    document = part(docx, "word/document.xml")
    assert document.xpath("//w:sectPr/w:titlePg", namespaces=NS), "page 1 must have its own (empty) header"


def test_a_style_missing_from_the_reference_is_an_error() -> None:
    renderer = DocxRenderer(Config())
    document = load(SEED)
    html = renderer.render_template(document).replace(
        'data-custom-style="Body Paragraph"', 'data-custom-style="Body Paragrah"'
    )
    with pytest.raises(RenderError, match=r"styles missing from reference\.docx: Body Paragrah"):
        renderer.check_styles(html, document.stem)


def test_every_style_the_templates_use_exists(editions: Path) -> None:
    renderer = DocxRenderer(Config())
    for docx in editions.glob("*.docx"):
        used = set(part(docx, "word/document.xml").xpath("//w:pStyle/@w:val", namespaces=NS))
        with zipfile.ZipFile(docx) as package:
            styles = lxml.etree.fromstring(package.read("word/styles.xml"))
        ids = set(styles.xpath("//w:style/@w:styleId", namespaces=NS))
        assert used <= ids, f"{docx.name}: {used - ids}"
    assert {"Citation", "Body Paragraph", "Sub Paragraph 2", "Sub Paragraph 3"} <= renderer.known_styles


def test_tables_are_in_the_house_table_styles_with_a_bold_header_row(editions: Path) -> None:
    docx = editions / "recommendation-9003-2030.en.docx"
    [table] = part(docx, "word/document.xml").xpath("//w:tbl", namespaces=NS)
    assert table.xpath("w:tblPr/w:tblStyle/@w:val", namespaces=NS) == ["Table"]  # ruled, padded: styles.toml
    header, *rows = table.xpath("w:tr", namespaces=NS)
    assert header.xpath("w:trPr/w:tblHeader", namespaces=NS), "the header row repeats on every page"
    assert set(header.xpath(".//w:pStyle/@w:val", namespaces=NS)) == {"TableHeading"}
    assert {str(s) for row in rows for s in row.xpath(".//w:pStyle/@w:val", namespaces=NS)} == {"TableText"}
    assert not table.xpath(".//w:rPr/w:b", namespaces=NS), "bold by its style, not by direct formatting"
    with zipfile.ZipFile(docx) as package:
        styles = lxml.etree.fromstring(package.read("word/styles.xml"))
    [heading] = styles.xpath("//w:style[@w:styleId='TableHeading']", namespaces=NS)
    assert heading.xpath("w:rPr/w:b", namespaces=NS) and heading.xpath("w:basedOn/@w:val", namespaces=NS) == [
        "TableText"
    ]


def test_the_language_versions_line_closes_the_title_block(editions: Path) -> None:
    """It sits above the title block's rule, as in the PDF: the same bottom border as the lines
    before it, which Word and LibreOffice draw once, under the last."""
    for stem in (STEM, "recommendation-1607-2003.fr"):
        document = part(editions / f"{stem}.docx", "word/document.xml")
        styles = [str(s) for s in document.xpath("//w:body/w:p/w:pPr/w:pStyle/@w:val", namespaces=NS)]
        block = styles[: styles.index("LanguageVersions") + 1]
        assert block[0] == "Citation" and set(block) <= TITLE_BLOCK
        assert styles[len(block)] != "LanguageVersions"
    with zipfile.ZipFile(editions / f"{STEM}.docx") as package:
        house = lxml.etree.fromstring(package.read("word/styles.xml"))

    def border(style: str) -> bytes:
        [element] = house.xpath(f"//w:style[@w:styleId='{style}']/w:pPr/w:pBdr", namespaces=NS)
        return bytes(lxml.etree.tostring(element))

    assert border("LanguageVersions") == border("IssuedBy") == border("TranslationNotice")


TITLE_BLOCK = {"Citation", "Status", "Title", "IssuedBy", "TranslationNotice", "LanguageVersions"}


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        ("resolution-9005-2030.en", ["Citation", "Status", "Title", "IssuedBy"]),  # provisional
        ("recommendation-1607-2003.fr", ["Citation", "Title", "IssuedBy", "TranslationNotice", "LanguageVersions"]),
    ],
)
def test_the_title_block_has_one_rule_as_in_the_pdf(editions: Path, stem: str, expected: list[str]) -> None:
    """The PDF rules the title block once, under the issuing body and what follows it. The status
    of a provisional text, between the citation and the title, had a rule of its own: two rules."""
    docx = editions / f"{stem}.docx"
    paragraphs = part(docx, "word/document.xml").xpath("/w:document/w:body/w:p", namespaces=NS)
    styles = [str(p.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)) for p in paragraphs]
    block = styles[: next(i for i, style in enumerate(styles) if style not in TITLE_BLOCK)]
    assert block == expected
    house = part(docx, "word/styles.xml")
    ruled = [bool(house.xpath(f"//w:style[@w:styleId='{s}']/w:pPr/w:pBdr/w:bottom", namespaces=NS)) for s in block]
    # Word and LibreOffice draw one rule under a run of paragraphs with the same border: one run, ending the block.
    first = ruled.index(True)
    assert ruled[block.index("IssuedBy")], "the rule is under the issuing body"
    assert ruled[first:] == [True] * (len(block) - first), list(zip(block, ruled, strict=True))


def test_the_status_is_set_in_spaced_capitals_as_in_the_pdf(editions: Path) -> None:
    """The PDF's status is upper case and letter-spaced, 8.5 pt bold; the DOCX had small capitals.
    The words stay as written ("Provisional version"): Word shows them in capitals."""
    docx = editions / "resolution-9005-2030.en.docx"
    [status] = part(docx, "word/document.xml").xpath("//w:p[w:pPr/w:pStyle/@w:val='Status']", namespaces=NS)
    assert text_of(status) == "Provisional version"
    house = part(docx, "word/styles.xml")
    for name in ("Status", "TranslationNotice"):
        [run] = house.xpath(f"//w:style[@w:styleId='{name}']/w:rPr", namespaces=NS)
        assert run.find("w:caps", NS) is not None and run.find("w:smallCaps", NS) is None, name
        assert run.find("w:b", NS) is not None and run.xpath("string(w:sz/@w:val)", namespaces=NS) == "17"
        assert run.xpath("string(w:spacing/@w:val)", namespaces=NS) == "14"  # 0.08 em of 8.5 pt, in twips


def test_a_lead_in_is_kept_with_its_first_item(docx: Path) -> None:
    """Paragraph 6 ("… in the following fields:") leads into 6.1-6.7: Word and LibreOffice
    kept it alone at the foot of a page, its items on the next (the PDF keeps it with them)."""
    body = part(docx, "word/document.xml").xpath("/w:document/w:body/w:p", namespaces=NS)
    kept = [p for p in body if p.xpath("w:pPr/w:keepNext", namespaces=NS)]
    numbered = [p for p in kept if p.xpath("w:pPr/w:pStyle[@w:val='BodyParagraph']", namespaces=NS)]
    texts = ["".join(p.xpath(".//w:t/text()", namespaces=NS)) for p in numbered]
    assert texts and all(text.rstrip().endswith(":") for text in texts), texts
    assert any(text.startswith("6.") for text in texts)
    for paragraph in numbered:  # each leads into a deeper level, right after it
        following = paragraph.getnext()
        assert following.xpath("w:pPr/w:pStyle[@w:val='SubParagraph2']", namespaces=NS)


def test_the_other_versions_names_are_tagged_with_regional_languages(docx: Path) -> None:
    """ "Français" was tagged w:lang="fr" (and "English" "en", which Word reads as US English)."""
    tags = part(docx, "word/document.xml").xpath("//w:lang/@w:val", namespaces=NS)
    assert "fr-FR" in tags and not [tag for tag in tags if "-" not in tag], tags
