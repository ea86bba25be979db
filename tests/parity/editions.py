"""The reading order of each edition, read from the file as a reader's software reads it.

- HTML and EPUB: the DOM (EPUB: pandoc's XHTML). Level = how many paragraph divs enclose the
  text; a number is the paragraph's `.number`; a call is the superscript of a note call.
- DOCX: `document.xml` in order, the level from the paragraph style (one style per level), the
  number the text before the tab that follows it; calls are footnote references, numbered as
  Word and LibreOffice number them (continuously, or per section if the document says so).
- PDF: the characters on the pages (pdfminer), in reading order; superscripts in a line are
  calls, the small text under the body is the notes. A page has no structure a reader sees, so
  the PDF gives one stream of tokens (`reading.flat`), and its notes.

Each returns `Reading`: the body entries (for the PDF, tokens only), and the notes as
number -> words, the title note included.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html
from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTPage
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage

from tests.parity.reading import Entry, words_of

XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
WNS = {"w": W}
# A hyphen that hyphenation added: the print edition's text layer gives it as a soft hyphen
# (renderers/pdfa.py); U+2010 is WeasyPrint's own mark, kept for PDFs made without that finisher.
ADDED_HYPHENS = ("\u00ad", "\u2010")


@dataclass(frozen=True)
class Reading:
    entries: tuple[Entry, ...]
    notes: dict[int, tuple[str, ...]]
    pages: tuple[tuple[tuple[str, ...], ...], ...] = ()  # the PDF's body: lines of tokens, per page

    def stream(self, repeated: frozenset[tuple[str, ...]] = frozenset()) -> list[str]:
        """The PDF's body as one stream; a line in `repeated` (a table's header row) is dropped
        where it opens a page: the print edition repeats the header of a table a page cuts."""
        tokens: list[str] = []
        for index, lines in enumerate(self.pages):
            for number, line in enumerate(lines):
                row = tuple(_joined(list(line)))
                if index and number == 0 and row in repeated and _contains(_joined(tokens), row):
                    continue
                tokens += line
        return _joined(tokens)


# HTML and EPUB ----------------------------------------------------------------------------------


def html_reading(data: bytes) -> Reading:
    root = lxml.html.fromstring(data)
    for call in root.xpath("//a[@class='note-call']"):
        _replace_with_token(call, "^" + call.text_content().strip())
    entries: list[Entry] = []
    for section in root.xpath("//section[@id='text' or contains(@class, 'appendix')]"):
        entries += _dom_entries(section, "", 0)
    notes = {}
    for item in root.xpath("//section[@class='notes']//li"):
        for back in item.xpath(".//a[@class='back']"):
            _replace_with_token(back, "")
        notes[int(str(item.get("id")).removeprefix("fn-"))] = tuple(words_of(item.text_content()))
    return Reading(tuple(entries), notes)


def epub_reading(data: bytes) -> Reading:
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        chapters = sorted(n for n in epub.namelist() if re.fullmatch(r"EPUB/text/ch\d+\.xhtml", n))
        roots = [lxml.etree.fromstring(epub.read(name)) for name in chapters]
    entries: list[Entry] = []
    notes: dict[int, tuple[str, ...]] = {}
    for root in roots:
        for call in root.xpath("//x:a[@role='doc-noteref']", namespaces=XHTML):
            superscript = call.find("x:sup", XHTML)
            token = "^" + ("".join(superscript.itertext()) if superscript is not None else "?")
            _replace_with_token(call, token)
        for section in root.xpath("//x:section[@id='text' or contains(@class, 'appendix')]", namespaces=XHTML):
            entries += _dom_entries(section, "x:", 0)
        for note in root.xpath("//x:aside[@epub:type='footnote']", namespaces=XHTML):
            for back in note.xpath(".//x:a[@class='note-back']", namespaces=XHTML):
                _replace_with_token(back, "")
            label = note.xpath(".//x:span[@class='note-number']", namespaces=XHTML)
            number = "".join(label[0].itertext()) if label else "?"
            if label:
                _replace_with_token(label[0], "")
            notes[int(number) if number.isdigit() else -len(notes)] = tuple(words_of("".join(note.itertext())))
    return Reading(tuple(entries), notes)


def _replace_with_token(element: lxml.etree._Element, token: str) -> None:
    """Put `token` (a word of its own) where `element` was, keeping the text after it."""
    parent = element.getparent()
    text = f" {token} " + (element.tail or "")
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(element)


def _local(element: lxml.etree._Element) -> str:
    return str(lxml.etree.QName(element).localname) if isinstance(element.tag, str) else ""


def _classes(element: lxml.etree._Element) -> list[str]:
    return str(element.get("class", "")).split()


def _dom_entries(element: lxml.etree._Element, prefix: str, level: int) -> list[Entry]:
    """The entries under `element`, in document order; `level` is its paragraph nesting."""
    entries: list[Entry] = []
    for child in element:
        name, classes = _local(child), _classes(child)
        if name == "div" and "paragraph" in classes:
            entries += _paragraph(child, prefix, level + 1)
        elif name == "blockquote":
            entries += [Entry("quote", level, None, _tokens(p)) for p in child.iter("{*}p", "p")]
        elif name == "table":
            entries += [Entry("cell", level, None, _tokens(c)) for c in child.iter("{*}th", "{*}td", "th", "td")]
        elif name in ("h2",):
            entries.append(Entry("heading", 0, None, _tokens(child)))
        elif name in ("section", "div"):
            entries += _dom_entries(child, prefix, level)
    return entries


def _paragraph(div: lxml.etree._Element, prefix: str, level: int) -> list[Entry]:
    text = next((c for c in div if _local(c) == "p"), None)
    entries: list[Entry] = []
    if text is not None:
        number_element = next((c for c in text.iter() if "number" in _classes(c)), None)
        number = "".join(number_element.itertext()).strip() if number_element is not None else None
        if number_element is not None:
            _replace_with_token(number_element, "")
        entries.append(Entry("paragraph", level, number, _tokens(text)))
    rest = [c for c in div if c is not text]
    holder = lxml.etree.Element("div")
    holder.extend(rest)  # moves them: the tree is read once
    return entries + _dom_entries(holder, prefix, level)


def _tokens(element: lxml.etree._Element) -> tuple[str, ...]:
    text = "".join(element.itertext())
    return tuple(t for t in re.findall(r"\^\d+|\w+", text))


# DOCX -------------------------------------------------------------------------------------------

TITLE_STYLES = {"Citation", "Title", "IssuedBy", "Status", "TranslationNotice"}
# A numbered or lettered paragraph's own level; a continuation's is one deeper than what it continues.
LEVEL_STYLE = re.compile(
    r"BodyParagraph|UnnumberedParagraph|(?:SubParagraph|LetteredItem)(\d)|(?:Lettered)?Continuation(\d)"
)


def docx_reading(data: bytes) -> Reading:
    with zipfile.ZipFile(io.BytesIO(data)) as docx:
        document = lxml.etree.fromstring(docx.read("word/document.xml"))
        footnotes = lxml.etree.fromstring(docx.read("word/footnotes.xml"))
    shown = _shown_note_numbers(document)
    entries: list[Entry] = []
    body = document.find("w:body", WNS)
    for block in body:
        if _local(block) == "p":
            entry = _docx_paragraph(block, shown)
            if entry is not None:
                entries.append(entry)
        elif _local(block) == "tbl":
            for cell in block.iterfind(".//w:tc", WNS):
                tokens = [t for p in cell.iterfind(".//w:p", WNS) for t in _runs(p, shown)[1]]
                entries.append(Entry("cell", None, None, tuple(tokens)))
    notes = {}
    for note in footnotes.iterfind("w:footnote", WNS):
        identifier = note.get(f"{{{W}}}id")
        if identifier in shown:
            notes[shown[identifier]] = tuple(words_of("".join(note.xpath(".//w:t/text()", namespaces=WNS))))
    return Reading(tuple(entries), notes)


def _shown_note_numbers(document: lxml.etree._Element) -> dict[str, int]:
    """The number each footnote reference shows: counted through the document, restarting at a
    section break when the section properties say eachSect (eachPage cannot be known here)."""
    restart = document.xpath("//w:footnotePr/w:numRestart/@w:val", namespaces=WNS)
    if "eachPage" in restart:
        raise AssertionError("footnote numbers restart on each page: their numbers depend on the layout")
    shown: dict[str, int] = {}
    count = 0
    for element in document.iter(f"{{{W}}}footnoteReference", f"{{{W}}}sectPr"):
        if _local(element) == "sectPr":
            count = 0 if "eachSect" in restart else count
            continue
        count += 1
        shown[str(element.get(f"{{{W}}}id"))] = count
    return shown


def _docx_paragraph(paragraph: lxml.etree._Element, shown: dict[str, int]) -> Entry | None:
    style = "".join(paragraph.xpath("w:pPr/w:pStyle/@w:val", namespaces=WNS))
    if style in TITLE_STYLES or not style:
        return None
    number, tokens = _runs(paragraph, shown)
    if style == "Quotation":
        return Entry("quote", None, None, tuple(tokens))
    if style == "AppendixHeading":
        return Entry("heading", 0, None, tuple(tokens))
    match = LEVEL_STYLE.fullmatch(style)
    if match is None:
        raise AssertionError(f"a body paragraph in the style {style!r}, which has no level")
    own, continued = match.group(1), match.group(2)
    level = int(own) if own else int(continued) + 1 if continued else 1
    return Entry("paragraph", level, number, tuple(tokens))


def _runs(paragraph: lxml.etree._Element, shown: dict[str, int]) -> tuple[str | None, list[str]]:
    """The paragraph's number (the text before its first tab, if it has one) and its tokens."""
    pieces: list[str] = []
    number: str | None = None
    for element in paragraph.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}footnoteReference"):
        name = _local(element)
        if name == "tab" and number is None and _local(element.getparent()) == "r":
            number, pieces = "".join(pieces).strip(), []
        elif name == "t":
            pieces.append(element.text or "")
        elif name == "footnoteReference":
            pieces.append(f" ^{shown[str(element.get(f'{{{W}}}id'))]} ")
    return number, re.findall(r"\^\d+|\w+", "".join(pieces))


