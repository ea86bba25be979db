"""Raw PDF text -> clean lines: the citation line found, running headers turned into page breaks."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from .errors import Problems
from .i18n import type_words
from .model import TextType
from .safety import LIGATURE, LIGATURES

PAGE_BREAK = "\f"
SOFT_HYPHEN = "\u00ad"
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUPERSCRIPT_RUN = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
# "[Recommendation 1234 \(2001\)](#)": the extraction's link to nowhere around a mention.
EMPTY_LINK = re.compile(r"\[((?:\\.|[^\]\\])*)\]\(#?\)")
ESCAPED_BRACKET = re.compile(r"\\([()\[\]])")

# The citation word of each type in every catalogue's language, with the language it gives away.
TYPE_WORDS: dict[str, tuple[TextType, str]] = type_words()
WORDS_BY_CASE = {word.casefold(): word for word in TYPE_WORDS}
PROVISIONAL_WORDS = r"(?:Provisional (?:edition|version)|(?:Édition|Version) provisoire)"
# "Resolution 2529 (2024)¹", "… (2024)1Provisional version", "RESOLUTION 2369 (2021)(1)": the call
# glued, spaced or in brackets, and the status on the same line, as real extractions print them.
# Earlier eras number some types ("Opinion No. 15 (1953)", "Order No. 500 (1994)", "Avis n° 9") and
# print the title on the citation line ("Recommendation 800 (1977)¹ on the protection of …"): from a
# linking word, or after a call from a capital, so that a mention in a wrapped line ("Resolution 1437
# (2005)³ and the work …") is not taken for a title.
TITLE_LINK = r"(?:on|sur|relative?|relatif|concernant|concerning|regarding)\b"
CITATION = re.compile(
    rf"^(?P<word>{'|'.join(map(re.escape, TYPE_WORDS))})\s+(?:(?:No|N°|n°|no)\.?\s*)?(?P<number>\d{{1,5}})"
    rf"\s+\((?P<year>\d{{4}})\)"
    rf"\s?(?P<call>[{SUPERSCRIPT_DIGITS}]+|\d{{1,2}}|\(\d{{1,2}}\)|\*)?"
    rf"(?:\s*[–—-]?\s*(?P<status>{PROVISIONAL_WORDS})"
    rf"|(?(call)\s*(?={TITLE_LINK}|(?-i:[^\W\d_a-zà-ÿ]))|\s+(?={TITLE_LINK}))(?P<title>[^\W\d_].*?))?$",
    re.IGNORECASE,
)
# Lines that belong to the page, not to the text: "Pag. 2", "Page 3 of 7", "- 4 -", rules of "____".
PAGE_MARKER = re.compile(
    r"^(?:(?:Pag\.|Page|p\.)\s*\d{1,4}(?:\s*(?:/|of|sur|de)\s*\d{1,4})?|[-–]\s*\d{1,4}\s*[-–])$", re.IGNORECASE
)
REPEATED_EDGE = 2  # the same line at the edge of two pages: a header or footer
EDGE_LAYERS = 3  # a running title, a footer and a page number may be stacked at one edge
# A footnote or a paragraph opens with its number: never page furniture, however alike ("3. Ibid.").
NUMBERED_LINE = re.compile(
    rf"^(?:\(\d{{1,3}}\)|\d{{1,3}}(?:\.\d{{1,3}})*\.?(?!\d)|[{SUPERSCRIPT_DIGITS}]+)[ \t\u00a0]*[^\d\s]"
)
SENTENCE_END = (".", ":", ";", "!", "?", "»", "”", '"', "’")
RULE = re.compile(r"^[_\-–—=*·.]{5,}$")
# The foot of a text's first page since the 2010s: "F - 67075 Strasbourg Cedex | assembly@coe.int | Tel: …".
ADDRESS = re.compile(r"^F\s*[-–]\s*67075\s+Strasbourg\s+Cedex\b")
PAGE_NUMBER = re.compile(r"^\d{1,4}$")  # "2" alone on a line: a page number, or a paragraph's ("3")


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
    provisional: bool = False  # "Provisional version" on the citation line itself
    title: str | None = None  # the title printed on the citation line, as in earlier eras

    def is_header(self, text: str) -> bool:
        """The running header of later pages: the citation again, in any case, with or without status
        or a page number."""
        match = CITATION.match(" ".join(text.split()))
        return match is not None and _repeats(match, self.header)


def read_lines(raw: bytes, problems: Problems, furniture: list[int]) -> list[Line] | None:
    """The lines of a raw file, trimmed, with link syntax undone and form feeds as page breaks.

    Page markers become page breaks and rules blank lines; their line numbers go to `furniture`.
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Text copied from older web pages and word processors is often Windows-1252.
        line = raw[: exc.start].count(b"\n") + 1
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError:
            problems.error(line, "the file is not valid UTF-8", "convert it to UTF-8")
            return None
        problems.warning(line, "the file is not valid UTF-8: read as Windows-1252", "check the accented letters")
    lines: list[Line] = []
    for number, content in enumerate(text.split("\n"), start=1):
        for piece, part in enumerate(content.split(PAGE_BREAK)):
            if piece:
                lines.append(Line(number, PAGE_BREAK))
            cleaned = clean(part)
            if PAGE_MARKER.match(cleaned) or RULE.match(cleaned) or ADDRESS.match(cleaned):
                furniture.append(number)
                lines.append(Line(number, PAGE_BREAK if PAGE_MARKER.match(cleaned) else ""))
            else:
                lines.append(Line(number, cleaned))
    return _without_repeated_edges(lines, furniture)


