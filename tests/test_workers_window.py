"""The parent scales: only a bounded window of jobs is in flight, topped up as each finishes."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, ClassVar

import pytest

from pipeline.config import Config
from pipeline.outcome import Outcome
from pipeline.workers import IN_FLIGHT_PER_WORKER, TEXTS_PER_TASK, Feed, Job, Settings, run_processes

SETTINGS = Settings(("html",), Path("unused"), Config())


class FakePool:
    """Stands for ProcessPoolExecutor: each job is done as soon as it is submitted; it may break."""

    instances: ClassVar[list[FakePool]] = []

    def __init__(self, max_workers: int, *args: Any, break_after: int | None = None) -> None:
        self.submitted: list[Path] = []
        self.tasks = 0
        self.break_after = break_after
        FakePool.instances.append(self)

    def submit(self, function: Callable[[list[Job]], list[Outcome]], jobs: list[Job]) -> Future[list[Outcome]]:
        if self.break_after is not None and len(self.submitted) >= self.break_after:
            raise BrokenProcessPool("a worker died")
        self.submitted.extend(job.source for job in jobs)
        self.tasks += 1
        future: Future[list[Outcome]] = Future()
        future.set_result([Outcome(job.source) for job in jobs])
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def jobs(count: int) -> list[Job]:
    return [Job(Path(f"resolution-{1000 + n}-2001.en.md"), (), ("html",)) for n in range(count)]


def test_a_thousand_jobs_are_handed_out_a_window_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    FakePool.instances.clear()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", FakePool)
    in_flight = []
    outcomes = []
    for outcome in run_processes(jobs(1000), SETTINGS, 2):
        outcomes.append(outcome)
        in_flight.append(len(FakePool.instances[0].submitted) - len(outcomes) + 1)  # this one included
    [pool] = FakePool.instances
    assert pool.submitted == [job.source for job in jobs(1000)]  # handed out in the plan's order
    assert sorted(o.source for o in outcomes) == pool.submitted
    assert max(in_flight) == IN_FLIGHT_PER_WORKER * 2 * TEXTS_PER_TASK
    assert pool.tasks == 1000 / TEXTS_PER_TASK  # many texts: a few to a task


def test_few_texts_go_one_to_a_task(monkeypatch: pytest.MonkeyPatch) -> None:
    FakePool.instances.clear()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", FakePool)
    assert len(list(run_processes(jobs(40), SETTINGS, 2))) == 40
    assert FakePool.instances[0].tasks == 40


def test_jobs_not_handed_out_when_the_pool_breaks_go_to_the_next_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    FakePool.instances.clear()
    made = iter([{"break_after": 10}, {}])
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", lambda *args: FakePool(*args, **next(made)))
    outcomes = list(run_processes(jobs(50), SETTINGS, 2))
    assert sorted(o.source for o in outcomes) == sorted(job.source for job in jobs(50))
    assert [o for o in outcomes if o.failed] == []
    assert [len(pool.submitted) for pool in FakePool.instances] == [10, 40]


def test_jobs_added_to_the_feed_while_it_runs_go_to_the_same_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus build checks some texts, then adds the renderings: one pool, its workers started once."""
    FakePool.instances.clear()
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", FakePool)
    first, later = jobs(60)[:20], jobs(60)[20:]
    feed = Feed(first, expected=len(later))
    seen = []
    for outcome in run_processes(feed, SETTINGS, 2):
        seen.append(outcome.source)
        if len(seen) == len(first):  # the last of the first round: the next round is known
            feed.add(later)
    [pool] = FakePool.instances
    assert pool.submitted == [job.source for job in first + later]  # handed out in the order given
    assert sorted(seen) == sorted(pool.submitted)