# PDF --------------------------------------------------------------------------------------------

BAND_PT = 60  # the running header and the footer live in the top and bottom 60 pt
NOTE_SIZE_PT = 8.6  # notes are set at 8.5 pt; the body at 9.5 pt (tables) and more


@dataclass(frozen=True)
class _Glyph:
    text: str
    x0: float
    x1: float
    y0: float
    y1: float
    size: float


def pdf_reading(data: bytes) -> Reading:
    pages: list[tuple[tuple[str, ...], ...]] = []
    notes: dict[int, list[str]] = {}
    for page in _pages(data):
        lines = _lines(page)
        body = [line for line in lines if max(g.size for g in line) > NOTE_SIZE_PT]
        lowest_body = min((min(g.y0 for g in line) for line in body), default=page.height)
        note_lines = [line for line in lines if line not in body and max(g.y1 for g in line) < lowest_body]
        pages.append(tuple(tuple(_line_tokens(line)) for line in lines if line not in note_lines))
        _read_notes(note_lines, notes)
    return Reading((), {number: tuple(words) for number, words in notes.items()}, tuple(pages))


def _pages(data: bytes) -> list[LTPage]:
    """The pages' characters, without pdfminer's layout analysis (lines are made here)."""
    resources = PDFResourceManager()
    device = PDFPageAggregator(resources, laparams=None)
    interpreter = PDFPageInterpreter(resources, device)
    pages: list[LTPage] = []
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
        pages.append(device.get_result())
    return pages


