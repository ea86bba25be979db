"""One long-lived `pandoc lua` process per worker thread, converting one document after another.

Starting pandoc costs more than most conversions: a process per DOCX or EPUB spent most of its
time starting. pandoc_server.lua (beside this module) reads jobs on stdin and writes each
document with `pandoc.write`; how it keeps what `--sandbox` guarantees is said at its top.

A process serves RESTART_AFTER documents and is then replaced (pandoc's state, its log of
warnings, only grows). A process that dies mid-document fails that document alone; the next one
starts a fresh process. Each thread has its own process (a Dask worker may run tasks on several
threads), and a forked child never talks to its parent's.

The jobs of a server are sent and answered on a thread of its own, in the order they came: a
renderer hands its document over and goes on (the builder lays out the PDF while pandoc writes
the DOCX and EPUB), and a crash or an answer is only ever the job's whose turn it was.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import json
import multiprocessing.util
import os
import subprocess
import tempfile
import threading
import weakref
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

DRIVER = Path(__file__).with_name("pandoc_server.lua")
RESTART_AFTER = 200  # documents per process
STDERR_TAIL = 2000  # characters of pandoc's last words kept for the message of a crash
# What pandoc sees of the environment: the sandbox's clock (1970-01-01) and nothing of the
# caller's (the DOCX writer reads USERNAME, the EPUB writer LANG); UTF-8 for file names.
ENVIRONMENT = {"SOURCE_DATE_EPOCH": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"}
# pandoc's binary is linked with `-with-rtsopts=-H64m`: a 64 MiB heap held from the start. An 8 MiB
# suggested heap lowers its peak from 175 to 135 MiB, but then half of pandoc's time went to
# major collections of a small old generation (GHC's `+RTS -s`); `-O32m` lets the old generation
# reach 32 MiB before the first: a third less CPU per DOCX and EPUB for 18 MiB more at the peak
# (bench/bench.py). The bytes written are the same.
RTS_OPTIONS = ("+RTS", "-H8m", "-O32m", "-RTS")


class PandocStopped(Exception):
    """The pandoc process ended (a crash, a kill) before it answered."""


class PandocFailed(Exception):
    """pandoc answered with an error for this document."""


@dataclass(frozen=True)
class Answer:
    status: str  # "ok" (data is the document) or "unsafe" (data says what it would read)
    data: bytes


class PandocServer:
    def __init__(self, executable: str, restart_after: int = RESTART_AFTER) -> None:
        self.executable = executable
        self.restart_after = restart_after
        self.owner = os.getpid()
        self.process: subprocess.Popen[bytes] | None = None
        self.served = 0
        self.peak_kib = 0  # the largest resident size any of its processes reached
        self._data_dir: tempfile.TemporaryDirectory[str] | None = None
        self._stderr: IO[bytes] | None = None
        self._sender: ThreadPoolExecutor | None = None

    def submit(self, job: dict[str, Any]) -> Future[Answer]:
        """Hand one job (the fields pandoc_server.lua reads) to this server's own thread, which
        sends it and waits for its answer while the caller goes on (a worker lays out the PDF
        meanwhile). Jobs are converted one after another, in the order they came."""
        if self._sender is None:
            self._sender = ThreadPoolExecutor(1, thread_name_prefix="pandoc")
        return self._sender.submit(self._convert, job)

    def convert(self, job: dict[str, Any]) -> Answer:
        """Convert one job and wait for its answer."""
        return self.submit(job).result()

    def _convert(self, job: dict[str, Any]) -> Answer:
        if self.process is None or self.served >= self.restart_after or self.process.poll() is not None:
            self._end_process()
            self._start()
        assert self.process is not None and self.process.stdin and self.process.stdout
        body = json.dumps(job).encode("utf-8")
        self.served += 1
        try:
            self.process.stdin.write(b"%d\n" % len(body) + body)
            self.process.stdin.flush()
            status, _, size = self.process.stdout.readline().decode("ascii").partition(" ")
            data = self.process.stdout.read(int(size)) if size.strip().isdigit() else b""
        except (OSError, ValueError, UnicodeDecodeError):
            status, data = "", b""
        if status == "error":
            raise PandocFailed(data.decode("utf-8", "replace").strip())
        if status not in ("ok", "unsafe") or not size.strip().isdigit() or len(data) != int(size):
            raise PandocStopped(self._stopped())
        self.peak_kib = max(self.peak_kib, _peak_kib(self.process.pid))
        return Answer(status, data)

    def _start(self) -> None:
        remove_abandoned_data_dirs()
        self._data_dir = tempfile.TemporaryDirectory(prefix=f"{DATA_DIR_PREFIX}{os.getpid()}-")
        self._stderr = tempfile.TemporaryFile(prefix="pipeline-pandoc-stderr-")  # noqa: SIM115 (the process's lifetime)
        self.process = subprocess.Popen(
            [self.executable, *RTS_OPTIONS, "lua", str(DRIVER), self._data_dir.name],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=ENVIRONMENT,
            cwd=self._data_dir.name,  # relative paths resolve in an empty folder
        )
        self.served = 0

    def _stopped(self) -> str:
        """Why the process stopped, in pandoc's words when it left any; the process is dropped."""
        process, stderr = self.process, self._stderr
        self.process = None
        assert process is not None and stderr is not None
        process.kill()
        code = process.wait()
        stderr.seek(0)
        said = stderr.read().decode("utf-8", "replace").strip()[-STDERR_TAIL:]
        self._release()
        return f"pandoc stopped while converting it (exit status {code})" + (f": {said}" if said else "")

    def close(self) -> None:
        """End the process once the jobs handed to it are done: end of input lets it finish and
        exit by itself."""
        sender, self._sender = self._sender, None
        if sender is not None and self.owner == os.getpid():
            sender.shutdown(wait=True)
        self._end_process()

    def _end_process(self) -> None:
        process, self.process = self.process, None
        if process is not None and self.owner == os.getpid():
            self.peak_kib = max(self.peak_kib, _peak_kib(process.pid))
            assert process.stdin is not None and process.stdout is not None
            try:
                process.stdin.close()
                process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
            process.stdout.close()
        self._release()

    def _release(self) -> None:
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._data_dir is not None and self.owner == os.getpid():
            self._data_dir.cleanup()
        self._data_dir = None


