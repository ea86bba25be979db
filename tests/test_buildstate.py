"""The build state in SQLite: its schema, one transaction per text, a damaged or foreign file,
and the one-time migration of an earlier version's JSON manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from pathlib import Path

import msgspec
import pytest

from pipeline.buildstate import RECORD_FIELDS, SCHEMA_VERSION, STATE_NAME, BuildState, EditionRow, TextRow
from pipeline.catalogue import catalogue_record
from pipeline.config import Config
from pipeline.errors import OutputError
from pipeline.incremental import build_corpus
from pipeline.legacy_manifest import LEGACY_NAME
from pipeline.source import load
from pipeline.testing.corpus import generate


def query(folder: Path, sql: str, *parameters: object) -> list[tuple[object, ...]]:
    """One statement on the folder's database, committed (as another program would change it)."""
    with contextlib.closing(sqlite3.connect(folder / STATE_NAME, isolation_level=None)) as db:
        return db.execute(sql, parameters).fetchall()


def recorded(folder: Path) -> dict[str, dict[str, object]]:
    """The build state as a reader of the database sees it, per stem: the text's columns and
    each edition's with the inputs it was made from (its file's time left out: a copy changes it)."""
    texts: dict[str, dict[str, object]] = {}
    with contextlib.closing(sqlite3.connect(folder / STATE_NAME)) as db:
        db.row_factory = sqlite3.Row
        for row in db.execute("SELECT * FROM texts ORDER BY stem"):
            texts[row["stem"]] = {**dict(row), "editions": {}}
        for row in db.execute(
            "SELECT e.stem, e.format, e.file, e.sha256, e.size, f.templates, f.tools, f.config "
            "FROM editions e JOIN fingerprints f ON f.id = e.fingerprint ORDER BY e.stem, e.format"
        ):
            editions = texts[row["stem"]]["editions"]
            assert isinstance(editions, dict)
            editions[row["format"]] = {key: row[key] for key in row.keys()[2:]}
    return texts


def html_build(sources: Path, out: Path, notices: list[str] | None = None) -> list[str]:
    """The stems built (not up to date) by an HTML build of `sources` into `out`."""
    summary = build_corpus(
        [sources], ["html"], out, Config(), on_notice=(notices if notices is not None else []).append
    )
    assert [o.failure for o in summary.outcomes if o.failed] == []
    return sorted(o.source.name.removesuffix(".md") for o in summary.outcomes)


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    sources = tmp_path / "sources"
    generate(sources, 4, seed=9)
    out = tmp_path / "out"
    assert len(html_build(sources, out)) == 4
    return sources, out


