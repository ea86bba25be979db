"""Language-aware spacing, applied once to the model so that every edition agrees.

French (Imprimerie nationale rules, as in the Assembly's French texts): a narrow no-break space
(U+202F) before ; ! ? and a no-break space (U+00A0) before : and inside « ». Existing spaces
there are made unbreakable; missing ones are added, except before a colon (10:30, URLs).
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


def french_spacing(text: str) -> str:
    text = _BEFORE_TALL.sub(lambda m: NNBSP + m.group(1), text)
    text = _BEFORE_COLON.sub(NBSP + ":", text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    return _BEFORE_CLOSING.sub(NBSP + "»", text)


def spacing_for(language: str) -> Callable[[str], str]:
    """The spacing function of `language` (identity where the language needs none)."""
    return french_spacing if language.split("-")[0] == "fr" else _unchanged


def _unchanged(text: str) -> str:
    return text
