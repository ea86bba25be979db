"""Every build ends here (`pipeline build` and the library's `pipeline.build()`): plan what is stale,
run it on workers, keep the build state and catalogue. Which sources are refused is decided in `plan`.

Order of writes, so that a build killed at any moment leaves a folder the next build repairs:
a text's editions (together, atomically), then its rows in the build state (one transaction),
then, once every text is done, each stale volume's editions and rows the same way
(pipeline/volumes/incremental.py), then the catalogue. A text whose editions are not all recorded as
present and matching is simply rebuilt; temporary files of a killed build are deleted first.

The output folder is locked (flock) for the whole build. The database serialises its own
writes, but not the files around it: a second build would delete the first one's temporary
files as a killed build's, and two builds writing the same stem from different sources would
leave files and rows that disagree. `pipeline package` takes the lock shared, so that no bag
is made of a folder being built.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import msgspec

from .buildstate import BuildState
from .config import Config
from .errors import OutputError, Problems
from .files import folder_lock, remove_stale_parts
from .fingerprints import Inputs, digest, fingerprints
from .linking import Targets
from .model import LanguageVersion
from .outcome import Outcome
from .renderers import REGISTRY
from .site import CATALOGUE_NAME, RESERVED_PAGES, write_site
from .source import all_language_versions, find_sources, read_source_bytes
from .textname import file_stem
from .workers import Job, Settings, run_jobs

WEB_FORMAT = "html"  # the edition references link to
Notify = Callable[[str], None]
Report = Callable[[Outcome, dict[str, str]], None]


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    reasons: dict[Path, dict[str, str]] = field(default_factory=dict)  # format -> why, per stale source
    up_to_date: list[Path] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)  # sources that cannot be built at all
    hashes: dict[Path, str] = field(default_factory=dict)
    sources: list[Path] = field(default_factory=list)  # those that may be built (one per stem)
    versions: dict[Path, tuple[LanguageVersion, ...]] = field(default_factory=dict)  # those built too
    targets: Targets = field(
        default_factory=lambda: Targets(frozenset())
    )  # the texts references may link to: those of this build


@dataclass
class Summary:
    total: int
    outcomes: list[Outcome]  # of the texts that were (re)built or failed
    up_to_date: list[Path]
    reasons: dict[Path, dict[str, str]]
    stale_parts: int
    seconds: float = 0.0
    notices: list[str] = field(default_factory=list)  # warnings about the folder, not about a text
    absent_references: int = 0  # citations of texts that are not in the corpus (the folder's, when recorded)
    volumes: int = 0  # volume files given
    volume_outcomes: list[Outcome] = field(default_factory=list)  # of the volumes (re)built or failed
    volumes_up_to_date: list[Path] = field(default_factory=list)
    volume_reasons: dict[Path, dict[str, str]] = field(default_factory=dict)


def plan(
    sources: list[Path], state: BuildState, inputs: dict[str, Inputs], force: bool = False, verify: bool = False
) -> Plan:
    """Which sources need which editions, from hashes only: nothing is parsed or rendered here.
    The state is asked about each source's stem: its size does not matter, only the sources'.

    The corpus (what references may link to) is every source that can be built; one that then
    fails is taken out of it afterwards (`relink`)."""
    accepted, refused = unique_stems(sources)
    result = Plan(refused=refused, sources=accepted)
    for source in accepted:
        stem = file_stem(source)
        if f"{stem}.html" in RESERVED_PAGES:
            what = "the catalogue page" if f"{stem}.html" == CATALOGUE_NAME else "the search page"
            result.refused.append(Outcome(source, failure=f"{stem}.html is {what}: rename the source"))
            continue
        problems = Problems(source)
        data = read_source_bytes(source, problems)  # checked before read: no FIFO, device or giant file
        if data is None:
            result.refused.append(Outcome(source, problems=problems.items))
            continue
        result.hashes[source] = digest(data)
    result.targets = Targets(frozenset(file_stem(source) for source in result.hashes))
    siblings = all_language_versions(accepted)
    wanted = state.fingerprint_ids(inputs)
    for source, sha in result.hashes.items():
        stem = file_stem(source)
        versions = result.versions[source] = result.targets.versions(siblings[source])
        stale = (
            dict.fromkeys(inputs, "forced")
            if force
            else state.stale(stem, sha, versions, inputs, wanted, verify, result.targets)
        )
        if stale:
            formats = tuple(name for name in inputs if name in stale)
            relist = tuple(name for name in inputs if name not in stale and REGISTRY[name].lists_editions)
            result.jobs.append(Job(source, versions, formats, sizes=state.sizes(stem), relist=relist))
            result.reasons[source] = stale
        else:
            result.up_to_date.append(source)
    # Longest first: the last texts to finish are then short ones, and no worker idles at the end.
    result.jobs.sort(key=lambda job: (-_size(job.source), job.source))
    return result


def unique_stems(sources: list[Path]) -> tuple[list[Path], list[Outcome]]:
    """The sources that may be built, and the refusals of those that would overwrite another's files."""
    owners: dict[str, Path] = {}
    accepted, refused = [], []
    for source in sources:
        stem = file_stem(source)
        if stem in owners:  # both would write the same files: keep the first, refuse the other
            failure = f"same file name as {owners[stem]}: both would write {stem}.* (rename one)"
            refused.append(Outcome(source, failure=failure))
            continue
        owners[stem] = source
        accepted.append(source)
    return accepted, refused


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
    manifest: bool = True,
    workers: int = 1,
    force: bool = False,
    verify: bool = False,
    executor: str = "local",
    scheduler: str = "",
    debug: bool = False,
    on_start: Callable[[int, int], None] | None = None,
    on_outcome: Report | None = None,
    on_notice: Notify | None = None,
    volumes: list[Path] | None = None,
    on_volume: Report | None = None,
) -> Summary:
    """Bring `out_dir` up to date with the sources under `paths`, then with the `volumes` (volume
    files) in the formats they are made in; see the module's docstring.

    With `manifest=False` (the library route) nothing is recorded, so every text is rebuilt, no
    volume is built, no catalogue is written, and the output folder is made only when there is
    something to write.
    (The flag keeps its name for the library's callers; what it records is the build state.)
    """
    start = time.perf_counter()
    notices: list[str] = []

    def notice(text: str) -> None:
        notices.append(text)
        if on_notice:
            on_notice(text)

    def report(outcome: Outcome, reasons: dict[str, str]) -> None:
        if on_outcome:
            on_outcome(outcome, reasons)

    inputs = fingerprints(formats, config)
    sources = find_sources(paths)
    settings = Settings(tuple(formats), out_dir, config, debug)
    run = _Run(settings, inputs, workers, executor, scheduler, report)
    absent = 0
    volume_work: tuple[list[Outcome], list[Path], dict[Path, dict[str, str]]] = ([], [], {})
    if manifest:
        with _output_folder(out_dir, notice) as stale_parts:  # locked before anything is read or deleted
            state = BuildState.open(out_dir, on_invalid=notice)
            try:
                work = plan(sources, state, inputs, force, verify)
                outcomes = _refusals(work, on_start, report) + run.all(work, state)
                volume_work = _volumes(work, volumes or [], state, formats, out_dir, config, force, verify, on_volume)
                write_site(out_dir, list(state.present()), config, notice, list(state.volumes_present()))
                state.prune_fingerprints()
                absent = state.absent_references()
            finally:
                state.close()
    else:  # nothing recorded, so nothing to lock while planning; no folder made when nothing is written
        work = plan(sources, BuildState.empty(out_dir), inputs, force, verify)
        stale_parts, outcomes = 0, _refusals(work, on_start, report)
        if work.jobs:
            with _output_folder(out_dir, notice) as stale_parts:
                outcomes += run.all(work, None)
        absent = sum(list(outcome.links.values()).count("") for outcome in outcomes)
    summary = Summary(len(sources), outcomes, work.up_to_date, work.reasons, stale_parts, notices=notices)
    summary.absent_references = absent
    if manifest and volumes and _volume_formats(formats):
        summary.volumes = len(volumes)
        summary.volume_outcomes, summary.volumes_up_to_date, summary.volume_reasons = volume_work
    summary.seconds = time.perf_counter() - start
    return summary


