"""The body of a raw text -> canonical Markdown: numbered paragraphs, appendices, quotes, tables.

The extraction writes one paragraph per line. A line without a number is a new unnumbered
paragraph, except at the top of a page, where it is the rest of the paragraph cut by the page
break, and after an unfinished line when it starts in lower case (a wrapped line): both joins
are reported when the text does not make them certain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import Problems
from .ingest_lines import Line
from .ingest_notes import Note

BULLET = r"(?:[-–—•▪*][ \t\u00a0]+)"
NUMBERED = re.compile(rf"^{BULLET}?(?P<number>(?:\d{{1,3}}\.)+|[a-z]\.)(?P<space>[ \t\u00a0\u202f]*)(?P<text>.*)$")
UNDOTTED = re.compile(rf"^{BULLET}?(?P<number>\d{{1,3}}(?:\.\d{{1,3}})+)[ \t\u00a0]+(?P<text>\S.*)$")
STARTS_WITH_BULLET = re.compile(rf"^{BULLET}")
HEADING = re.compile(r"^(?:Appendix|Appendices|Annex|Annexes|Annexe)(?:\s+(?:[IVXLC]+|\d{1,2}|[A-Z]))?\b[^.]{0,80}$")
CELL_GAP = re.compile(r"[ \t]{2,}|\t")
TRAILING_CALLS = re.compile(r"(?:\[\^\d+\])+$")
CALL_LABEL = re.compile(r"\[\^(\d+)\]")
SENTENCE_END = (".", ":", ";", "!", "?", "»", "”", '"')

Origin = tuple[str, int]  # a line of the generated source, and the raw line it comes from


@dataclass
class Block:
    kind: str  # paragraph | heading | quote | table | markdown (pipe table written as such)
    line: int
    number: str | None = None
    parts: list[str] = field(default_factory=list)  # a paragraph's text, a quote's paragraphs
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def numbered(text: str, line: int, problems: Problems | None = None) -> tuple[str, str] | None:
    """ "6.1. the text" -> ("6.1.", "the text"); also "- 6.1. …", "1.The …" and (warned) "6.1 the …"."""
    match = NUMBERED.match(text)
    if match:
        number, rest = match.group("number"), match.group("text")
        glued_word = number[0].isdigit() and rest[:1].isalpha()  # "1.The", but not "e.g." nor "1.5"
        if match.group("space") or not rest or glued_word:
            return number, rest
    match = UNDOTTED.match(text)
    if match:
        if problems is not None:
            problems.warning(
                line,
                f"number {match.group('number')} has no final dot; taken as paragraph {match.group('number')}.",
                "check that it is a paragraph number",
            )
        return match.group("number") + ".", match.group("text")
    return None


class BodyBuilder:
    def __init__(self, problems: Problems) -> None:
        self.problems = problems
        self.blocks: list[Block] = []

    def build(self, lines: list[Line]) -> list[Block]:
        index, gap = 0, True
        while index < len(lines):
            line = lines[index]
            if not line.text:
                index, gap = index + 1, True
                continue
            taken = self._table(lines, index) or self._pipe_table(lines, index)
            if not taken:
                self._line(line, gap)
                taken = 1
            index, gap = index + taken, False
        return self.blocks

    def _line(self, line: Line, gap: bool) -> None:
        text, last = line.text, self.blocks[-1] if self.blocks else None
        number = numbered(text, line.number, self.problems)
        if number is not None:
            self.blocks.append(Block("paragraph", line.number, number[0], [number[1]]))
        elif HEADING.match(text):
            self.blocks.append(Block("heading", line.number, parts=[text]))
        elif text.startswith(">"):
            content = text[1:].lstrip(" ")
            if last is None or last.kind != "quote" or (gap and not line.page_start):
                if content:
                    self.blocks.append(Block("quote", line.number, parts=[content]))
            elif content and line.page_start:
                self._continue(last, content, line)
            elif content:
                last.parts.append(content)
        elif STARTS_WITH_BULLET.match(text) or last is None:
            self.blocks.append(Block("paragraph", line.number, None, [text]))
        elif line.page_start and last.kind in ("paragraph", "quote"):
            self._continue(last, text, line)
        elif last.kind == "paragraph" and not gap and (not last.parts[-1] or _wrapped(last.parts[-1], text)):
            if last.parts[-1]:
                self.problems.warning(
                    line.number,
                    "line joined to the paragraph above",
                    "it starts in lower case after an unfinished line: check the extraction",
                )
            last.parts[-1] = _join(last.parts[-1], text, line, self.problems)
        else:
            self.blocks.append(Block("paragraph", line.number, None, [text]))

    def _continue(self, block: Block, text: str, line: Line) -> None:
        """The first line of a page, after a paragraph or quote cut by the page break."""
        previous = block.parts[-1]
        if previous and not _unfinished(previous) and not _lower(text):
            what = f"paragraph {block.number}" if block.number else "the paragraph above"
            self.problems.warning(
                line.number,
                f"the line at the top of the page is taken as the rest of {what}",
                "the text before the page break ends a sentence: check that this is not a new paragraph",
            )
        block.parts[-1] = _join(previous, text, line, self.problems)

    def _table(self, lines: list[Line], index: int) -> int:
        """Lines whose columns are separated by two or more spaces: a table, the first row its header."""
        rows: list[tuple[int, list[str]]] = []
        while index + len(rows) < len(lines):
            line = lines[index + len(rows)]
            cells = CELL_GAP.split(line.text)
            if len(cells) < 2 or line.text.startswith((">", "|")) or numbered(line.text, line.number):
                break
            rows.append((line.number, cells))
        if len(rows) < 2:
            return 0
        width = max(len(cells) for _, cells in rows)
        for number, cells in rows:
            if len(cells) != width:
                self.problems.warning(
                    number,
                    f"table row has {len(cells)} columns, the table {width}",
                    "empty cells were added at the end of the row: check the columns",
                )
                cells.extend([""] * (width - len(cells)))
        self.blocks.append(Block("table", rows[0][0], rows=rows))
        return len(rows)

    def _pipe_table(self, lines: list[Line], index: int) -> int:
        """A table already written in pipe syntax by the extraction: kept as it is."""
        taken = 0
        while index + taken < len(lines) and lines[index + taken].text.startswith("|"):
            taken += 1
        if taken:
            self.blocks.append(
                Block("markdown", lines[index].number, parts=[line.text for line in lines[index : index + taken]])
            )
        return taken


def markdown(blocks: list[Block], notes: list[Note]) -> list[Origin]:
    """The blocks as Markdown lines, each note written after the block that first calls it."""
    pending = {note.number: note for note in notes}
    out: list[Origin] = []
    for block in blocks:
        if out:
            out.append(("", block.line))
        written = _block_lines(block)
        out.extend(written)
        for label in CALL_LABEL.findall(" ".join(text for text, _ in written)):
            note = pending.pop(int(label), None)
            if note is not None:
                out += [("", note.line), (f"[^{note.number}]: {note.text}", note.line)]
    return out


def _block_lines(block: Block) -> list[Origin]:
    if block.kind == "heading":
        return [(f"## {block.parts[0]}", block.line)]
    if block.kind == "quote":
        quoted = [f"> {part}" for part in block.parts]
        return [(text, block.line) for text in "\n>\n".join(quoted).split("\n")]
    if block.kind == "markdown":
        return [(text, block.line + offset) for offset, text in enumerate(block.parts)]
    if block.kind == "table":
        (first, header), *rows = block.rows
        delimiter = "| " + " | ".join("---" for _ in header) + " |"
        return [(_row(header), first), (delimiter, first), *((_row(cells), number) for number, cells in rows)]
    text = block.parts[0]
    if block.number is not None:
        return [(f"{block.number} {text}".rstrip(), block.line)]
    return [("\\" + text if text.startswith("#") else text, block.line)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def _unfinished(text: str) -> bool:
    return not TRAILING_CALLS.sub("", text).rstrip().endswith(SENTENCE_END)


def _wrapped(previous: str, text: str) -> bool:
    return _unfinished(previous) and _lower(text)


def _lower(text: str) -> bool:
    return next((c for c in text if c.isalpha()), "").islower()


def _join(previous: str, text: str, line: Line, problems: Problems) -> str:
    if not previous:
        return text
    if previous.endswith("-") and previous[-2:-1].isalpha() and _lower(text):
        problems.warning(
            line.number,
            "a line ending with a hyphen was joined without a space",
            "check whether the hyphen belongs to the word or only cut it",
        )
        return previous + text
    return f"{previous} {text}"
