"""The body of a raw text -> blocks: numbered paragraphs, appendix headings, quotes, tables.

A line starts a new paragraph when it has a number (a number without its final dot only when it
is the next in sequence), is a heading, a quote, a bullet, or follows a blank line; otherwise it
continues the paragraph above, unless that one ended a sentence and the break does not look like
a wrap (ingest_wrap). Words cut by a hyphen at a line end are rejoined by ingest_words.
"""

from __future__ import annotations

import re

from .errors import Problems
from .ingest_lines import SENTENCE_END, Line
from .ingest_markdown import Block
from .ingest_numbers import BARE, BULLET, ITEM_MARK, LIST_OPENING, Sequence, numbered, undotted
from .ingest_words import Vocabulary
from .ingest_wrap import FULL, SHORT, Wrapping, column, starts_lower, unfinished

HEADING = re.compile(r"^(?:Appendix|Appendices|Annex|Annexes|Annexe)(?:\s+(?:[IVXLC]+|\d{1,2}|[A-Z]))?\b[^.]{0,80}$")
STARTS_WITH_BULLET = re.compile(rf"^{BULLET}")
CELL_GAP = re.compile(r"[ \t]{2,}|\t")
MAX_HEADING = 120  # a heading over which numbering starts again is one short line


class BodyBuilder:
    def __init__(self, problems: Problems, language: str) -> None:
        self.problems = problems
        self.language = language
        self.blocks: list[Block] = []
        self.sequence = Sequence()
        self.undotted: list[tuple[int, str]] = []
        self.dotted = 0
        self.orphans: list[int] = []  # lines of lettered items with no numbered paragraph above them

    def build(self, lines: list[Line]) -> list[Block]:
        self.vocabulary = Vocabulary((line.text for line in lines), self.language)
        self.wrapping = Wrapping(self.problems, column(lines))
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
        self.wrapping.report()
        self._report_undotted()
        self._report_orphans()
        return self.blocks

    def _report_orphans(self) -> None:
        if self.orphans:
            lines = ("lines " if len(self.orphans) > 1 else "line ") + ", ".join(map(str, self.orphans))
            self.problems.warning(
                self.orphans[0],
                f"lettered items with no numbered paragraph above them kept as text ({lines})",
                "a lettered item belongs to a numbered paragraph: each is written as a paragraph that opens 'a\\.'",
            )

    def _line(self, line: Line, gap: bool) -> None:
        text, last = line.text, self.blocks[-1] if self.blocks else None
        number = self._number(line, last)
        if number is not None and last is not None and self._heads_restart(number[0], last):
            last.kind = "heading"  # "A. Freedom of expression", then paragraphs from 1. again
            self.sequence.restart()
            self.problems.warning(
                last.line,
                f"paragraph 1. starts the numbering again under this line: taken as a heading, '{last.text()}'",
                "numbering restarts only under a heading (written '## …'): check that it heads what follows",
            )
        if number is not None:
            self.sequence.take(number[0])
            self.blocks.append(Block("paragraph", line.number, number[0], [[number[1]]], last_line=text))
        elif HEADING.match(text):
            self.sequence.restart()
            self.blocks.append(Block("heading", line.number, parts=[[text]]))
        elif text.startswith(">"):
            self._quote(line, text[1:].lstrip(" "), last, gap)
        elif (
            STARTS_WITH_BULLET.match(text)
            or last is None
            or (last.kind != "paragraph" and not line.page_start)
            or self._item(last, text)
        ):
            self.blocks.append(Block("paragraph", line.number, None, [[text]], last_line=text))
        elif line.page_start and last.kind in ("paragraph", "quote"):
            if not self._continue(last, text, line):
                self.blocks.append(Block("paragraph", line.number, None, [[text]], last_line=text))
        elif last.kind == "paragraph" and not gap and self._continues(last, text, line):
            self._join(last, text, line)
        else:
            self.blocks.append(Block("paragraph", line.number, None, [[text]], last_line=text))

    def _heads_restart(self, number: str, last: Block) -> bool:
        """Whether `last` heads a part whose numbering starts again at `number`: a short line of its
        own, not a sentence, right above a "1." that the numbering so far cannot take."""
        return (
            number == "1."
            and bool(self.sequence.numeric)
            and last.kind == "paragraph"
            and last.number is None
            and len(last.parts) == 1
            and last.text() == last.last_line
            and len(last.last_line) <= MAX_HEADING
            and not last.last_line.endswith(SENTENCE_END)
        )

    @staticmethod
    def _item(last: Block, text: str) -> bool:
        """ "(ii) to report …", "b) à former …" after a line that opens or goes on with a list: an
        item the source does not number, still a paragraph of its own (it was joined to the one above,
        as a wrapped line is)."""
        return last.kind == "paragraph" and bool(ITEM_MARK.match(text)) and last.tail().rstrip().endswith(LIST_OPENING)

    def _number(self, line: Line, last: Block | None) -> tuple[str, str] | None:
        found = numbered(line.text)
        if found is not None and self.sequence.roman(found[0]):
            return None  # "i." opening a list ("ii." follows) is no lettered item: kept in the text
        if found is not None and found[0][0].isalpha() and not self.sequence.numeric:
            self.orphans.append(line.number)  # the source has no lettered item outside a number
            return None
        if found is not None:
            self.dotted += 1
            return found
        candidate = undotted(line.text)
        if candidate is None and BARE.match(line.text) and not line.page_start:
            candidate = (line.text, "")  # its text is the next line, joined to it
        if candidate is None:
            return None
        previous = last.tail() if last and last.kind == "paragraph" else ""
        first_paragraph = last is None or last.kind == "heading"
        if not self.sequence.fits(candidate[0], previous or "."):
            return None
        if not first_paragraph and previous and unfinished(previous) and not line.page_start:
            self.problems.warning(
                line.number,
                f"'{candidate[0]}' at the start of the line is the next number in sequence, but the line above "
                "does not end a sentence: taken as the rest of the paragraph above",
                f"if it is paragraph {candidate[0]}., end the paragraph above",
            )
            return None
        self.undotted.append((line.number, candidate[0]))
        return candidate[0] + ".", candidate[1]

    def _continues(self, last: Block, text: str, line: Line) -> bool:
        previous = last.tail()
        if not previous or unfinished(previous) or not starts_new(text):
            return True
        return self.wrapping.is_wrap(last.last_line, text, line)

    def _join(self, block: Block, text: str, line: Line) -> None:
        previous = block.tail()
        if not previous:
            block.parts[-1] = [text]
        else:
            decision = self.vocabulary.decide(previous, text)
            self.wrapping.record(line, decision)
            block.extend(decision.separator, text, decision.drop)
        block.last_line = text

    def _quote(self, line: Line, content: str, last: Block | None, gap: bool) -> None:
        if last is None or last.kind != "quote" or (gap and not line.page_start):
            if content:
                self.blocks.append(Block("quote", line.number, parts=[[content]]))
        elif content and line.page_start:
            self._continue(last, content, line)
        elif content:
            last.parts.append([content])

    def _continue(self, block: Block, text: str, line: Line) -> bool:
        """The first line of a page, after a paragraph or quote cut by the page break: joined to it
        unless, in a hard-wrapped text, the page ended a sentence on a short line."""
        previous = block.tail()
        if previous and not unfinished(previous) and starts_new(text):
            ratio = self.wrapping.ratio(block.last_line, text)
            if ratio is not None and ratio < SHORT and block.kind == "paragraph":
                self.problems.warning(
                    line.number,
                    "the line at the top of the page is taken as a new paragraph",
                    "the page before ends a sentence on a short line: check that it does not continue it",
                )
                return False
            if ratio is None or ratio < FULL:
                what = f"paragraph {block.number}" if block.number else "the paragraph above"
                self.problems.warning(
                    line.number,
                    f"the line at the top of the page is taken as the rest of {what}",
                    "the text before the page break ends a sentence: check that this is not a new paragraph",
                )
        if not previous:
            block.parts[-1] = [text]
        else:
            decision = self.vocabulary.decide(previous, text)
            block.extend(decision.separator, text, decision.drop)
            self.wrapping.doubt(line, decision)
        block.last_line = text
        return True

    def _report_undotted(self) -> None:
        """Numbers without a dot are the layout of a whole era; among dotted ones, each is a doubt."""
        if self.dotted <= len(self.undotted):
            return
        for line, number in self.undotted:
            self.problems.warning(
                line,
                f"number {number} has no final dot; taken as paragraph {number}.",
                "check that it is a paragraph number",
            )

    def _table(self, lines: list[Line], index: int) -> int:
        """Lines whose columns are separated by two or more spaces: a table, the first row its header."""
        rows: list[tuple[int, list[str]]] = []
        while index + len(rows) < len(lines):
            line = lines[index + len(rows)]
            cells = CELL_GAP.split(line.text)
            if len(cells) < 2 or line.text.startswith((">", "|")) or numbered(line.text):
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
            rows = [[line.text] for line in lines[index : index + taken]]
            self.blocks.append(Block("markdown", lines[index].number, parts=rows))
        return taken


def starts_new(text: str) -> bool:
    """Whether a line could open a paragraph: a capital, an opening bracket or quote; not "and", "2003"."""
    first = text.lstrip()[:1]
    return first.isupper() or first in "(«“\"'‘[" or (not first.isalnum() and not starts_lower(text))