def _without_repeated_edges(lines: list[Line], furniture: list[int]) -> list[Line]:
    """A line printed at the top or foot of two pages or more is the page's, not the text's (a
    compilation's running title, a footer); citation lines stay (they are the running headers), and
    so do lines that open with a number (footnotes, paragraphs).

    A page may stack such lines (a footer above the page number): once the outer ones are taken
    away, the lines they covered are edges too, and looked at again."""
    for _ in range(EDGE_LAYERS):
        page_list = _pages(lines)
        repeated = _repeated_edges(lines, page_list) | _page_numbers(lines, page_list)
        if not repeated:
            break
        furniture += [lines[index].number for index in sorted(repeated)]
        lines = [Line(line.number, "") if index in repeated else line for index, line in enumerate(lines)]
    return lines


def _pages(lines: list[Line]) -> list[list[int]]:
    """The indices of the non-blank lines of each page. A page ends at a form feed or a running header;
    a text's citation line, with its call, opens a page of its own (a compilation without form feeds
    prints its running title under each text's notes)."""
    result: list[list[int]] = [[]]
    current = ""  # the citation of the text being read, as its running header repeats it
    for index, line in enumerate(lines):
        match = CITATION.match(" ".join(line.text.split()))
        cut = line.is_break or (match and (not match.group("call") or _repeats(match, current)))
        if match and not cut:
            current = match.group(0)[: match.start("call")].rstrip()
        if (cut or match) and result[-1]:  # a form feed and a header together cut once
            result.append([])
        if line.text and not cut:
            result[-1].append(index)
    return result


def _repeats(match: re.Match[str], header: str) -> bool:
    """Whether a citation line is the running header `header`: without a call, or followed by a page
    number ("Resolution 2112 (2016) 2": spaced, where a call is glued)."""
    call = match.group("call")
    if call and not (header and call.isdigit() and match.string[match.start("call") - 1] == " "):
        return False
    return match.group(0)[: len(header)].casefold() == header.casefold()


def _repeated_edges(lines: list[Line], page_list: list[list[int]]) -> set[int]:
    edges = [index for page in page_list for index in (page[:1] + page[-1:] if len(page) > 1 else page)]
    edges = [index for index in edges if not _goes_on(lines, index)]
    counts = Counter(_shape(lines[index].text) for index in set(edges))
    return {
        index
        for index in set(edges)
        if counts[_shape(lines[index].text)] >= REPEATED_EDGE and not _is_text(lines[index].text)
    }


def _goes_on(lines: list[Line], index: int) -> bool:
    """A line opening with a word in lower case right under one that stops mid-sentence is the rest
    of its sentence: two texts adopted at one sitting end their title notes alike ("by the Assembly
    on 23 June 2015 …"). An address ("https://…", "assembly.coe.int") opens with no word."""
    above = lines[index - 1].text if index > 0 else ""
    first, *rest = lines[index].text.split(" ", 1)
    word = first.rstrip(",;:")
    return bool(above and rest) and not above.endswith(SENTENCE_END) and word.isalpha() and word.islower()


def _page_numbers(lines: list[Line], page_list: list[list[int]]) -> set[int]:
    """A number alone on the last line of a page that is the number of its page (or of the next one,
    printed above that page's header), or alone on the first line of a later page that is its number:
    the page's, printed once. Pages are counted from 1; a paragraph number alone on its line that
    happens to be its page's is taken too, and `check` then reports the gap in the numbering."""
    found: set[int] = set()
    for ordinal, page in enumerate(page_list, start=1):
        if page and PAGE_NUMBER.match(lines[page[-1]].text) and int(lines[page[-1]].text) in (ordinal, ordinal + 1):
            found.add(page[-1])
        if page and ordinal > 1 and PAGE_NUMBER.match(lines[page[0]].text) and int(lines[page[0]].text) == ordinal:
            found.add(page[0])
    return found


def _is_text(text: str) -> bool:
    return bool(CITATION.match(" ".join(text.split())) or NUMBERED_LINE.match(text))


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.split())).casefold()


def clean(text: str) -> str:
    # Only ASCII blanks are trimmed: a no-break space is typography, kept exactly.
    text = text.strip(" \t\r")
    # A soft hyphen only marks where a word may be cut: one at the end of the line says it was
    # (written as a hyphen the word list will take away), any other is dropped.
    ends_cut = text.endswith(SOFT_HYPHEN) and text[-2:-1].isalpha()
    text = text.replace(SOFT_HYPHEN, "") + ("-" if ends_cut else "")
    # A PDF's ligature glyph ("ﬁ") extracts as one character: the source gets the letters.
    text = LIGATURE.sub(lambda match: LIGATURES[match.group()], text)
    return EMPTY_LINK.sub(lambda m: ESCAPED_BRACKET.sub(r"\1", m.group(1)), text)


def citation_at(lines: list[Line], index: int) -> Citation | None:
    line = lines[index]
    text = " ".join(line.text.split())
    match = CITATION.match(text)
    if not match:
        return None
    text_type, language = TYPE_WORDS[WORDS_BY_CASE[match.group("word").casefold()]]
    call = match.group("call")
    after = "status" if match.group("status") else "title" if match.group("title") else None
    end = match.start("call") if call else match.start(after) if after else len(text)
    return Citation(
        index,
        line.number,
        text_type,
        int(match.group("number")),
        int(match.group("year")),
        language,
        (1 if call == "*" else superscript_value(call.strip("()"))) if call else None,  # "*": the title note
        text[:end].rstrip(),
        provisional=bool(match.group("status")),
        title=match.group("title"),
    )


def pages(lines: list[Line], citation: Citation) -> list[list[Line]]:
    """The lines after the citation, cut into pages; the running header is the cut."""
    result: list[list[Line]] = [[]]
    for line in lines[citation.index + 1 :]:
        if line.is_break or citation.is_header(line.text):
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
