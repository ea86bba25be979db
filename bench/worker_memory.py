"""Peak memory of a build's workers, sampled from /proc while it runs (Linux).

A worker's resident size (VmHWM) counts the pages of program files it maps: pandoc's 95 MiB
executable, Python's and WeasyPrint's libraries. Those are read from disk, shared by every
process that maps them and held once in the page cache, whatever the number of workers. What a
worker adds is its private (anonymous) memory, its heap. This samples both, for each worker
process together with its pandoc, every few milliseconds.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
INTERVAL = 0.01  # seconds between samples: a layout or a conversion lasts tens of milliseconds


@dataclass
class Peaks:
    resident_kib: int = 0  # worker and its pandoc, as `ps` shows them
    private_kib: int = 0  # their anonymous memory: what one more worker costs
    shared_kib: int = 0  # program files mapped by the worker and its pandoc, at the private peak


@dataclass
class MemorySampler:
    """Run as `with MemorySampler(pid) as sampler:` around a build whose top process is `pid`."""

    root: int
    peaks: dict[int, Peaks] = field(default_factory=dict)  # by worker pid
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> MemorySampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def largest(self) -> Peaks:
        """The peaks of the worker whose private memory grew most (the parent counts as one)."""
        return max(self.peaks.values(), key=lambda p: p.private_kib, default=Peaks())

    def _run(self) -> None:
        while not self._stop.wait(INTERVAL):
            self.sample()

    def sample(self) -> None:
        for worker, members in _workers(self.root).items():
            readings = [r for r in map(_reading, members) if r is not None]
            resident = sum(r[0] for r in readings)
            private = sum(r[1] for r in readings)
            peak = self.peaks.setdefault(worker, Peaks())
            peak.resident_kib = max(peak.resident_kib, resident)
            if private > peak.private_kib:
                peak.private_kib, peak.shared_kib = private, resident - private


def _workers(root: int) -> dict[int, list[int]]:
    """Each Python process of the tree under `root` (itself included), with its pandoc children."""
    parents: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
        names[int(entry.name)] = name
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    groups: dict[int, list[int]] = {pid: [pid] for pid in tree if names.get(pid) != "pandoc"}
    for pid in tree:
        if names.get(pid) == "pandoc" and parents[pid] in groups:
            groups[parents[pid]].append(pid)
    return groups


def _reading(pid: int) -> tuple[int, int] | None:
    """(resident, anonymous) KiB of a process now; None once it has ended."""
    try:
        status = (PROC / str(pid) / "status").read_text()
    except OSError:
        return None
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "RssAnon"):
            values[key] = int(rest.split()[0])
    if len(values) < 2:
        return None
    return values["VmRSS"], values["RssAnon"]
