"""Language-aware typography, applied once to the model so that every edition agrees.

- Quotation marks: straight quotes typed in a source become the language's own: “…” and ‘…’ in
  English, « … » in French; an apostrophe becomes ’.
- French spacing (Imprimerie nationale rules, as in the Assembly's French texts): a narrow
  no-break space (U+202F) before ; ! ? and a no-break space (U+00A0) before : and inside « ».
  Existing spaces there are made unbreakable; missing ones are added, except before a colon
  (10:30, addresses).
"""

from __future__ import annotations

import re
from collections.abc import Callable

NBSP = "\u00a0"
NNBSP = "\u202f"
_SPACES = "[ \u00a0\u202f]"
_BEFORE_TALL = re.compile(rf"(?:{_SPACES}+|(?<=[\w»)\]]))([;!?])")
_BEFORE_COLON = re.compile(rf"{_SPACES}+:")
_AFTER_OPENING = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}*»")
_APOSTROPHE = re.compile(r"(?<=\w)'")
_OPENING_SINGLE = re.compile(r"(?:^|(?<=[\s(\[—–]))'(?=\w)")
_OPENING_DOUBLE = re.compile(r'(?:^|(?<=[\s(\[—–]))"')
QUOTES = {"en": ("“", "”"), "fr": ("«", "»")}


def quotation_marks(text: str, language: str) -> str:
    opening, closing = QUOTES.get(language, QUOTES["en"])
    text = _APOSTROPHE.sub("’", text)
    text = _OPENING_SINGLE.sub("‘" if language != "fr" else "’", text).replace("'", "’")
    return _OPENING_DOUBLE.sub(opening, text).replace('"', closing)


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
    return french_spacing if language.split("-")[0] == "fr" else _unchanged


def _unchanged(text: str) -> str:
    return text


def typography_for(language: str) -> Callable[[str], str]:
    """Quotation marks and spacing of `language`, for plain text such as the metadata."""
    base = language.split("-")[0]
    if base == "fr":
        return lambda text: french_spacing(quotation_marks(text, "fr"))
    return lambda text: quotation_marks(text, base)
