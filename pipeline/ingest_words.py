"""Words hyphenated at the end of a line: rejoined, or the hyphen kept ("co-operation", "1998-2002").

The decision comes from evidence, in this order: the text's own vocabulary (the same word written
elsewhere in the text, whole or with its hyphen), then the word list of the text's language
(pyspellchecker's English and French lists, with word frequencies). When both forms are words and
the text does not say which one it uses, the more frequent form is taken and the line is reported.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from spellchecker import SpellChecker

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
LAST_FRAGMENT = re.compile(r"([^\W\d_]+)-$")
FIRST_WORD = re.compile(r"^([^\W\d_]+)")
DIGIT_HYPHEN = re.compile(r"\d-$")
CLEAR = 10  # one reading this many times more frequent than the other decides without a doubt


@dataclass(frozen=True)
class Decision:
    """How a line continues the text before it: after `separator`, `drop` characters taken off its end."""

    separator: str
    drop: int
    hyphen: str  # "kept", "removed", "" (no hyphen at the line end)
    word: str = ""  # the word as written into the source
    doubt: str = ""  # why the choice is uncertain, empty when the evidence decided


class Vocabulary:
    """How often each word (lower case, compounds with their hyphens) occurs in one text."""

    def __init__(self, lines: Iterable[str], language: str) -> None:
        self.counts: Counter[str] = Counter()
        for line in lines:
            # A fragment cut at the end of a line is not a word of the text.
            self.counts.update(word.lower() for word in WORD.findall(line.removesuffix("-")))
        self.language = language

    def decide(self, previous: str, text: str) -> Decision:
        """How the line `text` continues `previous` (the end of a paragraph, where a line ended)."""
        if DIGIT_HYPHEN.search(previous[-2:]) and text[:1].isdigit():
            return Decision("", 0, "kept", _tail(previous) + text.split(" ", 1)[0])  # "1998-2002"
        fragment, following = LAST_FRAGMENT.search(previous[-80:]), FIRST_WORD.match(text)
        if fragment is None or following is None:
            return Decision(" ", 0, "")
        left, right = fragment.group(1), following.group(1)
        keep, doubt = self._keep_hyphen(left, right)
        if keep:
            return Decision("", 0, "kept", f"{left}-{right}", doubt)
        return Decision("", 1, "removed", left + right, doubt)

    def _keep_hyphen(self, left: str, right: str) -> tuple[bool, str]:
        if right[0].isupper():
            return True, ""  # "Franco-German": a word is never cut before a capital
        joined, hyphened = (left + right).lower(), f"{left}-{right}".lower()
        seen_joined, seen_hyphened = self.counts[joined], self.counts[hyphened]
        if seen_joined != seen_hyphened:
            return seen_hyphened > seen_joined, ""
        words = word_list(self.language)
        joined_known, hyphened_known = joined in words, hyphened in words
        parts_known = left.lower() in words and right.lower() in words
        if hyphened_known and not joined_known:
            return True, ""
        if not joined_known:
            return parts_known, ""  # "well-being" is two words; "isation" is none
        if not parts_known and not hyphened_known:
            return False, ""
        # Both readings are words ("co-operation", "in-dependent"): the more frequent one is taken,
        # and reported unless it is far more frequent (a part such as "sion" is a rare word).
        joined_frequency = words.frequency(joined)
        parts_frequency = min(words.frequency(left.lower()), words.frequency(right.lower()))
        keep = hyphened_known or parts_frequency > joined_frequency
        if hyphened_known or max(joined_frequency, parts_frequency) >= CLEAR * min(joined_frequency, parts_frequency):
            return keep, ""
        chosen = f"{left}-{right}" if keep else left + right
        return keep, f"'{left}-' + '{right}' could be '{left + right}' or '{left}-{right}'; taken as '{chosen}'"


def join_lines(text: str, vocabulary: Vocabulary) -> str:
    """The lines of a wrapped footnote joined, hyphens at line ends decided as in the body."""
    pieces: list[str] = []
    for line in text.split("\n"):
        if pieces:
            decision = vocabulary.decide(pieces[-1][-80:], line)
            if decision.drop:
                pieces[-1] = pieces[-1][: -decision.drop]
            pieces.append(decision.separator)
        pieces.append(line)
    return "".join(pieces)


class WordList:
    def __init__(self, language: str) -> None:
        self._checker = SpellChecker(language=language, distance=1)

    def __contains__(self, word: str) -> bool:
        return word in self._checker.word_frequency

    def frequency(self, word: str) -> int:
        return int(self._checker.word_frequency[word])


@cache
def word_list(language: str) -> WordList:
    """The word list of a language, read once per process (about 0.1 s)."""
    return WordList("fr" if language.startswith("fr") else "en")


def _tail(text: str) -> str:
    return text.rsplit(" ", 1)[-1]
