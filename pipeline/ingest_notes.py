"""Footnotes printed at the foot of a page -> notes, their calls rewritten as `[^n]`.

A footnote looks like a numbered paragraph ("1. Assembly debate on …"), so a line is taken for
one only when everything agrees: it opens a blank-separated group at the very foot of a page
(or a line of a run of numbered ones there: extractions lose that blank line),
its number is the next footnote number, and a call to it (¹, or a digit glued to a word) comes
earlier in the text. The title note (called on the citation line, numbered 1 when the call is
missing) must say how the text was adopted; body notes are numbered on from it, and a page prints
its notes in that order. A paragraph the body's numbering claims is not a note, and the rest of a
note carried over to the next page is joined to it (ingest_foot).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .errors import Problems
from .ingest_adoption import MONTHS
from .ingest_foot import Numbering, Verdict, carry, last_key, numberings, report_doubt, stops_mid_sentence
from .ingest_lines import SUPERSCRIPT_DIGITS, SUPERSCRIPT_RUN, Citation, Line, mark_page_starts, superscript_value
from .ingest_wrap import unfinished

# "1. Text", "¹ Text", "(1) Text": a footnote's number at the start of its line.
# "* Text adopted …": the title note of a citation line whose call is an asterisk (it is note 1).
NOTE_START = re.compile(
    r"^(?:\((?P<bracketed>\d{1,3})\)[ \t\u00a0]*|(?P<star>\*)[ \t\u00a0]*"
    rf"|(?P<n>\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]+)(?:\.[ \t\u00a0]*|[ \t\u00a0]+))(?P<text>\S.*)$"
)
# Words every title footnote has, even one in an unusual wording.
ADOPTION_WORDS = re.compile(r"\badopt(?:ed|ée?s?)\b|Assembly debate|Discussion par", re.IGNORECASE)
# A title note in words of its own still gives a date ("… on 12 November 2009 …").
A_DATE = re.compile(r"\b\d{1,2}(?:er|st|nd|rd|th)?\s+[^\W\d_]{3,},?\s+\d{4}\b")
DIGITS = re.compile(r"(?<!\d)\d{1,3}(?!\w)")
# What may stand just before a digit call: a letter, or a letter or closing mark then punctuation.
CALL_CONTEXT = re.compile(r"(?:[^\W\d_]|[^\W\d_][.,;:]|[)»”’\"][.,;:]?)$")

# "agree(2)", "attacked(2) while": a call in brackets glued to a word, as some extractions print it.
# Also after a word's closing bracket ("the Charter (revised)(2)"), never after a digit's ("5(1)(2)").
BRACKET_CALL = re.compile(r"(?:(?<=[^\W\d_]|[.,;:»”’\"])|(?<=[^\W\d_]\)))\((\d{1,3})\)")
# "Resolution 584 (1975)(2)": after a cited text's year in brackets, a bracketed number can only be a
# call ("Article 5(2)" and "1976(2)" stay text).
CITED_CALL = re.compile(r"(?<!\d)\d{1,5}\s+\(\d{4}\)(?P<call>\((?P<number>\d{1,3})\))")
# "on 20 October 2010.2 It": a call glued to a number and its punctuation, as extractions print a
# superscript; "paragraph 5.2 of" reads the same, so it is taken only when the page has no other call.
WEAK_CALL = re.compile(r"(?<=\d[.,;:])\d{1,3}(?= |$)")

Position = tuple[int, int]  # (index of the line, offset in it)


@dataclass
class Note:
    number: int
    line: int
    text: str
    page: int = 0  # the raw line where its page starts: its call is on that page


@dataclass
class Footnotes:
    title: Note | None
    body: list[Note] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)  # the text without its notes


@dataclass
class Expected:
    """The note numbers that may come next: the title note's, until found, and the next body note's."""

    title: int | None
    body: int

    def take(self, number: int) -> bool:
        if number == self.title:
            self.title = None
            return True
        if number == self.body:
            self.body += 1
            return True
        return False


def take_notes(page_list: list[list[Line]], citation: Citation, problems: Problems) -> Footnotes:
    title_number = citation.title_call or 1
    expected = Expected(title_number, title_number + 1)
    kept: list[list[Line]] = []
    notes: list[Note] = []
    above = None  # the body's last paragraph number so far
    cut: Note | None = None  # the last note of the page before, if it stops mid-sentence
    for page, later in zip(page_list, numberings(page_list), strict=True):
        start, found, doubt = _foot(page, expected, Numbering(above, later))
        if doubt is not None:
            report_doubt(problems, doubt.number, doubt.line, last_key(page[:start]) or above)
        carried = False
        if cut is not None:
            foot = carry(problems, page, start, (cut.number, cut.line), kept[-1] if kept else [])
            cut.text += "".join("\n" + line.text for line in page[foot:start] if line.text)
            start, carried = foot, foot < start
        kept.append(page[:start])
        above = last_key(page[:start]) or above
        notes.extend(found)
        for note in found:
            expected.take(note.number)
        # Only the next page may carry a note on: one not taken up there ends where it stops.
        last = found[-1] if found else cut if carried else None
        cut = last if last is not None and stops_mid_sentence(last.text) else None
    title = next((note for note in notes if note.number == title_number), None)
    if title is not None and citation.title_call is None:
        problems.warning(
            citation.line,
            f"the citation line has no footnote call; the note at line {title.line} is taken as the title footnote",
            "check that it is the adoption note of this text",
        )
    body = [note for note in notes if note is not title]
    lines = mark_page_starts([page for page in kept if any(line.text for line in page)])
    _attach(lines, body, problems)
    for line in lines:
        for run in SUPERSCRIPT_RUN.finditer(line.text):
            problems.warning(
                line.number,
                f"superscript {run.group()} has no footnote text at the foot of a page",
                "it is kept as it is: check the extraction",
            )
    return Footnotes(title, body, lines)


def _foot(page: list[Line], expected: Expected, numbering: Numbering) -> tuple[int, list[Note], Note | None]:
    """Where the footnotes at the foot of `page` start, the notes found there, and the first of
    them if the body's numbering leaves it in doubt.

    A note is printed on the page that calls it: its call is looked for above it on the page. The
    notes may start inside a run of numbered lines: extractions lose the blank line before them.
    """
    groups = _groups(page)
    # The last group always: the rest of a note carried over from the page before may open it, with
    # no blank line before the page's own notes.
    first = len(groups) - 1
    while first > 0 and NOTE_START.match(page[groups[first - 1][0]].text):
        first -= 1
    for position in range(first, len(groups)):
        group_start, group_end = groups[position]
        for start in range(group_start, group_end):
            if not NOTE_START.match(page[start].text):
                continue
            blocks = [(start, group_end), *groups[position + 1 :]]
            found = _read_notes(page, blocks, Expected(expected.title, expected.body))
            for note in found or []:
                note.page = page[0].number
            if not found or not all(_is_called(note, expected.title, page[:start]) for note in found):
                continue
            verdict = (
                Verdict.NOTE if found[0].number == expected.title else numbering.verdict(found[0].number, page[:start])
            )
            if verdict is not Verdict.PARAGRAPH:
                return start, found, found[0] if verdict is Verdict.DOUBT else None
    return len(page), [], None


def _groups(page: list[Line]) -> list[tuple[int, int]]:
    """The runs of non-blank lines of a page, as (start, end) indices."""
    groups: list[tuple[int, int]] = []
    for index, line in enumerate(page):
        if not line.text:
            continue
        if groups and groups[-1][1] == index:
            groups[-1] = (groups[-1][0], index + 1)
        else:
            groups.append((index, index + 1))
    return groups


def _read_notes(page: list[Line], groups: list[tuple[int, int]], expected: Expected) -> list[Note] | None:
    notes: list[Note] = []
    for start, end in groups:
        for index in range(start, end):
            line = page[index]
            match = NOTE_START.match(line.text)
            number = note_number(match) if match else 0
            if match and notes and index > start and _wraps_on(notes[-1].text, match):
                match = None  # "20 October 2010, at which …" after "… held on": the note goes on
            # A page prints its notes in order: a number below the one before is a paragraph's.
            if match and (not notes or number > notes[-1].number) and expected.take(number):
                notes.append(Note(number, line.number, match.group("text")))
            elif match or index == start or not notes:
                return None  # each group opens a note; other lines continue it, unless numbered
            else:
                notes[-1].text += "\n" + line.text  # joined once the language is known (join_lines)
    return notes


def _wraps_on(note: str, match: re.Match[str]) -> bool:
    """Whether a line opening with a number is the rest of the note above it: the note stops mid-sentence
    and the number, without a dot, opens a date ("4 octobre 1979") or words in lower case ("47 member
    states"), as a note's own text does not."""
    digits = match.group("n")
    dotted = match.string[match.end("n") : match.end("n") + 1] == "."
    if not digits or not digits.isdigit() or dotted or not unfinished(note.rsplit("\n", 1)[-1]):
        return False
    rest = match.group("text")
    return rest[:1].islower() or rest.split(" ", 1)[0].rstrip(",").lower() in MONTHS


def note_number(match: re.Match[str]) -> int:
    return 1 if match.group("star") else superscript_value(match.group("n") or match.group("bracketed"))


def _is_called(note: Note, title: int | None, before: list[Line]) -> bool:
    """The title note is called on the citation line and must say how the text was adopted."""
    if note.number == title:
        return bool(ADOPTION_WORDS.search(note.text) or A_DATE.search(note.text))
    return any(
        _superscript_calls(line.text, note.number)
        or _digit_calls(line.text, note.number)
        or _bracket_calls(line.text, note.number)
        or _weak_calls(line.text, note.number)
        for line in before
    )


def _attach(lines: list[Line], notes: list[Note], problems: Problems) -> None:
    """Rewrite the call of each note as [^n], in order: each call comes after the previous one."""
    previous: Position = (0, 0)
    numbers = [line.number for line in lines]  # in order: a note's page is found by bisection
    for note in notes:
        found, weak = _find_calls(lines, numbers, note, previous)
        if not found:
            found, weak = _find_calls(lines, numbers, note, (0, 0))
        if weak and len(found) == 1:
            index, start, _ = found[0]
            problems.warning(
                lines[index].number,
                f"the call of footnote {note.number} is taken to be the '{note.number}' glued to the number "
                f"'{lines[index].text[max(0, start - 8) : start].split()[-1]}'",
                "the page has no other call to it: check that it is not part of a number (as 'paragraph 5.2')",
            )
        if len(found) > 1:
            places = ", ".join(str(lines[index].number) for index, _, _ in found)
            problems.warning(
                note.line,
                f"footnote {note.number} could be called at lines {places}",
                f"the call at line {lines[found[0][0]].number} was taken: check it",
            )
        if not found:
            problems.error(note.line, f"footnote {note.number} has no call in the text")
            continue
        index, start, end = found[0]
        line = lines[index]
        label = f"[^{note.number}]"
        lines[index] = Line(line.number, line.text[:start] + label + line.text[end:], line.page_start)
        previous = (index, start + len(label))


def _find_calls(
    lines: list[Line], numbers: list[int], note: Note, after: Position
) -> tuple[list[tuple[int, int, int]], bool]:
    """Calls to `note` on its page, after `after` and above the note; a superscript call wins, and a
    call glued to a number (weak: True) is only looked for when there is no other."""
    superscripts: list[tuple[int, int, int]] = []
    digits: list[tuple[int, int, int]] = []
    weak: list[tuple[int, int, int]] = []
    first = max(after[0], bisect.bisect_left(numbers, note.page))
    for index in range(first, bisect.bisect_left(numbers, note.line)):
        line = lines[index]
        offset = after[1] if index == after[0] else 0
        superscripts += [(index, *span) for span in _superscript_calls(line.text, note.number, offset)]
        digits += [(index, *span) for span in _digit_calls(line.text, note.number, offset)]
        digits += [(index, *span) for span in _bracket_calls(line.text, note.number, offset)]
    strong = superscripts[:1] or digits
    if strong:
        return strong, False
    for index in range(first, bisect.bisect_left(numbers, note.line)):
        offset = after[1] if index == after[0] else 0
        weak += [(index, *span) for span in _weak_calls(lines[index].text, note.number, offset)]
    return weak, bool(weak)


def _superscript_calls(text: str, number: int, offset: int = 0) -> list[tuple[int, int]]:
    runs = SUPERSCRIPT_RUN.finditer(text, offset)
    return [(m.start(), m.end()) for m in runs if superscript_value(m.group()) == number]


def _digit_calls(text: str, number: int, offset: int = 0) -> list[tuple[int, int]]:
    """ "rights.3", "law3": digits glued to a word; not "6.3." nor "(2003)" nor "Article 3"."""
    found = DIGITS.finditer(text, offset)
    return [(m.start(), m.end()) for m in found if int(m.group()) == number and CALL_CONTEXT.search(text[: m.start()])]


def _bracket_calls(text: str, number: int, offset: int = 0) -> list[tuple[int, int]]:
    found = [(m.start(), m.end()) for m in BRACKET_CALL.finditer(text, offset) if int(m.group(1)) == number]
    if ")(" in text:  # the cited text's year, then the call
        cited = CITED_CALL.finditer(text, offset)
        found = sorted(found + [m.span("call") for m in cited if int(m.group("number")) == number])
    return found


def _weak_calls(text: str, number: int, offset: int = 0) -> list[tuple[int, int]]:
    """ "2010.2 It": digits glued to a number's punctuation and followed by a space or the line's end."""
    return [(m.start(), m.end()) for m in WEAK_CALL.finditer(text, offset) if int(m.group()) == number]


def why_untaken(lines: list[Line], citation: Citation) -> tuple[int, str] | None:
    """When the title note was not found although a line reads as one: that line, and why the foot
    it opens was not taken for notes (a note without a call above it, or a line that opens none),
    so that the message names the cause rather than a missing note."""
    number = citation.title_call or 1
    for index, line in enumerate(lines):
        match = NOTE_START.match(line.text)
        value = note_number(match) if match else 0
        if value != number or not (ADOPTION_WORDS.search(line.text) or A_DATE.search(line.text)):
            continue
        end = next((i for i in range(index + 1, len(lines)) if lines[i].page_start), len(lines))
        start = max((i for i in range(index + 1) if lines[i].page_start), default=0)
        page = lines[start:end]
        at = index - start
        groups = [(max(begin, at), end) for begin, end in _groups(page) if end > at]
        found = _read_notes(page, groups, Expected(number, number + 1))
        if found is None:  # a group that opens no note: the first line of one
            stray = next((page[begin] for begin, _ in groups[1:] if not NOTE_START.match(page[begin].text)), None)
            if stray is None:
                return line.number, "the numbers of the notes below it are not in order"
            return line.number, f"line {stray.number} below it, printed among the notes, is not one"
        uncalled = next((note for note in found if not _is_called(note, number, page[:at])), None)
        if uncalled is not None:
            return line.number, f"footnote {uncalled.number} (line {uncalled.line}) below it has no call above it"
    return None
