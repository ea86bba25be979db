"""The foot of a page beside its own notes: paragraphs the body's numbering claims, notes carried over.

Footnotes are numbered like paragraphs ("2. See …"), so when the extraction lost a note's text the
next paragraph passes for it: its number is the next note's, its call is above it. The body's
numbering tells them apart: a first note that continues the paragraph numbers above it, while the
pages after it go on from that number without ever printing it, is that paragraph.

A note too long for its page goes on at the foot of the next one, above that page's own notes: a
run of lines after a blank line, opening in lower case, while the note stopped mid-sentence. What
may be its rest but cannot be told from the body (a capital, no blank line) stays there, reported.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .errors import Problems
from .ingest_lines import Line
from .ingest_numbers import BARE, ITEM_MARK, Key, key_of, next_numbers, numbered, undotted
from .ingest_wrap import unfinished

# What a note cut mid-sentence ends with: a word, or a mark that cannot end a note.
MID_SENTENCE = (",", ";", ":", "-", "–", "(")


class Verdict(enum.Enum):
    NOTE = "note"
    PARAGRAPH = "paragraph"
    DOUBT = "doubt"  # nothing after it says: taken as a note, and reported


def paragraph_key(text: str) -> Key | None:
    """ "6.1. the …" -> ("6", "1"): the number a line opens with, if it may be a paragraph's."""
    found = numbered(text) or undotted(text) or ((text, "") if BARE.match(text) else None)
    if found is None or not found[0][:1].isdigit():
        return None  # lettered items go under a number: they say nothing of the numbering
    return key_of(found[0], ())


def last_key(lines: list[Line]) -> Key | None:
    return next((key for line in reversed(lines) if (key := paragraph_key(line.text))), None)


@dataclass(frozen=True)
class Numbering:
    """The body's paragraph numbers around one page: the last one before it, and all those after it."""

    above: Key | None
    later: frozenset[Key]

    def verdict(self, number: int, lines_above: list[Line]) -> Verdict:
        """Whether a note numbered `number`, opening the foot at the end of `lines_above`, is one."""
        above = last_key(lines_above) or self.above
        key = (str(number),)
        if key not in next_numbers(above or ()):
            return Verdict.NOTE
        if key in self.later:
            return Verdict.NOTE  # the body prints its own paragraph of that number further on
        if self.later & next_numbers(key):
            return Verdict.PARAGRAPH  # taken as a note, the numbering would jump over it
        return Verdict.DOUBT


def numberings(pages: list[list[Line]]) -> list[frozenset[Key]]:
    """For each page, the paragraph numbers printed on the pages after it."""
    after: list[frozenset[Key]] = [frozenset()]
    for page in reversed(pages[1:]):
        after.append(after[-1] | {key for line in page if (key := paragraph_key(line.text))})
    return after[::-1]


def stops_mid_sentence(note: str) -> bool:
    """A note ending with a word or a comma is cut; one ending "(2001)" or "Doc. 9000" may be whole."""
    end = note.rstrip()
    return end[-1:].isalpha() or end.endswith(MID_SENTENCE)


def carried_over(page: list[Line], start: int) -> int:
    """Where the rest of a note from the page before begins, above this page's own notes (at
    `start`): the foot run of the body, if it opens in lower case; `start` when there is none."""
    run = _foot_run(page, start)
    return run if run is not None and _opens_lower(page[run].text) else start


def _foot_run(page: list[Line], start: int) -> int | None:
    """Where the last run of lines of the body starts, if it follows a blank line below the page's
    first lines (those continue the body cut by the page break) and has no number."""
    end = start
    while end > 0 and not page[end - 1].text:
        end -= 1
    begin = end
    while begin > 0 and page[begin - 1].text:
        begin -= 1
    first = next((index for index, line in enumerate(page) if line.text), end)
    if begin <= first or ITEM_MARK.match(page[begin].text) or any(paragraph_key(line.text) for line in page[begin:end]):
        return None
    return begin


def doubtful_end(page: list[Line], start: int, before: Line | None) -> Line | None:
    """A line of the body that may still be the rest of a note carried over from the page before:
    an unnumbered foot run opening in capitals ("Mr Smith)."), or the first of the lower-case lines
    that end the page's body after a line that ends a sentence (`before`, the last line of the page
    before, when they open the page)."""
    run = _foot_run(page, start)
    if run is not None:
        return page[run]
    index = max((i for i in range(start) if page[i].text), default=-1)
    if index < 0 or not _opens_lower(page[index].text):
        return None
    while index > 0 and page[index - 1].text and _opens_lower(page[index - 1].text):
        index -= 1
    previous = page[index - 1] if index > 0 and page[index - 1].text else None
    if previous is None and any(line.text for line in page[:index]):
        return None  # after a blank line: carried_over() would have taken it
    previous = previous or before
    return page[index] if previous is not None and not unfinished(previous.text) else None


def carry(problems: Problems, page: list[Line], start: int, note: tuple[int, int], before: list[Line]) -> int:
    """Where the foot of `page` starts once the rest of `note` (its number and raw line), cut at the
    foot of the page before (whose lines are `before`), is taken from the body; a doubt is reported."""
    begin = carried_over(page, start)
    doubt = doubtful_end(page, start, next((line for line in reversed(before) if line.text), None))
    if begin == start and doubt is not None:
        problems.warning(
            doubt.number,
            f"this line may be the end of footnote {note[0]} (line {note[1]}), which stops without "
            "final punctuation at the foot of the page before: kept in the text",
            "if it is, move it to the end of the note",
        )
    return begin


def report_doubt(problems: Problems, number: int, line: int, above: Key | None) -> None:
    after = ".".join(above) + "." if above else "the start"
    problems.warning(
        line,
        f"footnote {number} is numbered as the next paragraph after {after}, "
        "and no paragraph after it tells which it is: taken as a footnote",
        f"if it is paragraph {number}., the extraction lost the text of footnote {number}",
    )


def _opens_lower(text: str) -> bool:
    """In lower case as the rest of a sentence is, not as an item of the body ("b. set up", "ii) to")."""
    return text[:1].islower() and not ITEM_MARK.match(text)
