"""A raw file -> the texts in it: one for a single text, several for a part-session compilation.

A compilation ("Texts adopted by the Assembly — Provisional versions") has a cover, a table of
contents whose entries look like citation lines, then each text on a new page. A text starts at
a citation line that carries its footnote call or opens a page, names another text than the one
being read (a running header repeats the current one), and is followed by its title footnote;
anything else before the first text (a cover, the contents, a site's banner) is furniture.
"""

from __future__ import annotations

from dataclasses import dataclass

from .ingest_lines import Citation, Line, citation_at
from .ingest_notes import A_DATE, ADOPTION_WORDS, NOTE_START


@dataclass(frozen=True)
class Span:
    """One text of a raw file: lines[start:end], its citation line at `citation.index`."""

    start: int
    end: int
    citation: Citation


def split(lines: list[Line]) -> list[Span]:
    """The texts of a raw file, in order. Without any title note, the first citation line starts the
    one text (whose missing note is then reported); without a citation line there is none."""
    starts: list[Citation] = []
    for index in range(len(lines)):
        citation = _start_at(lines, index, starts[-1] if starts else None)
        if citation is not None:
            starts.append(citation)
    ends = [c.index for c in starts[1:]] + [len(lines)] * bool(starts)
    texts = [c for c, end in zip(starts, ends, strict=True) if _has_title_note(lines, c.index + 1, end)]
    # A text runs to the next text's citation line; the first one also holds what comes before it.
    if not texts:
        first = next((c for i in range(len(lines)) if (c := citation_at(lines, i))), None)
        texts = starts[:1] or ([first] if first else [])
    bounds = [0, *(c.index for c in texts[1:]), len(lines)]
    return [Span(bounds[i], bounds[i + 1], citation) for i, citation in enumerate(texts)]


def _start_at(lines: list[Line], index: int, current: Citation | None) -> Citation | None:
    if not lines[index].text:
        return None
    citation = citation_at(lines, index)
    if citation is None:
        return None
    if current is not None and _same_text(citation, current):
        return None  # the running header of the text being read
    opens_page = index == 0 or all(not line.text or line.is_break for line in lines[max(0, index - 3) : index])
    # A line with a title opens a page, as every text does: elsewhere it is a mention in the body
    # ("Resolution 1437 (2005) on migration …"); a bare one without its call is a text's only there.
    if citation.title is not None and not opens_page:
        return None
    return citation if citation.title_call is not None or opens_page else None


def _same_text(one: Citation, other: Citation) -> bool:
    return (one.type, one.number, one.year) == (other.type, other.number, other.year)


def _has_title_note(lines: list[Line], start: int, end: int) -> bool:
    for line in lines[start:end]:
        match = NOTE_START.match(line.text)
        if match and (ADOPTION_WORDS.search(line.text) or A_DATE.search(line.text)):
            return True
    return False
