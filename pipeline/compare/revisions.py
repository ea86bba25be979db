"""Reading a source as it was at a git revision (`git show REV:./file`), to compare versions."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import msgspec

from ..config import Config
from ..errors import SourceError, UsageError
from ..model import Document
from ..source import load


def at_revision(source: Path, revision: str, config: Config) -> Document:
    """The document `source` held at `revision`, read (and checked) as `pipeline check` would."""
    if revision.startswith("-"):  # never an option of git's
        raise UsageError(f"not a revision: {revision!r}")
    folder = source.parent if str(source.parent) else Path(".")
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:./{source.name}"], cwd=folder, capture_output=True, check=False
        )
    except FileNotFoundError:
        raise UsageError("git is not installed: --from and --to read sources from git") from None
    if shown.returncode != 0:
        detail = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        raise UsageError(f"{source} at {revision}: {detail[-1] if detail else 'git show failed'}")
    with tempfile.TemporaryDirectory(prefix="pipeline-compare-") as temporary:
        copy = Path(temporary) / source.name  # the same name: the reader checks it against the metadata
        copy.write_bytes(shown.stdout)
        try:
            return load(copy, config)
        except SourceError as error:  # named as the user knows the file: "source/x.md@HEAD~1:12:1: …"
            named = Path(f"{source}@{revision}")
            raise SourceError([msgspec.structs.replace(problem, path=named) for problem in error.problems]) from None
