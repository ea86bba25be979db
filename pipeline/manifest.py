"""The build state: the content-hash manifest beside the outputs, and why a text is stale.

An edition is up to date when its source, its language versions, and its format's fingerprint
(pipeline/fingerprints.py) are as they were when it was written, and its file is still the one
written. Outputs are checked by size and modification time and re-hashed only when either
changed (`verify` re-hashes them all).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .errors import printable
from .files import write_atomically
from .fingerprints import Inputs, digest_file
from .model import LanguageVersion
from .outcome import Edition
from .renderers import REGISTRY
from .source import SAFE_STEM

MANIFEST_NAME = ".manifest.json"
MANIFEST_VERSION = 1


def versions_key(versions: tuple[LanguageVersion, ...]) -> list[str]:
    return [f"{v.language}:{v.stem}" for v in versions]


# The manifest --------------------------------------------------------------------------------------


class _Inputs(msgspec.Struct, forbid_unknown_fields=True):
    templates: str
    tools: str
    config: str


class _Edition(msgspec.Struct, forbid_unknown_fields=True):
    file: str
    sha256: str
    size: int
    mtime_ns: int
    inputs: _Inputs


class _Record(msgspec.Struct):  # what the catalogue shows; a newer build may add fields
    slug: str
    type: str
    number: int
    year: int
    language: str
    citation: str
    title: str
    date: str
    status: str


class _Entry(msgspec.Struct, forbid_unknown_fields=True):
    source: str
    source_sha256: str
    versions: list[str]
    record: _Record
    editions: dict[str, _Edition]


class _File(msgspec.Struct):
    """The shape a manifest must have to be trusted at all: every field of every entry typed."""

    version: int
    texts: dict[str, _Entry]


def _trustworthy(stem: str, entry: Any) -> bool:
    """An entry names only its own editions: a tampered file name ("../x", "javascript:") would
    reach the archive and the catalogue's links. Anything else is dropped, and the text rebuilt."""
    if not isinstance(entry, dict) or not SAFE_STEM.match(stem) or ".." in stem:
        return False
    editions = entry.get("editions", {})
    return isinstance(editions, dict) and all(
        isinstance(edition, dict) and edition.get("file") == f"{stem}.{_extension(name)}"
        for name, edition in editions.items()
    )


def _extension(format_name: str) -> str:
    """A format's file extension; a format this version does not know keeps its name."""
    known = REGISTRY.get(format_name)
    return known.extension if known else format_name


@dataclass
class Manifest:
    """`texts` maps an output stem to what was built for it; saved atomically, after the outputs."""

    path: Path
    texts: dict[str, dict[str, Any]] = field(default_factory=dict)
    changed: bool = False  # something to save

    @classmethod
    def load(cls, out_dir: Path, on_invalid: Callable[[str], None] | None = None) -> Manifest:
        """The manifest in `out_dir`; one that does not validate is treated as absent (every text
        is rebuilt), with a warning, so that a damaged file never breaks the builds after it."""
        path = out_dir / MANIFEST_NAME
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(path)
        except OSError as exc:
            return cls._invalid(path, exc.strerror or str(exc), on_invalid)
        try:
            data = msgspec.json.decode(raw, type=_File)
        except msgspec.DecodeError as exc:  # ValidationError included: valid JSON of the wrong shape
            return cls._invalid(path, str(exc), on_invalid)
        if data.version != MANIFEST_VERSION:
            return cls._invalid(path, f"version {data.version}, not {MANIFEST_VERSION}", on_invalid)
        texts = msgspec.to_builtins(data.texts)
        return cls(path, {stem: entry for stem, entry in texts.items() if _trustworthy(stem, entry)})

    @classmethod
    def _invalid(cls, path: Path, why: str, on_invalid: Callable[[str], None] | None) -> Manifest:
        if on_invalid:
            on_invalid(printable(f"warning: {path} is not a valid manifest ({why}): every text is rebuilt"))
        return cls(path)

    def save(self) -> None:
        data = {"version": MANIFEST_VERSION, "texts": self.texts}
        write_atomically(self.path, json.dumps(data, sort_keys=True, ensure_ascii=False, indent=0).encode())
        self.changed = False

    def stale(
        self,
        stem: str,
        source_sha256: str,
        versions: tuple[LanguageVersion, ...],
        inputs: dict[str, Inputs],
        verify: bool = False,
    ) -> dict[str, str]:
        """The formats of `stem` that must be rebuilt, each with the reason."""
        entry = self.texts.get(stem)
        if entry is None:
            return dict.fromkeys(inputs, "new")
        if entry.get("source_sha256") != source_sha256:
            return dict.fromkeys(inputs, "source changed")
        if entry.get("versions") != versions_key(versions):
            return dict.fromkeys(inputs, "language versions changed")
        reasons = {}
        for name, wanted in inputs.items():
            reason = self._edition_reason(entry.get("editions", {}).get(name), wanted, verify)
            if reason:
                reasons[name] = reason
        return reasons

    def _edition_reason(self, edition: dict[str, Any] | None, wanted: Inputs, verify: bool) -> str:
        if edition is None:
            return "new format"
        recorded = edition.get("inputs", {})
        for key, reason in (
            ("templates", "templates changed"),
            ("config", "configuration changed"),
            ("tools", "tool versions changed"),
        ):
            if recorded.get(key) != getattr(wanted, key):
                return reason
        path = self.path.parent / str(edition.get("file"))
        try:
            stat = path.stat()
        except OSError:
            return "output missing"
        if not verify and (stat.st_size, stat.st_mtime_ns) == (edition.get("size"), edition.get("mtime_ns")):
            return ""
        if stat.st_size != edition.get("size") or digest_file(path) != edition.get("sha256"):
            return "output modified"
        edition["mtime_ns"] = stat.st_mtime_ns  # same bytes, touched: remember the new time
        self.changed = True
        return ""

    def record(
        self,
        stem: str,
        source: Path,
        source_sha256: str,
        versions: tuple[LanguageVersion, ...],
        record: dict[str, Any],
        editions: list[Edition],
        inputs: dict[str, Inputs],
    ) -> None:
        """Remember a text's new editions; editions of other formats stay if the text did not change."""
        entry = self.texts.get(stem, {})
        same_text = entry.get("source_sha256") == source_sha256 and entry.get("versions") == versions_key(versions)
        kept = entry.get("editions", {}) if same_text else {}
        for edition in editions:
            path = self.path.parent / edition.file
            kept[edition.format] = {
                "file": edition.file,
                "sha256": edition.sha256,
                "size": edition.size,
                "mtime_ns": path.stat().st_mtime_ns,
                "inputs": dataclasses.asdict(inputs[edition.format]),
            }
        self.changed = True
        self.texts[stem] = {
            "source": source.as_posix(),
            "source_sha256": source_sha256,
            "versions": versions_key(versions),
            "record": record,
            "editions": kept,
        }

    def present(self) -> list[dict[str, Any]]:
        """Entries with the editions whose files are still in the output folder, by stem."""
        entries = []
        for stem in sorted(self.texts):
            entry = self.texts[stem]
            editions = {
                name: edition
                for name, edition in entry.get("editions", {}).items()
                if (self.path.parent / str(edition.get("file"))).is_file()
            }
            if editions and entry.get("record"):
                entries.append({**entry, "stem": stem, "editions": editions})
        return entries
