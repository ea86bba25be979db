"""Which texts in which formats: read each source once, render every edition, write atomically."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Problem, RenderError, Severity
from .i18n import is_language
from .model import Document, LanguageVersion
from .renderers import Renderer, renderer_class
from .source import SOURCE_SUFFIX, find_sources, read
from .templating import citation

PART_SUFFIX = ".part"  # temporary files are hidden (".name.XXXX.part") and renamed when complete


@dataclass(frozen=True)
class Edition:
    """One file written for a text: what the manifest and the catalogue record about it."""

    format: str
    file: str  # name inside the output folder
    sha256: str
    size: int


@dataclass
class Outcome:
    """What happened to one source."""

    source: Path
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failure: str = ""
    editions: list[Edition] = field(default_factory=list)
    source_sha256: str = ""  # of the bytes actually read, so the manifest records what was rendered
    record: dict[str, Any] = field(default_factory=dict)  # catalogue facts: type, number, year, title…
    payload: dict[str, bytes] = field(default_factory=dict)  # file name -> bytes, when not written here
    seconds: float = 0.0
    worker: str = ""  # which process rendered it, and its peak memory then (for the summary)
    peak_rss_kib: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.failure) or any(p.severity is Severity.ERROR for p in self.problems)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` so that `path` is either the old file or the complete new one, never partial."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def remove_stale_parts(out_dir: Path) -> int:
    """Delete temporary files a killed build left behind; how many there were."""
    stale = list(out_dir.glob(f".*{PART_SUFFIX}")) if out_dir.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return len(stale)


class Builder:
    """Renders sources into editions; one bad text never stops the others.

    Renderers are made on first use and then kept: a worker process pays each engine's start-up
    (WeasyPrint's import and font configuration, the reference documents) once, for all its texts.
    """

    def __init__(self, formats: list[str], out_dir: Path, config: Config, debug: bool = False) -> None:
        self.formats = [renderer_class(name).name for name in formats]  # unknown names fail here
        self.out_dir = out_dir
        self.config = config
        self.debug = debug
        self._renderers: dict[str, Renderer] = {}

    def renderer(self, name: str) -> Renderer:
        if name not in self._renderers:
            self._renderers[name] = renderer_class(name)(self.config)
        return self._renderers[name]

    def build_one(
        self,
        source: Path,
        versions: tuple[LanguageVersion, ...] = (),
        formats: tuple[str, ...] | None = None,
        write: bool = True,
    ) -> Outcome:
        """Render `source` in `formats` (default: all the builder's); `write=False` keeps the bytes."""
        try:
            return self._build_one(source, versions, self.formats if formats is None else list(formats), write)
        except Exception as exc:  # a bug must not stop the other texts
            if self.debug:
                raise
            return Outcome(source, failure=f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)")

    def _build_one(
        self, source: Path, versions: tuple[LanguageVersion, ...], formats: list[str], write: bool
    ) -> Outcome:
        reading = read(source, self.config)
        outcome = Outcome(source, problems=reading.problems)
        if reading.document is None:
            return outcome
        document = replace(reading.document, versions=versions)
        outcome.source_sha256 = hashlib.sha256(document.source).hexdigest()
        outcome.record = catalogue_record(document)
        editions: list[tuple[str, Path, bytes]] = []
        try:  # render every format before writing any: a failing text writes nothing
            for name in formats:
                renderer = self.renderer(name)
                target = self.out_dir / f"{document.stem}.{renderer.extension}"
                editions.append((name, target, renderer.render(document)))
        except RenderError as exc:
            outcome.failure = str(exc)
            return outcome
        for name, target, data in editions:
            outcome.editions.append(Edition(name, target.name, hashlib.sha256(data).hexdigest(), len(data)))
            if write:
                write_atomically(target, data)
                outcome.written.append(target)
            else:
                outcome.payload[target.name] = data
        return outcome

    def build(self, paths: list[Path]) -> list[Outcome]:
        """Every source under `paths`, in this process, without the manifest (the library route)."""
        sources = find_sources(paths)
        versions = all_language_versions(sources)
        owners: dict[str, Path] = {}
        outcomes = []
        for source in sources:
            stem = source.name.removesuffix(SOURCE_SUFFIX)
            if stem in owners:  # both would write the same files, as `pipeline build` also refuses
                failure = f"same file name as {owners[stem]}: both would write {stem}.* (rename one)"
                outcomes.append(Outcome(source, failure=failure))
                continue
            owners[stem] = source
            outcomes.append(self.build_one(source, versions[source]))
        return outcomes


def catalogue_record(document: Document) -> dict[str, Any]:
    """What the catalogue shows of a text, in plain JSON types (kept in the manifest)."""
    meta = document.metadata
    return {
        "slug": meta.slug,
        "type": meta.type.value,
        "number": meta.number,
        "year": meta.year,
        "language": meta.language,
        "citation": citation(meta),
        "title": meta.title,
        "date": meta.adoption.date.isoformat(),
        "status": meta.status.value,
    }


def all_language_versions(sources: list[Path]) -> dict[Path, tuple[LanguageVersion, ...]]:
    """The language versions of every source, grouped by slug in one pass (a corpus has 10,000)."""
    by_slug: dict[str, list[Path]] = defaultdict(list)
    for source in sources:
        slug, _, language = source.name.removesuffix(SOURCE_SUFFIX).rpartition(".")
        if is_language(language):  # "x.old.md" is not a language version (and is refused on reading)
            by_slug[slug].append(source)
    versions: dict[Path, tuple[LanguageVersion, ...]] = dict.fromkeys(sources, ())
    for slug, group in by_slug.items():
        for source in group:
            versions[source] = tuple(
                LanguageVersion(other.name.removesuffix(SOURCE_SUFFIX).rpartition(".")[2], _stem(other))
                for other in group
                if other != source and slug
            )
    return versions


def _stem(source: Path) -> str:
    return source.name.removesuffix(SOURCE_SUFFIX)
