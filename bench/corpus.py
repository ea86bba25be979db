"""Corpus scale: HTML-only builds of 1,000 and 10,000 texts, the parent's CPU, and a plan against
a build state of 1,000,000 texts.

- Builds: generated sources (pipeline/testing/corpus.py, seed 1; the small corpus is the start of
  the large one), `--format html -j 2` into a fresh folder, in this process, which is the build's
  parent. The large build's wall time is compared with the small one's scaled linearly (limit
  LINEAR_LIMIT). The parent's own CPU (getrusage RUSAGE_SELF: every thread of this process) is
  compared with the whole build's (RUSAGE_SELF + RUSAGE_CHILDREN: the worker processes, counted
  once they have ended) (limit PARENT_LIMIT).
- State: 10,000 sources whose editions are recorded as up to date (files and rows written
  directly, nothing rendered), in a state holding 1,000,000 texts in all; then a plan with
  nothing changed and one with a tenth of the sources changed (limit PLAN_LIMIT seconds each).

`make bench` runs the 1,000-text build and the state; `make bench-corpus` adds the 10,000-text
build (a few minutes on two cores).
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.buildstate import INSERT_EDITION, INSERT_TEXT, BuildState, versions_key  # noqa: E402
from pipeline.config import Config  # noqa: E402
from pipeline.fingerprints import Inputs, digest, fingerprints  # noqa: E402
from pipeline.incremental import build_corpus, plan  # noqa: E402
from pipeline.model import LanguageVersion  # noqa: E402
from pipeline.source import all_language_versions, find_sources  # noqa: E402
from pipeline.testing.corpus import generate  # noqa: E402
from pipeline.textname import file_stem  # noqa: E402

LINEAR_LIMIT = 1.15  # the large build within this factor of the small one scaled up
PARENT_LIMIT = 0.05  # the parent's share of the build's CPU
PLAN_LIMIT = 2.0  # seconds for a plan of the state's texts against the large state
BATCH = 50_000  # rows per executemany when filling the simulated state


@dataclass(frozen=True)
class Timed:
    texts: int
    wall: float
    parent_cpu: float
    workers_cpu: float
    failed: int

    @property
    def parent_share(self) -> float:
        return self.parent_cpu / (self.parent_cpu + self.workers_cpu)


def cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def timed_build(sources: Path, out: Path, workers: int) -> Timed:
    parent, children = cpu(resource.RUSAGE_SELF), cpu(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    summary = build_corpus([sources], ["html"], out, Config(), workers=workers)
    wall = time.perf_counter() - start
    failed = sum(1 for outcome in summary.outcomes if outcome.failed)
    return Timed(
        len(summary.outcomes),
        wall,
        cpu(resource.RUSAGE_SELF) - parent,
        cpu(resource.RUSAGE_CHILDREN) - children,
        failed,
    )


def builds(work: Path, small: int, large: int, workers: int) -> bool:
    """The build table; True when every limit holds."""
    corpus = work / "corpus"
    generated = generate(corpus, max(small, large), seed=1)
    small_folder = work / "small"
    small_folder.mkdir()
    for source in generated[:small]:
        shutil.copyfile(source, small_folder / source.name)
    print(f"| HTML-only build, -j {workers} | wall | per text | parent CPU | workers' CPU | parent share |")
    print("|---|---|---|---|---|---|")
    results = {small: timed_build(small_folder, work / "out-small", workers)}
    if large:
        results[large] = timed_build(corpus, work / "out-large", workers)
    for count, result in results.items():
        share = f"{result.parent_share:.1%} (limit {PARENT_LIMIT:.0%})"
        print(
            f"| {count:,} texts | {result.wall:.1f} s | {result.wall / count * 1000:.1f} ms | "
            f"{result.parent_cpu:.2f} s | {result.workers_cpu:.1f} s | {share} |",
            flush=True,
        )
    ok = all(r.failed == 0 and r.texts == n and r.parent_share < PARENT_LIMIT for n, r in results.items())
    scaled = results[small].wall * (large or 10_000) / small
    if large:
        ratio = results[large].wall / scaled
        ok = ok and ratio <= LINEAR_LIMIT
        print(
            f"\n{large:,} texts took {results[large].wall:.1f} s; {small:,} scaled to {large:,} is {scaled:.1f} s: "
            f"x{ratio:.2f} (limit x{LINEAR_LIMIT})"
        )
    else:
        print(f"\n{small:,} texts scaled to 10,000: {scaled:.0f} s (`make bench-corpus` builds 10,000)")
    return ok


def simulated_state(work: Path, texts: int, real: int) -> bool:
    """The plan table; True when both plans are within PLAN_LIMIT."""
    sources_folder = work / "state-sources"
    sources = generate(sources_folder, real, seed=2)
    out = work / "state-out"
    out.mkdir()
    inputs = fingerprints(["html"], Config())
    versions = all_language_versions(sources)
    start = time.perf_counter()
    state = BuildState.open(out)
    try:
        fingerprint = state.fingerprint_id(inputs["html"])
        with state.transaction():
            _write_rows(state, (_real_rows(source, versions[source], out, fingerprint) for source in sources))
            _write_rows(state, (_simulated_rows(n, fingerprint) for n in range(texts - real)))
        filled = time.perf_counter() - start
        title = f"plan of {real:,} sources, state of {texts:,} texts (filled in {filled:.0f} s)"
        print(f"\n| {title} | wall | CPU | stale |")
        print("|---|---|---|---|")
        ok = _plan_row("nothing changed", find_sources([sources_folder]), state, inputs)
        for source in sources[::10]:
            source.write_text(source.read_text(encoding="utf-8") + "\n1000. An added paragraph.\n", encoding="utf-8")
        ok = _plan_row("a tenth of the sources changed", find_sources([sources_folder]), state, inputs) and ok
    finally:
        state.close()
    return ok


def _plan_row(name: str, sources: list[Path], state: BuildState, inputs: dict[str, Inputs]) -> bool:
    start, used = time.perf_counter(), time.process_time()
    work = plan(sources, state, inputs)
    seconds, used = time.perf_counter() - start, time.process_time() - used
    print(f"| {name} | {seconds:.2f} s (limit {PLAN_LIMIT:.0f} s) | {used:.2f} s | {len(work.jobs):,} |", flush=True)
    return seconds < PLAN_LIMIT


Rows = tuple[tuple[object, ...], tuple[object, ...]]


def _real_rows(source: Path, versions: tuple[LanguageVersion, ...], out: Path, fingerprint: int) -> Rows:
    """A source's rows as a build would write them, for an edition file written here unrendered."""
    stem = file_stem(source)
    edition = out / f"{stem}.html"
    data = f"<!DOCTYPE html><title>{stem}</title>".encode()
    edition.write_bytes(data)
    text = (stem, source.as_posix(), digest(source.read_bytes()), versions_key(versions), "{}", *_record(stem))
    return text, (stem, "html", edition.name, digest(data), len(data), edition.stat().st_mtime_ns, fingerprint)


