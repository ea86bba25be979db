"""Hygiene for untrusted sources: size limits, encoding, and characters that must not pass.

Policy (documented in source/README.md), applied to the raw file and again to every value the
YAML front matter decodes (its escapes, such as "\\u202E" or "\\0", make characters the file
does not contain) and to every character reference of the body (`&#x200B;`):
- a source is at most MAX_SOURCE_BYTES; it must be UTF-8;
- a byte order mark is dropped and CRLF/CR line endings become LF (normalised, not errors);
- the Latin ligature characters (U+FB00-FB06) become their letters, with a warning;
- NUL and other control characters (except tab and line feed) are refused with line:column;
- bidirectional embedding/override/isolate controls (the "Trojan Source" characters) are
  refused: they make the text read differently from what it says;
- invisible characters (zero-width spaces, word joiners, invisible operators, Hangul fillers,
  line separators, lone surrogates, non-characters) are refused: they can hide a paragraph
  number or make an empty field look filled. The joiners some scripts need (ZWNJ, ZWJ) and the
  soft hyphen are allowed between two letters only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from markdown_it.common.utils import unescapeAll

from .errors import Problems, shown

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_PARAGRAPHS = 3000
MAX_BLOCKS = 2 * MAX_PARAGRAPHS  # paragraphs, quotations, tables, headings and notes together
MAX_NUMBER_DEPTH = 5  # "1.1.1.1.1." — official texts use three at most

BOM = "\ufeff"
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
JOINERS = "\u00ad\u200c\u200d"  # soft hyphen, zero-width non-joiner, zero-width joiner
_INVISIBLE_RANGES = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u115f\u1160\u180e\u200b\u200e\u200f"
    "\u2028\u2029\u2060-\u2065\u206a-\u206f\u2800\u3164\ufeff\uffa0\ufff9-\ufffb\ufffe\uffff"
    "\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\ud800-\udfff"
)
FORBIDDEN = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + _INVISIBLE_RANGES + JOINERS + "]"
)
LIGATURE = re.compile("[\ufb00-\ufb06]")  # ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ
LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
# A character reference the Markdown parser would turn into a character.
CHARACTER_REFERENCE = re.compile(r"(?<!\\)&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z][A-Za-z0-9]{1,31});")
# A paragraph number followed by a space that is not a plain one: the number would be read as text.
# Possessive: quotation marks and spaces are taken once, never retried (no backtracking blow-up).
NUMBER_THEN_ODD_SPACE = re.compile(r"^[ >]*+(?:(?:\d{1,3}\.)+|[a-z]\.)(?=[^\S \n\u00a0])")
FOOTNOTE_OR_HEADING = re.compile(r"^[ ]{0,3}(?:\[\^[^\]]*\]:|#)")


def too_large(size: int, problems: Problems) -> bool:
    """Whether a file of `size` bytes is refused before it is even read."""
    if size <= MAX_SOURCE_BYTES:
        return False
    problems.error(
        1,
        f"the source is {size / 1024 / 1024:.1f} MB; the limit is {MAX_SOURCE_BYTES // 1024 // 1024} MB",
        "an adopted text is never this long: check the file",
    )
    return True


def decode(raw: bytes, problems: Problems) -> str | None:
    """The text of a source, normalised; None (with the problem reported) when it is unusable."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.error(bad_line, "the file is not valid UTF-8", "save it as UTF-8", column)
        return None
    text = text.removeprefix(BOM).replace("\r\n", "\n").replace("\r", "\n")
    found = False
    for line_number, line in enumerate(text.split("\n"), start=1):
        for column, character in forbidden_characters(line):
            found = True
            problems.error(line_number, f"forbidden character {describe(character)}", _hint(character), column)
    return None if found else _unligatured(text, problems)


def _unligatured(text: str, problems: Problems) -> str:
    """`text` with the Latin ligature characters (U+FB00-FB06, pasted from a PDF) written as their
    letters, each line that had one warned: the fonts set ligatures themselves, and a PDF's text
    layer maps the one glyph to a single text, so a pasted "ﬁ" made every "fi" of the file read as it."""
    if not LIGATURE.search(text):
        return text
    for line_number, line in enumerate(text.split("\n"), start=1):
        found = LIGATURE.search(line)
        if found:
            character = found.group()
            problems.warning(
                line_number,
                f"the ligature {describe(character)} is set as the letters '{LIGATURES[character]}'",
                "type the letters: the fonts join them where they should",
                found.start() + 1,
            )
    return LIGATURE.sub(lambda match: LIGATURES[match.group()], text)


def forbidden_characters(text: str) -> Iterator[tuple[int, str]]:
    """(1-based column, character) of each character the policy refuses in `text`."""
    for match in FORBIDDEN.finditer(text):
        character, start = match.group(), match.start()
        if character in JOINERS and _letter(text, start - 1) and _letter(text, start + 1):
            continue
        yield start + 1, character


def check_value(text: str, where: str, line: int, problems: Problems) -> bool:
    """Apply the policy to one decoded metadata key or value; whether it passed."""
    passed = True
    for column, character in forbidden_characters(text):
        passed = False
        problems.error(
            line, f"{where} holds a forbidden character {describe(character)} at character {column}", _hint(character)
        )
    return passed


def check_body(body: str, first_line: int, problems: Problems) -> bool:
    """What the body reader cannot see for itself; whether the body may be read at all.

    Character references are decoded by the Markdown parser, after the raw-character check: the
    characters they make pass the same policy here. The number of blocks is bounded before the
    body reader spends time on each.
    """
    blocks = 0
    blank_before = True
    for index, line in enumerate(body.split("\n")):
        line_number = first_line + index
        for match in CHARACTER_REFERENCE.finditer(line):
            for _, character in forbidden_characters(unescapeAll(match.group())):  # as the parser decodes it
                problems.error(
                    line_number,
                    f"the character reference {shown(match.group())} makes a forbidden character {describe(character)}",
                    _hint(character),
                    match.start() + 1,
                )
        odd = NUMBER_THEN_ODD_SPACE.match(line)
        if odd:
            character = line[odd.end()]
            problems.error(
                line_number,
                f"the paragraph number is followed by {describe(character)}, not a space",
                "type a plain space after the number",
                odd.end() + 1,
            )
        stripped = not line.strip()
        if not stripped and (blank_before or FOOTNOTE_OR_HEADING.match(line)):
            blocks += 1
            if blocks == MAX_BLOCKS + 1:
                problems.error(
                    line_number,
                    f"the text has more than {MAX_BLOCKS} blocks (paragraphs, quotations, tables, headings, notes)",
                    "an adopted text is never this long: check the file",
                )
                return False
        blank_before = stripped
    return True


def visible(text: str) -> bool:
    """Whether `text` shows anything: not only spaces and characters that print nothing."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zl", "Zp") for c in text)


def describe(character: str) -> str:
    code = ord(character)
    if 0xD800 <= code <= 0xDFFF:
        return f"U+{code:04X} (lone surrogate)"
    name = unicodedata.name(character, "")
    if name:
        return f"U+{code:04X} ({name.lower()})"
    kind = "non-character" if code in (0xFFFE, 0xFFFF) else "control character"
    return f"U+{code:04X} ({kind})"


def _hint(character: str) -> str:
    if character in BIDI_CONTROLS or unicodedata.category(character) in ("Cc",):
        return "delete it; use plain text only"
    return "delete it: an invisible character can hide a number or make an empty field look filled"


def _letter(text: str, index: int) -> bool:
    return 0 <= index < len(text) and unicodedata.category(text[index])[0] in "LM"
