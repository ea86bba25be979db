"""Paragraph numbers at the start of a raw line: "6.1.", "a.", and those printed without a final dot.

A dotted number is always a number (`pipeline check` then refuses one out of sequence). A number
without its dot ("1 The Assembly", "3.1 bring", "a adopt", as the web pages of about 2004–2010
print them) is one only when it is the next number in sequence: "2 000 people" is a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .ingest_adoption import MONTHS

BULLET = r"(?:[-–—•▪*][ \t\u00a0]+)"
SPACE = "[ \t\u00a0\u202f]"
NUMBERED = re.compile(rf"^{BULLET}?(?P<number>(?:\d{{1,3}}\.)+|[a-z]\.)(?P<space>{SPACE}*)(?P<text>.*)$")
UNDOTTED = re.compile(rf"^{BULLET}?(?P<number>\d{{1,3}}(?:\.\d{{1,3}})*|[a-z]){SPACE}+(?P<text>.*\S)$")
# "b. set up …", "b) …", "(ii) …", "iii. to report …": the marks of a list's items ("e.g." and "i.e."
# have no space after their first dot). The source numbers only "a."; the others stay in the text.
ROMAN_LETTERS = ("i", "v", "x")
ITEM_MARK = re.compile(r"^\(?(?:[a-z]|[ivx]{1,5})[.)][ \t\u00a0]")
# A number alone on its line, its text on the next one: "3" (the layout of some extractions).
BARE = re.compile(r"^\d{1,3}(?:\.\d{1,3})*$")
# What cannot follow a number: "2 000 people", "5 %", "3 per cent", "1 January".
NOT_A_PARAGRAPH = re.compile(r"^(?:\d|[%‰°,;:.)\-–]|per\b|pour\b|h\b)")
# After these endings a lettered item may follow ("… the following: a adopt …; b ensure …").
LIST_OPENING = (":", ";", ",", ".", " and", " or", " et", " ou")

Key = tuple[str, ...]


def numbered(text: str) -> tuple[str, str] | None:
    """ "6.1. the text" -> ("6.1.", "the text"); also "- 6.1. …" and "1.The …"; not "e.g." nor "1.5"."""
    match = NUMBERED.match(text)
    if match:
        number, rest = match.group("number"), match.group("text")
        glued_word = number[0].isdigit() and rest[:1].isalpha()
        if match.group("space") or not rest or glued_word:
            return number, rest
    return None


def undotted(text: str) -> tuple[str, str] | None:
    """ "3.1 bring …" -> ("3.1", "bring …"): a number without its final dot, if it may be one."""
    match = UNDOTTED.match(text)
    if not match or numbered(text):
        return None
    number, rest = match.group("number"), match.group("text")
    first_word = rest.split(" ", 1)[0].rstrip(",").lower()
    if NOT_A_PARAGRAPH.match(rest) or first_word in MONTHS or (number.isalpha() and not rest[:1].isalpha()):
        return None
    return number, rest


def key_of(number: str, lettered_under: Key) -> Key:
    parts = number.rstrip(".")
    if parts.isalpha():
        return (*lettered_under, parts)
    return tuple(str(int(part)) for part in parts.split("."))


@dataclass
class Sequence:
    """The numbers met so far in a section, to tell which numbers may come next."""

    last: Key = ()
    numeric: Key = ()  # the last number without letters: a lettered item goes under it
    seen: set[Key] = field(default_factory=set)

    def key(self, number: str) -> Key:
        return key_of(number, self.numeric)

    def fits(self, number: str, previous_text: str) -> bool:
        key = self.key(number)
        if key in self.seen:
            return False
        if key[-1].isalpha():
            return (
                bool(self.numeric)
                and key[-1] == _next_letter(self.last)
                and previous_text.rstrip().endswith(LIST_OPENING)
            )
        return key in self._next_numbers()

    def roman(self, number: str) -> bool:
        """ "i.", "v.", "x." where the next lettered item would be another letter: a roman numeral."""
        letter = number.rstrip(".")
        return letter in ROMAN_LETTERS and letter != _next_letter(self.last)

    def take(self, number: str) -> None:
        key = self.key(number)
        self.last = key
        if not key[-1].isalpha():
            self.numeric = key
        self.seen.add(key)

    def restart(self) -> None:
        self.last, self.numeric, self.seen = (), (), set()

    def _next_numbers(self) -> set[Key]:
        return next_numbers(self.numeric)


def next_numbers(numeric: Key) -> set[Key]:
    """The numbers that may follow `numeric`: after 3.1, 3.1.1, 3.2 or 4; after none, 1."""
    following: set[Key] = {(*numeric, "1")} if numeric else {("1",)}
    for depth in range(len(numeric), 0, -1):
        following.add((*numeric[: depth - 1], str(int(numeric[depth - 1]) + 1)))
    return following


def _next_letter(last: Key) -> str:
    if last and last[-1].isalpha():
        return chr(ord(last[-1]) + 1)
    return "a"
