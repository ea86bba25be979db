"""Language-aware typography, applied once to the model so that every edition agrees.

- Quotation marks: straight quotes typed in a source become the language's own (languages.py):
  “…” and ‘…’ in English, « … » in French; an apostrophe becomes ’. One engine sets them
  everywhere: markdown-it's smart quotes, which pair marks across emphasis and links in the body
  (body.py) and work on plain text such as the metadata here; a straight quote it cannot pair is
  set from the character before it (`unpaired_mark`).
- French spacing (Imprimerie nationale rules, as in the Assembly's French texts): a narrow
  no-break space (U+202F) before ; ! ? and a no-break space (U+00A0) before : and inside « ».
  Existing spaces there are made unbreakable; missing ones are added, except before a colon
  (10:30, addresses).
- No-break spaces, in every language, where a line must not break (the Assembly's print rules):
  inside dates ("24 June 2003", "27 février"), "Doc. 9814", "Recommendation 1607 (2003)", after
  a title ("Mr", "Mme", "M."), between digit groups ("3 200 000").
- Protected words (print only): what the print edition must not hyphenate, see `protected_spans`.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterator

from markdown_it import MarkdownIt

from .languages import base_language
from .languages import quotation_marks as marks_of

NBSP = "\u00a0"
NNBSP = "\u202f"
LAYOUT_HYPHEN = "\u2010"  # what WeasyPrint draws where it hyphenates (its default hyphenate-character)
_SPACES = "[ \u00a0\u202f]"
_BEFORE_TALL = re.compile(rf"(?:{_SPACES}+|(?<=[\w»)\]]))([;!?])")
_BEFORE_COLON = re.compile(rf"{_SPACES}+:")
_AFTER_OPENING = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}*»")
STRAIGHT_QUOTE = re.compile(r"[\"']")
OPENS_AFTER = frozenset(" \t\n\u00a0\u202f([{\u2014\u2013\u201c\u2018\u00ab")  # before an opening mark


@functools.lru_cache(maxsize=16)  # one per language; sources cannot make it grow
def _smart_quotes(language: str) -> MarkdownIt:
    """markdown-it with no syntax at all but its smart quotes: plain text in, plain text out."""
    return MarkdownIt("zero", {"typographer": True, "quotes": marks_of(language)}).enable("smartquotes")


def quotation_marks(text: str, language: str) -> str:
    """Plain `text` with the language's quotation marks and apostrophes for straight quotes."""
    if not STRAIGHT_QUOTE.search(text):
        return text
    tokens = _smart_quotes(base_language(language)).parseInline(text)
    curled = "".join(child.content for child in tokens[0].children or ()) if tokens else text
    marks = marks_of(language)
    return STRAIGHT_QUOTE.sub(lambda match: unpaired_mark(match, "", marks), curled)


def unpaired_mark(match: re.Match[str], previous: str, marks: str) -> str:
    """The mark for a straight quote the engine could not pair: opening after a space or a
    bracket (or at the start, when `previous`, the character before the text, is none),
    closing otherwise."""
    before = match.string[match.start() - 1] if match.start() else previous
    opening = before == "" or before in OPENS_AFTER
    offset = 0 if match.group() == '"' else 2
    return marks[offset] if opening else marks[offset + 1]


# An address typed in the text: "?" and ";" there are part of it, and a space would break it.
# It ends before a closing punctuation mark, which belongs to the sentence.
_ADDRESS = re.compile(r"(?:https?://|www\.|mailto:)(?:[^\s<>«»“”\"]*[^\s<>«»“”\".,;:!?)\]])?", re.IGNORECASE)


def french_spacing(text: str) -> str:
    """French spaces everywhere in `text` but inside web and mail addresses."""
    if "://" not in text and "www." not in text.lower() and "mailto:" not in text.lower():
        return _french_spacing(text)
    pieces, position = [], 0
    for match in _ADDRESS.finditer(text):
        pieces += [_french_spacing(text[position : match.start()]), match.group()]
        position = match.end()
    return "".join([*pieces, _french_spacing(text[position:])])


