"""Words in another script than the text's, and the language each edition tags them with.

A run of Greek, Cyrillic, Armenian or Georgian words in an English or French text is tagged with
its language in every edition (HTML and EPUB `lang`, the PDF's structure element /Lang, DOCX
w:lang), so that a screen reader switches voice and a word processor checks its spelling as such.
One rule, here, decides the language of a run for all of them:

1. The source's syntax has no span with a language of its own (CommonMark has none, and the
   parser takes no attribute extension), so nothing in the source can name it.
2. Cyrillic serves many languages: a run with a letter only one of them uses is in that
   language (ї is Ukrainian, ў Belarusian, ђ Serbian…), the first such letter deciding.
3. Otherwise the configured language of the script (`scripts` in pipeline.toml; by default
   Greek el-GR, Cyrillic ru-RU, Armenian hy-AM, Georgian ka-GE).

A run is the script's words and the spaces between them: punctuation before or after its letters
(quotation marks, a comma) stays outside, in the text's own face and language. A run in the
text's own language (Greek words in a Greek text) is not tagged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from .languages import base_language

# The Unicode blocks of each script, as character-class ranges.
SCRIPT_RANGES = {
    "greek": "\u0370-\u03ff\u1f00-\u1fff",
    "cyrillic": "\u0400-\u052f\u1c80-\u1c8f\u2de0-\u2dff\ua640-\ua69f",
    "armenian": "\u0530-\u058f\ufb13-\ufb17",
    "georgian": "\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f",
}
DEFAULT_SCRIPT_LANGUAGES = {"greek": "el-GR", "cyrillic": "ru-RU", "armenian": "hy-AM", "georgian": "ka-GE"}
# Letters that only one of the languages written in Cyrillic uses, in the order they are tried.
CYRILLIC_LETTERS = (
    ("be-BY", "ўЎ"),
    ("uk-UA", "єїґіЄЇҐІ"),
    ("mk-MK", "ѓќѕЃЌЅ"),
    ("sr-Cyrl-RS", "ђћјљњџЂЋЈЉЊЏ"),
    ("ru-RU", "ыэёЫЭЁ"),
    ("bg-BG", "ъѝЪЍ"),
)
# Inside a word, anything but a space may stand between two of its letters (an apostrophe, a
# hyphen, a no-break space); words of one run are separated by ordinary spaces.
_WORD = "[{0}](?:[^ \t\n]*[{0}])?"
_RUN = re.compile(
    "|".join(f"(?P<{name}>{_WORD.format(r)}(?:[ \t\n]+{_WORD.format(r)})*)" for name, r in SCRIPT_RANGES.items())
)
ANY_SCRIPT = re.compile(f"[{''.join(SCRIPT_RANGES.values())}]")


def script_runs(
    text: str, language: str, defaults: Mapping[str, str] = DEFAULT_SCRIPT_LANGUAGES
) -> Iterator[tuple[str, str | None]]:
    """`text` cut into (piece, language) pairs in order: a run of another script with the regional
    tag of its language ("uk-UA"), the rest with None. `language` is the text's own."""
    if not ANY_SCRIPT.search(text):
        yield text, None
        return
    position, own = 0, base_language(language)
    for match in _RUN.finditer(text):
        tag = run_language(match.group(), str(match.lastgroup), defaults)
        if base_language(tag) == own:
            continue
        if match.start() > position:
            yield text[position : match.start()], None
        yield match.group(), tag
        position = match.end()
    if position < len(text):
        yield text[position:], None


def run_language(run: str, script: str, defaults: Mapping[str, str] = DEFAULT_SCRIPT_LANGUAGES) -> str:
    """The regional tag of a run of `script` (rules 2 and 3 of this module)."""
    if script == "cyrillic":
        found = _cyrillic_language(run)
        if found:
            return found
    return defaults.get(script, DEFAULT_SCRIPT_LANGUAGES[script])


def _cyrillic_language(run: str) -> str | None:
    for language, letters in CYRILLIC_LETTERS:
        if any(letter in run for letter in letters):
            return language
    return None
