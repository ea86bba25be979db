"""Running jobs (one source -> its stale editions) in this process, in local worker processes, or on Dask.

Each job is a pure function of its inputs, so the three executors give byte-identical outputs.
Local workers write their editions themselves; Dask workers may be on other machines, so they
get the source's bytes with the job and send the editions' bytes back to be written here.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import importlib
import os
import re
import resource
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec

from .build import Builder
from .config import Config
from .errors import UsageError, shown
from .files import write_all_atomically
from .fingerprints import Inputs, fingerprints
from .linking import Targets
from .model import LanguageVersion
from .outcome import Outcome

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

CONNECT_TIMEOUT = "30s"  # to reach a Dask scheduler
SCHEDULER_ADDRESS = re.compile(r"^(?:tcp|tls|ws|wss)://(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(?P<port>[0-9]{1,5})$")
PR_SET_PDEATHSIG = 1
PARENT_POLL_SECONDS = 0.5
IN_FLIGHT_PER_WORKER = 3  # tasks handed out ahead of the workers: enough that none waits, few to scan
TEXTS_PER_TASK = 4  # at most, in a task sent to a local worker process
TASKS_PER_WORKER = 16  # at least, before texts are grouped into tasks
DASK_MIN_THREADS = 4  # the window while a cluster's workers are still connecting
DASK_WINDOW_REVIEW = 256  # completions between two looks at the cluster's size


@dataclass(frozen=True)
class Job:
    source: Path
    versions: tuple[LanguageVersion, ...]
    formats: tuple[str, ...]
    data: bytes = b""  # the source's bytes, for a worker that cannot read our disk
    sizes: dict[str, int] = field(default_factory=dict)  # of its editions in the folder, as recorded
    relist: tuple[str, ...] = ()  # up-to-date editions that list the others: rendered again if a size changed
    check: bool = False  # only read the source and check it for `formats`: nothing rendered (Builder.build_one)
    absent: frozenset[str] = frozenset()  # stems gone from the settings' targets since the run began


class Feed:
    """The jobs of one run, handed out as workers free up. A list's jobs are all there from the
    start; the corpus build adds more while the run goes on (pipeline/incremental.py: the texts
    others may link to are checked, then the texts are rendered), each time it is given an
    outcome: a runner asks the feed again after every outcome it yields, and ends when the feed
    has nothing and nothing is in flight. `expected` counts the jobs to come (how many workers
    are worth starting), `formats` what they may render beside the jobs there."""

    def __init__(self, jobs: Iterable[Job] = (), expected: int = 0, formats: Iterable[str] = ()) -> None:
        self.ready: collections.deque[Job] = collections.deque(jobs)
        self.expected = expected
        self.more_formats = frozenset(formats)

    def add(self, jobs: Iterable[Job], expected: int = 0) -> None:
        """More jobs, and how many are to come after them."""
        self.ready.extend(jobs)
        self.expected = expected

    def take(self) -> Job | None:
        return self.ready.popleft() if self.ready else None

    def __len__(self) -> int:
        return len(self.ready)

    @property
    def size(self) -> int:
        """The jobs there and those to come."""
        return len(self.ready) + self.expected

    def formats(self) -> set[str]:
        return {name for job in self.ready for name in job.formats} | self.more_formats


@dataclass(frozen=True)
class Settings:
    """What every worker needs to build the same Builder: the same for all jobs of a run."""

    formats: tuple[str, ...]
    out_dir: Path
    config: Config
    debug: bool = False
    targets: Targets | None = None  # the texts references may link to (None: as the link pattern says)

    def builder(self) -> Builder:
        return Builder(list(self.formats), self.out_dir, self.config, self.debug, self.targets)


def _hostname() -> str:
    """This machine's name, as socket.gethostname() gives it on POSIX (without importing socket)."""
    return os.uname().nodename


def timed(builder: Builder, job: Job, write: bool = True) -> Outcome:
    start = time.perf_counter()
    outcome = builder.build_one(
        job.source,
        job.versions,
        job.formats,
        write=write,
        sizes=job.sizes,
        relist=job.relist,
        check=job.check,
        absent=job.absent,
    )
    outcome.seconds = time.perf_counter() - start
    outcome.worker = f"{_hostname()}:{os.getpid()}"
    outcome.peak_rss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + _pandoc_peak_kib()
    return outcome


def _pandoc_peak_kib() -> int:
    """This process's pandoc at its largest; none was started if its module was never imported
    (an HTML or PDF build does not import it)."""
    module = sys.modules.get("pipeline.renderers.pandoc_server")
    return 0 if module is None else int(module.peak_kib())


