"""Writing into the output folder: atomically, and knowing which temporary files are ours.

A temporary file is named `.<target>.pipeline-XXXXXXXX.part`: a build deletes only files of that
shape that a killed build left behind, never another program's `.something.part`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .errors import OutputError

PART_SUFFIX = ".part"
PART_MARK = ".pipeline-"
OUR_PART = re.compile(r"^\..+\.pipeline-[a-z0-9_]{8}\.part$")  # mkstemp's eight random characters


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` so that `path` is either the old file or the complete new one, never partial."""
    write_all_atomically([(path, data)])


def write_all_atomically(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: all are written under temporary names first, then renamed.

    A full disk or any other failure while writing leaves the old files as they were.
    """
    written: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            written.append((_write_temporary(path, data), path))
        for temporary, path in written:
            os.replace(temporary, path)
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise


def _write_temporary(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{PART_MARK}", suffix=PART_SUFFIX)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def remove_stale_parts(out_dir: Path) -> int:
    """Delete the temporary files a killed build of ours left behind; how many there were."""
    stale = [p for p in out_dir.glob(f".*{PART_SUFFIX}") if OUR_PART.match(p.name)] if out_dir.is_dir() else []
    for path in stale:
        if path.is_dir() and not path.is_symlink():  # a search index being written (pipeline/search.py)
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return len(stale)


@contextlib.contextmanager
def folder_lock(folder: Path, exclusive: bool, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the output folder's lock: one build at a time writes there, and a bag is never made
    of a folder being built. A second build waits, and says so. The kernel drops the lock of a
    killed build, so a `kill -9` never leaves the folder locked. The lock is taken on the folder
    itself: no lock file to leave behind, or to race over when deleting it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise OutputError(f"cannot open the output folder {folder}: {exc.strerror or exc}") from None
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        try:
            fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait:
                on_wait(f"waiting for another build into {folder} to finish")
            fcntl.flock(descriptor, mode)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock
