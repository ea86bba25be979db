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
from .linking import Targets, stem_language
from .model import LanguageVersion
from .outcome import Outcome
from .renderers import REGISTRY
from .site import CATALOGUE_NAME, RESERVED_PAGES, write_site
from .source import all_language_versions, find_sources, read_source_bytes
from .textname import file_stem
from .workers import Feed, Job, Settings, run_jobs

WEB_FORMAT = "html"  # the edition references link to
Notify = Callable[[str], None]
Report = Callable[[Outcome, dict[str, str]], None]
Start = Callable[[int, int], None]  # texts to build, texts up to date


# The reasons a text is stale that only another text's fate decides: decided again once it is known.
LINK_REASONS = frozenset({"linked texts changed", "language versions changed"})
Staleness = Callable[[Path, tuple[LanguageVersion, ...]], dict[str, str]]


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
    siblings: dict[Path, tuple[LanguageVersion, ...]] = field(default_factory=dict)  # every version, built or not
    foreseen: frozenset[str] = frozenset()  # failed with these very bytes last time: built, but not linked to


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

    The corpus (what references may link to) is every source that can be built, but those that
    failed with the same bytes in the last build and have no web edition (they are built again,
    to say why they fail, and no text is rendered to link to them); one that then fails is
    taken out of it, and one foreseen to fail that builds comes in (`_Rounds`)."""
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
    failures = state.failures()
    result.foreseen = frozenset(
        stem
        for source, sha in result.hashes.items()
        if failures.get(stem := file_stem(source)) == sha and not state.has_edition(stem, WEB_FORMAT)
    )
    result.targets = Targets(frozenset(file_stem(source) for source in result.hashes) - result.foreseen)
    result.siblings = all_language_versions(accepted)
    wanted = state.fingerprint_ids(inputs)

    def staleness(source: Path, versions: tuple[LanguageVersion, ...]) -> dict[str, str]:
        if force:
            return dict.fromkeys(inputs, "forced")
        return state.stale(file_stem(source), result.hashes[source], versions, inputs, wanted, verify, result.targets)

    decide(result, list(result.hashes), staleness, state, inputs)
    return result


def decide(
    work: Plan, sources: list[Path], staleness: Staleness, state: BuildState, inputs: dict[str, Inputs]
) -> list[Job]:
    """Whether each of `sources` is stale against the plan's targets as they are now, and in which
    formats: the plan's jobs, reasons and texts up to date amended; the jobs made for them."""
    chosen = set(sources)
    work.jobs = [job for job in work.jobs if job.source not in chosen]
    work.up_to_date = [source for source in work.up_to_date if source not in chosen]
    jobs = []
    for source in sources:
        versions = work.versions[source] = work.targets.versions(work.siblings[source])
        stale = staleness(source, versions)
        if stale:
            formats = tuple(name for name in inputs if name in stale)
            relist = tuple(name for name in inputs if name not in stale and REGISTRY[name].lists_editions)
            jobs.append(Job(source, versions, formats, sizes=state.sizes(file_stem(source)), relist=relist))
            work.reasons[source] = stale
        else:
            work.reasons.pop(source, None)
            work.up_to_date.append(source)
    # Longest first: the last texts to finish are then short ones, and no worker idles at the end.
    jobs.sort(key=lambda job: (-_size(job.source), job.source))
    work.jobs += jobs
    return jobs


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
    run = _Run(settings, inputs, workers, executor, scheduler, report, force, verify)
    absent = 0
    volume_work: tuple[list[Outcome], list[Path], dict[Path, dict[str, str]]] = ([], [], {})
    if manifest:
        with _output_folder(out_dir, notice) as stale_parts:  # locked before anything is read or deleted
            state = BuildState.open(out_dir, on_invalid=notice)
            try:
                work = plan(sources, state, inputs, force, verify)
                outcomes = run.all(work, state, state, on_start)
                volume_work = _volumes(work, volumes or [], state, formats, out_dir, config, force, verify, on_volume)
                write_site(out_dir, list(state.present()), config, notice, list(state.volumes_present()))
                state.prune_fingerprints()
                absent = state.absent_references()
            finally:
                state.close()
    else:  # nothing recorded, so nothing to lock while planning; no folder made when nothing is written
        planned = BuildState.empty(out_dir)
        work = plan(sources, planned, inputs, force, verify)
        stale_parts = 0
        if work.jobs:
            with _output_folder(out_dir, notice) as stale_parts:
                outcomes = run.all(work, None, planned, on_start)
        else:
            outcomes = _refusals(work, on_start, report)
        absent = sum(list(outcome.links.values()).count("") for outcome in outcomes)
    summary = Summary(len(sources), outcomes, work.up_to_date, work.reasons, stale_parts, notices=notices)
    summary.absent_references = absent
    if manifest and volumes and formats_with_volumes(formats):
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