# In this process --------------------------------------------------------------------------------


def run_serial(jobs: list[Job] | Feed, settings: Settings) -> Iterator[Outcome]:
    feed = _fed(jobs)
    builder = settings.builder()
    with fewer_collections():
        while (job := feed.take()) is not None:  # asked again after each outcome: it may have grown
            yield timed(builder, job)


def _fed(jobs: list[Job] | Feed) -> Feed:
    return jobs if isinstance(jobs, Feed) else Feed(jobs)


# Python's cycle collector runs after every 700 net allocations of containers: a PDF's layout
# makes millions, and the collections took 6 % of it (49 of 870 ms a text here). After 10,000,
# they take two fifths of that (20 ms), for a few MiB more at the peak (50,000 saved 10 ms more
# for 7 MiB more); what lives as long as the worker (engines, fonts, templates) is frozen out.
COLLECTION_THRESHOLD = 10_000


def settle_collector() -> None:
    """In a worker whose engines are started: they are never garbage, and are no longer scanned;
    the cycle collector runs after COLLECTION_THRESHOLD net allocations."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(COLLECTION_THRESHOLD, *gc.get_threshold()[1:])


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """The cycle collector's first threshold raised meanwhile (in this process: a build command's)."""
    before = gc.get_threshold()
    gc.set_threshold(COLLECTION_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


# In local worker processes ----------------------------------------------------------------------

_builder: Builder | None = None
_ledger = Path()  # where each worker notes the source it is rendering, to know who a crash interrupted


def _start_worker(settings: Settings, ledger: str, parent: int) -> None:
    """Once per worker process: die with the parent, then start every engine the jobs need."""
    import ctypes  # here: a build of one text in this process never needs it

    with contextlib.suppress(OSError, AttributeError):  # Linux only: a kill -9 of the build ends its workers
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # The signal is armed only now, after the spawn's imports: a parent killed before then has no
    # signal to send, and this worker would render on for nobody. Its parent is then someone else.
    if os.getppid() != parent:
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watch", daemon=True).start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    global _builder, _ledger
    _ledger = Path(ledger) / str(os.getpid())
    _builder = settings.builder()
    for name in settings.formats:
        with contextlib.suppress(Exception):  # a failing engine is reported with each text instead
            _builder.renderer(name)
    settle_collector()


def _watch_parent(parent: int) -> None:
    """Where the kernel has no parent-death signal (not Linux), notice the parent's death ourselves."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_SECONDS)
    os._exit(1)


def _run_in_worker(jobs: list[Job]) -> list[Outcome]:
    assert _builder is not None, "worker not started"
    outcomes = []
    for job in jobs:
        _ledger.write_text(str(job.source), encoding="utf-8")
        try:
            outcomes.append(timed(_builder, job))
        finally:
            _ledger.unlink()
    return outcomes


def run_processes(jobs: list[Job] | Feed, settings: Settings, workers: int) -> Iterator[Outcome]:
    """Outcomes as workers finish them. A worker that dies (a crash, the OOM killer) breaks the pool:
    the texts it did not reach go to a fresh pool, and those being rendered are tried again alone,
    where a crash can only be their own."""
    feed = _fed(jobs)
    again: list[Job] = []  # handed out to a pool that broke before they were done
    while again or feed:
        round_ = _Round(feed, again)
        yield from round_.run(settings, workers)
        if round_.unfinished and not round_.suspects and not round_.finished:  # no worker could even start
            yield from (_died(round_.jobs[i], "worker processes could not start") for i in round_.unfinished)
            while (job := feed.take()) is not None:  # and those added meanwhile
                yield _died(job, "worker processes could not start")
            return
        for index in round_.suspects:
            alone = _Round(Feed([round_.jobs[index]]), [])
            yield from alone.run(settings, 1)
            if alone.unfinished:
                why = "its worker process died while rendering it (a crash, or out of memory)"
                yield _died(round_.jobs[index], why)
        suspects = set(round_.suspects)
        again = [round_.jobs[i] for i in round_.unfinished if i not in suspects]


