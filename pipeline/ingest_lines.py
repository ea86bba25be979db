"""Raw PDF text -> clean lines: the citation line found, running headers turned into page breaks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problems
from .model import TextType

PAGE_BREAK = "\f"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# "[Recommendation 1234 \(2001\)](#)": the extraction's link to nowhere around a mention.
EMPTY_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(#?\)")
ESCAPED_BRACKET = re.compile(r"\\([()\[\]])")

# The citation word of each type, in English and French, with the language it gives away.
TYPE_WORDS: dict[str, tuple[TextType, str]] = {
    "Recommendation": (TextType.RECOMMENDATION, "en"),
    "Recommandation": (TextType.RECOMMENDATION, "fr"),
    "Resolution": (TextType.RESOLUTION, "en"),
    "Résolution": (TextType.RESOLUTION, "fr"),
    "Opinion": (TextType.OPINION, "en"),
    "Avis": (TextType.OPINION, "fr"),
    "Order": (TextType.ORDER, "en"),
    "Directive": (TextType.ORDER, "fr"),
}
CITATION = re.compile(
    rf"^(?P<word>{'|'.join(TYPE_WORDS)})\s+(?P<number>\d{{1,5}})\s+\((?P<year>\d{{4}})\)"
    rf"\s?(?P<call>[{SUPERSCRIPT_DIGITS}]+|\d{{1,2}})?$"
)


@dataclass(frozen=True)
class Line:
    """One line of the raw file: `number` is its 1-based line there, for every message."""

    number: int
    text: str
    page_start: bool = False  # the first line of content after a page break

    @property
    def is_break(self) -> bool:
        return self.text == PAGE_BREAK


@dataclass(frozen=True)
class Citation:
    """ "Recommendation 1607 (2003)¹": what the text is, and the call of its title footnote."""

    index: int  # position in the list of lines
    line: int
    type: TextType
    number: int
    year: int
    language: str
    title_call: int | None
    header: str  # the citation without its call, as repeated at the top of later pages


def read_lines(path: Path, problems: Problems) -> list[Line] | None:
    """The lines of a raw file, trimmed, with link syntax undone and form feeds as page breaks."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.error(raw[: exc.start].count(b"\n") + 1, "the file is not valid UTF-8", "convert it to UTF-8")
        return None
    lines: list[Line] = []
    for number, content in enumerate(text.split("\n"), start=1):
        for piece, part in enumerate(content.split(PAGE_BREAK)):
            if piece:
                lines.append(Line(number, PAGE_BREAK))
            lines.append(Line(number, clean(part)))
    return lines


def clean(text: str) -> str:
    # Only ASCII blanks are trimmed: a no-break space is typography, kept exactly.
    text = text.strip(" \t\r")
    return EMPTY_LINK.sub(lambda m: ESCAPED_BRACKET.sub(r"\1", m.group(1)), text)


def find_citation(lines: list[Line]) -> Citation | None:
    for index, line in enumerate(lines):
        text = " ".join(line.text.split())
        match = CITATION.match(text)
        if match:
            text_type, language = TYPE_WORDS[match.group("word")]
            call = match.group("call")
            return Citation(
                index,
                line.number,
                text_type,
                int(match.group("number")),
                int(match.group("year")),
                language,
                superscript_value(call) if call else None,
                text[: match.start("call")].rstrip() if call else text,
            )
    return None


def pages(lines: list[Line], citation: Citation) -> list[list[Line]]:
    """The lines after the citation, cut into pages; the running header is the cut."""
    result: list[list[Line]] = [[]]
    for line in lines[citation.index + 1 :]:
        if line.is_break or " ".join(line.text.split()) == citation.header:
            result.append([])
        else:
            result[-1].append(line)
    return [page for page in result if any(line.text for line in page)]


def mark_page_starts(page_list: list[list[Line]]) -> list[Line]:
    """The pages joined again, each page's first non-blank line flagged as following a break."""
    joined: list[Line] = []
    for position, page in enumerate(page_list):
        first = next(i for i, line in enumerate(page) if line.text)
        for index, line in enumerate(page):
            flagged = position > 0 and index == first
            joined.append(Line(line.number, line.text, page_start=True) if flagged else line)
    return joined


def superscript_value(text: str) -> int:
    return int(text.translate(TO_DIGITS))