def _simulated_rows(n: int, fingerprint: int) -> Rows:
    """A text of the archive that this build is not given: never looked at by its plan."""
    stem = f"simulated-{n:07d}.en"
    sha256 = digest(stem.encode())
    text = (stem, f"archive/{stem}.md", sha256, "[]", "{}", *_record(stem))
    return text, (stem, "html", f"{stem}.html", sha256, 12_000, 1, fingerprint)


def _record(stem: str) -> tuple[object, ...]:
    """Catalogue facts of the right types (the plan never reads them)."""
    slug = stem.rsplit(".", 1)[0]
    facts = (slug, "resolution", 1000, 2001, "en", "Resolution 1000 (2001)", f"Title of {stem}", "2001-01-01", "final")
    return (*facts, "[]")  # no keywords


def _write_rows(state: BuildState, rows: Iterator[Rows]) -> None:
    while batch := [row for _, row in zip(range(BATCH), rows, strict=False)]:
        state.connection.executemany(INSERT_TEXT, [text for text, _ in batch])
        state.connection.executemany(INSERT_EDITION, [edition for _, edition in batch])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=1000, help="texts in the small build (default 1000)")
    parser.add_argument("--large", type=int, default=0, help="texts in the large build (0: none; bench-corpus: 10000)")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--state", type=int, default=1_000_000, help="texts in the simulated state (0: none)")
    parser.add_argument("--plan", type=int, default=10_000, help="sources planned against it")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a limit is not met")
    arguments = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pipeline-corpus-bench-") as folder:
        ok = builds(Path(folder), arguments.small, arguments.large, arguments.jobs)
        if arguments.state:
            ok = simulated_state(Path(folder), arguments.state, arguments.plan) and ok
    if not ok:
        print("a limit was not met", file=sys.stderr)
    return 1 if arguments.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
