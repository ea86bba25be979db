"""Compiled regular expressions kept between runs: a sixth of a one-text build's start-up.

Importing the reader and the templates' libraries compiles some 400 regular expressions (ours,
markdown-it's, PyYAML's, Jinja's), 15–20 ms of a 150 ms build: Python parses each pattern and
works out its code every run, and keeps nothing. What it works out is plain data (a list of
integers, the group names) that the `_sre` engine turns into a pattern object in microseconds.
`install()` keeps that data, per pattern and flags, in the user's cache and reuses it.

The data is the interpreter's own: the file's name carries the interpreter's exact version and
the engine's magic number, so another Python never reads it. `_sre` validates the code it is
given (RuntimeError on anything malformed), and the cache folder is the user's own
(pipeline/usercache.py). Anything unexpected, in the file or in the `re` module's internals,
falls back to compiling as Python does; tests/test_kept_regexes.py checks that every kept
pattern equals the one Python compiles.
"""

from __future__ import annotations

import hashlib
import marshal
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from .usercache import cache_folder, keep

Entry = tuple[int, list[int], int, dict[str, int], tuple[str | None, ...]]
# The file is rewritten only when compiling what it lacked took this long: a run always misses a
# few patterns (some libraries build theirs from a set, in a different order each process), and
# rewriting for those would cost more than it saves.
WORTH_KEEPING = 0.001  # seconds
MOST_KEPT = 2000  # beyond, only the patterns of the run that writes it are kept

_compiler: Any = getattr(re, "_compiler", None)  # Python 3.11's module; its compile() is what re calls
_parser: Any = getattr(re, "_parser", None)
_python_compile: Callable[[Any, int], re.Pattern[Any]] | None = None
_kept: dict[tuple[str | bytes, int], Entry] = {}
_used: set[tuple[str | bytes, int]] = set()
_missed = 0.0  # seconds spent compiling what was not kept


def install() -> None:
    """Compile through the kept data from now on (once per process; a no-op where unsupported)."""
    global _python_compile
    if _python_compile is not None or not _supported():
        return
    _kept.update(_read())
    _python_compile = _compiler.compile
    _compiler.compile = _compile


def save() -> None:
    """Keep what this run compiled anew, when that was worth the time."""
    global _missed
    if _missed < WORTH_KEEPING:
        return
    folder = cache_folder("regexes")
    if folder is None:
        return
    kept = _kept if len(_kept) <= MOST_KEPT else {key: _kept[key] for key in _used if key in _kept}
    keep(folder / _file_name(), marshal.dumps(kept))
    _missed = 0.0


def uninstall() -> None:
    """Compile as Python does again (tests)."""
    global _python_compile
    if _python_compile is not None:
        _compiler.compile = _python_compile
        _python_compile = None
    _kept.clear()
    _used.clear()


def _supported() -> bool:
    return (
        sys.implementation.name == "cpython"
        and all(hasattr(_compiler, name) for name in ("compile", "_code", "_sre"))
        and hasattr(_compiler._sre, "MAGIC")
        and hasattr(_parser, "parse")
    )


def _compile(pattern: Any, flags: int = 0) -> re.Pattern[Any]:
    assert _python_compile is not None
    if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return _python_compile(pattern, flags)
    key = (pattern, int(flags))  # str and bytes patterns never compare equal
    _used.add(key)
    entry = _kept.get(key)
    if entry is not None:
        try:
            return _compiler._sre.compile(pattern, *entry)  # type: ignore[no-any-return]
        except (RuntimeError, TypeError, ValueError, OverflowError):  # damaged: compiled afresh below
            del _kept[key]
    global _missed
    started = time.perf_counter()
    entry = _worked_out(pattern, flags)
    compiled: re.Pattern[Any] = _compiler._sre.compile(pattern, *entry)
    _kept[key] = entry
    _missed += time.perf_counter() - started
    return compiled


def _worked_out(pattern: str | bytes, flags: int) -> Entry:
    """What Python's compile hands the engine: the flags, the code, the groups and their names."""
    parsed = _parser.parse(pattern, flags)
    state = parsed.state
    names: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        names[index] = name
    code = [int(word) for word in _compiler._code(parsed, flags)]  # opcodes are int subclasses: plain for marshal
    return int(flags | state.flags), code, state.groups - 1, dict(state.groupdict), tuple(names)


def _file_name() -> str:
    interpreter = hashlib.sha256(f"{sys.version}\n{_compiler._sre.MAGIC}".encode()).hexdigest()[:16]
    return f"{sys.implementation.cache_tag}-{interpreter}.marshal"


def _read() -> dict[tuple[str | bytes, int], Entry]:
    folder = cache_folder("regexes")
    if folder is None:
        return {}
    try:
        data = marshal.loads((folder / _file_name()).read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {key: entry for key, entry in data.items() if _well_formed(key, entry)}


def _well_formed(key: object, entry: object) -> bool:
    return (
        isinstance(key, tuple)
        and len(key) == 2
        and isinstance(key[0], (str, bytes))
        and isinstance(key[1], int)
        and isinstance(entry, tuple)
        and len(entry) == 5
        and isinstance(entry[0], int)
        and isinstance(entry[1], list)
        and isinstance(entry[2], int)
        and isinstance(entry[3], dict)
        and isinstance(entry[4], tuple)
    )