DATA_DIR_PREFIX = "pipeline-pandoc-data-"  # then the pid of the process that made it, "-", a random part


@functools.cache  # once per process
def remove_abandoned_data_dirs(folder: Path | None = None) -> None:
    """Remove the empty data folders of processes that were killed (kill -9 runs no clean-up).

    Only folders of this user whose process has ended, and only when they are empty (rmdir):
    one that someone has put files into is left alone, another build's live one is never touched.
    """
    for path in (folder or Path(tempfile.gettempdir())).glob(f"{DATA_DIR_PREFIX}*-*"):
        pid = path.name.removeprefix(DATA_DIR_PREFIX).split("-", 1)[0]
        if not pid.isdigit() or _alive(int(pid)):
            continue
        with contextlib.suppress(OSError):  # not ours, not empty, or gone meanwhile
            if path.lstat().st_uid == os.getuid():
                path.rmdir()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _peak_kib(pid: int) -> int:
    """The process's peak resident size (Linux), 0 where the system does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


_local = threading.local()
_servers: weakref.WeakSet[PandocServer] = weakref.WeakSet()


def server(executable: str) -> PandocServer:
    """This thread's pandoc server (a forked child starts its own)."""
    current: PandocServer | None = getattr(_local, "server", None)
    if current is None or current.owner != os.getpid() or current.executable != executable:
        current = _local.server = PandocServer(executable)
        _servers.add(current)
        _close_at_exit()
    return current


def peak_kib() -> int:
    """The largest resident size a pandoc server of this process reached."""
    return max((s.peak_kib for s in list(_servers) if s.owner == os.getpid()), default=0)


def _close_all() -> None:
    for each in list(_servers):
        each.close()


_closing_in = 0  # the process whose end closes its servers


def _close_at_exit() -> None:
    """Close this process's servers when it ends: at exit, or as a worker process ends, which
    runs no atexit. A forked worker inherits neither registration's effect (multiprocessing
    clears the parent's finalizers in the child), so each process registers its own."""
    global _closing_in
    if _closing_in != os.getpid():
        _closing_in = os.getpid()
        multiprocessing.util.Finalize(None, _close_all, exitpriority=10)


atexit.register(_close_all)
_close_at_exit()
