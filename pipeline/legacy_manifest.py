"""The JSON manifest of earlier versions (`.manifest.json`): read once into the build state, then deleted.

Only what validates is migrated: the file must have the shape earlier versions wrote, every
field typed, and each entry name only its own editions; otherwise it is dropped with a warning
and its texts are rebuilt. Rows are committed before the file is deleted, so a build killed in
between finds the rows and deletes the file the next time.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import msgspec

from .buildstate import (
    INSERT_EDITION,
    INSERT_TEXT,
    BuildState,
    EditionRow,
    Notify,
    expected_file,
    text_row,
    trustworthy,
)
from .errors import printable
from .fingerprints import Inputs

LEGACY_NAME = ".manifest.json"
LEGACY_VERSION = 1


class _Inputs(msgspec.Struct, forbid_unknown_fields=True):
    templates: str
    tools: str
    config: str


class _Edition(msgspec.Struct, forbid_unknown_fields=True):
    file: str
    sha256: str
    size: int
    mtime_ns: int
    inputs: _Inputs


class _Record(msgspec.Struct):  # a newer build may have added fields: they are not migrated
    slug: str
    type: str
    number: int
    year: int
    language: str
    citation: str
    title: str
    date: str
    status: str
    keywords: str = "[]"  # an earlier version kept none: empty until the text is next rebuilt


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    source: str
    source_sha256: str
    versions: list[str]
    record: _Record
    editions: dict[str, _Edition]


class _File(msgspec.Struct):
    version: int
    texts: dict[str, _Entry]


def migrate(state: BuildState, on_invalid: Notify | None = None) -> int:
    """Move the folder's JSON manifest, if any, into `state`; how many texts were migrated."""
    path = state.folder / LEGACY_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return 0
    except OSError as exc:
        return _dropped(path, exc.strerror or str(exc), on_invalid)
    try:
        data = msgspec.json.decode(raw, type=_File)
    except msgspec.DecodeError as exc:  # ValidationError included: valid JSON of the wrong shape
        return _dropped(path, str(exc), on_invalid)
    if data.version != LEGACY_VERSION:
        return _dropped(path, f"version {data.version}, not {LEGACY_VERSION}", on_invalid)
    migrated = 0
    if not state.stems():  # a state already kept in the database is newer than any manifest
        migrated = _write(state, data.texts)
    path.unlink(missing_ok=True)
    return migrated


def _write(state: BuildState, texts: dict[str, _Entry]) -> int:
    db = state.connection
    kept = {
        stem: entry
        for stem, entry in texts.items()
        if trustworthy(stem) and all(e.file == expected_file(stem, name) for name, e in entry.editions.items())
    }
    with state.transaction():
        for stem, entry in sorted(kept.items()):
            record = msgspec.structs.asdict(entry.record)
            versions = msgspec.json.encode(entry.versions).decode()
            # Linked by its pattern then: kept until the text is rebuilt (`--force` relinks every text).
            row = text_row(stem, entry.source, entry.source_sha256, versions, record)
            db.execute(INSERT_TEXT, msgspec.structs.astuple(row))
            for name, edition in sorted(entry.editions.items()):
                made_from = state.fingerprint_id(Inputs(**msgspec.structs.asdict(edition.inputs)))
                values = EditionRow(stem, name, edition.file, edition.sha256, edition.size, edition.mtime_ns, made_from)
                db.execute(INSERT_EDITION, msgspec.structs.astuple(values))
    return len(kept)


def _dropped(path: Path, why: str, on_invalid: Notify | None) -> int:
    if on_invalid:
        on_invalid(printable(f"warning: {path} is not a valid manifest ({why}): every text is rebuilt"))
    with contextlib.suppress(OSError):  # unreadable: it is left, and no longer read
        path.unlink(missing_ok=True)
    return 0
