"""The same build on a Dask cluster (two local worker processes on 127.0.0.1) gives the same bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline import workers
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.fingerprints import Inputs, fingerprints
from pipeline.incremental import build_corpus
from pipeline.testing.corpus import generate
from pipeline.workers import Job, Settings, render_remote
from tests.conftest import FORMATS


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as cluster:
        yield str(cluster.scheduler_address)


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sources")
    generate(folder, 4, seed=31)
    return folder


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".") and p.is_file()}


def test_a_dask_build_is_byte_identical_to_a_local_one(sources: Path, scheduler: str, tmp_path: Path) -> None:
    local = build_corpus([sources], FORMATS, tmp_path / "local", Config(), workers=1)
    remote = build_corpus([sources], FORMATS, tmp_path / "dask", Config(), executor="dask", scheduler=scheduler)
    assert not [o for o in [*local.outcomes, *remote.outcomes] if o.failed]
    assert len({o.worker for o in remote.outcomes}) == 2, "both Dask workers should have had texts"
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
    again = build_corpus([sources], FORMATS, tmp_path / "dask", Config(), executor="dask", scheduler=scheduler)
    assert again.outcomes == [] and len(again.up_to_date) == 4


def test_problems_name_the_source_not_the_workers_copy(sources: Path, scheduler: str, tmp_path: Path) -> None:
    broken = tmp_path / "resolution-7-2001.en.md"
    broken.write_text("---\ntype: resolution\n---\n", encoding="utf-8")
    [outcome] = build_corpus(
        [broken], ["html"], tmp_path / "out", Config(), executor="dask", scheduler=scheduler
    ).outcomes
    assert outcome.failed and outcome.problems
    assert {problem.path for problem in outcome.problems} == {broken}


def test_a_worker_with_other_templates_refuses_the_job(sources: Path) -> None:
    source = sorted(sources.iterdir())[0]
    expected = fingerprints(["html"], Config())
    expected["html"] = Inputs("someone else's templates", expected["html"].tools, expected["html"].config)
    job = Job(source, (), ("html",), source.read_bytes())
    outcome = render_remote(job, Settings(("html",), Path("unused"), Config()), expected)
    assert outcome.failure.endswith("has other templates or tool versions for html") and not outcome.editions


def test_an_unreachable_scheduler_is_a_usage_error(
    sources: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(workers, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(UsageError, match="cannot reach the Dask scheduler"):
        build_corpus([sources], ["html"], tmp_path, Config(), executor="dask", scheduler="tcp://127.0.0.1:9")


def test_jobs_go_to_the_cluster_a_window_at_a_time(
    sources: Path, scheduler: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window of one job per thread (2) for 4 texts: the window is topped up as texts come back."""
    monkeypatch.setattr(workers, "IN_FLIGHT_PER_WORKER", 1)
    monkeypatch.setattr(workers, "DASK_MIN_THREADS", 1)
    local = build_corpus([sources], ["html"], tmp_path / "local", Config(), workers=1)
    remote = build_corpus([sources], ["html"], tmp_path / "dask", Config(), executor="dask", scheduler=scheduler)
    assert len(remote.outcomes) == len(local.outcomes) == 4 and not [o for o in remote.outcomes if o.failed]
    assert outputs(tmp_path / "dask") == outputs(tmp_path / "local")
