"""A DOCX in the house styles -> the canonical source, by the styles of its paragraphs.

Citation, Title, Issued By, Status and Translation Notice give the front matter; the footnote
called on the citation is the adoption formula, read into metadata as a raw text's is; Body
Paragraph, Sub Paragraph N and Lettered Item N are numbered paragraphs (the number is the text
before the tab, kept literally); Continuation N, Lettered Continuation N and Unnumbered Paragraph
are unnumbered; Appendix Heading starts an appendix; Quotation is quoted; tables are pipe tables.
A paragraph in another style is read by its number, with a warning. The "line" of every message
is the paragraph's position in the document.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from .errors import Problems
from .i18n import translations
from .ingest_adoption import AdoptionInfo, parse_adoption
from .ingest_docx import Docx, Paragraph
from .ingest_era import STANDING, read_facts
from .ingest_front import DEFAULT_ISSUER, Heading, front_matter
from .ingest_lines import CITATION, Line, citation_at
from .ingest_markdown import Block, Origin, markdown
from .ingest_notes import Note
from .ingest_numbers import numbered
from .model import AdoptingBody, Status

NUMBERED_STYLES = ("body paragraph", "sub paragraph ", "lettered item ")
UNNUMBERED_STYLES = ("unnumbered paragraph", "continuation ", "lettered continuation ")
HEADING_STYLES = ("citation", "title", "issued by", "status", "translation notice")
# Editions set "Unofficial translation" in Translation Notice; earlier ones in Status.
NOTICE_STYLES = ("translation notice", "status")


def docx_source(docx: Docx, problems: Problems) -> tuple[str, list[Origin]] | None:
    """The name and lines of the source a DOCX gives, or None after reporting why not."""
    if docx.pending:
        kinds = ", ".join(sorted({kind for kind, _ in docx.pending}))
        problems.error(
            1,
            f"{len(docx.pending)} tracked changes are still pending ({kinds}; the first at “{docx.pending[0][1]}”)",
            "accept or reject them in Word (Review, Accept or Reject), then ingest again; nothing was written",
        )
        return None
    if docx.comments:
        problems.warning(1, f"{docx.comments} comments in the document were left out", "they are not part of the text")
    citation_index = next((i for i, p in enumerate(docx.paragraphs) if p.style == "citation"), None)
    if citation_index is None:
        problems.error(
            1, "no paragraph in the style 'Citation'", "the citation line names the text; nothing was written"
        )
        return None
    citation_paragraph = docx.paragraphs[citation_index]
    lines = [Line(citation_index + 1, _without_calls(citation_paragraph.text))]
    citation = citation_at(lines, 0) if CITATION.match(lines[0].text) else None
    if citation is None or not citation_paragraph.notes:
        problems.error(citation_index + 1, "the citation paragraph is not a citation with its footnote call")
        return None
    title_id = citation_paragraph.notes[0]
    numbers = _note_numbers(docx, title_id)
    title_note = Note(1, citation_index + 1, _calls(docx.footnotes.get(title_id, ""), numbers))
    adoption = _adoption(title_note, docx.created, problems)
    language = docx.language.split("-")[0].lower() or citation.language
    heading, unofficial, first_body = _heading(docx.paragraphs, citation_index, language, problems)
    if adoption is None or heading is None:
        return None
    blocks = _blocks(docx.paragraphs[first_body:], first_body, numbers, problems)
    notes = [Note(number, 1, _calls(docx.footnotes.get(note, ""), numbers)) for note, number in numbers.items()]
    front = front_matter(
        citation, heading, language, adoption, citation_index + 1, keywords=docx.keywords, unofficial=unofficial
    )
    name = f"{citation.type.value}-{citation.number}-{citation.year}.{language}.md"
    return name, [*front, ("", front[-1][1]), *markdown(blocks, notes)]


def _adoption(note: Note, created: str, problems: Problems) -> AdoptionInfo | None:
    """The adoption formula in the house wording, or kept as the note; the date, if the formula does
    not give it plainly, is the one the edition wrote into the document's properties."""
    adoption = parse_adoption(note.text) or read_facts(note.text)
    try:
        date = dt.date.fromisoformat(created) if created else None
    except ValueError:
        date = None
    if adoption is not None and adoption.note and date is not None:
        return dataclasses.replace(adoption, date=date)
    if adoption is None and date is not None:
        by = AdoptingBody.STANDING_COMMITTEE if STANDING.search(note.text) else AdoptingBody.ASSEMBLY
        return AdoptionInfo(by, date, note=note.text)
    if adoption is None:
        problems.error(note.line, "the title footnote gives no adoption date", "e.g. 'on 24 June 2003'")
    return adoption