@contextlib.contextmanager
def _output_folder(out_dir: Path, notice: Notify) -> Iterator[int]:
    """The output folder made and locked for this build; yields how many stale temporary files went."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # read-only, under a file, a name too long, /proc
        raise OutputError(f"cannot create the output folder {out_dir}: {exc.strerror or exc}") from None
    with folder_lock(out_dir, exclusive=True, on_wait=notice):
        yield remove_stale_parts(out_dir)


def _refusals(work: Plan, on_start: Callable[[int, int], None] | None, report: Report) -> list[Outcome]:
    """Announce the plan, and report the sources that cannot be built at all."""
    if on_start:
        on_start(len(work.jobs) + len(work.refused), len(work.up_to_date))
    for outcome in work.refused:
        report(outcome, {})
    return list(work.refused)


@dataclass
class _Run:
    """How the plan's jobs are rendered: where, by how many workers, what is reported."""

    settings: Settings
    inputs: dict[str, Inputs]
    workers: int
    executor: str
    scheduler: str
    report: Report

    def all(self, work: Plan, state: BuildState | None) -> list[Outcome]:
        """Render the plan's jobs, then again those that linked to a text that failed."""
        outcomes = self.jobs(work.jobs, work, state, {})
        jobs = relink(work, outcomes, state, self.inputs)
        if not jobs:
            return outcomes
        first = {outcome.source: outcome for outcome in outcomes}
        again = {outcome.source: outcome for outcome in self.jobs(jobs, work, state, first)}
        return [_merged(outcome, again[outcome.source]) if outcome.source in again else outcome for outcome in outcomes]

    def jobs(self, jobs: list[Job], work: Plan, state: BuildState | None, before: dict[Path, Outcome]) -> list[Outcome]:
        """Render `jobs`, recording each finished text in its own transaction as it comes; a
        problem already reported by an earlier round is not reported again."""
        settings = replace(self.settings, targets=work.targets)
        outcomes = []
        for outcome in run_jobs(jobs, settings, self.workers, self.executor, self.scheduler):
            if state is not None and not outcome.failed:
                state.record(
                    file_stem(outcome.source),
                    outcome.source,
                    outcome.source_sha256,
                    work.versions[outcome.source],
                    outcome.record,
                    outcome.editions,
                    self.inputs,
                    outcome.links,
                )
            outcomes.append(outcome)
            seen = set(before[outcome.source].problems) if outcome.source in before else set()
            self.report(
                msgspec.structs.replace(outcome, problems=[p for p in outcome.problems if p not in seen]),
                work.reasons.get(outcome.source, {}),
            )
        return outcomes


