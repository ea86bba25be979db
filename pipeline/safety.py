"""Hygiene for untrusted sources: size limits, encoding, and characters that must not pass.

Policy (documented in source/README.md):
- a source is at most MAX_SOURCE_BYTES; it must be UTF-8;
- a byte order mark is dropped and CRLF/CR line endings become LF (normalised, not errors);
- NUL and other control characters (except tab and line feed) are refused with line:column;
- bidirectional embedding/override/isolate controls (the "Trojan Source" characters) are
  refused: they make the text read differently from what it says.
"""

from __future__ import annotations

import re
import unicodedata

from .errors import Problems

MAX_SOURCE_BYTES = 2 * 1024 * 1024
MAX_PARAGRAPHS = 3000
MAX_NUMBER_DEPTH = 5  # "1.1.1.1.1." — official texts use three at most

BOM = "\ufeff"
BIDI_CONTROLS = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f" + "".join(sorted(BIDI_CONTROLS)) + "]")


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
        for match in FORBIDDEN.finditer(line):
            found = True
            problems.error(
                line_number,
                f"forbidden character {_describe(match.group())}",
                "delete it; use plain text only",
                match.start() + 1,
            )
    return None if found else text


def _describe(character: str) -> str:
    name = unicodedata.name(character, "control character")
    kind = "bidirectional control" if character in BIDI_CONTROLS else "control character"
    return f"U+{ord(character):04X} ({name.lower() if name != 'control character' else kind})"
