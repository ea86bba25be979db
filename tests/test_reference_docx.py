"""The DOCX house style: templates/docx/reference.docx is what styles.toml says, and pandoc uses it."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.shared import Pt, RGBColor, Twips
from lxml import etree

from pipeline.renderers.docx.reference import build_reference, default_reference, pandoc_binary
from pipeline.renderers.docx.spec import (
    REFERENCE_DOCX,
    SPEC,
    TAB_KEYS,
    SpecError,
    StyleSpec,
    half_points,
    load_spec,
    points,
    style_id,
    style_names,
    to_twips,
)

ROOT = Path(__file__).resolve().parent.parent
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
FONT = "Noto Serif"


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def part(docx: Path | bytes, name: str) -> Any:
    source = docx if isinstance(docx, Path) else io.BytesIO(docx)
    with zipfile.ZipFile(source) as archive:
        return etree.fromstring(archive.read(name))


@pytest.fixture(scope="module")
def styles() -> Any:
    return part(REFERENCE_DOCX, "word/styles.xml")


def find_style(styles: Any, name: str, kind: str) -> Any:
    """By name, case-insensitively: how pandoc and Word look a style up."""
    for style in styles.iterfind("w:style", NS):
        if style.get(w("type")) == kind and style.find("w:name", NS).get(w("val")).casefold() == name.casefold():
            return style
    return None


def value(style: Any, path: str, attribute: str = "val") -> str | None:
    element = style.find(path, NS)
    return None if element is None else element.get(w(attribute))


# --- the committed file is the one the spec gives ----------------------------------------------------


def test_committed_reference_is_regenerated_from_the_spec(tmp_path: Path) -> None:
    regenerated = tmp_path / "reference.docx"
    subprocess.run(
        [sys.executable, "-m", "pipeline.renderers.docx.reference", "--output", str(regenerated)],
        check=True,
        capture_output=True,
    )
    assert regenerated.read_bytes() == REFERENCE_DOCX.read_bytes(), (
        f"{REFERENCE_DOCX.relative_to(ROOT)} is not what {SPEC.relative_to(ROOT)} and this pandoc give: "
        "run: make reference-docx"
    )


def test_generation_is_deterministic() -> None:
    spec, base = load_spec(), default_reference()
    first, second = build_reference(spec, base), build_reference(spec, base)
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos[:2]] == ["[Content_Types].xml", "_rels/.rels"]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_STORED}


# --- the spec and its units ----------------------------------------------------------------------------


def test_lengths_convert_to_twips() -> None:
    ten_and_a_half = Fraction(21, 2)
    assert to_twips("210mm", ten_and_a_half) == 11906
    assert to_twips("297mm", ten_and_a_half) == 16838
    assert to_twips("25mm", ten_and_a_half) == 1417
    assert to_twips("0.85cm", ten_and_a_half) == 482
    assert to_twips("2.3em", ten_and_a_half) == 483  # 24.15 pt: the PDF's hanging indent
    assert to_twips("6pt", ten_and_a_half) == 120
    assert half_points(points("10.5pt")) == 21
    with pytest.raises(SpecError):
        half_points(points("10.25pt"))


def test_spec_refuses_unknown_keys_and_bad_values(tmp_path: Path) -> None:
    broken = tmp_path / "styles.toml"
    text = SPEC.read_text(encoding="utf-8")
    broken.write_text(text + '\n[paragraph."Broken"]\nbold = "yes"\nindnet_left = "1cm"\nbased_on = "Nowhere"\n')
    with pytest.raises(SpecError) as caught:
        load_spec(broken)
    message = str(caught.value)
    assert "bold = 'yes': invalid value" in message
    assert "indnet_left: unknown key" in message
    assert 'based_on = "Nowhere": no such style' in message


def test_spec_refuses_a_hanging_and_an_indented_first_line_together(tmp_path: Path) -> None:
    broken = tmp_path / "styles.toml"
    text = SPEC.read_text(encoding="utf-8")
    broken.write_text(text + '\n[paragraph."Broken"]\nhanging = "1cm"\nfirst_line = "1cm"\n', encoding="utf-8")
    with pytest.raises(SpecError, match='"Broken"] hanging and first_line'):
        load_spec(broken)


def test_style_names_lists_the_house_styles() -> None:
    names = style_names()
    for name in ("Citation", "Title", "Issued By", "Status", "Translation Notice", "Body Paragraph", "Sub Paragraph 2",
                 "Sub Paragraph 3", "Unnumbered Paragraph", "Appendix Heading", "Quotation", "Table Text",
                 "Footnote Text", "Footnote Reference", "Table Heading", "Language Versions"):  # fmt: skip
        assert name in names
    assert len(names) == len({n.casefold() for n in names})


# --- styles.xml ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", load_spec().styles, ids=lambda e: e.name)
def test_every_spec_style_is_in_the_reference(styles: Any, entry: StyleSpec) -> None:
    style = find_style(styles, entry.name, entry.kind)
    assert style is not None, f"{entry.kind} style {entry.name!r} is missing from reference.docx"
    # pandoc derives an unknown style's id by removing spaces; the house ids follow the same rule.
    assert style.get(w("styleId")) == style_id(entry.name)
    fonts = style.find("w:rPr/w:rFonts", NS)
    assert fonts is not None
    assert {fonts.get(w(a)) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {entry.text("font") or FONT}
    assert style.find("w:rPr/w:rFonts", NS).get(w("asciiTheme")) is None
    size = entry.text("size")
    if size is not None:
        assert value(style, "w:rPr/w:sz") == str(half_points(points(size)))
    for key, path in (("bold", "w:rPr/w:b"), ("italic", "w:rPr/w:i"), ("small_caps", "w:rPr/w:smallCaps"),
                      ("caps", "w:rPr/w:caps"), ("keep_next", "w:pPr/w:keepNext")):  # fmt: skip
        flag = entry.flag(key)
        if flag is not None:
            assert style.find(path, NS) is not None
            assert value(style, path) == (None if flag else "0")
    em = points(size) if size else points("10.5pt")
    for key, attribute in (("indent_left", "left"), ("hanging", "hanging"), ("space_before", "before")):
        length = entry.text(key)
        if length is not None:
            path = "w:pPr/w:spacing" if key == "space_before" else "w:pPr/w:ind"
            assert value(style, path, attribute) == str(to_twips(length, em)), key
    for key, alignment in TAB_KEYS.items():
        tabs = entry.properties.get(key)
        if isinstance(tabs, list):
            stops = {int(t.get(w("pos"))) for t in style.iterfind(f"w:pPr/w:tabs/w:tab[@w:val='{alignment}']", NS)}
            assert stops == {to_twips(t, em) for t in tabs}, key


def test_house_values_of_the_brief(styles: Any) -> None:
    """The numbers of the house style, spelled out: a spec edit that changes them must change this."""
    body = find_style(styles, "Body Paragraph", "paragraph")
    assert (value(body, "w:pPr/w:ind", "left"), value(body, "w:pPr/w:ind", "hanging")) == ("482", "482")
    assert value(body, "w:pPr/w:tabs/w:tab", "pos") == "482"
    assert value(body, "w:pPr/w:jc") == "both"
    # Each level's number starts where its parent's text starts, in a hang that fits "20.10.10.10.10.".
    for level, indents in {2: ("1191", "709"), 3: ("2098", "907"), 4: ("3345", "1247"), 5: ("4876", "1531")}.items():
        sub = find_style(styles, f"Sub Paragraph {level}", "paragraph")
        assert (value(sub, "w:pPr/w:ind", "left"), value(sub, "w:pPr/w:ind", "hanging")) == indents
        continuation = find_style(styles, f"Continuation {level}", "paragraph")
        assert value(continuation, "w:pPr/w:ind", "left") == indents[0]
    assert find_style(styles, "Compact", "paragraph").find("w:pPr/w:suppressAutoHyphens", NS) is not None
    citation = find_style(styles, "Citation", "paragraph")
    assert citation.find("w:rPr/w:b", NS) is not None and value(citation, "w:rPr/w:sz") == "24"
    title = find_style(styles, "Title", "paragraph")
    assert title.get(w("styleId")) == "Title" and value(title, "w:rPr/w:sz") == "30"
    assert find_style(styles, "Issued By", "paragraph").find("w:rPr/w:i", NS) is not None
    status = find_style(styles, "Status", "paragraph")  # as the PDF's: bold spaced capitals, no rule
    assert status.find("w:rPr/w:b", NS) is not None and status.find("w:rPr/w:caps", NS) is not None
    assert value(status, "w:rPr/w:sz") == "17" and value(status, "w:rPr/w:spacing") == "14"
    assert status.find("w:pPr/w:pBdr", NS) is None
    appendix = find_style(styles, "Appendix Heading", "paragraph")
    assert value(appendix, "w:rPr/w:sz") == "23" and appendix.find("w:pPr/w:keepNext", NS) is not None
    assert value(find_style(styles, "Footnote Text", "paragraph"), "w:rPr/w:sz") == "17"
    reference = find_style(styles, "Footnote Reference", "character")
    assert value(reference, "w:rPr/w:vertAlign") == "superscript"
    # Links are based on Body Text Char: it must stay plain (pandoc's Caption links to it too).
    for name in ("Body Text Char", "Hyperlink"):
        run = find_style(styles, name, "character").find("w:rPr", NS)
        assert [etree.QName(child).localname for child in run] == ["rFonts"], name
    defaults = styles.find("w:docDefaults", NS)
    assert value(defaults, "w:rPrDefault/w:rPr/w:sz") == "21"
    assert value(defaults, "w:rPrDefault/w:rPr/w:rFonts", "ascii") == FONT
    assert defaults.find("w:pPrDefault/w:pPr/w:widowControl", NS) is not None
    assert value(defaults, "w:pPrDefault/w:pPr/w:spacing", "line") == "298"  # 1.42 × 10.5 pt, at least
    for level in range(1, 10):
        assert find_style(styles, f"Heading {level}", "paragraph").find("w:pPr/w:keepNext", NS) is not None


def test_every_style_of_pandocs_default_is_kept(styles: Any) -> None:
    default = part(default_reference(), "word/styles.xml")
    ours = {s.get(w("styleId")) for s in styles.iterfind("w:style", NS)}
    theirs = {s.get(w("styleId")) for s in default.iterfind("w:style", NS)}
    assert theirs - ours == set()
    # ... and none keeps a theme font (Aptos) or a theme colour.
    assert styles.find(".//w:rFonts[@w:asciiTheme]", NS) is None
    assert styles.find(".//w:color[@w:themeColor]", NS) is None


def test_python_docx_reads_the_house_style_back() -> None:
    """An independent reader of the file (python-docx's style and section API) finds the house values."""
    document = docx.Document(str(REFERENCE_DOCX))
    styles = document.styles
    body = styles["Body Paragraph"]
    assert body.font.name == FONT
    assert (body.paragraph_format.left_indent, body.paragraph_format.first_line_indent) == (Twips(482), -Twips(482))
    assert body.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.AT_LEAST
    assert [stop.position for stop in body.paragraph_format.tab_stops] == [Twips(482)]
    citation = styles["Citation"]
    assert citation.font.bold and citation.font.size == Pt(12)
    assert citation.next_paragraph_style.name == "Title"
    heading = styles["Table Heading"]
    assert heading.font.bold and heading.base_style.name == "Table Text"
    assert heading.paragraph_format.keep_with_next
    assert styles["Footnote Reference"].font.superscript
    assert styles["Status"].font.all_caps
    assert styles["Header"].font.color.rgb == RGBColor(0x33, 0x33, 0x33)
    section = document.sections[0]
    assert (section.page_width, section.page_height) == (Twips(11906), Twips(16838))
    assert section.different_first_page_header_footer


# --- page, header, footer ------------------------------------------------------------------------------


def section() -> Any:
    return part(REFERENCE_DOCX, "word/document.xml").find("w:body/w:sectPr", NS)


def test_page_is_a4_with_the_print_margins() -> None:
    sect = section()
    assert (value(sect, "w:pgSz", "w"), value(sect, "w:pgSz", "h")) == ("11906", "16838")
    margins = {a: value(sect, "w:pgMar", a) for a in ("top", "bottom", "left", "right")}
    assert margins == {"top": "1417", "bottom": "1361", "left": "1361", "right": "1361"}
    assert sect.find("w:titlePg", NS) is not None


def header_footer_parts() -> dict[str, Any]:
    """Each header and footer reference of the section: "header default" -> that part's root."""
    relationships = part(REFERENCE_DOCX, "word/_rels/document.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in relationships}
    parts = {}
    for reference in section():
        kind = etree.QName(reference).localname.removesuffix("Reference")
        if kind in ("header", "footer"):
            target = targets[reference.get(f"{{{NS['r']}}}id")]
            parts[f"{kind} {reference.get(w('type'))}"] = part(REFERENCE_DOCX, f"word/{target}")
    return parts


def instructions(root: Any) -> list[str]:
    return [" ".join(t.text.split()) for t in root.iterfind(".//w:instrText", NS)]


def text_of(root: Any) -> str:
    return "".join(t.text or "" for t in root.iterfind(".//w:t", NS))


def test_running_header_is_the_citation_from_page_two() -> None:
    parts = header_footer_parts()
    assert set(parts) == {"header default", "header first", "footer default", "footer first"}
    assert instructions(parts["header default"]) == ['STYLEREF "Citation"']
    assert instructions(parts["header first"]) == [] and text_of(parts["header first"]) == ""


def test_the_header_line_has_the_pdfs_centre_and_right_places() -> None:
    """The citation at the centre of the text width (one tab in), a provisional text's status at
    the right margin (the renderer writes it after a second tab), as the PDF's margin boxes."""
    sect = section()
    margins = sum(int(value(sect, "w:pgMar", side) or 0) for side in ("left", "right"))
    width = int(value(sect, "w:pgSz", "w") or 0) - margins
    header = find_style(part(REFERENCE_DOCX, "word/styles.xml"), "Header", "paragraph")
    stops = [(t.get(w("val")), int(t.get(w("pos")))) for t in header.iterfind("w:pPr/w:tabs/w:tab", NS)]
    assert stops == [("center", width // 2), ("right", width)]
    assert value(header, "w:pPr/w:jc") == "left"
    line = header_footer_parts()["header default"].find("w:p", NS)
    assert etree.QName(line.find("w:r", NS)[0]).localname == "tab"  # before the field
    status = find_style(part(REFERENCE_DOCX, "word/styles.xml"), "Header Status", "character")
    assert status.get(w("styleId")) == "HeaderStatus"
    assert status.find("w:rPr/w:caps", NS) is not None and value(status, "w:rPr/w:i") == "0"


def test_footer_reads_page_x_of_y_on_every_page() -> None:
    parts = header_footer_parts()
    for kind in ("footer default", "footer first"):
        assert instructions(parts[kind]) == ["PAGE", "NUMPAGES"]
        assert text_of(parts[kind]) == "Page 1 of 1"  # the cached results, updated by Word and LibreOffice
    content_types = part(REFERENCE_DOCX, "[Content_Types].xml")
    overrides = {o.get("PartName") for o in content_types}
    assert {"/word/header1.xml", "/word/header2.xml", "/word/footer1.xml", "/word/footer2.xml"} <= overrides


# --- pandoc with this reference ------------------------------------------------------------------------


def test_pandoc_uses_the_house_styles(tmp_path: Path) -> None:
    html = tmp_path / "in.html"
    html.write_text(
        '<main><div data-custom-style="Citation"><p>Recommendation 1607 (2003)</p></div>'
        '<div data-custom-style="Body Paragraph"><p>1.\tText with a note'
        '<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a></p></div>'
        '<div data-custom-style="Sub Paragraph 2"><p>1.1.\tMore text</p></div>'
        '<section class="footnotes" role="doc-endnotes"><ol><li id="fn1"><p>The note.</p></li></ol></section>'
        "</main>",
        encoding="utf-8",
    )
    output = tmp_path / "out.docx"
    command = [str(pandoc_binary()), "--sandbox", "-f", "html", "-t", "docx",
               "--reference-doc", str(REFERENCE_DOCX), "-o", str(output), str(html)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    with zipfile.ZipFile(output) as archive:
        names = set(archive.namelist())
    assert "word/footnotes.xml" in names
    document = part(output, "word/document.xml")
    used = [p.get(w("val")) for p in document.iterfind(".//w:pPr/w:pStyle", NS)]
    assert used == ["Citation", "BodyParagraph", "SubParagraph2"]
    footnotes = part(output, "word/footnotes.xml")
    assert footnotes.find(".//w:footnote/w:p/w:pPr/w:pStyle[@w:val='FootnoteText']", NS) is not None
    assert document.find(".//w:rStyle[@w:val='FootnoteReference']", NS) is not None
    # pandoc carries the page, the header and footer parts over from the reference document.
    sect = document.find("w:body/w:sectPr", NS)
    assert sect.find("w:titlePg", NS) is not None and value(sect, "w:pgSz", "w") == "11906"
    assert {"word/header1.xml", "word/header2.xml", "word/footer1.xml", "word/footer2.xml"} <= names
    assert instructions(part(output, "word/header1.xml")) == ['STYLEREF "Citation"']
    styles = part(output, "word/styles.xml")
    assert find_style(styles, "Body Paragraph", "paragraph").get(w("styleId")) == "BodyParagraph"
