"""`pipeline build … VOLUME.toml`: the volumes' problem lines, summary line and exit code."""

from __future__ import annotations

import sys
from pathlib import Path

from ..config import Config
from ..errors import printable
from .build import FORMATS, build_volumes


def build_volume_files(volumes: list[Path], sources: list[Path], out: Path, formats: list[str], config: Config) -> int:
    """Build `volumes` from the texts under `sources`; 0 when every one was built, else 1."""
    wanted = [name for name in formats if name in FORMATS]
    if not wanted:
        print(f"pipeline: no volume format among {', '.join(formats)} (volumes: {', '.join(FORMATS)})", file=sys.stderr)
        return 0
    outcomes = build_volumes(volumes, sources, out, wanted, config)
    for outcome in outcomes:
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        if outcome.failure:
            print(printable(f"{outcome.source}: error: {outcome.failure}"), file=sys.stderr)
        elif not outcome.failed:
            print(f"built volume {outcome.source} ({', '.join(e.file for e in outcome.editions)})", file=sys.stderr)
    failed = sum(1 for outcome in outcomes if outcome.failed)
    print(f"{len(outcomes) - failed} of {len(outcomes)} volumes built; {failed} failed", file=sys.stderr)
    return 1 if failed else 0