def _french_spacing(text: str) -> str:
    text = _BEFORE_TALL.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    return _BEFORE_CLOSING.sub(NBSP + "»", text)


def spacing_for(language: str) -> Callable[[str], str]:
    """Spacing of `language`, for text whose quotation marks are already set (the body's,
    by the Markdown parser's smart quotes)."""
    if base_language(language) == "fr":
        return lambda text: french_spacing(no_break_spaces(text))
    return no_break_spaces


def title_colon(language: str) -> str:
    """The colon between a citation and a title: French sets a no-break space before it."""
    return NBSP + ":" if base_language(language) == "fr" else ":"


def semicolon(language: str) -> str:
    """The semicolon the templates write between generated phrases (the documents of a title
    note): French sets a narrow no-break space before it, as the reader does in a text."""
    return NNBSP + ";" if base_language(language) == "fr" else ";"


def typography_for(language: str) -> Callable[[str], str]:
    """Quotation marks and spacing of `language`, for plain text such as the metadata (whose
    values stay plain: the templates keep generated phrases on one line where they print them)."""
    if base_language(language) == "fr":
        return lambda text: french_spacing(quotation_marks(text, language))
    return lambda text: quotation_marks(text, language)


# Month names of both languages as Babel writes them (the dates the templates print come from it;
# tests/test_typography_months.py checks they are the same): written out here, because loading
# Babel's French locale data on every start would cost an English text's build a tenth of its time.
MONTH_NAMES = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
}  # fmt: skip
MONTHS = sorted({name for names in MONTH_NAMES.values() for name in names}, key=lambda name: (-len(name), name))
_MONTH = "|".join(MONTHS)
_TYPE_WORD = "Recommendations?|Recommandations?|Resolutions?|Résolutions?|Opinions?|Avis|Orders?|Directives?|Doc\\."
# A number written in digit groups ("3 200 000"), whichever space the source has between them.
GROUPED_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\w])")
# (pattern, what it keeps together); each space of a match becomes a no-break space
NO_BREAK = re.compile(
    "|".join(
        (
            rf"(?<![\w.])\d{{1,2}}(?:er)?[ \u00a0](?:{_MONTH})(?:[ \u00a0]\d{{4}})?(?![\w])",
            rf"(?<![\w-])(?:{_TYPE_WORD})[ \u00a0]\d{{1,6}}(?:[ \u00a0]\(\d{{4}}\))?(?![\w])",
            r"(?<![\w.])(?:Mr|Ms|Mrs|Dr|Mme|Mmes|Mlle|MM\.|M\.)[ \u00a0](?=[A-ZÀ-Ý])",
            GROUPED_NUMBER.pattern,
        )
    )
)


def no_break_spaces(text: str) -> str:
    """`text` with no-break spaces where a line break would split a date, a citation, a title
    from its name or a number between its digit groups (a narrow space there stays narrow).
    A typed U+2010 HYPHEN becomes a hyphen-minus: the print edition keeps U+2010 for the hyphens
    its line breaking adds, which its text layer gives to readers as soft hyphens."""
    return NO_BREAK.sub(lambda match: match.group().replace(" ", NBSP), text.replace(LAYOUT_HYPHEN, "-"))


# What the print edition never hyphenates. Capitalised words (Latin, Greek, Cyrillic, Armenian),
# as TeX's \uchyph=0 does: proper names, the Assembly and its committees, months, the type
# words of citations ("Recom-mendation").
# A date as a whole, so that "27 février" keeps its month. The last word before the end of a
# sentence that ends a run of text: a paragraph's last word, which would leave a fragment alone
# on the last line ("Minis-/ters:").
@functools.cache
def _capitals() -> str:
    """Every uppercase and titlecase letter of the cased scripts of the texts (Latin, Greek and
    Cyrillic with their extensions: "Ș", "Ґ", "Ἀ"; Armenian; Georgian's Mtavruli), as the body
    of a character class."""
    blocks = ((0x41, 0x24F), (0x1E00, 0x1EFF), (0x370, 0x3FF), (0x1F00, 0x1FFF), (0x400, 0x52F), (0x531, 0x556))
    letters = (chr(code) for low, high in (*blocks, (0x1C90, 0x1CBF)) for code in range(low, high + 1))
    return "".join(re.escape(letter) for letter in letters if unicodedata.category(letter) in ("Lu", "Lt"))


