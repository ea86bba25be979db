"""`pipeline build` over a corpus: plan what is stale, run it on workers, keep the manifest and catalogue.

Order of writes, so that a build killed at any moment leaves a folder the next build repairs:
editions (each atomically), then the manifest (atomically, every few seconds and at the end),
then the catalogue. A text whose editions are not all recorded as present and matching is
simply rebuilt; temporary files of a killed build are deleted first.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .build import Outcome, all_language_versions, remove_stale_parts, write_atomically
from .catalogue import render_catalogue
from .config import Config
from .manifest import Inputs, Manifest, digest, fingerprints
from .model import LanguageVersion
from .source import SOURCE_SUFFIX, find_sources
from .workers import Job, Settings, run_jobs

CHECKPOINT_SECONDS = 2.0  # how much finished work a kill -9 can cost: at most this much of it
CATALOGUE_NAME = "index.html"


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    reasons: dict[Path, dict[str, str]] = field(default_factory=dict)  # format -> why, per stale source
    up_to_date: list[Path] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)  # sources that cannot be built at all
    hashes: dict[Path, str] = field(default_factory=dict)
    versions: dict[Path, tuple[LanguageVersion, ...]] = field(default_factory=dict)


@dataclass
class Summary:
    total: int
    outcomes: list[Outcome]  # of the texts that were (re)built or failed
    up_to_date: list[Path]
    reasons: dict[Path, dict[str, str]]
    stale_parts: int
    seconds: float = 0.0


def plan(
    sources: list[Path], manifest: Manifest, inputs: dict[str, Inputs], force: bool = False, verify: bool = False
) -> Plan:
    """Which sources need which editions, from hashes only: nothing is parsed or rendered here."""
    result = Plan(versions=all_language_versions(sources))
    owners: dict[str, Path] = {}
    for source in sources:
        stem = source.name.removesuffix(SOURCE_SUFFIX)
        if stem in owners:  # both would write the same files: keep the first, refuse the other
            result.refused.append(
                Outcome(source, failure=f"same file name as {owners[stem]}: both would write {stem}.* (rename one)")
            )
            continue
        if f"{stem}.html" == CATALOGUE_NAME:
            result.refused.append(Outcome(source, failure=f"{CATALOGUE_NAME} is the catalogue page: rename the source"))
            continue
        owners[stem] = source
        versions = result.versions[source]
        try:
            sha = digest(source.read_bytes())
        except OSError:
            sha = ""  # the worker reports why it cannot be read
        result.hashes[source] = sha
        stale = (
            dict.fromkeys(inputs, "forced") if force or not sha else manifest.stale(stem, sha, versions, inputs, verify)
        )
        if stale:
            result.jobs.append(Job(source, versions, tuple(name for name in inputs if name in stale)))
            result.reasons[source] = stale
        else:
            result.up_to_date.append(source)
    # Longest first: the last texts to finish are then short ones, and no worker idles at the end.
    result.jobs.sort(key=lambda job: (-_size(job.source), job.source))
    return result


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def build_corpus(
    paths: list[Path],
    formats: list[str],
    out_dir: Path,
    config: Config,
    *,
    workers: int = 1,
    force: bool = False,
    verify: bool = False,
    executor: str = "local",
    scheduler: str = "",
    debug: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_outcome: Callable[[Outcome, dict[str, str]], None] | None = None,
) -> Summary:
    """Bring `out_dir` up to date with the sources under `paths`; see the module's docstring."""
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    stale_parts = remove_stale_parts(out_dir)
    manifest = Manifest.load(out_dir)
    inputs = fingerprints(formats, config)
    sources = find_sources(paths)
    work = plan(sources, manifest, inputs, force, verify)
    if on_start:
        on_start(len(work.jobs), len(work.up_to_date))
    outcomes = list(work.refused)
    for outcome in work.refused:
        if on_outcome:
            on_outcome(outcome, {})
    settings = Settings(tuple(formats), out_dir, config, debug)
    saved = time.monotonic()
    try:
        for outcome in run_jobs(work.jobs, settings, workers, executor, scheduler):
            if not outcome.failed:
                stem = outcome.source.name.removesuffix(SOURCE_SUFFIX)
                manifest.record(
                    stem,
                    outcome.source,
                    outcome.source_sha256,
                    work.versions[outcome.source],
                    outcome.record,
                    outcome.editions,
                    inputs,
                )
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome, work.reasons.get(outcome.source, {}))
            if manifest.changed and time.monotonic() - saved > CHECKPOINT_SECONDS:
                manifest.save()
                saved = time.monotonic()
    finally:  # also when interrupted: what was written and recorded need not be built again
        if manifest.changed or not manifest.path.exists():
            manifest.save()
    write_if_changed(out_dir / CATALOGUE_NAME, render_catalogue(manifest.present()))
    return Summary(len(sources), outcomes, work.up_to_date, work.reasons, stale_parts, time.perf_counter() - start)


def write_if_changed(path: Path, data: bytes) -> bool:
    """Leave an identical file alone: a no-op build touches nothing."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True
