"""The build state: what was built from what, in an SQLite database beside the outputs.

An edition is up to date when its source, its language versions, what its references link to
(pipeline/linking.py), and its format's fingerprint
(pipeline/fingerprints.py) are as they were when it was written, and its file is still the one
written. Outputs are checked by size and modification time and re-hashed only when either
changed (`verify` re-hashes them all).

The database (`.buildstate.sqlite`, WAL mode; schema in SCHEMA, documented in the README) has a
row per text and a row per edition, and likewise a row per volume (`volumes/<stem>.toml`, with the
texts it holds and their sources' hashes) and a row per volume edition. Each finished text (or
volume) is written in one transaction, after its files, so a `kill -9` loses at most the texts
being rendered. Everything is read by query: a plan asks for the stems it has, the catalogue and
the archive stream the rows.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import msgspec

from .errors import OutputError, printable
from .fingerprints import Inputs, digest_file
from .linking import Links, Targets, stem_language
from .model import LanguageVersion
from .outcome import Edition
from .renderers import REGISTRY
from .source import SAFE_STEM

STATE_NAME = ".buildstate.sqlite"
SCHEMA_VERSION = 4  # PRAGMA user_version: a database of another version is rebuilt, never misread
BUSY_SECONDS = 30.0  # a reader (`pipeline package`) and a build may meet on a touched file's update
Notify = Callable[[str], None]

# Made in a state of this version written before it too: what it holds is a forecast (a text
# that failed with these bytes will fail again), never something an output depends on.
FAILURES_SCHEMA = """
CREATE TABLE IF NOT EXISTS failures ( -- texts whose last build failed, with the bytes that failed
    stem TEXT PRIMARY KEY,
    source_sha256 TEXT NOT NULL
) STRICT, WITHOUT ROWID;
"""
SCHEMA = (
    """
CREATE TABLE texts (
    stem TEXT PRIMARY KEY,           -- the output stem: editions are <stem>.<extension>
    source TEXT NOT NULL,            -- the source's path as the build was given it
    source_sha256 TEXT NOT NULL,     -- of the bytes rendered
    versions TEXT NOT NULL,          -- its language versions, a JSON list of "language:stem"
    links TEXT NOT NULL,             -- what its references link to, JSON {cited slug: stem, or "" if absent}
    slug TEXT NOT NULL,              -- what the catalogue shows, from the document
    type TEXT NOT NULL,
    number INTEGER NOT NULL,
    year INTEGER NOT NULL,
    language TEXT NOT NULL,
    citation TEXT NOT NULL,
    title TEXT NOT NULL,
    date TEXT NOT NULL,
    status TEXT NOT NULL,
    keywords TEXT NOT NULL           -- a JSON list of strings: the catalogue's filter and the search read them
) STRICT, WITHOUT ROWID;
CREATE TABLE fingerprints (          -- a format's inputs, shared by every edition made from them
    id INTEGER PRIMARY KEY,
    templates TEXT NOT NULL,
    tools TEXT NOT NULL,
    config TEXT NOT NULL,
    UNIQUE (templates, tools, config)
) STRICT;
CREATE TABLE editions (
    stem TEXT NOT NULL REFERENCES texts (stem) ON DELETE CASCADE,
    format TEXT NOT NULL,
    file TEXT NOT NULL,              -- its name in the output folder
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,       -- as written, or as last found with the same bytes
    fingerprint INTEGER NOT NULL REFERENCES fingerprints (id),
    PRIMARY KEY (stem, format)
) STRICT, WITHOUT ROWID;
CREATE TABLE volumes (
    stem TEXT PRIMARY KEY,           -- the volume file's stem: its editions are <stem>.<extension>
    source TEXT NOT NULL,            -- the volume file's path as the build was given it
    source_sha256 TEXT NOT NULL,     -- of the volume file
    texts TEXT NOT NULL,             -- the texts it holds, a sorted JSON list of "stem:source sha256:links digest"
    title TEXT NOT NULL,             -- what the catalogue shows: its title lines (a JSON list),
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    date TEXT NOT NULL               -- and its date, the newest of its texts' versions
) STRICT, WITHOUT ROWID;
CREATE TABLE volume_editions (       -- as editions, for a volume
    stem TEXT NOT NULL REFERENCES volumes (stem) ON DELETE CASCADE,
    format TEXT NOT NULL,
    file TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    fingerprint INTEGER NOT NULL REFERENCES fingerprints (id),
    PRIMARY KEY (stem, format)
) STRICT, WITHOUT ROWID;
"""
    + FAILURES_SCHEMA
)
TABLES = {"texts", "editions", "fingerprints", "volumes", "volume_editions"}  # `failures` is made when missing


class TextRow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One row of `texts`: a field per column, in the columns' order."""

    stem: str
    source: str
    source_sha256: str
    versions: str
    links: str
    slug: str
    type: str
    number: int
    year: int
    language: str
    citation: str
    title: str
    date: str
    status: str
    keywords: str