def relink(work: Plan, outcomes: list[Outcome], state: BuildState | None, inputs: dict[str, Inputs]) -> list[Job]:
    """The jobs that must run again because a text they link to failed and has no web edition:
    the corpus loses it, and the texts that cite it or are its language versions link elsewhere."""
    failed = {file_stem(o.source) for o in outcomes if o.failed} & work.targets.stems
    gone = {stem for stem in failed if state is None or not state.has_edition(stem, WEB_FORMAT)}
    if not gone:
        return []
    work.targets = Targets(work.targets.stems - gone)
    jobs = []
    for outcome in outcomes:
        if outcome.failed:
            continue
        versions = work.versions[outcome.source]
        if gone.isdisjoint(outcome.links.values()) and gone.isdisjoint(v.stem for v in versions):
            continue
        work.versions[outcome.source] = work.targets.versions(versions)
        work.reasons[outcome.source] = {**dict.fromkeys(inputs, "linked texts changed"), **work.reasons[outcome.source]}
        jobs.append(Job(outcome.source, work.versions[outcome.source], tuple(inputs)))
    return jobs


def _merged(first: Outcome, again: Outcome) -> Outcome:
    """One outcome for a text rendered twice: the second's editions, every problem once."""
    problems = list(dict.fromkeys([*first.problems, *again.problems]))
    written = list(dict.fromkeys([*first.written, *again.written]))
    return msgspec.structs.replace(again, problems=problems, written=written, seconds=first.seconds + again.seconds)


def _volumes(
    work: Plan,
    volumes: list[Path],
    state: BuildState,
    formats: list[str],
    out_dir: Path,
    config: Config,
    force: bool,
    verify: bool,
    on_volume: Report | None,
) -> tuple[list[Outcome], list[Path], dict[Path, dict[str, str]]]:
    """The stale volumes built after the texts (so that the state knows the texts as they are now):
    their outcomes, the volumes up to date, and why each stale one was rebuilt."""
    if not volumes or not _volume_formats(formats):
        return [], [], {}
    from .volumes.incremental import plan_volumes, run_volumes, volume_inputs

    inputs = volume_inputs(formats, config)
    volume_work = plan_volumes(volumes, work.sources, work.hashes, state, inputs, force, verify)
    report = on_volume or (lambda outcome, reasons: None)
    outcomes = run_volumes(volume_work, work.sources, out_dir, config, state, inputs, report, work.targets)
    return outcomes, volume_work.up_to_date, volume_work.reasons


def _volume_formats(formats: list[str]) -> list[str]:
    from .volumes.incremental import volume_formats

    return volume_formats(formats)