class _Round:
    """One pool over some jobs: what finished, what was handed out and never done, what was
    running at a crash (indices into `jobs`, the jobs in the order they were handed out).

    Only a bounded window of tasks is submitted at a time, topped up as each finishes: waiting on
    the futures costs the window's size, not the corpus's, so each completion is O(1). A task is a
    few texts when there are many (TEXTS_PER_TASK): the pool's own cost per task (pickling, its
    queues and threads, about 0.35 ms of the parent's CPU) is then shared by them. The jobs come
    from `first`, then from the feed, as each task is made."""

    def __init__(self, feed: Feed, first: list[Job]) -> None:
        self.feed = feed
        self.first = collections.deque(first)
        self.jobs: list[Job] = []
        self.finished = 0
        self.unfinished: list[int] = []
        self.suspects: list[int] = []

    def run(self, settings: Settings, workers: int) -> Iterator[Outcome]:
        # Imported here: a build of one text, the editor's loop, renders in this process.
        import multiprocessing
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        context = multiprocessing.get_context(start_method())
        total = len(self.first) + self.feed.size
        size = _task_size(total, workers)
        with tempfile.TemporaryDirectory(prefix="pipeline-ledger-") as ledger:
            pool = ProcessPoolExecutor(min(workers, total), context, _start_worker, (settings, ledger, os.getpid()))
            futures: dict[Future[list[Outcome]], list[int]] = {}
            window = IN_FLIGHT_PER_WORKER * workers
            try:
                self._submit(pool, futures, window, size)
                while futures:
                    done, _ = wait(futures, return_when=FIRST_COMPLETED)
                    for future in done:
                        task = futures.pop(future)
                        try:
                            outcomes = future.result()
                        except BrokenProcessPool:
                            self.unfinished.extend(task)
                            continue
                        self.finished += len(outcomes)
                        yield from outcomes
                    self._submit(pool, futures, window, size)
            finally:  # also on Ctrl-C: drop the queued jobs, let the running ones finish
                pool.shutdown(wait=True, cancel_futures=True)
            running = {note.read_text(encoding="utf-8") for note in Path(ledger).iterdir()}
        for job in self.first:  # jobs to try again that this pool never reached
            self.unfinished.append(len(self.jobs))
            self.jobs.append(job)
        self.first.clear()
        self.suspects = [i for i in self.unfinished if str(self.jobs[i].source) in running]

    def _handed(self, count: int) -> list[int]:
        """Up to `count` more jobs, as indices: those to try again first, then the feed's."""
        indices: list[int] = []
        while len(indices) < count:
            job = self.first.popleft() if self.first else self.feed.take()
            if job is None:
                break
            indices.append(len(self.jobs))
            self.jobs.append(job)
        return indices

    def _submit(
        self, pool: ProcessPoolExecutor, futures: dict[Future[list[Outcome]], list[int]], window: int, size: int
    ) -> None:
        """Top the window up. Once the pool is broken nothing more is handed out: the jobs not
        handed out stay for the next pool."""
        from concurrent.futures.process import BrokenProcessPool

        if self.unfinished:  # a crash broke the pool: nothing more can be submitted to it
            return
        while len(futures) < window and (task := self._handed(size)):
            try:
                futures[pool.submit(_run_in_worker, [self.jobs[index] for index in task])] = task
            except BrokenProcessPool:
                self.unfinished.extend(task)
                return


def start_method() -> str:
    """How the workers are started: forked from this process, which has imported what they run
    (a worker starts 0.15 s sooner), wherever that is safe; a fresh interpreter otherwise.

    A fork copies every lock as it is at that moment, but only the thread that forked: a lock
    another thread held (the progress display's, a library's own thread's) would never be
    released in the child. So only a process of one thread, counted by the kernel (which also
    sees threads that libraries start without Python's knowledge), and only on Linux (macOS's
    system libraries do not survive a fork)."""
    if sys.platform.startswith("linux") and len(os.listdir("/proc/self/task")) == 1:
        return "fork"
    return "spawn"