class EditionRow(msgspec.Struct, frozen=True):
    """One row of `editions`."""

    stem: str
    format: str
    file: str
    sha256: str
    size: int
    mtime_ns: int
    fingerprint: int


class VolumeRow(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    """One row of `volumes`."""

    stem: str
    source: str
    source_sha256: str
    texts: str
    title: str
    language: str
    status: str
    date: str


_Row = TypeVar("_Row", TextRow, VolumeRow)
Editions = dict[str, dict[str, Any]]  # format -> file, sha256, size


class TextFacts(msgspec.Struct, frozen=True):
    """What a volume chosen by dates needs to know of a built text, without reading it."""

    source_sha256: str
    type: str
    date: str


RECORD_FIELDS = TextRow.__struct_fields__[5:]  # the catalogue's facts: catalogue.catalogue_record's keys


def versions_key(versions: tuple[LanguageVersion, ...]) -> str:
    return msgspec.json.encode([f"{v.language}:{v.stem}" for v in versions]).decode()


def links_key(links: Links) -> str:
    return msgspec.json.encode(dict(sorted(links.items()))).decode()


def text_row(
    stem: str, source: str, source_sha256: str, versions: str, record: dict[str, Any], links: str = "{}"
) -> TextRow:
    """The row of a text; a record of another shape than the table's is refused, never half-kept."""
    row = {"stem": stem, "source": source, "source_sha256": source_sha256, "versions": versions, "links": links}
    return msgspec.convert({**row, **record}, TextRow)


def _insert(table: str, fields: tuple[str, ...]) -> str:
    columns = ", ".join(fields)
    return f"INSERT INTO {table} ({columns}) VALUES ({', '.join('?' * len(fields))})"


INSERT_TEXT = (
    _insert("texts", TextRow.__struct_fields__)
    + " ON CONFLICT (stem) DO UPDATE SET "
    + ", ".join(f"{name} = excluded.{name}" for name in TextRow.__struct_fields__[1:])
)
INSERT_EDITION = _insert("editions", EditionRow.__struct_fields__).replace("INSERT", "INSERT OR REPLACE", 1)
INSERT_VOLUME = _insert("volumes", VolumeRow.__struct_fields__).replace("INSERT", "INSERT OR REPLACE", 1)
INSERT_VOLUME_EDITION = INSERT_EDITION.replace("editions", "volume_editions", 1)


def expected_file(stem: str, format_name: str) -> str:
    """The only name an edition of `stem` may have: a tampered row ("../x", "javascript:") would
    reach the archive and the catalogue's links. A format this version does not know keeps its name."""
    known = REGISTRY.get(format_name)
    return f"{stem}.{known.extension if known else format_name}"


def trustworthy(stem: str) -> bool:
    return bool(SAFE_STEM.match(stem)) and ".." not in stem


@dataclass
class BuildState:
    """The build state of one output folder (or an empty one in memory, for the library route)."""

    folder: Path
    connection: sqlite3.Connection
    new_fingerprints: bool = False  # a format's inputs changed during this build

    @property
    def path(self) -> Path:
        return self.folder / STATE_NAME

    @classmethod
    def open(cls, folder: Path, on_invalid: Notify | None = None) -> BuildState:
        """The state of `folder`, made if absent. One that is not a database of this schema is
        replaced (every text is rebuilt), with a warning, so that a damaged file never breaks the
        builds after it; a JSON manifest of an earlier version is migrated once, then deleted."""
        path = folder / STATE_NAME
        try:
            try:
                state = cls._opened(folder)
            except _NotOurs as exc:
                if on_invalid:
                    on_invalid(printable(f"warning: {path} is not a valid build state ({exc}): every text is rebuilt"))
                _remove_database(path)
                state = cls._opened(folder)
        except (sqlite3.Error, _NotOurs) as exc:  # cannot be opened or written at all
            raise _output_error(path, _why_not_writable(path) or exc) from None
        from .legacy_manifest import migrate  # only a folder built by an earlier version has one

        migrate(state, on_invalid)
        return state

    @classmethod
    def _opened(cls, folder: Path) -> BuildState:
        try:
            state = cls(folder, _connect(folder / STATE_NAME))
        except sqlite3.DatabaseError as exc:
            raise _classified(exc) from None
        try:
            state._prepare()
        except BaseException as exc:
            state.close()
            if isinstance(exc, sqlite3.DatabaseError):
                raise _classified(exc) from None
            raise
        return state

    @classmethod
    def empty(cls, folder: Path) -> BuildState:
        """A state that records nothing on disk: every text is new."""
        state = cls(folder, sqlite3.connect(":memory:", isolation_level=None))
        state._prepare()
        return state

    def _prepare(self) -> None:
        """Create the schema in a new database, check the version of an existing one."""
        db = self.connection
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")}
        if version == 0 and not tables:
            db.executescript(f"BEGIN IMMEDIATE; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;")
            return
        if version != SCHEMA_VERSION or not tables >= TABLES:
            raise _NotOurs(f"schema version {version}, not {SCHEMA_VERSION}")
        if "failures" not in tables:
            try:
                db.executescript(f"BEGIN IMMEDIATE; {FAILURES_SCHEMA} COMMIT;")
            except sqlite3.Error:  # a folder that is only read (an archive of a read-only copy): no forecast
                if db.in_transaction:
                    db.execute("ROLLBACK")

    def close(self) -> None:
        self.connection.close()

    # Transactions -------------------------------------------------------------------------------

    def transaction(self) -> _Transaction:
        return _Transaction(self)

    # What is stale ------------------------------------------------------------------------------

    def fingerprint_ids(self, inputs: dict[str, Inputs]) -> dict[str, int | None]:
        """The row id of each format's wanted inputs, None when no edition was made from them."""
        found = {}
        for name, wanted in inputs.items():
            row = self.connection.execute(
                "SELECT id FROM fingerprints WHERE templates = ? AND tools = ? AND config = ?",
                (wanted.templates, wanted.tools, wanted.config),
            ).fetchone()
            found[name] = row[0] if row else None
        return found

    def stale(
        self,
        stem: str,
        source_sha256: str,
        versions: tuple[LanguageVersion, ...],
        inputs: dict[str, Inputs],
        wanted: dict[str, int | None],
        verify: bool = False,
        targets: Targets | None = None,
    ) -> dict[str, str]:
        """The formats of `stem` that must be rebuilt, each with the reason (`wanted` from fingerprint_ids)."""
        rows = self.connection.execute(
            "SELECT t.source_sha256, t.versions, t.links, "
            "e.format, e.file, e.sha256, e.size, e.mtime_ns, e.fingerprint "
            "FROM texts t LEFT JOIN editions e ON e.stem = t.stem WHERE t.stem = ?",
            (stem,),
        ).fetchall()
        if not rows or not trustworthy(stem):
            return dict.fromkeys(inputs, "new")
        if rows[0][0] != source_sha256:
            return dict.fromkeys(inputs, "source changed")
        if rows[0][1] != versions_key(versions):
            return dict.fromkeys(inputs, "language versions changed")
        if targets is not None and _links_changed(rows[0][2], targets, stem):
            return dict.fromkeys(inputs, "linked texts changed")
        editions = {row[3]: EditionRow(stem, *row[3:]) for row in rows if row[3] is not None}
        if any(edition.file != expected_file(stem, name) for name, edition in editions.items()):
            return dict.fromkeys(inputs, "new")
        reasons = {}
        for name in inputs:
            reason = self._edition_reason(editions.get(name), inputs[name], wanted[name], verify)
            if reason:
                reasons[name] = reason
        return reasons

    def _edition_reason(
        self, edition: EditionRow | None, wanted: Inputs, wanted_id: int | None, verify: bool, table: str = "editions"
    ) -> str:
        if edition is None:
            return "new format"
        if edition.fingerprint != wanted_id:
            return self._what_changed(edition.fingerprint, wanted)
        path = os.path.join(self.folder, edition.file)  # not pathlib: asked for every edition of a corpus
        try:
            stat = os.stat(path)
        except OSError:
            return "output missing"
        if not verify and (stat.st_size, stat.st_mtime_ns) == (edition.size, edition.mtime_ns):
            return ""
        if stat.st_size != edition.size or digest_file(Path(path)) != edition.sha256:
            return "output modified"
        with self.transaction():  # same bytes, touched: remember the new time
            self.connection.execute(
                f"UPDATE {table} SET mtime_ns = ? WHERE stem = ? AND format = ?",
                (stat.st_mtime_ns, edition.stem, edition.format),
            )
        return ""

    def _what_changed(self, fingerprint: int, wanted: Inputs) -> str:
        row = self.connection.execute(
            "SELECT templates, tools, config FROM fingerprints WHERE id = ?", (fingerprint,)
        ).fetchone()
        recorded = Inputs(*row) if row else Inputs("", "", "")
        if recorded.templates != wanted.templates:
            return "templates changed"
        if recorded.config != wanted.config:
            return "configuration changed"
        return "tool versions changed"

    # Recording a finished text ------------------------------------------------------------------

    def record(
        self,
        stem: str,
        source: Path,
        source_sha256: str,
        versions: tuple[LanguageVersion, ...],
        record: dict[str, Any],
        editions: list[Edition],
        inputs: dict[str, Inputs],
        links: Links | None = None,
    ) -> None:
        """Remember a text's new editions, in one transaction; editions of other formats stay if
        the text did not change."""
        row = text_row(stem, source.as_posix(), source_sha256, versions_key(versions), record, links_key(links or {}))
        rows = [
            (edition, (self.folder / edition.file).stat().st_mtime_ns, inputs[edition.format]) for edition in editions
        ]
        db = self.connection
        with self.transaction():
            before = db.execute("SELECT source_sha256, versions, links FROM texts WHERE stem = ?", (stem,)).fetchone()
            if before is not None and before != (row.source_sha256, row.versions, row.links):
                db.execute("DELETE FROM editions WHERE stem = ?", (stem,))
            db.execute(INSERT_TEXT, msgspec.structs.astuple(row))
            db.execute("DELETE FROM failures WHERE stem = ?", (stem,))
            for edition, mtime_ns, made_from in rows:
                fingerprint = self.fingerprint_id(made_from)
                db.execute(
                    INSERT_EDITION,
                    msgspec.structs.astuple(
                        EditionRow(
                            stem, edition.format, edition.file, edition.sha256, edition.size, mtime_ns, fingerprint
                        )
                    ),
                )

    def record_failure(self, stem: str, source_sha256: str) -> None:
        """Remember that the text failed with these bytes: the next build foresees that it fails
        again, and links the texts that cite it as if it were absent (pipeline/incremental.py)."""
        with self.transaction():
            self.connection.execute(
                "INSERT OR REPLACE INTO failures (stem, source_sha256) VALUES (?, ?)", (stem, source_sha256)
            )

    def failures(self) -> dict[str, str]:
        """Each text whose last build failed: the hash of the source it failed with (a few rows)."""
        try:
            return {str(stem): str(sha) for stem, sha in self.connection.execute("SELECT * FROM failures")}
        except sqlite3.OperationalError:  # no such table: see _prepare
            return {}

    def citers(self, slugs: set[str]) -> set[str]:
        """The texts whose recorded links cite any of `slugs` (one pass over the table)."""
        found = set()
        for stem, links in self.connection.execute("SELECT stem, links FROM texts"):
            try:
                cited = msgspec.json.decode(links, type=dict[str, str])
            except msgspec.DecodeError:
                continue
            if not slugs.isdisjoint(cited):
                found.add(str(stem))
        return found

    def fingerprint_id(self, inputs: Inputs) -> int:
        key = (inputs.templates, inputs.tools, inputs.config)
        db = self.connection
        added = db.execute("INSERT OR IGNORE INTO fingerprints (templates, tools, config) VALUES (?, ?, ?)", key)
        self.new_fingerprints |= added.rowcount == 1
        found: int = db.execute(
            "SELECT id FROM fingerprints WHERE templates = ? AND tools = ? AND config = ?", key
        ).fetchone()[0]
        return found

    # Volumes -----------------------------------------------------------------------------------

    def text_facts(self, stem: str) -> TextFacts | None:
        """A text's hash, type and adoption date as last built, by primary key."""
        row = self.connection.execute("SELECT source_sha256, type, date FROM texts WHERE stem = ?", (stem,)).fetchone()
        return TextFacts(*row) if row else None

    def text_links(self, stem: str) -> str | None:
        """What a text's references linked to when it was last built (links_key), by primary key."""
        row = self.connection.execute("SELECT links FROM texts WHERE stem = ?", (stem,)).fetchone()
        return str(row[0]) if row else None

    def volume_stale(
        self,
        stem: str,
        source_sha256: str,
        texts: str | None,
        inputs: dict[str, Inputs],
        wanted: dict[str, int | None],
        verify: bool = False,
    ) -> dict[str, str]:
        """The formats of volume `stem` to rebuild, each with the reason; `texts` is the key of the
        texts it holds now (see record_volume), None when that cannot be known without reading them."""
        rows = self.connection.execute(
            "SELECT v.source_sha256, v.texts, e.format, e.file, e.sha256, e.size, e.mtime_ns, e.fingerprint "
            "FROM volumes v LEFT JOIN volume_editions e ON e.stem = v.stem WHERE v.stem = ?",
            (stem,),
        ).fetchall()
        if not rows or not trustworthy(stem):
            return dict.fromkeys(inputs, "new")
        if rows[0][0] != source_sha256:
            return dict.fromkeys(inputs, "volume file changed")
        if rows[0][1] != texts:
            return dict.fromkeys(inputs, "texts changed")
        editions = {row[2]: EditionRow(stem, *row[2:]) for row in rows if row[2] is not None}
        if any(edition.file != expected_file(stem, name) for name, edition in editions.items()):
            return dict.fromkeys(inputs, "new")
        reasons = {}
        for name in inputs:
            reason = self._edition_reason(editions.get(name), inputs[name], wanted[name], verify, "volume_editions")
            if reason:
                reasons[name] = reason
        return reasons

    def record_volume(self, row: VolumeRow, editions: list[Edition], inputs: dict[str, Inputs]) -> None:
        """Remember a volume's new editions, in one transaction, after its files; its editions of
        other formats stay if neither its file nor its texts changed."""
        times = [(self.folder / edition.file).stat().st_mtime_ns for edition in editions]
        db = self.connection
        with self.transaction():
            before = db.execute("SELECT source_sha256, texts FROM volumes WHERE stem = ?", (row.stem,)).fetchone()
            if before is not None and before != (row.source_sha256, row.texts):
                db.execute("DELETE FROM volume_editions WHERE stem = ?", (row.stem,))
            db.execute(INSERT_VOLUME, msgspec.structs.astuple(row))
            for edition, mtime_ns in zip(editions, times, strict=True):
                fingerprint = self.fingerprint_id(inputs[edition.format])
                values = (row.stem, edition.format, edition.file, edition.sha256, edition.size, mtime_ns, fingerprint)
                db.execute(INSERT_VOLUME_EDITION, values)

    def volumes_present(self) -> Iterator[dict[str, Any]]:
        """Every volume with the editions whose files are still in the output folder, by stem:
        stem, source, source_sha256, title (its lines), language, status, date, texts (their
        stems), editions (format -> file, sha256, size)."""
        for volume, editions in self._with_editions("volumes", "volume_editions", VolumeRow):
            yield {
                **{name: getattr(volume, name) for name in ("stem", "source", "source_sha256")},
                "title": _json_strings(volume.title),
                "language": volume.language,
                "status": volume.status,
                "date": volume.date,
                "texts": [item.split(":", 1)[0] for item in _json_strings(volume.texts)],
                "editions": editions,
            }

    def prune_fingerprints(self) -> int:
        """Forget the fingerprints no edition was made from any more (after a build that added
        some: an upgrade or a template change leaves the old ones behind); how many went.
        Every table with a foreign key to them counts, whatever editions it records."""
        if not self.new_fingerprints:
            return 0
        db = self.connection
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_schema WHERE type = 'table'")]
        uses = [
            f'SELECT "{key[3]}" FROM "{table}"'  # names from the schema itself, never from a source
            for table in tables
            for key in db.execute("SELECT * FROM pragma_foreign_key_list(?)", (table,))
            if key[2] == "fingerprints"
        ]
        with self.transaction():
            pruned = db.execute(f"DELETE FROM fingerprints WHERE id NOT IN ({' UNION '.join(uses)})").rowcount
        self.new_fingerprints = False
        return int(pruned)

    # Reading it all -----------------------------------------------------------------------------

    def present(self) -> Iterator[dict[str, Any]]:
        """Every text with the editions whose files are still in the output folder, by stem, as
        the catalogue reads them: stem, source, source_sha256, record, editions (format -> file,
        sha256, size). Streamed from one query: nothing is loaded whole."""
        for text, editions in self._with_editions("texts", "editions", TextRow):
            yield {
                "stem": text.stem,
                "source": text.source,
                "source_sha256": text.source_sha256,
                "record": {name: getattr(text, name) for name in RECORD_FIELDS},
                "editions": editions,
            }

    def _with_editions(self, table: str, editions_table: str, row: type[_Row]) -> Iterator[tuple[_Row, Editions]]:
        """Each row of `table` (a text or a volume) with its editions whose files are still in the
        output folder, by stem; one streamed query. Table names are ours, never a source's."""
        columns = ", ".join(f"t.{name}" for name in row.__struct_fields__)
        query = self.connection.execute(
            f"SELECT {columns}, e.format, e.file, e.sha256, e.size "
            f"FROM {table} t JOIN {editions_table} e ON e.stem = t.stem ORDER BY t.stem, e.format"
        )
        width = len(row.__struct_fields__)
        for stem, group in itertools.groupby(query, key=lambda found: found[0]):
            rows = list(group)
            if not trustworthy(stem):
                continue
            editions = {
                name: {"file": file, "sha256": sha256, "size": size}
                for name, file, sha256, size in (found[width:] for found in rows)
                if file == expected_file(stem, name) and (self.folder / file).is_file()
            }
            if editions:
                yield row(*rows[0][:width]), editions

    def absent_references(self) -> int:
        """How many (text, cited text) pairs of the folder's texts cite a text that is not in it."""
        return sum(
            list(msgspec.json.decode(links, type=dict[str, str]).values()).count("")
            for (links,) in self.connection.execute("SELECT links FROM texts")
            if links.startswith("{")
        )

    def sizes(self, stem: str) -> dict[str, int]:
        """The size of each recorded edition of `stem` whose file is there, by format."""
        rows = self.connection.execute("SELECT format, file, size FROM editions WHERE stem = ?", (stem,))
        return {
            name: size
            for name, file, size in rows
            if file == expected_file(stem, name) and os.path.isfile(os.path.join(self.folder, file))
        }

    def has_edition(self, stem: str, format_name: str) -> bool:
        """Whether `stem` has a recorded edition of `format_name` whose file is there."""
        row = self.connection.execute(
            "SELECT file FROM editions WHERE stem = ? AND format = ?", (stem, format_name)
        ).fetchone()
        return row is not None and row[0] == expected_file(stem, format_name) and (self.folder / row[0]).is_file()

    def stems(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT stem FROM texts ORDER BY stem")]


def _json_strings(text: str) -> list[str]:
    """A column holding a JSON list of strings; anything else reads as an empty list."""
    try:
        return msgspec.json.decode(text, type=list[str])
    except msgspec.DecodeError:  # ValidationError is one
        return []


class _Transaction:
    """`with state.transaction():` BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any exception.
    A write that fails (a full disk, a read-only folder) is an OutputError naming the database."""

    def __init__(self, state: BuildState) -> None:
        self.state = state

    def __enter__(self) -> None:
        try:
            self.state.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _output_error(self.state.path, exc) from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: object) -> None:
        db = self.state.connection
        if kind is None:
            try:
                db.execute("COMMIT")
                return
            except sqlite3.Error as exc:
                db.execute("ROLLBACK")
                raise _output_error(self.state.path, exc) from None
        if db.in_transaction:
            db.execute("ROLLBACK")
        if isinstance(error, sqlite3.Error):
            raise _output_error(self.state.path, error) from None


def _links_changed(recorded: str, targets: Targets, stem: str) -> bool:
    """Whether the text's citations would now link elsewhere (a row of an earlier version: always)."""
    try:
        links = msgspec.json.decode(recorded, type=dict[str, str])
    except msgspec.DecodeError:
        return True
    return targets.links_changed(links, stem_language(stem))


def _connect(path: Path) -> sqlite3.Connection:
    # Autocommit: transactions are ours (BEGIN IMMEDIATE … COMMIT), one per finished text.
    db = sqlite3.connect(path, timeout=BUSY_SECONDS, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer, and a kill -9 is safe
        db.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a crash of the process
        db.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        db.close()
        raise
    return db


class _NotOurs(Exception):
    """A file that is not a build state of this schema: replaced, never misread."""


def _classified(exc: sqlite3.DatabaseError) -> Exception:
    """A damaged or foreign file is replaced; any other failure (locked, unwritable) is reported."""
    if getattr(exc, "sqlite_errorname", "") in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return _NotOurs(str(exc))
    return exc


def _remove_database(path: Path) -> None:
    for name in (path.name, f"{path.name}-wal", f"{path.name}-shm"):
        (path.parent / name).unlink(missing_ok=True)


def _why_not_writable(path: Path) -> str:
    """What the system says when the file is opened for writing (SQLite says only "unable to open")."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        return exc.strerror or str(exc)
    os.close(descriptor)
    return ""


def _output_error(path: Path, exc: Exception | str) -> OutputError:
    return OutputError(f"cannot write the build state {path}: {exc}")
