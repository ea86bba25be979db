"""Building volumes: each declared volume read, its texts selected and read, every format
rendered before any file is written (a failing volume writes nothing; the others are built)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar, Protocol

import msgspec

from ..buildstate import links_key
from ..config import Config
from ..errors import RenderError
from ..files import write_all_atomically
from ..linking import Links, Targets, resolve
from ..outcome import Edition, Outcome
from ..source import Reading, find_sources, read
from ..textname import file_stem
from .declaration import read_declaration
from .selection import Volume, select

FORMATS = ("pdf", "docx", "epub")  # the formats a volume is made in, in the order `--format` lists them


class VolumeRenderer(Protocol):
    name: ClassVar[str]
    extension: ClassVar[str]

    def render_volume(self, volume: Volume) -> bytes: ...


def volume_renderer(name: str, config: Config) -> VolumeRenderer:
    """The renderer of a volume format; its engine starts here (WeasyPrint: about half a second), once per build."""
    if name == "pdf":
        from .pdf import VolumePdfRenderer

        return VolumePdfRenderer(config)
    if name == "docx":
        from .docx import VolumeDocxRenderer

        return VolumeDocxRenderer(config)
    if name == "epub":
        from .epub import VolumeEpubRenderer

        return VolumeEpubRenderer(config)
    raise ValueError(f"no volume format {name!r}")


class VolumeBuilder:
    """Builds volumes from the texts of `sources` (source files), into `out`. A reference to
    an adopted text links as in the text's own editions: to the web edition of a text among
    `targets` (by default every source), else to the official address the source gives, or none."""

    def __init__(
        self, sources: list[Path], out: Path, formats: list[str], config: Config, targets: Targets | None = None
    ) -> None:
        self.sources = sources
        self.out = out
        self.formats = [name for name in FORMATS if name in formats]
        self.config = config
        self.targets = targets if targets is not None else Targets(frozenset(file_stem(s) for s in sources))
        self._renderers: dict[str, VolumeRenderer] = {}

    def renderer(self, name: str) -> VolumeRenderer:
        if name not in self._renderers:
            self._renderers[name] = volume_renderer(name, self.config)
        return self._renderers[name]

    def build(self, path: Path, formats: tuple[str, ...] | None = None) -> Outcome:
        """The volume declared in `path`, in each of `formats` (default: the builder's), or every
        problem found on the way. Its `record` is the volume's row of the build state."""
        declaration, problems = read_declaration(path)
        outcome = Outcome(path, problems=problems)
        if declaration is None:
            return outcome
        links: dict[str, Links] = {}

        def resolved(source: Path) -> Reading:
            reading = read(source, self.config)
            if reading.document is None:
                return reading
            resolution = resolve(reading.document, self.targets)
            links[resolution.document.stem] = resolution.links
            return msgspec.structs.replace(reading, document=resolution.document)

        volume, problems = select(declaration, self.sources, resolved)
        outcome.problems.extend(problems)
        if volume is None:
            return outcome
        outcome.source_sha256 = hashlib.sha256(declaration.source).hexdigest()
        outcome.record = volume_record(path, volume, outcome.source_sha256, links)
        files: list[tuple[str, Path, bytes]] = []
        try:
            for name in self.formats if formats is None else [n for n in self.formats if n in formats]:
                renderer = self.renderer(name)
                files.append((name, self.out / f"{volume.stem}.{renderer.extension}", renderer.render_volume(volume)))
        except RenderError as exc:
            outcome.failure = str(exc)
            return outcome
        try:
            write_all_atomically([(target, data) for _, target, data in files])
        except OSError as exc:
            outcome.failure = f"cannot write the volume in {self.out}: {exc.strerror or exc}"
            return outcome
        for name, target, data in files:
            outcome.written.append(target)
            outcome.editions.append(Edition(name, target.name, hashlib.sha256(data).hexdigest(), len(data)))
        return outcome


def volume_record(path: Path, volume: Volume, source_sha256: str, links: dict[str, Links]) -> dict[str, str]:
    """The volume's row of the build state (pipeline.buildstate.VolumeRow): the texts it holds
    with their sources' hashes and what their references link to, so that a changed text or a
    changed link rebuilds it, and what the catalogue shows."""
    held = [
        held_text(text.stem, hashlib.sha256(text.source).hexdigest(), links_key(links.get(text.stem, {})))
        for text in volume.texts
    ]
    return {
        "stem": volume.stem,
        "source": path.as_posix(),
        "source_sha256": source_sha256,
        "texts": texts_key(held),
        "title": msgspec.json.encode(list(volume.title)).decode(),
        "language": volume.language,
        "status": volume.status.value,
        "date": volume.issued.isoformat(),
    }


def held_text(stem: str, source_sha256: str, links: str) -> str:
    """One text of a volume in its `texts` key: "stem:sha256:links", the last a digest of what
    its references link to (the texts table's `links`, which the text's own build recorded)."""
    return f"{stem}:{source_sha256}:{hashlib.sha256(links.encode()).hexdigest()[:16]}"


def texts_key(held: list[str]) -> str:
    """The `texts` column: each text a volume holds (held_text), sorted, as JSON."""
    return msgspec.json.encode(sorted(held)).decode()


def build_volumes(
    volumes: list[Path], source_paths: list[Path], out: Path, formats: list[str], config: Config
) -> list[Outcome]:
    builder = VolumeBuilder(find_sources(source_paths), out, formats, config)
    return [builder.build(path) for path in volumes]
