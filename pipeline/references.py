"""Recognise mentions of adopted texts and Assembly documents in running text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .config import LinkPatterns
from .i18n import type_words
from .model import Inline, Reference, Text, TextType

# The types other texts cite by number (decisions are not).
CITED_TYPES = (TextType.RECOMMENDATION, TextType.RESOLUTION, TextType.OPINION, TextType.ORDER)


def _names(kind: TextType) -> str:
    """Every catalogue's singular and plural name of `kind`, as printed in the texts: an alternation."""
    words = {
        word for plural in (False, True) for word, (found, _) in type_words(plural=plural).items() if found == kind
    }
    return "|".join(re.escape(word) for word in sorted(words, key=lambda word: (-len(word), word)))


TYPE_WORDS = {kind.value: _names(kind) for kind in CITED_TYPES}
# Any of them, as a group of no capture: "Recommendation", "Avis", "Résolutions".
CITED_TYPE_NAMES = "(?:" + "|".join(TYPE_WORDS.values()) + ")"
_TYPE_ALTERNATIVES = "|".join(f"(?P<{kind}>{words})" for kind, words in TYPE_WORDS.items())
_NUMBER_LIST = r"\d{1,5}(?:(?:,\s+|\s+and\s+|\s+et\s+)\d{1,5})*"
TEXT_PATTERN = re.compile(
    rf"(?<![\w-])(?:{_TYPE_ALTERNATIVES})\s+(?P<numbers>{_NUMBER_LIST})"
    rf"(?:\s+\((?P<year>\d{{4}})\)|(?![\w(]|\s+\())"
)
DOCUMENT_PATTERN = re.compile(r"(?<![\w-])Doc\.\s+(?P<number>\d{1,6})(?!\w)")
NUMBER = re.compile(r"\d+")

# Texts of other bodies with the same shape: "Security Council Resolution 1373 (2001)",
# "Resolution 1373 (2001) of the Security Council".
FOREIGN_BEFORE = re.compile(
    r"(?:Council|Assembly|Ministers|Nations|UN|Parliament|Commission|ECOSOC|EU|Union)"
    r"(?:'s|’s)?\s+$"
)
FOREIGN_AFTER = re.compile(
    r"\s+(?:of|by|du|de)\s+(?:the\s+|la\s+|l’|l')?(?:United Nations|UN\b|Security Council|"
    r"General Assembly|Conseil de sécurité|Assemblée générale|European|Committee of Ministers|"
    r"Comité des Ministres)"
)

FOREIGN_WINDOW = 80  # characters: the longest body name with its spacing fits many times over


Cited = dict[tuple[str, str], int]


def link_references(text: str, language: str, links: LinkPatterns, cited: Cited) -> Iterator[Inline]:
    """Split `text` into Text and Reference pieces, in order.

    A mention without a year ("Since Recommendation 1370, ...") is linked only when the same
    text was cited earlier with its year; `cited` records those citations as it goes.
    """
    matches = _text_references(text, language, links, cited) + _document_references(text, language, links)
    matches.sort(key=lambda match: (match[0], match[1]))
    position = 0
    for start, end, reference in matches:
        if start < position:  # overlapping match: the earlier one wins
            continue
        if start > position:
            yield Text(text[position:start])
        yield reference
        position = end
    if position < len(text):
        yield Text(text[position:])


Match = tuple[int, int, Reference]


def _text_references(text: str, language: str, links: LinkPatterns, cited: Cited) -> list[Match]:
    found: list[Match] = []
    for match in TEXT_PATTERN.finditer(text):
        if _foreign(text, match.start(), match.end()):
            continue
        kind = next(k for k in TYPE_WORDS if match.group(k))
        numbers = list(NUMBER.finditer(text, match.start("numbers"), match.end("numbers")))
        if match.group("year"):
            year = int(match.group("year"))
            cited.update({(kind, number.group()): year for number in numbers})
        elif len(numbers) == 1 and (kind, numbers[0].group()) in cited:
            year = cited[(kind, numbers[0].group())]
        else:
            continue
        # Each number links on its own; the first takes the type word, the last the year.
        for index, number in enumerate(numbers):
            start = match.start() if index == 0 else number.start()
            end = match.end() if index == len(numbers) - 1 else number.end()
            url = links.text.format(type=kind, number=number.group(), year=year, language=language)
            found.append((start, end, Reference(text[start:end], kind, number.group(), year, url)))
    return found


def _foreign(text: str, start: int, end: int) -> bool:
    """Whether the mention is of another body's text. Only a window around it is searched, never
    the whole paragraph again: a paragraph of a thousand references stays linear."""
    before = text[max(0, start - FOREIGN_WINDOW) : start]
    return bool(FOREIGN_BEFORE.search(before) or FOREIGN_AFTER.match(text, end, end + FOREIGN_WINDOW))


def _document_references(text: str, language: str, links: LinkPatterns) -> list[Match]:
    found: list[Match] = []
    for match in DOCUMENT_PATTERN.finditer(text):
        number = match.group("number")
        url = links.document.format(number=number, language=language) if links.document else ""
        found.append((match.start(), match.end(), Reference(match.group(), "document", number, None, url)))
    return found
