"""Scaling of each stage within the documented limits: doubling the input must at most ~double the time.

Each case times one stage at a size and at twice that size (best of three) and prints the
ratio; a ratio above LIMIT marks a stage that is not linear (issue 15, class 5). Run with
`python bench/scaling.py` (part of `make bench`); `--strict` exits 1 when a stage fails.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.config import Config  # noqa: E402
from pipeline.ingest import ingest  # noqa: E402
from pipeline.renderers import renderer_class  # noqa: E402
from pipeline.source import load, read  # noqa: E402
from tests.sources import FRONT, NAME  # noqa: E402

LIMIT = 2.2
SEED_RAW = ROOT / "tests" / "data" / "seed-raw.txt"


def references(n: int) -> str:
    return "1. " + " ".join(f"see Resolution {1000 + i % 900} (2001) and Doc. {i}," for i in range(n))


def tables(n: int) -> str:
    return "1. Votes.\n\n" + "\n\n".join("| State | For |\n|---|---|\n| A | 1 |" for _ in range(n))


def headings(n: int) -> str:
    return "1. Text.\n\n" + "\n\n".join(f"## Appendix {i}\n\n1. Item." for i in range(n))


def notes(n: int) -> str:
    return "\n\n".join(f"{i + 1}. Paragraph[^{i}].\n\n[^{i}]: Note {i}." for i in range(n))


def source_of(body: str, folder: Path) -> Path:
    path = folder / NAME
    path.write_text(FRONT + "\n" + body + "\n", encoding="utf-8")
    return path


def time_check(make: Callable[[int], str]) -> Callable[[int, Path], float]:
    def run(n: int, folder: Path) -> float:
        path = source_of(make(n), folder)
        start = time.perf_counter()
        reading = read(path, Config())
        elapsed = time.perf_counter() - start
        errors = [str(p) for p in reading.problems if p.severity.value == "error"]
        if errors:
            raise SystemExit(f"the benchmark's own source is refused: {errors[0]}")
        return elapsed

    return run


def time_html_notes(n: int, folder: Path) -> float:
    document = load(source_of(notes(n), folder), Config())
    renderer = renderer_class("html")(Config())
    start = time.perf_counter()
    renderer.render(document)
    return time.perf_counter() - start


def time_ingest(n: int, folder: Path) -> float:
    """The seed's raw extraction with its body repeated: n copies of the paragraphs."""
    raw = SEED_RAW.read_text(encoding="utf-8")
    head, _, rest = raw.partition("\n1. ")
    path = folder / "raw.txt"
    path.write_text(head + "\n1. " + "\n".join([rest] * n), encoding="utf-8")
    out = folder / f"ingested-{n}"
    start = time.perf_counter()
    ingest(path, out, Config())
    return time.perf_counter() - start


CASES: list[tuple[str, int, Callable[[int, Path], float]]] = [
    ("check: references in one paragraph", 20_000, time_check(references)),
    ("check: tables", 2_500, time_check(tables)),
    ("check: appendix headings", 1_400, time_check(headings)),
    ("check: footnotes", 1_400, time_check(notes)),
    ("html: footnotes", 1_400, time_html_notes),
    ("ingest: raw size", 20, time_ingest),
]


def best(run: Callable[[int, Path], float], n: int, repeat: int) -> float:
    times = []
    with tempfile.TemporaryDirectory(prefix="scaling-") as folder:
        for _ in range(repeat):
            gc.collect()  # the previous run's garbage is not this run's cost
            gc.disable()  # as timeit does: the collector's timing would blur the algorithm's
            try:
                times.append(run(n, Path(folder)))
            finally:
                gc.enable()
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--strict", action="store_true", help="exit 1 if any stage grows faster than LIMIT")
    arguments = parser.parse_args(argv)
    failed = []
    print(f"| stage | n | time(n) | time(2n) | ratio (limit {LIMIT}) |")
    print("|---|---|---|---|---|")
    for name, n, run in CASES:
        single, double = best(run, n, arguments.repeat), best(run, 2 * n, arguments.repeat)
        ratio = double / single if single else float("inf")
        verdict = "ok" if ratio <= LIMIT else "NOT LINEAR"
        if ratio > LIMIT:
            failed.append(name)
        print(f"| {name} | {n:,} | {single:.3f} s | {double:.3f} s | {ratio:.2f} {verdict} |", flush=True)
    if failed:
        print(f"not linear: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed and arguments.strict else 0


if __name__ == "__main__":
    sys.exit(main())
