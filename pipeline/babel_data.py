"""Babel's locale data read once per machine, merged, instead of once per process.

The first date a process formats costs about 14 ms: Babel unpickles the locale's data, its
parents' ("en" inherits from "root"), and the 700 kB of its global data only to find that
parent, then merges them. That is a sixteenth of a cold one-text build. The merged data is
kept in the user's cache (pipeline/usercache.py) as one pickle, under the locale's name,
Babel's version and Python's, and read back in a few milliseconds into Babel's own cache of
loaded locales, where Babel's loader looks first.

That cache (`babel.localedata._cache`) is Babel's internal: if a version of Babel has no such
dictionary, nothing is kept and Babel loads its data as it always does.
"""

from __future__ import annotations

import functools
import pickle
import sys
from typing import Any

from babel import localedata

from .distributions import installed_version
from .usercache import remembered


@functools.cache
def prime(name: str) -> None:
    """Have Babel's locale `name` ("en", "fr_BE") loaded from the user's cache when it is there."""
    loaded = getattr(localedata, "_cache", None)
    if not isinstance(loaded, dict) or name in loaded or not localedata.exists(name):
        return
    stamp = f"{name} {installed_version('babel')} {sys.version}".encode()
    data = remembered("babel", stamp, lambda: _merged(name), _unpickled, prefix=f"{name}-", suffix=".pickle")
    if data is not None:
        loaded.setdefault(name, data)


def _merged(name: str) -> bytes | None:
    try:
        return pickle.dumps(localedata.load(name), protocol=pickle.HIGHEST_PROTOCOL)
    except (OSError, pickle.PicklingError):
        return None


def _unpickled(kept: bytes) -> dict[str, Any] | None:
    """The data kept, or None when it is damaged (it is then merged again). The cache folder is
    the user's own and writable by no one else, as for the compiled templates it also holds."""
    try:
        data = pickle.loads(kept)
    except Exception:  # a damaged pickle can raise almost anything
        return None
    return data if isinstance(data, dict) and data else None