def _heading(
    paragraphs: list[Paragraph], citation_index: int, language: str, problems: Problems
) -> tuple[Heading | None, bool, int]:
    """Title, issuing body and status, from the paragraphs after the citation; where the body starts."""
    gettext = translations(language).gettext
    title, issuer, status, unofficial = "", "", Status.FINAL, False
    index = citation_index + 1
    while index < len(paragraphs) and (
        paragraphs[index].style in HEADING_STYLES or _is_version_links(paragraphs[index], gettext)
    ):
        paragraph = paragraphs[index]
        if paragraph.style == "title":
            title = f"{title} {paragraph.text}".strip()
        elif paragraph.style == "issued by":
            issuer = paragraph.text
        elif paragraph.style in NOTICE_STYLES and paragraph.text == gettext("Unofficial translation"):
            unofficial = True
        elif paragraph.style == "status":
            status = Status.PROVISIONAL
        index += 1
    if not title:
        problems.error(citation_index + 1, "no paragraph in the style 'Title' after the citation")
        return None, unofficial, index
    issued_by = issuer or DEFAULT_ISSUER.get(language, DEFAULT_ISSUER["en"])
    return Heading(title, citation_index + 2, issued_by, citation_index + 3, status), unofficial, index


def _is_version_links(paragraph: Paragraph, gettext: Callable[[str], str]) -> bool:
    """The edition's "Other language versions:" line: made by the build, not part of the source.
    Editions set it in "Language Versions"; earlier ones in "Unnumbered Paragraph"."""
    return paragraph.style in ("language versions", "unnumbered paragraph") and paragraph.text.startswith(
        gettext("Other language versions:")
    )


def _blocks(paragraphs: list[Paragraph], offset: int, numbers: dict[str, int], problems: Problems) -> list[Block]:
    blocks: list[Block] = []
    for position, paragraph in enumerate(paragraphs, start=offset + 1):
        text = _calls(paragraph.text, numbers)
        if paragraph.rows is not None:
            if paragraph.rows:
                rows = [[_calls(cell, numbers) for cell in row] for row in paragraph.rows]
                table = _pipe_table(rows, paragraph.alignments)
                blocks.append(Block("markdown", position, parts=[[line] for line in table]))
            continue
        if not text.strip():
            continue
        if paragraph.style == "appendix heading":
            blocks.append(Block("heading", position, parts=[[text]]))
        elif paragraph.style == "quotation":
            if blocks and blocks[-1].kind == "quote" and blocks[-1].line == position - 1:
                blocks[-1].parts.append([text])
                blocks[-1].line = position
            else:
                blocks.append(Block("quote", position, parts=[[text]]))
        else:
            blocks.append(_paragraph(paragraph.style, text, position, problems))
    return blocks


def _paragraph(style: str, text: str, position: int, problems: Problems) -> Block:
    number = numbered(text.replace("\t", " ", 1)) if "\t" in text or not style.startswith(UNNUMBERED_STYLES) else None
    if number is None and style.startswith(NUMBERED_STYLES):
        problems.warning(position, f"a paragraph in the style '{style}' has no number", "it is kept without one")
    elif not style.startswith(NUMBERED_STYLES + UNNUMBERED_STYLES):
        taken = f"paragraph {number[0]}" if number else "an unnumbered paragraph"
        problems.warning(
            position, f"a paragraph in the style '{style or 'Normal'}' is taken as {taken}", "apply a house style"
        )
    content = (number[1] if number else text).replace("\t", " ").strip()
    return Block("paragraph", position, number[0] if number else None, [[content]])


DELIMITERS = {"left": ":---", "center": ":---:", "right": "---:", "": "---"}


def _pipe_table(rows: list[list[str]], alignments: list[str]) -> list[str]:
    width = max(len(row) for row in rows)
    lines = []
    for index, row in enumerate(rows):
        if index == 0:  # the edition sets the header row in bold; the source's header is plain
            row = [cell[2:-2] if cell.startswith("**") and cell.endswith("**") else cell for cell in row]
        cells = [cell.replace("|", "\\|") for cell in row] + [""] * (width - len(row))
        lines.append("| " + " | ".join(cells) + " |")
        if index == 0:
            sides = alignments + [""] * (width - len(alignments))
            lines.append("| " + " | ".join(DELIMITERS[side] for side in sides) + " |")
    return lines


def _note_numbers(docx: Docx, title: str) -> dict[str, int]:
    """The body's footnotes numbered in order of their calls, from 2 (1 is the title footnote)."""
    numbers: dict[str, int] = {}
    for paragraph in docx.paragraphs:
        for note in paragraph.notes:
            if note != title and note not in numbers:
                numbers[note] = len(numbers) + 2
    return numbers


def _calls(text: str, numbers: dict[str, int]) -> str:
    """ "\\0 id \\0" markers -> "[^n]"; the title footnote's call is the citation's and goes."""
    parts = text.split("\0")
    return "".join(
        f"[^{numbers[part]}]" if i % 2 and part in numbers else "" if i % 2 else part for i, part in enumerate(parts)
    )


def _without_calls(text: str) -> str:
    return "".join(part for i, part in enumerate(text.split("\0")) if i % 2 == 0).strip()
