"""SHA-256 digests of the code and templates an edition is made from, kept between runs.

Every build fingerprints some ninety files (pipeline/fingerprints.py); hashing them all is a
few milliseconds of a one-text build's 150. As git's index does, a digest is kept with what
`stat` says of its file (modification and change times, size, inode, device) and reused while
all of these are the same. The change time cannot be set back by hand (unlike the modification
time, which `touch` and `cp -p` can), so an edited or replaced file always misses. A file
changed in the last seconds is hashed but not kept: the clock's granularity could give its
next edit the same times ("racily clean", in git's words).

The digests live in the user's cache (pipeline/usercache.py); without one, every file is hashed
every run. The outputs' own digests (`--verify`) are never taken from here.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from .usercache import cache_folder, keep

RECENT_NS = 3_000_000_000  # younger files are hashed every run (racily clean otherwise)
FILE_NAME = "files.json"

_kept: dict[str, list[int | str]] | None = None
_changed = False


def known_digest(path: Path) -> str:
    """The file's SHA-256, from the cache when the file has not changed since it was kept."""
    global _changed
    status = path.stat()
    stamp: list[int | str] = [
        status.st_mtime_ns,
        status.st_ctime_ns,
        status.st_size,
        status.st_ino,
        status.st_dev,
    ]
    kept = _digests()
    key = str(path.absolute())
    entry = kept.get(key)
    if entry is not None and entry[:-1] == stamp:
        return str(entry[-1])
    with path.open("rb") as stream:
        found = hashlib.file_digest(stream, "sha256").hexdigest()
    if time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > RECENT_NS:
        kept[key] = [*stamp, found]
        _changed = True
    elif entry is not None:
        del kept[key]
        _changed = True
    return found


def save() -> None:
    """Write what this run learnt back to the cache (at best: a failure only costs hashing again)."""
    global _changed
    folder = cache_folder("digests")
    if not _changed or folder is None:
        return
    keep(folder / FILE_NAME, json.dumps(_digests(), sort_keys=True).encode())
    _changed = False


def forget() -> None:
    """Drop what this process read (tests: the next call reads the cache folder again)."""
    global _kept, _changed
    _kept, _changed = None, False


def _digests() -> dict[str, list[int | str]]:
    global _kept
    if _kept is None:
        _kept = _read()
    return _kept


def _read() -> dict[str, list[int | str]]:
    folder = cache_folder("digests")
    if folder is None:
        return {}
    try:
        data = json.loads((folder / FILE_NAME).read_bytes())
    except (OSError, ValueError):  # not there yet, or damaged: hashed again and rewritten
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: entry
        for key, entry in data.items()
        if isinstance(entry, list)
        and len(entry) == 6
        and all(isinstance(v, int) for v in entry[:5])
        and isinstance(entry[5], str)
    }