def _contains(tokens: list[str], row: tuple[str, ...]) -> bool:
    width = len(row)
    return any(tuple(tokens[start : start + width]) == row for start in range(len(tokens) - width + 1))


def _glyphs(page: LTPage) -> list[_Glyph]:
    found: list[_Glyph] = []
    stack: list[object] = [page]
    while stack:
        item = stack.pop()
        if isinstance(item, LTChar):
            top = page.height - item.y1
            if BAND_PT < top < page.height - BAND_PT:
                found.append(_Glyph(item.get_text(), item.x0, item.x1, item.y0, item.y1, item.size))
        elif hasattr(item, "__iter__"):
            stack.extend(item)
    return found


def _lines(page: LTPage) -> list[list[_Glyph]]:
    """Glyphs grouped into lines, top to bottom; a raised small glyph joins the line it sits in."""
    glyphs = sorted(_glyphs(page), key=lambda g: (-g.y0, g.x0))
    lines: list[list[_Glyph]] = []
    for glyph in sorted(glyphs, key=lambda g: -g.size):  # the large glyphs make the lines
        middle = (glyph.y0 + glyph.y1) / 2
        home = next((line for line in lines if line[0].y0 <= middle <= line[0].y1), None)
        if home is None:
            lines.append([glyph])
        else:
            home.append(glyph)
    for line in lines:
        line.sort(key=lambda g: g.x0)
    return sorted(lines, key=lambda line: -line[0].y1)