def _refusals(work: Plan, on_start: Start | None, report: Report, failed_checks: int = 0) -> list[Outcome]:
    """Announce the plan, and report the sources that cannot be built at all (the texts that
    failed their check are to be reported next: they count as texts to build)."""
    if on_start:
        on_start(len(work.jobs) + failed_checks + len(work.refused), len(work.up_to_date))
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
    force: bool = False
    verify: bool = False

    def all(self, work: Plan, state: BuildState | None, deciding: BuildState, on_start: Start | None) -> list[Outcome]:
        """The refusals, then render the plan's jobs (see `_Rounds`), recording each finished
        text in its own transaction as it comes (in `state`; `deciding` is the state the plan was
        made from); the plan is announced when its counts are final."""
        refusals: list[Outcome] = []

        def announce(failed_checks: int) -> None:
            refusals.extend(_refusals(work, on_start, self.report, failed_checks))

        rounds = _Rounds(self, work, state, deciding, announce)
        settings = replace(self.settings, targets=Targets(rounds.everything))
        for outcome in run_jobs(rounds.feed, settings, self.workers, self.executor, self.scheduler):
            rounds.finished(outcome)
        return refusals + list(rounds.outcomes.values())


Announce = Callable[[int], None]  # the plan's counts are final: how many texts failed their check


