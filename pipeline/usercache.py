"""The user's cache folder, where a build keeps what it compiled or parsed (templates,
catalogues, the DOCX's deflated fonts, hyphenation patterns).

PIPELINE_CACHE_DIR names it ("" keeps nothing), else $XDG_CACHE_HOME/pipeline or
~/.cache/pipeline. A folder that someone else could write is never used: what is kept there
goes into every edition (a template's code, a catalogue's words).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

CACHE_ENVIRONMENT = "PIPELINE_CACHE_DIR"


def cache_folder(name: str) -> Path | None:
    """The folder `name` in the user's cache, made if need be; None when there is none to use."""
    chosen = os.environ.get(CACHE_ENVIRONMENT)
    if chosen == "":
        return None
    base = Path(chosen) if chosen else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "pipeline"
    folder = base / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = folder.stat()
    except OSError:
        return None  # a read-only home: compiled every run, as without a cache
    if status.st_uid != os.getuid() or status.st_mode & 0o022:
        return None
    return folder


def keep(path: Path, data: bytes) -> None:
    """Write `data` to `path` in the cache, atomically and at best: a full disk only costs the
    next build the time to make it again."""
    part = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False) as part:
            part.write(data)
        os.replace(part.name, path)
    except OSError:
        if part is not None:
            Path(part.name).unlink(missing_ok=True)


def remembered(
    folder: str,
    inputs: bytes,
    make: Callable[[], bytes | None],
    read: Callable[[bytes], T | None],
    prefix: str = "",
    suffix: str = "",
) -> T | None:
    """What `read` makes of the bytes kept in the cache folder `folder` for `inputs` (everything
    they are made from, versions included: its digest names the entry). When there are none, or
    `read` refuses them (None: damaged, or not what they should be), `make` is asked for them
    and they are kept; None when it gives none (what it made cannot be kept). Without a cache
    folder, `make` every time."""
    directory = cache_folder(folder)
    path = None if directory is None else directory / f"{prefix}{hashlib.sha256(inputs).hexdigest()[:32]}{suffix}"
    if path is not None:
        try:
            found = read(path.read_bytes())
        except OSError:  # not there yet
            found = None
        if found is not None:
            return found
    made = make()
    if made is None:
        return None
    value = read(made)
    if path is not None and value is not None:
        keep(path, made)
    return value
