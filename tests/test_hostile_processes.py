"""Builds killed at any moment, and builds racing into one folder (issue 15, classes 10 and 11).

A build is started as a real `pipeline build` process with a marker in its environment, which
every process it starts inherits: after a `kill -9`, no process carrying the marker may remain.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from pipeline.buildstate import STATE_NAME
from tests.sources import FRONT
from tests.test_buildstate import recorded

ROOT = Path(__file__).resolve().parent.parent
MARK = "PIPELINE_TEST_MARK"
GRACE_SECONDS = 10.0  # a worker killed mid-import ends at its first check; imports take seconds under load


def write_sources(folder: Path, numbers: range) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in numbers:
        path = folder / f"resolution-{number}-2001.en.md"
        body = "\n\n".join(f"{n}. Paragraph {n} of text {number}." for n in range(1, 40))
        path.write_text(FRONT.replace("number: 1234", f"number: {number}") + "\n" + body + "\n")
        paths.append(path)
    return paths


def start_build(*args: str, mark: str, capture: bool = True) -> subprocess.Popen[str]:
    """A build process; without `capture`, a surviving worker cannot hold our pipes open."""
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline", "build", *args],
        cwd=ROOT,
        env={**os.environ, MARK: mark},
        stdout=output,
        stderr=output,
        text=True,
    )


def marked_processes(mark: str) -> list[int]:
    """Every live process whose environment carries `mark`."""
    found = []
    needle = f"{MARK}={mark}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environment = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if needle in environment.split(b"\0") and state != "Z":  # a zombie has already ended
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("when", "delay"),
    [("start", 0.1), ("start", 0.5), ("spawn", 0.0), ("spawn", 0.1), ("spawn", 0.25), ("spawn", 0.6), ("spawn", 1.5)],
)
def test_no_process_outlives_a_killed_build(when: str, delay: float, tmp_path: Path) -> None:
    """Killed `delay` s after the build starts, or after its first worker process appears (the
    moments around the spawn are where a worker could miss its parent's death)."""
    write_sources(tmp_path / "source", range(1000, 1006))
    mark = uuid.uuid4().hex
    build = start_build(
        str(tmp_path / "source"),
        "--format",
        "html,docx",
        "-j",
        "2",
        "--out",
        str(tmp_path / "out"),
        mark=mark,
        capture=False,
    )
    if when == "spawn":
        deadline = time.monotonic() + 30
        while len(marked_processes(mark)) < 2 and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert build.poll() is None, "the build ended before any worker started"
    time.sleep(delay)
    build.send_signal(signal.SIGKILL)
    build.wait()
    deadline = time.monotonic() + GRACE_SECONDS
    while marked_processes(mark) and time.monotonic() < deadline:
        time.sleep(0.05)
    survivors = marked_processes(mark)
    for pid in survivors:  # never leave them running, whatever the assertion says
        os.kill(pid, signal.SIGKILL)
    assert survivors == [], f"alive {GRACE_SECONDS} s after kill -9 at {delay} s after {when}"


def test_two_builds_into_one_folder_keep_every_text(tmp_path: Path) -> None:
    write_sources(tmp_path / "a", range(1000, 1003))
    write_sources(tmp_path / "b", range(2000, 2003))
    out = tmp_path / "out"
    mark = uuid.uuid4().hex
    builds = [
        start_build(str(tmp_path / name), "--format", "html", "-j", "1", "--out", str(out), mark=mark)
        for name in ("a", "b")
    ]
    results = [build.communicate(timeout=120) for build in builds]
    assert [build.returncode for build in builds] == [0, 0], results
    assert sorted(recorded(out)) == [f"resolution-{n}-2001.en" for n in (1000, 1001, 1002, 2000, 2001, 2002)]
    catalogue = (out / "index.html").read_text()
    assert all(f"resolution-{n}-2001.en.html" in catalogue for n in (1000, 1001, 1002, 2000, 2001, 2002))


def test_a_second_build_waits_for_the_first_and_says_so(tmp_path: Path) -> None:
    write_sources(tmp_path / "source", range(1000, 1001))
    out = tmp_path / "out"
    out.mkdir()
    held = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a running build holds it
        build = start_build(str(tmp_path / "source"), "--format", "html", "--out", str(out), mark=uuid.uuid4().hex)
        assert build.stderr is not None
        # Its first line, however long a loaded machine takes to start it: that it waits.
        first = build.stderr.readline()
        assert first == f"pipeline: waiting for another build into {out} to finish\n"
        time.sleep(0.5)
        assert build.poll() is None, "the second build did not wait"
        assert not (out / STATE_NAME).exists()  # opened only once the folder is locked
    finally:
        os.close(held)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 0, stderr
    assert (out / "resolution-1000-2001.en.html").is_file()
