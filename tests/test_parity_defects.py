"""Named regressions for the defects of issue 13: each one read from the real editions."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import pytest
from msgspec.structs import replace

from pipeline.config import Config
from pipeline.model import Paragraph
from pipeline.renderers import REGISTRY, Renderer
from pipeline.templating import UnknownNode
from tests.parity.check import FORMATS, Editions, assert_parity, render_all
from tests.parity.editions import XHTML, _Glyph, _lines, _pages, pdf_reading
from tests.parity.reading import Entry, model_reading
from tests.sources import FRONT, NAME
from tests.validators import convert_with_libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = {"w": W}
LEAD_IN = """
1. First paragraph.

2. The Assembly restates the criteria as follows:

An unnumbered lead-in sentence that introduces the list.

a. first lettered item;

b. second lettered item.

3. Third paragraph.

4. Fourth paragraph.

4.1. First sub-paragraph.

Continued

4.2. Second sub-paragraph.
"""


@pytest.fixture(scope="module")
def renderers() -> dict[str, Renderer]:
    return {name: REGISTRY[name](Config()) for name in FORMATS}


def editions_of(body: str, folder: Path, renderers: dict[str, Renderer], front: str = FRONT) -> Editions:
    path = folder / (NAME if front == FRONT else re.sub(r"\.en\.md$", ".fr.md", NAME))
    path.write_text(front + "\n" + body.lstrip("\n"), encoding="utf-8")
    return render_all(path, renderers)


def numbers(entries: tuple[Entry, ...] | list[Entry]) -> list[tuple[str | None, str]]:
    return [(e.number, e.words[0]) for e in entries if e.kind == "paragraph"]


def test_an_unnumbered_lead_in_stays_between_its_paragraph_and_the_lettered_items(
    tmp_path: Path, renderers: dict[str, Renderer]
) -> None:
    editions = editions_of(LEAD_IN, tmp_path, renderers)
    order = [("1.", "First"), ("2.", "The"), (None, "An"), ("a.", "first"), ("b.", "second"), ("3.", "Third")]
    order += [("4.", "Fourth"), ("4.1.", "First"), (None, "Continued"), ("4.2.", "Second")]
    assert numbers(model_reading(editions.document)) == order
    for name in ("html", "epub", "docx"):
        assert numbers(editions.readings[name].entries) == order, name
    pdf = editions.readings["pdf"].stream()
    lead_in = "restates the criteria as follows An unnumbered lead in sentence that introduces the list a"
    assert pdf[pdf.index("restates") :][:15] == lead_in.split(" ")
    assert_parity(editions)
    # Indented with the level it continues: inside paragraph 2 (HTML, EPUB), its DOCX style.
    levels = {e.words[0]: e.level for e in editions.readings["docx"].entries}
    assert (levels["An"], levels["Continued"]) == (2, 3)
    # PDF: each starts exactly where the text of the paragraph it continues starts.
    lines = {"".join(g.text for g in line): line for page in _pages(editions.files["pdf"]) for line in _lines(page)}

    def start(prefix: str, skip: int = 0) -> float:
        line = next(line for text, line in lines.items() if text.startswith(prefix))
        return float([g for g in line if g.text.strip()][skip].x0)

    assert abs(start("An") - start("2.The", 2)) < 0.5
    assert abs(start("Continued") - start("4.1.First", 4)) < 0.5


def test_a_quotation_across_paragraphs_is_curled(tmp_path: Path, renderers: dict[str, Renderer]) -> None:
    body = '1. The Assembly states:\n\n"The criteria are\n\na. *first*;\n\nb. "second" and last."\n'
    editions = editions_of(body, tmp_path, renderers)
    html = editions.files["html"].decode()
    text = html[html.index(">", html.index('id="text"')) + 1 : html.index('<section class="notes"')]
    assert '"' not in re.sub(r"<[^>]*>", "", text)
    assert "“The criteria are" in text and "“second” and last.”" in text
    french = FRONT.replace("language: en", "language: fr")
    (tmp_path / "fr").mkdir()
    editions = editions_of(body, tmp_path / "fr", renderers, french)
    html = editions.files["html"].decode()
    assert "«\u00a0The criteria are" in html and "last.\u00a0»" in html


NOTES = """1. A paragraph with a note.[^a]

2. Another one[^b] with a second.