WORD_CHARACTERS = "\\w’'\\-\u00ad"  # a word's characters: a soft hyphen the author wrote is inside it
_DATE = rf"(?<![\w.])\d{{1,2}}(?:er)?\u00a0(?:{_MONTH})(?:\u00a0\d{{4}})?(?![\w])"
_LAST_WORD = rf"[{WORD_CHARACTERS}]+(?=[^\w\s]*\s*$)"
SHORTEST_HYPHENATED = 6
_HYPHENABLE = re.compile(rf"[{WORD_CHARACTERS}]{{{SHORTEST_HYPHENATED},}}")


# The capitals' patterns are made on first use, by the print edition alone: listing the capitals
# and compiling their classes is a tenth of the start of a one-text HTML build, which needs none.
@functools.cache
def _pattern(name: str) -> re.Pattern[str]:
    capitals = _capitals()
    capitalised = rf"(?<![{WORD_CHARACTERS}])[{capitals}][{WORD_CHARACTERS}]*"
    return re.compile(
        {
            "PROTECTED": "|".join((_DATE, capitalised, _LAST_WORD)),
            # What of it the print template wraps in keep spans (`hyphens: none`). Not the
            # capitalised words: the line breaker keeps a word whole where it begins with a capital
            # (renderers/pdf_hyphens.py), and an element per word made WeasyPrint's work a third
            # longer. Not a piece whose words are all shorter than the print style's shortest
            # hyphenated word (hyphenate-limit-chars): it could not be hyphenated anyway.
            "SPANNED": "|".join((_DATE, rf"(?<![{WORD_CHARACTERS}])(?![{capitals}]){_LAST_WORD}")),
            "CAPITAL": f"[{capitals}]",
            "CAPITALISED_WORD": capitalised,
        }[name]
    )


def protected() -> re.Pattern[str]:
    """What the print edition never hyphenates: dates, capitalised words, a run's last word."""
    return _pattern("PROTECTED")


def in_capitalised_word(word: str, text: str) -> bool:
    """Whether `word`, as the line breaker cuts words out of `text`, begins with a capital or is
    part of a capitalised word of `text`: a compound ("Non-governmental") or an elision
    ("L’internationalisation"), of which the line breaker sees the second part alone."""
    if _pattern("CAPITAL").match(word):
        return True
    return any(word in whole for whole in _capitalised_words(text) if len(whole) > len(word))


@functools.lru_cache(maxsize=64)
def _capitalised_words(text: str) -> tuple[str, ...]:
    """The capitalised words of a text the line breaker is splitting: it asks once per word."""
    return tuple(match.group() for match in _pattern("CAPITALISED_WORD").finditer(text))


def protected_spans(text: str, words: frozenset[str] = frozenset()) -> Iterator[tuple[str, bool]]:
    """`text` cut into (piece, kept) pairs, in order: a kept piece goes in a keep span. Dates,
    a run's last word and `words` (those the line breaker would make a third hyphenated line
    in a row, see renderers/pdf.py) wherever they occur, when they could be hyphenated at all;
    capitalised words are kept whole by the line breaker itself."""
    position = 0
    for match in _spanned(words).finditer(text):
        if not _HYPHENABLE.search(match.group()):
            continue
        if match.start() > position:
            yield text[position : match.start()], False
        yield match.group(), True
        position = match.end()
    if position < len(text):
        yield text[position:], False


def _spanned(words: frozenset[str]) -> re.Pattern[str]:
    spanned = _pattern("SPANNED")
    if not words:
        return spanned
    listed = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![{WORD_CHARACTERS}])(?:{listed})(?![{WORD_CHARACTERS}])|{spanned.pattern}")
