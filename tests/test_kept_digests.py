"""Digests of code and templates kept between runs: an edited or replaced file is always hashed again."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import kept_digests
from pipeline.kept_digests import FILE_NAME, known_digest, save
from pipeline.usercache import CACHE_ENVIRONMENT

HOUR_NS = 3600 * 10**9


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENVIRONMENT, str(folder))
    kept_digests.forget()
    yield folder / "digests" / FILE_NAME
    monkeypatch.undo()
    kept_digests.forget()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def as_if_later(monkeypatch: pytest.MonkeyPatch) -> None:
    """An hour on, as for the code of a checkout: a change time cannot be set back, the clock can."""
    now = time.time_ns()
    monkeypatch.setattr(time, "time_ns", lambda: now + HOUR_NS)


def clock_past(path: Path) -> None:
    """Wait for the file system's clock to move past the file's change time (it ticks in
    milliseconds: an edit in the same tick would keep every time, the race kept_digests avoids
    by not keeping young files, which this test's moved clock bypasses)."""
    probe = path.with_name(".probe")
    while True:
        probe.write_bytes(b"")
        if probe.stat().st_ctime_ns != path.stat().st_ctime_ns:
            probe.unlink()
            return
        time.sleep(0.001)


def next_run() -> None:
    save()
    kept_digests.forget()


def test_a_kept_digest_is_reused_until_the_file_changes(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = written(tmp_path / "code.py", "A = 1\n")
    as_if_later(monkeypatch)
    assert known_digest(code) == sha256(code)
    next_run()
    kept = json.loads(cache.read_text())
    assert kept[str(code)][-1] == sha256(code)
    # A kept digest is what the next run returns, without reading the file: prove it by planting one.
    kept[str(code)][-1] = "0" * 64
    cache.write_text(json.dumps(kept))
    kept_digests.forget()
    assert known_digest(code) == "0" * 64
    # The same size, the same modification time set back by hand: the change time still moves.
    status = code.stat()
    clock_past(code)
    code.write_text("A = 2\n", encoding="utf-8")
    os.utime(code, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert known_digest(code) == sha256(code)


def test_a_file_replaced_by_a_copy_with_the_old_times_is_hashed_again(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = written(tmp_path / "code.py", "A = 1\n")
    other = written(tmp_path / "other.py", "A = 3\n")
    as_if_later(monkeypatch)
    known_digest(code)
    next_run()
    clock_past(code)
    shutil.copy2(other, code)  # cp -p: contents replaced, modification time carried over
    assert known_digest(code) == sha256(other)


def test_a_file_changed_in_the_last_seconds_is_not_kept(cache: Path, tmp_path: Path) -> None:
    code = tmp_path / "code.py"
    code.write_text("A = 1\n", encoding="utf-8")
    assert known_digest(code) == sha256(code)
    next_run()
    # Its next edit could fall in the same clock tick and keep every time and the size.
    assert not cache.exists() or str(code) not in json.loads(cache.read_text())


@pytest.mark.parametrize("damage", ["", "{", "[1, 2]", '{"x": [1, 2, 3]}', '{"x": "y"}'])
def test_a_damaged_cache_is_ignored_and_rewritten(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    cache.parent.mkdir(parents=True, mode=0o700)
    cache.write_text(damage)
    code = written(tmp_path / "code.py", "A = 1\n")
    as_if_later(monkeypatch)
    assert known_digest(code) == sha256(code)
    next_run()
    assert json.loads(cache.read_text())[str(code)][-1] == sha256(code)


def test_without_a_cache_folder_every_file_is_hashed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENVIRONMENT, "")
    kept_digests.forget()
    code = written(tmp_path / "code.py", "A = 1\n")
    as_if_later(monkeypatch)
    assert known_digest(code) == sha256(code)
    next_run()
    assert known_digest(code) == sha256(code)
    kept_digests.forget()