def _line_tokens(line: list[_Glyph]) -> list[str]:
    """The line's tokens; glyphs smaller and higher than the line's text are note calls."""
    size = max(g.size for g in line)
    baseline = min(g.y0 for g in line if g.size == size)
    text = ""
    previous: _Glyph | None = None
    for glyph in line:
        call = glyph.size < 0.8 * size and glyph.y0 > baseline + 0.5
        gap = previous is not None and glyph.x0 - previous.x1 > 0.15 * glyph.size
        if gap:
            text += " "
        if call and (previous is None or not _is_call(previous, size, baseline)):
            text += " ^"
        elif not call and previous is not None and _is_call(previous, size, baseline):
            text += " "
        text += glyph.text
        previous = glyph
    return re.findall(r"\^\d+|[\w\u2010\u00ad]+", text)


def _is_call(glyph: _Glyph, size: float, baseline: float) -> bool:
    return glyph.size < 0.8 * size and glyph.y0 > baseline + 0.5


def _joined(tokens: list[str]) -> list[str]:
    """Words hyphenation split at a line end made whole again; words split at a hyphen kept apart."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1].endswith(ADDED_HYPHENS):
            out[-1] = out[-1][:-1] + token
        else:
            out.append(token)
    return [piece for token in out for piece in re.findall(r"\^\d+|\w+", token)]


def _read_notes(lines: list[list[_Glyph]], notes: dict[int, list[str]]) -> None:
    """Notes start with their number at the left edge of the note area; lines after it follow."""
    if not lines:
        return
    left = min(line[0].x0 for line in lines)
    current: list[str] | None = None
    for line in lines:
        tokens = _joined(_line_tokens(line))
        # The number is set at text size (WeasyPrint) or as a superscript (LibreOffice).
        if abs(line[0].x0 - left) < 1 and tokens and tokens[0].removeprefix("^").isdigit():
            current = notes.setdefault(int(tokens[0].removeprefix("^")), [])
            tokens = tokens[1:]
        if current is not None:
            current += tokens


def read_edition(format_name: str, data: bytes) -> Reading:
    readers = {"html": html_reading, "epub": epub_reading, "docx": docx_reading, "pdf": pdf_reading}
    return readers[format_name](data)


def write_for_inspection(folder: Path, name: str, data: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path
