"""Hyphenation dictionaries read once per machine, not once per process.

WeasyPrint hyphenates with pyphen, which parses a language's `hyph_*.dic` the first time a
process asks for it: 84 ms for British English (13,932 patterns), 12 for French, paid by every
worker and every one-text PDF build. The parsed patterns are kept in the user's cache
(pipeline/usercache.py) with Python's marshal, under the digest of the dictionary file, pyphen's
version and Python's (marshal's format is Python's own), and read back in 6 ms. A dictionary
with nonstandard hyphenation (a pattern such as "ff=f", read into objects marshal cannot
write) is parsed each time, as before.
"""

from __future__ import annotations

import marshal
import sys
from pathlib import Path
from typing import Any

import pyphen  # type: ignore[import-untyped]

from ..usercache import remembered


class _KeptDictionary(pyphen.HyphDict):  # type: ignore[misc]
    """pyphen's dictionary, its patterns read from the cache when they are there."""

    patterns: dict[str, Any]

    def __init__(self, path: Path) -> None:
        stamp = f"{pyphen.__version__} {sys.version}".encode()
        patterns = remembered(
            "hyphenation", Path(path).read_bytes() + stamp, lambda: self._parsed(path), _patterns, suffix=".marshal"
        )
        if patterns is None:  # parsed by _parsed, and not kept
            return
        self.patterns = patterns
        self.cache: dict[str, Any] = {}
        self.maxlen = max(len(key) for key in patterns)

    def _parsed(self, path: Path) -> bytes | None:
        """The dictionary parsed as pyphen parses it, into this object; its patterns as they are
        kept, unless marshal cannot write them."""
        super().__init__(path)
        return marshal.dumps(self.patterns) if _plain(self.patterns) else None


def _patterns(kept: bytes) -> dict[str, tuple[int, tuple[int, ...]]] | None:
    try:
        patterns = marshal.loads(kept)
    except (EOFError, ValueError, TypeError):  # damaged: parsed again
        return None
    return patterns if isinstance(patterns, dict) and patterns else None


def _plain(patterns: dict[str, Any]) -> bool:
    """Whether every pattern is an offset and plain integers, which marshal writes as they are."""
    return all(
        type(start) is int and all(type(value) is int for value in values) for start, values in patterns.values()
    )


def keep_dictionaries() -> None:
    """Have pyphen read its dictionaries through the cache, for the rest of this process."""
    pyphen.HyphDict = _KeptDictionary
