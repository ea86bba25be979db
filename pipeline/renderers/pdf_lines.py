"""The lines of a laid-out print edition, read from WeasyPrint's boxes: which end hyphenated, and
which breaks the house rules forbid.

The renderer uses it to keep runs of hyphenated lines to two (WeasyPrint has no
`hyphenate-limit-lines`); the typography check in the tests uses it to measure every text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..typography import LAYOUT_HYPHEN, NO_BREAK, WORD_CHARACTERS, protected

MAX_HYPHENATED_RUN = 2  # a typesetter's rule: never three hyphenated lines in a row
_WORD_START = re.compile(f"[{WORD_CHARACTERS}]*")  # a soft hyphen the author wrote is inside a word
_WORD_END = re.compile(f"[{WORD_CHARACTERS}]*$")


@dataclass(frozen=True)
class Line:
    page: int  # 1-based
    paragraph: int  # the block the line belongs to, numbered in reading order (a split block keeps its number)
    text: str  # as set, the added hyphen included

    @property
    def hyphenated(self) -> bool:
        return self.text.endswith(LAYOUT_HYPHEN)


def body_lines(document: Any) -> list[Line]:
    """The lines of the text's sections (paragraphs, quotations, appendix headings), page by
    page; table cells, notes, the title block and the running heads are not counted."""
    blocks: dict[int, int] = {}
    lines: list[Line] = []
    for number, page in enumerate(document.pages, start=1):
        for line, block in _lines(page._page_box, None, in_section=False):
            key = id(block.element) if block.element is not None else id(block)
            paragraph = blocks.setdefault(key, len(blocks))
            lines.append(Line(number, paragraph, line))
    return lines


def _lines(box: Any, block: Any, in_section: bool) -> Iterator[tuple[str, Any]]:
    tag = getattr(box, "element_tag", None)
    if tag in ("table", "note-text"):
        return
    in_section = in_section or tag == "section"
    if type(box).__name__ == "LineBox":
        if in_section:
            text = "".join(_texts(box)).strip()
            if text:
                yield text, block
        return
    if type(box).__name__ in ("BlockBox", "BlockContainerBox") or tag in ("p", "h2", "li"):
        block = box
    for child in getattr(box, "children", ()):
        yield from _lines(child, block, in_section)


def _texts(box: Any) -> Iterator[str]:
    if getattr(box, "element_tag", None) == "note-text":
        return  # a footnote's call stays in the line, its text goes to the foot of the page
    if type(box).__name__ == "TextBox":
        yield box.text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def runs(lines: list[Line]) -> Iterator[list[Line]]:
    """Consecutive hyphenated lines of one paragraph (across a page break too)."""
    run: list[Line] = []
    for line in lines:
        if run and (not line.hyphenated or line.paragraph != run[-1].paragraph):
            yield run
            run = []
        if line.hyphenated:
            run.append(line)
    if run:
        yield run


def overlong_runs(lines: list[Line]) -> list[str]:
    """The words split at the third (or later) hyphenated line of a run: protecting them gives
    the line breaker another choice there."""
    following = {id(line): lines[index + 1] for index, line in enumerate(lines[:-1])}
    words = []
    for run in runs(lines):
        for line in run[MAX_HYPHENATED_RUN:]:
            after = following.get(id(line))
            if after is not None:
                words.append(split_word(line, after))
    return words


def split_word(line: Line, after: Line) -> str:
    """The word a hyphenated `line` splits, made whole with the start of the next line."""
    start = _WORD_END.search(line.text.removesuffix(LAYOUT_HYPHEN))
    end = _WORD_START.match(after.text)
    return (start.group() if start else "") + (end.group() if end else "")


@dataclass(frozen=True)
class ForbiddenBreak:
    page: int
    kind: str  # "no-break" (date, citation, title and name, digit groups) or "hyphenation" (a protected word)
    words: str  # the words around the break, "|" where the line ends

    def __str__(self) -> str:
        return f"page {self.page}: {self.kind} break in “{self.words}”"


def forbidden_breaks(lines: list[Line]) -> list[ForbiddenBreak]:
    """Every break inside what must stay on one line, and every hyphenation of a protected word."""
    found: list[ForbiddenBreak] = []
    for paragraph in _paragraphs(lines):
        text, breaks = _joined(paragraph)
        for kind, pattern, at in (
            ("no-break", NO_BREAK, breaks),
            ("hyphenation", protected(), _hyphen_breaks(paragraph, breaks)),
        ):
            for match in pattern.finditer(text):
                for index, position in at:
                    if match.start() < position < match.end():
                        words = text[match.start() : position] + "|" + text[position : match.end()]
                        found.append(ForbiddenBreak(paragraph[index].page, kind, words.strip()))
    return found


def _paragraphs(lines: list[Line]) -> Iterator[list[Line]]:
    current: list[Line] = []
    for line in lines:
        if current and line.paragraph != current[-1].paragraph:
            yield current
            current = []
        current.append(line)
    if current:
        yield current


def _joined(paragraph: list[Line]) -> tuple[str, list[tuple[int, int]]]:
    """The paragraph's text with each line break's position (index of the line that ends there)."""
    text, breaks = "", []
    for index, line in enumerate(paragraph):
        if index:
            breaks.append((index - 1, len(text)))
            if not paragraph[index - 1].hyphenated:
                text += " "
        text += line.text.removesuffix(LAYOUT_HYPHEN)
    return text, breaks


def _hyphen_breaks(paragraph: list[Line], breaks: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(index, position) for index, position in breaks if paragraph[index].hyphenated]