def test_the_schema_is_versioned_strict_and_the_typed_rows_are_its_columns(built: tuple[Path, Path]) -> None:
    _, out = built
    assert query(out, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert query(out, "PRAGMA journal_mode") == [("wal",)]
    for table, row in (("texts", TextRow), ("editions", EditionRow)):
        columns = [name for _, name, *_ in query(out, f"PRAGMA table_info({table})")]
        assert tuple(columns) == row.__struct_fields__
    with pytest.raises(sqlite3.IntegrityError):  # STRICT: a year must be a number
        query(out, "UPDATE texts SET year = 'abc'")


def test_the_record_the_catalogue_keeps_is_exactly_the_texts_columns() -> None:
    """catalogue_record gaining a key must come with a column (and a schema version), never be lost."""
    seed = Path(__file__).resolve().parent.parent / "source" / "recommendation-1607-2003.en.md"
    record = catalogue_record(load(seed, Config()))
    assert tuple(record) == RECORD_FIELDS


def test_each_text_is_one_row_and_each_edition_one_row(built: tuple[Path, Path]) -> None:
    sources, out = built
    state = recorded(out)
    assert sorted(state) == sorted(p.name.removesuffix(".md") for p in sources.iterdir())
    for stem, text in state.items():
        source = sources / f"{stem}.md"
        assert text["source"] == source.as_posix()
        editions = text["editions"]
        assert isinstance(editions, dict) and list(editions) == ["html"]
        assert editions["html"]["file"] == f"{stem}.html"
        assert editions["html"]["size"] == (out / f"{stem}.html").stat().st_size
    assert query(out, "SELECT count(*) FROM fingerprints") == [(1,)]  # shared by every edition of the build


def test_a_failed_write_of_the_state_is_an_output_error_and_keeps_what_was_committed(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, out = built
    before = recorded(out)
    first = sorted(before)[0]
    source = sources / f"{first}.md"
    source.write_text(source.read_text(encoding="utf-8") + "\nAn added paragraph.\n", encoding="utf-8")

    def full(self: BuildState, inputs: object) -> int:  # inside the text's transaction, after its row
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(BuildState, "fingerprint_id", full)
    with pytest.raises(
        OutputError, match=rf"cannot write the build state {out / STATE_NAME}: database or disk is full"
    ):
        html_build(sources, out)
    monkeypatch.undo()
    assert recorded(out) == before  # the text's transaction was rolled back whole
    assert html_build(sources, out) == [first]


@pytest.mark.parametrize("how", ["not a database", "another schema version", "tables missing", "truncated"])
def test_a_state_that_is_not_ours_is_replaced_with_a_warning(how: str, built: tuple[Path, Path]) -> None:
    sources, out = built
    path = out / STATE_NAME
    if how == "not a database":
        path.write_bytes(b"SQLite format 2\0" + b"\xff" * 5000)
    elif how == "another schema version":
        query(out, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    elif how == "tables missing":
        query(out, "DROP TABLE editions")
    else:
        data = path.read_bytes()
        path.write_bytes(data[:100] + b"\0" * (len(data) - 100))
    notices: list[str] = []
    assert len(html_build(sources, out, notices)) == 4
    assert [n for n in notices if "is not a valid build state" in n and n.endswith("every text is rebuilt")], notices
    notices.clear()
    assert (html_build(sources, out, notices), notices) == ([], [])


def test_rows_naming_other_files_are_not_trusted(built: tuple[Path, Path]) -> None:
    sources, out = built
    first = sorted(recorded(out))[0]
    query(out, "UPDATE editions SET file = '../../etc/passwd' WHERE stem = ?", first)
    with contextlib.closing(BuildState.open(out)) as state:
        assert first not in [entry["stem"] for entry in state.present()]
    assert html_build(sources, out) == [first]
    editions = recorded(out)[first]["editions"]
    assert isinstance(editions, dict) and editions["html"]["file"] == f"{first}.html"


# The JSON manifest of earlier versions ------------------------------------------------------------


def legacy_manifest(state: dict[str, dict[str, object]], out: Path) -> bytes:
    """The `.manifest.json` an earlier version wrote for the same builds (its format, version 1)."""
    texts = {}
    for stem, text in state.items():
        editions = text["editions"]
        assert isinstance(editions, dict)
        texts[stem] = {
            "source": text["source"],
            "source_sha256": text["source_sha256"],
            "versions": json.loads(str(text["versions"])),
            "record": {key: text[key] for key in RECORD_FIELDS},
            "editions": {
                name: {
                    "file": e["file"],
                    "sha256": e["sha256"],
                    "size": e["size"],
                    "mtime_ns": (out / str(e["file"])).stat().st_mtime_ns,
                    "inputs": {"templates": e["templates"], "tools": e["tools"], "config": e["config"]},
                }
                for name, e in editions.items()
            },
        }
    return json.dumps({"version": 1, "texts": texts}, sort_keys=True, indent=0).encode()


def test_an_earlier_versions_manifest_is_migrated_once_then_deleted(built: tuple[Path, Path]) -> None:
    sources, out = built
    before = recorded(out)
    (out / LEGACY_NAME).write_bytes(legacy_manifest(before, out))
    (out / STATE_NAME).unlink()  # a folder as an earlier version left it
    notices: list[str] = []
    assert html_build(sources, out, notices) == []  # nothing rebuilt: every text was migrated
    assert notices == []
    assert not (out / LEGACY_NAME).exists()
    # The manifest knew nothing of links: each text keeps the links it was built with until rebuilt.
    migrated = recorded(out)
    assert {text["links"] for text in migrated.values()} == {"{}"}
    assert {stem: {**text, "links": "{}"} for stem, text in before.items()} == migrated
    assert html_build(sources, out) == []


def test_a_manifest_beside_a_state_is_an_old_one_and_only_deleted(built: tuple[Path, Path]) -> None:
    sources, out = built
    before = recorded(out)
    stale = json.loads(legacy_manifest(before, out))
    for text in stale["texts"].values():
        text["source_sha256"] = "0" * 64
    (out / LEGACY_NAME).write_text(json.dumps(stale))
    assert html_build(sources, out) == []
    assert not (out / LEGACY_NAME).exists() and recorded(out) == before


def corrupt(entry: dict[str, object], how: str) -> object:
    record = entry["record"]
    editions = entry["editions"]
    assert isinstance(record, dict) and isinstance(editions, dict)
    if how == "year is text":
        record["year"] = "abc"
    elif how == "record without type":
        del record["type"]
    elif how == "inputs a list":
        editions["html"]["inputs"] = [1]
    elif how == "size is text":
        editions["html"]["size"] = "12"
    elif how == "versions a text":
        entry["versions"] = "fr"
    elif how == "entry null":
        return None
    return entry


@pytest.mark.parametrize(
    "how",
    ["texts a list", "year is text", "record without type", "inputs a list", "size is text", "versions a text",
     "entry null", "version as text", "not JSON", "not UTF-8", "deep JSON"],
)  # fmt: skip
def test_a_manifest_of_the_wrong_shape_is_not_migrated_and_its_texts_rebuilt(
    how: str, built: tuple[Path, Path]
) -> None:
    sources, out = built
    data = json.loads(legacy_manifest(recorded(out), out))
    (out / STATE_NAME).unlink()
    first = sorted(data["texts"])[0]
    if how == "texts a list":
        data["texts"] = []
    elif how == "version as text":
        data["version"] = "1"
    else:
        data["texts"][first] = corrupt(data["texts"][first], how)
    raw = json.dumps(data).encode()
    raw = {"not JSON": b'{"version": 1, "texts": {', "not UTF-8": b'{"version": 1, "\xff": 1}'}.get(how, raw)
    (out / LEGACY_NAME).write_bytes(b"[" * 100_000 + b"]" * 100_000 if how == "deep JSON" else raw)
    notices: list[str] = []
    assert len(html_build(sources, out, notices)) == 4
    assert [n for n in notices if "is not a valid manifest" in n and n.endswith("every text is rebuilt")], notices
    assert not (out / LEGACY_NAME).exists()
    notices.clear()
    assert (html_build(sources, out, notices), notices) == ([], [])


def test_a_migrated_entry_naming_another_file_is_left_out(built: tuple[Path, Path]) -> None:
    sources, out = built
    data = json.loads(legacy_manifest(recorded(out), out))
    first = sorted(data["texts"])[0]
    data["texts"][first]["editions"]["html"]["file"] = "javascript:alert(1)"
    (out / STATE_NAME).unlink()
    (out / LEGACY_NAME).write_text(json.dumps(data))
    assert html_build(sources, out) == [first]


def test_the_typed_rows_round_trip(built: tuple[Path, Path]) -> None:
    _, out = built
    [row] = query(out, "SELECT * FROM texts LIMIT 1")
    text = TextRow(*row)  # type: ignore[arg-type]
    assert msgspec.structs.astuple(text) == row


def test_fingerprints_no_edition_was_made_from_are_forgotten(built: tuple[Path, Path]) -> None:
    sources, out = built
    query(out, "UPDATE fingerprints SET tools = 'an earlier version'")  # as after an upgrade
    assert len(html_build(sources, out)) == 4  # every edition rebuilt
    assert query(out, "SELECT tools FROM fingerprints") == query(
        out, "SELECT DISTINCT f.tools FROM editions e JOIN fingerprints f ON f.id = e.fingerprint"
    )
    assert len(query(out, "SELECT * FROM fingerprints")) == 1


def test_a_fingerprint_another_table_refers_to_is_kept(built: tuple[Path, Path]) -> None:
    sources, out = built
    query(out, "CREATE TABLE later (fingerprint INTEGER REFERENCES fingerprints (id))")  # as a newer schema might
    query(out, "INSERT INTO later SELECT id FROM fingerprints")
    query(out, "UPDATE fingerprints SET tools = 'an earlier version'")
    html_build(sources, out)
    assert ("an earlier version",) in query(out, "SELECT tools FROM fingerprints")
    assert len(query(out, "SELECT * FROM fingerprints")) == 2


def test_a_failure_is_remembered_with_its_bytes_until_the_text_builds(built: tuple[Path, Path]) -> None:
    """The `failures` table: made in a state of this version written before it had one (no text
    rebuilt), a row while a text fails, none once it builds."""
    sources, out = built
    query(out, "DROP TABLE failures")
    source = sorted(sources.iterdir())[0]
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("\n1. ", "\n3. ", 1), encoding="utf-8")
    notices: list[str] = []
    summary = build_corpus([sources], ["html"], out, Config(), on_notice=notices.append)
    assert notices == [] and len(summary.up_to_date) == 3  # the state was kept
    broken = hashlib.sha256(source.read_bytes()).hexdigest()
    assert query(out, "SELECT stem, source_sha256 FROM failures") == [(source.name.removesuffix(".md"), broken)]
    source.write_text(text + "\n", encoding="utf-8")  # mended, and not as it was: rebuilt
    assert html_build(sources, out) == [source.name.removesuffix(".md")]
    assert query(out, "SELECT * FROM failures") == []
