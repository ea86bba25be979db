"""What a build did with one source: the editions it wrote and the problems it met.

The records every layer passes around (workers send them back, the build state and the catalogue
keep their facts, the CLI prints them); they sit below all of them and import none.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from .errors import Problem, Severity


class Edition(msgspec.Struct, frozen=True):
    """One file written for a text: what the build state and the catalogue record about it."""

    format: str
    file: str  # name inside the output folder
    sha256: str
    size: int


class Outcome(msgspec.Struct):
    """What happened to one source."""

    source: Path
    written: list[Path] = msgspec.field(default_factory=list)
    problems: list[Problem] = msgspec.field(default_factory=list)
    failure: str = ""
    editions: list[Edition] = msgspec.field(default_factory=list)
    source_sha256: str = ""  # of the bytes actually read, so the build state records what was rendered
    record: dict[str, Any] = msgspec.field(default_factory=dict)  # catalogue facts: type, number, year, title…
    links: dict[str, str] = msgspec.field(default_factory=dict)  # cited text's slug -> the stem linked ("" if absent)
    payload: dict[str, bytes] = msgspec.field(default_factory=dict)  # file name -> bytes, when not written here
    seconds: float = 0.0
    worker: str = ""  # which process rendered it, and its peak memory then (for the summary)
    peak_rss_kib: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.failure) or any(p.severity is Severity.ERROR for p in self.problems)