class _Rounds:
    """One build's jobs, in rounds of one feed (one pool of workers), so that each text is
    rendered once, linking to what the folder holds at the end.

    1. When the build has texts others may link to that have no web edition (new ones, or those
       whose page is gone), those are checked first: read, and checked for every format (all a
       text can fail on but its engines), nothing rendered. Those that fail leave the corpus
       (their check is their outcome), and the texts whose links or language versions that
       changes are decided again: a text stale only for them may be up to date after all (a
       text that keeps failing costs its citers nothing), one up to date may not be.
    2. The jobs are rendered, each linking past the texts that failed.
    3. A text that passed its check and then fails in an engine leaves the corpus too, and one
       foreseen to fail (`plan`) that builds comes in: the texts that link otherwise then are
       decided again, and rendered (a second time, for those rendered in round 2). The only
       second rendering: waiting for every cited text's engines before rendering its citers
       would serialise a first build along its chains of citations. The failure is remembered,
       so that the next build foresees it.
    """

    def __init__(self, run: _Run, work: Plan, state: BuildState | None, deciding: BuildState, announce: Announce):
        self.run, self.work, self.state, self.deciding, self.announce = run, work, state, deciding, announce
        self.everything = frozenset(file_stem(source) for source in work.hashes)  # the workers' targets
        self.by_stem = {file_stem(source): source for source in work.hashes}
        self.outcomes: dict[Path, Outcome] = {}  # in the order they first finished, merged when rendered again
        self.rendered_versions: dict[Path, tuple[LanguageVersion, ...]] = {}  # with which it was rendered
        self.failed_checks: list[Outcome] = []
        self.this_round: list[Outcome] = []
        self.checking = False
        self.done = False
        checks = self._checks()
        self.feed = Feed(formats={name for job in work.jobs for name in job.formats})
        if checks:
            self.checking = True
            self._start(checks, then=len(work.jobs))
        else:
            announce(0)
            self._start(work.jobs)

    def _checks(self) -> list[Job]:
        if len(self.work.hashes) < 2:  # no other text to link to it
            return []
        return [
            replace(job, check=True)
            for job in self.work.jobs
            if file_stem(job.source) not in self.work.foreseen and self._uncertain(file_stem(job.source))
        ]

    def _uncertain(self, stem: str) -> bool:
        """Whether the text leaves the corpus if it fails: it has no web edition to link to."""
        return self.state is None or not self.state.has_edition(stem, WEB_FORMAT)

    def _start(self, jobs: list[Job], then: int = 0) -> None:
        """A round of `jobs`, linking to the targets as they are now; `then` jobs expected after it."""
        absent = self.everything - self.work.targets.stems
        self.pending = len(jobs)
        self.feed.add([replace(job, absent=absent) if absent else job for job in jobs], expected=then)

    def finished(self, outcome: Outcome) -> None:
        if self.checking:
            if outcome.failed:
                self.failed_checks.append(outcome)
        else:
            self._rendered(outcome)
        self.pending -= 1
        while self.pending == 0 and not self.done:
            self._next()

    def _next(self) -> None:
        if self.checking:
            self.checking = False
            jobs = self._after_checks()
            self.announce(len(self.failed_checks))
            for outcome in self.failed_checks:
                self._rendered(outcome)
            self._start(jobs)
            return
        jobs = self._after_round()
        if jobs:
            self._start(jobs)
        else:
            self.done = True

    def _rendered(self, outcome: Outcome) -> None:
        """Record and report one outcome; a problem already reported for the text is not again."""
        source = outcome.source
        stem = file_stem(source)
        if self.state is not None:
            if outcome.failed:
                self.state.record_failure(stem, outcome.source_sha256 or self.work.hashes[source])
            else:
                self.state.record(
                    stem,
                    source,
                    outcome.source_sha256,
                    self.work.versions[source],
                    outcome.record,
                    outcome.editions,
                    self.run.inputs,
                    outcome.links,
                )
        self.rendered_versions[source] = self.work.versions[source]
        first = self.outcomes.get(source)
        seen = set(first.problems) if first is not None else set()
        self.outcomes[source] = outcome if first is None else _merged(first, outcome)
        if not self.checking:
            self.this_round.append(outcome)
        self.run.report(
            msgspec.structs.replace(outcome, problems=[p for p in outcome.problems if p not in seen]),
            self.work.reasons.get(source, {}),
        )

    def _after_checks(self) -> list[Job]:
        """The jobs to render: those of the plan, without the texts that failed their check, the
        texts that link to these decided again."""
        failed = {file_stem(outcome.source) for outcome in self.failed_checks}
        if not failed:
            return self.work.jobs
        work = self.work
        work.jobs = [job for job in work.jobs if file_stem(job.source) not in failed]
        work.targets = Targets(work.targets.stems - failed)
        pending = {job.source for job in work.jobs}
        again = {job.source for job in work.jobs if set(work.reasons[job.source].values()) <= LINK_REASONS}
        again |= self._affected(failed) - pending
        self._decide(sorted(again - {self.by_stem[stem] for stem in failed}))
        # The others are rendered anyway: their links follow the targets; their versions, now.
        work.jobs = [job if not failed & {v.stem for v in job.versions} else self._versioned(job) for job in work.jobs]
        return work.jobs

    def _versioned(self, job: Job) -> Job:
        versions = self.work.versions[job.source] = self.work.targets.versions(self.work.siblings[job.source])
        return replace(job, versions=versions)

    def _after_round(self) -> list[Job]:
        """The texts to render again after a round in which a text that others may link to
        failed in an engine, or one foreseen to fail was built."""
        round_, self.this_round = self.this_round, []
        work = self.work
        failed = {file_stem(o.source) for o in round_ if o.failed}
        gone = {stem for stem in failed & work.targets.stems if self._uncertain(stem)}
        arrived = {file_stem(o.source) for o in round_ if not o.failed} & work.foreseen - work.targets.stems
        if not gone and not arrived:
            return []
        work.targets = Targets(work.targets.stems - gone | arrived)
        again = self._affected(gone | arrived) - {source for source, o in self.outcomes.items() if o.failed}
        return self._decide(sorted(again))

    def _affected(self, changed: set[str]) -> set[Path]:
        """The sources whose links or language versions may differ when `changed` (stems) come
        into the corpus or leave it: their language versions, and the texts that cite them
        (as the state records them, and as this build rendered them)."""
        slugs = {stem.rpartition(".")[0] for stem in changed}
        stems = self.deciding.citers(slugs) | {
            file_stem(outcome.source)
            for outcome in self.outcomes.values()
            if not outcome.failed and not slugs.isdisjoint(outcome.links)
        }
        found = {self.by_stem[stem] for stem in stems if stem in self.by_stem}
        found |= {source for source, versions in self.work.siblings.items() if changed & {v.stem for v in versions}}
        return found & self.work.hashes.keys()

    def _decide(self, sources: list[Path]) -> list[Job]:
        work = self.work
        wanted = self.deciding.fingerprint_ids(self.run.inputs)

        def staleness(source: Path, versions: tuple[LanguageVersion, ...]) -> dict[str, str]:
            rendered = self.outcomes.get(source)
            if rendered is not None and self.state is None:  # nothing recorded: as this build rendered it
                if versions != self.rendered_versions[source]:
                    return dict.fromkeys(self.run.inputs, "language versions changed")
                if work.targets.links_changed(rendered.links, stem_language(file_stem(source))):
                    return dict.fromkeys(self.run.inputs, "linked texts changed")
                return {}
            if self.run.force and rendered is None:
                return dict.fromkeys(self.run.inputs, "forced")
            return self.deciding.stale(
                file_stem(source),
                work.hashes[source],
                versions,
                self.run.inputs,
                wanted,
                self.run.verify,
                work.targets,
            )

        return decide(work, sources, staleness, self.deciding, self.run.inputs)


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
    if not volumes or not formats_with_volumes(formats):
        return [], [], {}
    from .volumes.incremental import plan_volumes, run_volumes, volume_inputs

    inputs = volume_inputs(formats, config)
    volume_work = plan_volumes(volumes, work.sources, work.hashes, state, inputs, force, verify)
    report = on_volume or (lambda outcome, reasons: None)
    outcomes = run_volumes(volume_work, work.sources, out_dir, config, state, inputs, report, work.targets)
    return outcomes, volume_work.up_to_date, volume_work.reasons


def formats_with_volumes(formats: list[str]) -> list[str]:
    """Those of `formats` that volumes are made in (the volume code imported only when asked)."""
    from .volumes.incremental import volume_formats

    return volume_formats(formats)
