"""Which texts in which formats: read each source once, render every edition, write atomically."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from .config import Config
from .errors import Problem, RenderError, Severity
from .model import LanguageVersion
from .renderers import Renderer, renderer_class
from .source import SOURCE_SUFFIX, find_sources, read


@dataclass
class Outcome:
    """What happened to one source."""

    source: Path
    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failure: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.failure) or any(p.severity is Severity.ERROR for p in self.problems)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` so that `path` is either the old file or the complete new one, never partial."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
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


class Builder:
    """Renders sources into editions; one bad text never stops the others."""

    def __init__(self, formats: list[str], out_dir: Path, config: Config, debug: bool = False) -> None:
        self.renderers: list[Renderer] = [renderer_class(name)(config) for name in formats]
        self.out_dir = out_dir
        self.config = config
        self.debug = debug

    def build_one(self, source: Path, versions: tuple[LanguageVersion, ...] = ()) -> Outcome:
        try:
            return self._build_one(source, versions)
        except Exception as exc:  # a bug must not stop the other texts
            if self.debug:
                raise
            return Outcome(source, failure=f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)")

    def _build_one(self, source: Path, versions: tuple[LanguageVersion, ...] = ()) -> Outcome:
        reading = read(source, self.config)
        outcome = Outcome(source, problems=reading.problems)
        if reading.document is None:
            return outcome
        document = replace(reading.document, versions=versions)
        editions: list[tuple[Path, bytes]] = []
        try:  # render every format before writing any: a failing text writes nothing
            for renderer in self.renderers:
                target = self.out_dir / f"{document.stem}.{renderer.extension}"
                editions.append((target, renderer.render(document)))
        except RenderError as exc:
            outcome.failure = str(exc)
            return outcome
        for target, data in editions:
            write_atomically(target, data)
            outcome.written.append(target)
        return outcome

    def build(self, paths: list[Path]) -> list[Outcome]:
        sources = find_sources(paths)
        return [self.build_one(source, language_versions(source, sources)) for source in sources]


def language_versions(source: Path, sources: list[Path]) -> tuple[LanguageVersion, ...]:
    """The other language versions of `source` among `sources`: same slug, other language."""
    slug, _, _ = source.name.removesuffix(SOURCE_SUFFIX).rpartition(".")
    versions = []
    for other in sources:
        other_slug, _, language = other.name.removesuffix(SOURCE_SUFFIX).rpartition(".")
        if other != source and slug and other_slug == slug:
            versions.append(LanguageVersion(language, other.name.removesuffix(SOURCE_SUFFIX)))
    return tuple(versions)
