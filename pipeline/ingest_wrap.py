"""Hard-wrapped extractions: where a line break is only the edge of the printed column.

A break is a wrap when the line before it does not end a sentence, when the next line starts in
lower case, or, after a finished sentence, when the line before was full: the next line's first
word would not have fitted on it. "Full" is measured against the text's own column, the median
length of the lines that certainly wrap (mid-sentence, lower case after). Every join is counted
and reported once per text; only the breaks the column cannot decide are reported one by one.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from .errors import Problems
from .ingest_lines import SENTENCE_END, Line
from .ingest_words import Decision

TRAILING_CALL = "]"  # a paragraph may end with its note call: "… rights.[^3]"
MIN_WRAPS = 3  # fewer certain wraps than this: the text is one paragraph per line
FULL, SHORT = 1.0, 0.85  # of the column: at least FULL is a wrap, below SHORT a paragraph's end


def unfinished(text: str) -> bool:
    text = text.rstrip()
    while text.endswith(TRAILING_CALL) and "[^" in text:
        text = text[: text.rindex("[^")].rstrip()
    return not text.endswith(SENTENCE_END)


def starts_lower(text: str) -> bool:
    return next((c for c in text if c.isalpha()), "").islower()


def column(lines: list[Line]) -> float | None:
    """The length of a full line in this text, or None when its lines are whole paragraphs."""
    wraps = [
        len(line.text)
        for line, following in itertools.pairwise(lines)
        if line.text
        and following.text
        and not following.page_start
        and unfinished(line.text)
        and starts_lower(following.text)
    ]
    return statistics.median(wraps) if len(wraps) >= MIN_WRAPS else None


@dataclass
class Wrapping:
    """The joins made in one text, reported in one line at the end."""

    problems: Problems
    width: float | None
    joined: list[int] = field(default_factory=list)
    removed: int = 0
    kept: int = 0

    def ratio(self, previous_line: str, text: str) -> float | None:
        """How much of the column the line before would fill with the next line's first word."""
        if self.width is None:
            return None
        return (len(previous_line) + 1 + len(text.split(" ", 1)[0])) / self.width

    def is_wrap(self, previous_line: str, text: str, line: Line) -> bool:
        """After a finished sentence: is the break before `text` only the end of a full line?"""
        ratio = self.ratio(previous_line, text)
        if ratio is None:
            return False
        middle = (FULL + SHORT) / 2
        if SHORT <= ratio < FULL:
            taken = "the rest of the paragraph above" if ratio >= middle else "a new paragraph"
            self.problems.warning(
                line.number,
                f"taken as {taken}: the line above ends a sentence and fills {ratio:.0%} of the column",
                "check whether a new paragraph starts here",
            )
        return ratio >= middle

    def record(self, line: Line, decision: Decision) -> None:
        self.joined.append(line.number)
        if decision.hyphen == "removed":
            self.removed += 1
        elif decision.hyphen == "kept":
            self.kept += 1
        self.doubt(line, decision)

    def doubt(self, line: Line, decision: Decision) -> None:
        """A hyphen the evidence could not decide, at a wrap or at a page break: reported."""
        if decision.doubt:
            self.problems.warning(
                line.number, f"hyphen at the end of the line above: {decision.doubt}", "check the word"
            )

    def report(self) -> None:
        if not self.joined:
            return
        count = len(self.joined)
        lines = f"line {self.joined[0]}" if count == 1 else f"lines {self.joined[0]}–{self.joined[-1]}"
        hyphens = (
            f"; hyphens at a line end: {self.removed} removed, {self.kept} kept" if self.removed or self.kept else ""
        )
        self.problems.warning(
            self.joined[0],
            f"{count} wrapped {'line' if count == 1 else 'lines'} joined to the paragraph above ({lines}){hyphens}",
            "a new paragraph was started only at a number, an item's mark, a heading, a blank line "
            "or after a short line",
        )