[^a]: The first note.
[^b]: The second note.
"""


def test_epub_note_calls_are_superscript_links_and_notes_are_numbered_as_in_the_pdf(
    tmp_path: Path, renderers: dict[str, Renderer]
) -> None:
    editions = editions_of(NOTES, tmp_path, renderers)
    with zipfile.ZipFile(io.BytesIO(editions.files["epub"])) as epub:
        chapter = lxml.etree.fromstring(epub.read("EPUB/text/ch001.xhtml"))
    calls = chapter.xpath("//x:a[@role='doc-noteref']", namespaces=XHTML)
    assert [("".join(c.xpath("x:sup//text()", namespaces=XHTML)), c.text) for c in calls] == [
        ("1", None), ("2", None), ("3", None)
    ]  # fmt: skip
    assert chapter.xpath("//x:a[@role='doc-noteref'][not(x:sup)]", namespaces=XHTML) == []
    assert chapter.xpath("string(//x:section[@epub:type='footnotes']/x:h2)", namespaces=XHTML) == "Notes"
    assert chapter.xpath("string(//x:head/x:title)", namespaces=XHTML) == "Resolution 1234 (2001)"
    pdf, epub_notes = editions.readings["pdf"].notes, editions.readings["epub"].notes
    assert sorted(epub_notes) == sorted(pdf) == [1, 2, 3]
    assert epub_notes[2] == pdf[2] == ("The", "first", "note")


def libreoffice_pdf(docx: bytes, folder: Path) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "edition.docx"
    source.write_bytes(docx)
    convert_with_libreoffice([source], folder, timeout=180).check_returncode()
    return (folder / "edition.pdf").read_bytes()


def test_docx_note_numbers_are_the_pdfs_in_libreoffice(tmp_path: Path, renderers: dict[str, Renderer]) -> None:
    editions = editions_of(NOTES, tmp_path, renderers)
    with zipfile.ZipFile(io.BytesIO(editions.files["docx"])) as docx:
        document = docx.read("word/document.xml").decode()
    assert "numRestart" not in document
    office = pdf_reading(libreoffice_pdf(editions.files["docx"], tmp_path / "lo"))
    calls = [token for token in office.stream() if token.startswith("^")]
    assert calls == ["^1", "^2", "^3"]
    assert sorted(office.notes) == sorted(editions.readings["pdf"].notes) == [1, 2, 3]


DEEP = (
    "".join(f"\n{n}. Paragraph {n}.\n" for n in range(1, 7))
    + """
7. The Assembly recommends:

7.1. a first sub-paragraph;

7.1.1. a third level;

7.1.1.1. a fourth level paragraph, long enough to run over more than one line in the editable edition;

7.1.1.1.1. a fifth level paragraph, long enough to run over more than one line in the editable edition.

8. Eight.
"""
    + "".join(f"\n8.{n}. sub-paragraph {n} of paragraph eight.\n" for n in range(1, 11))
)


@dataclass(frozen=True)
class _Line:
    text: str
    number_end: float
    text_start: float


def test_docx_levels_4_and_5_have_their_own_styles_and_their_numbers_fit(
    tmp_path: Path, renderers: dict[str, Renderer]
) -> None:
    editions = editions_of(DEEP, tmp_path, renderers)
    levels = {e.number: e.level for e in editions.readings["docx"].entries}
    assert [levels[n] for n in ("7.", "7.1.", "7.1.1.", "7.1.1.1.", "7.1.1.1.1.", "8.10.")] == [1, 2, 3, 4, 5, 2]
    lines = _numbered_lines(libreoffice_pdf(editions.files["docx"], tmp_path / "lo"))
    starts = {}
    for number in ("7.", "7.1.", "7.1.1.", "7.1.1.1.", "7.1.1.1.1.", "8.10."):
        line = lines[number]
        assert line.text_start - line.number_end > 2, f"{number} runs into its text: {line}"
        starts[number] = line.text_start
    assert starts["7."] < starts["7.1."] < starts["7.1.1."] < starts["7.1.1.1."] < starts["7.1.1.1.1."]
    assert abs(starts["8.10."] - starts["7.1."]) < 1  # the widest number keeps the level's indent


def _numbered_lines(pdf: bytes) -> dict[str, _Line]:
    """Each line that opens with a paragraph number: where the number ends and the text starts."""
    found: dict[str, _Line] = {}
    for page in _pages(pdf):
        for line in _lines(page):
            text = "".join(g.text for g in line)
            match = re.match(r"((?:\d+\.)+)", text)
            if not match:
                continue
            glyphs = [g for g in line if g.text.strip()]
            width = len(match.group(1))
            found.setdefault(match.group(1), _Line(text, glyphs[width - 1].x1, glyphs[width].x0))
    return found


TABLE = """
1. The figures:

| Region | Population | Share |
|:---|---:|:---:|
| North | 3 200 000 | 12% |
| South-western lowlands | 45 | 7% |
"""


def test_table_alignment_numbers_and_header_hold_in_every_edition(
    tmp_path: Path, renderers: dict[str, Renderer]
) -> None:
    editions = editions_of(TABLE, tmp_path, renderers)
    [table] = [b for s in editions.document.sections for p in s.blocks if isinstance(p, Paragraph) for b in p.inserts]
    assert table.alignments == ("left", "right", "center")  # type: ignore[union-attr]
    html = editions.files["html"].decode()
    assert '<td style="text-align: right">3\u00a0200\u00a0000</td>' in html
    with zipfile.ZipFile(io.BytesIO(editions.files["epub"])) as epub:
        chapter = epub.read("EPUB/text/ch001.xhtml").decode()
    assert re.search(r'<td style="text-align: right;?">3\u00a0200\u00a0000</td>', chapter)
    with zipfile.ZipFile(io.BytesIO(editions.files["docx"])) as docx:
        document = lxml.etree.fromstring(docx.read("word/document.xml"))
    cells = document.xpath("//w:tbl/w:tr/w:tc", namespaces=WNS)
    assert [c.xpath("string(.//w:jc/@w:val)", namespaces=WNS) for c in cells[:3]] == ["left", "right", "center"]
    header = document.xpath("//w:tbl/w:tr[1]", namespaces=WNS)[0]
    # The header row is bold by its house paragraph style (a bold style, read by Word and LibreOffice).
    assert header.xpath("w:trPr/w:tblHeader", namespaces=WNS) and {
        str(style) for style in header.xpath(".//w:pPr/w:pStyle/@w:val", namespaces=WNS)
    } == {"TableHeading"}
    assert "3\u00a0200\u00a0000" in document.xpath("string(//w:tbl)", namespaces=WNS)
    # PDF: the right-aligned column's texts end at one x; the centred one's centres agree.
    lines = {"".join(g.text for g in line): line for page in _pages(editions.files["pdf"]) for line in _lines(page)}
    north = next(line for text, line in lines.items() if text.startswith("North"))
    south = next(line for text, line in lines.items() if text.startswith("South"))
    assert "\u00ad" not in "".join(g.text for g in south)  # cell text is not hyphenated
    assert abs(_end_of(north, "3200000") - _end_of(south, "45")) < 0.5
    assert abs(_centre_of(north, "12%") - _centre_of(south, "7%")) < 0.5


def _run(line: list[_Glyph], text: str) -> list[_Glyph]:
    glyphs = [g for g in line if g.text.strip()]
    start = "".join(g.text for g in glyphs).index(text)
    return glyphs[start : start + len(text)]


def _end_of(line: list[_Glyph], text: str) -> float:
    return _run(line, text)[-1].x1


def _centre_of(line: list[_Glyph], text: str) -> float:
    run = _run(line, text)
    return (run[0].x0 + run[-1].x1) / 2


@dataclass(frozen=True)
class Footnoted:
    """A model node no template knows: it must fail the render, not vanish."""

    text: str


def test_an_unknown_model_node_fails_every_render(tmp_path: Path, renderers: dict[str, Renderer]) -> None:
    editions = editions_of("1. A paragraph.\n", tmp_path, renderers)
    section = editions.document.sections[0]
    paragraph = section.blocks[0]
    assert isinstance(paragraph, Paragraph)
    strange = replace(paragraph, content=(*paragraph.content, Footnoted("lost words")))
    document = replace(editions.document, sections=(replace(section, blocks=(strange,)),))
    for name, renderer in renderers.items():
        with pytest.raises(UnknownNode, match="Footnoted"):
            renderer.render(document)
        assert name


# Where each paragraph's number and text start on the first line, as the browser lays it out.
POSITIONS_JS = """() => [...document.querySelectorAll('div.paragraph')].map(div => {
  const p = div.querySelector(':scope > p');
  const number = p.querySelector('.number');
  const range = document.createRange();
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT, {acceptNode: node =>
    (number && number.contains(node)) || !node.textContent.trim() ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT});
  const text = walker.nextNode();
  range.setStart(text, text.textContent.length - text.textContent.trimStart().length);
  range.setEnd(text, text.textContent.length);
  const parent = div.parentElement.closest('div.paragraph');
  return {id: div.id, parent: parent ? parent.id : null,
          number: number ? number.getBoundingClientRect().left : null,
          text: range.getClientRects()[0].left};
})"""


def test_epub_sub_paragraphs_and_lettered_items_sit_under_their_parents_text(
    tmp_path: Path, renderers: dict[str, Renderer]
) -> None:
    from playwright.sync_api import sync_playwright

    from tests.validators import CHROMIUM, CHROMIUM_ARGS

    deep = DEEP.split("\n5. Paragraph 5.", 1)[1]  # paragraphs 5 to 8 after the lead-in's 1 to 4
    editions = editions_of(LEAD_IN + "\n5. Paragraph 5." + deep, tmp_path, renderers)
    with zipfile.ZipFile(io.BytesIO(editions.files["epub"])) as epub:
        epub.extractall(tmp_path / "epub")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = context.new_page()
            page.goto((tmp_path / "epub" / "EPUB" / "text" / "ch001.xhtml").as_uri())
            positions = {p["id"]: p for p in page.evaluate(POSITIONS_JS)}
        finally:
            context.close()
    checked = 0
    for item in positions.values():
        if item["parent"] is None:
            continue
        parent_text = positions[item["parent"]]["text"]
        start = item["number"] if item["number"] is not None else item["text"]
        assert abs(start - parent_text) < 1, f"{item['id']} starts at {start}, its parent's text at {parent_text}"
        assert item["text"] > parent_text or item["number"] is None, item["id"]
        checked += 1
    assert checked >= 10 and {"p-2-a", "para-1", "para-2", "p-7-1-1-1-1"} <= set(positions)