def _task_size(total: int, workers: int) -> int:
    """Jobs to a task: a few when there are many more than the workers (never so many that the
    last tasks leave a worker idle: the plan puts the shortest texts last)."""
    return max(1, min(TEXTS_PER_TASK, total // (workers * TASKS_PER_WORKER)))


def _died(job: Job, why: str) -> Outcome:
    return Outcome(job.source, failure=why)


# On a Dask cluster -------------------------------------------------------------------------------

_local = threading.local()  # a Dask worker may run tasks on several threads: one Builder each


def render_remote(job: Job, settings: Settings, expected: dict[str, Inputs]) -> Outcome:
    """A Dask task: render from the shipped bytes, return the editions' bytes to the client."""
    found = fingerprints(job.formats, settings.config)
    different = sorted(name for name in job.formats if found[name] != expected[name])
    if different:
        return Outcome(
            job.source,
            failure=f"worker {_hostname()} has other templates or tool versions for {', '.join(different)}",
        )
    builder: Builder | None = getattr(_local, "builder", None)
    if builder is None or (builder.formats, builder.config, builder.debug, builder.targets) != (
        list(settings.formats),
        settings.config,
        settings.debug,
        settings.targets,
    ):
        builder = _local.builder = settings.builder()
    with tempfile.TemporaryDirectory(prefix="pipeline-job-") as work:
        copy = Path(work) / job.source.name  # the same name: the edition and problem lines depend on it
        copy.write_bytes(job.data)
        outcome = timed(builder, replace(job, source=copy), write=False)
    outcome.source = job.source
    outcome.problems = [msgspec.structs.replace(problem, path=job.source) for problem in outcome.problems]
    return outcome


def check_scheduler(address: str) -> None:
    """Refuse an address Dask could not reach, at once, rather than after its connect timeout."""
    if not address:
        raise UsageError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786)")
    match = SCHEDULER_ADDRESS.match(address)
    if not match or not 0 < int(match.group("port")) < 65536:
        raise UsageError(
            f"--scheduler {shown(address)} is not a Dask scheduler address (e.g. tcp://127.0.0.1:8786, tls://host:8786)"
        )


def run_dask(
    jobs: list[Job] | Feed, settings: Settings, scheduler: str, expected: dict[str, Inputs]
) -> Iterator[Outcome]:
    try:
        distributed: Any = importlib.import_module("distributed")  # optional, and untyped: only here
    except ImportError:
        raise UsageError("--executor dask needs the dask and distributed packages (see requirements.lock)") from None
    check_scheduler(scheduler)
    try:
        client = distributed.Client(scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, ValueError, TypeError) as exc:  # unreachable, or an address Dask cannot parse
        raise UsageError(f"cannot reach the Dask scheduler at {shown(scheduler)}: {exc}") from None
    try:
        # A bounded window of jobs on the cluster, topped up as each comes back: the client holds
        # the bytes of a few sources at a time, not of the corpus. The window follows the
        # cluster's threads, looked at again now and then (a cluster may grow).
        feed = _fed(jobs)
        completed = distributed.as_completed(loop=client.loop)
        window = _dask_window(client)
        # Sent to every worker once, not with each job: a corpus's targets are thousands of names.
        shared = client.scatter(settings, broadcast=True, hash=False)
        yield from _ship(client, feed, completed, window, shared, expected)
        for count, future in enumerate(completed, 1):
            outcome: Outcome = future.result()
            future.release()  # the editions' bytes need not stay on the cluster
            yield _write_payload(outcome, settings.out_dir)
            if count % DASK_WINDOW_REVIEW == 0:
                window = _dask_window(client)
            yield from _ship(client, feed, completed, window - completed.count(), shared, expected)
    finally:
        client.close()


def _dask_window(client: Any) -> int:
    threads: int = sum(client.nthreads().values())
    return IN_FLIGHT_PER_WORKER * max(DASK_MIN_THREADS, threads)


def _ship(
    client: Any, feed: Feed, completed: Any, room: int, settings: Any, expected: dict[str, Inputs]
) -> Iterator[Outcome]:
    """Submit up to `room` more jobs with their sources' bytes; a source that cannot be read fails here."""
    while room > 0:
        job = feed.take()
        if job is None:
            return
        try:
            shipped = replace(job, data=job.source.read_bytes())
        except OSError as exc:
            yield Outcome(job.source, failure=f"cannot read it: {exc.strerror}")
            continue
        completed.add(client.submit(render_remote, shipped, settings=settings, expected=expected, pure=False))
        room -= 1


def _write_payload(outcome: Outcome, out_dir: Path) -> Outcome:
    try:  # every edition or none, as when a local worker writes them
        write_all_atomically([(out_dir / name, data) for name, data in outcome.payload.items()])
    except OSError as exc:
        outcome.failure = f"cannot write its editions in {out_dir}: {exc.strerror or exc}"
        outcome.editions = []
    else:
        outcome.written.extend(out_dir / name for name in outcome.payload)
    outcome.payload = {}
    return outcome


def run_jobs(
    jobs: list[Job] | Feed, settings: Settings, workers: int, executor: str = "local", scheduler: str = ""
) -> Iterator[Outcome]:
    """Every job's outcome, in the order they finish (a feed's jobs too, those added meanwhile)."""
    feed = _fed(jobs)
    if not feed.size:
        return iter(())
    # Workers start only the engines some job needs: a change to the web templates alone starts no WeasyPrint.
    needed = feed.formats()
    settings = replace(settings, formats=tuple(name for name in settings.formats if name in needed))
    if executor == "dask":
        return run_dask(feed, settings, scheduler, fingerprints(settings.formats, settings.config))
    if workers <= 1 or feed.size == 1:
        return run_serial(feed, settings)
    return run_processes(feed, settings, workers)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1
