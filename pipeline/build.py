"""Which texts in which formats: read each source once, render every edition, write atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

from msgspec.structs import replace

from .catalogue import catalogue_record
from .config import Config
from .errors import Problems, RenderError
from .files import write_all_atomically
from .files import write_atomically as write_atomically  # where the synoptic command finds it
from .linking import Targets, absent_problems, resolve
from .model import EditionFile, LanguageVersion
from .outcome import Edition
from .outcome import Outcome as Outcome  # where the synoptic command finds it
from .renderers import REGISTRY, Renderer, renderer_class
from .source import Reading, read, read_source_bytes
from .templating import file_size

KEPT_READINGS = 512  # texts checked and not yet rendered whose reading a Builder keeps (about 50 kB each)


class Builder:
    """Renders sources into editions; one bad text never stops the others.

    Renderers are made on first use and then kept: a worker process pays each engine's start-up
    (WeasyPrint's import and font configuration, the reference documents) once, for all its texts.
    """

    def __init__(
        self,
        formats: list[str],
        out_dir: Path,
        config: Config,
        debug: bool = False,
        targets: Targets | None = None,
    ) -> None:
        self.formats = [renderer_class(name).name for name in formats]  # unknown names fail here
        self.out_dir = out_dir
        self.config = config
        self.debug = debug
        self.targets = targets  # a corpus build's: references then point only at texts it has
        self._renderers: dict[str, Renderer] = {}
        self._narrowed: tuple[frozenset[str], Targets | None] = (frozenset(), targets)
        self._kept: dict[Path, tuple[bytes, Reading]] = {}  # checked texts: their bytes' hash and reading

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
        sizes: Mapping[str, int] | None = None,
        relist: tuple[str, ...] = (),
        check: bool = False,
        absent: frozenset[str] = frozenset(),
    ) -> Outcome:
        """Render `source` in `formats` (default: all the builder's); `write=False` keeps the bytes.

        `sizes` are the recorded sizes of the text's editions in the folder; `relist` the
        up-to-date editions that list the others (the web page), rendered again only when a size
        they show changed: then they are what a full build would have written. `check` stops
        before rendering: the outcome says whether the text fails in its source or in what an
        edition cannot set (everything a text can fail on but its engines). `absent` are stems
        of the targets that a corpus build found it cannot link to after all."""
        try:
            chosen = self.formats if formats is None else list(formats)
            return self._build_one(source, versions, chosen, write, sizes or {}, relist, check, self._targets(absent))
        except Exception as exc:  # a bug must not stop the other texts
            if self.debug:
                raise
            return Outcome(source, failure=f"internal error: {type(exc).__name__}: {exc} (rerun with --debug)")

    def _targets(self, absent: frozenset[str]) -> Targets | None:
        """The builder's targets without `absent`; the last such set is kept (a run's jobs share it)."""
        if self.targets is None or not absent:
            return self.targets
        if self._narrowed[0] != absent:
            self._narrowed = (absent, Targets(self.targets.stems - absent))
        return self._narrowed[1]

    def _read(self, source: Path, keep: bool) -> Reading:
        """The source read. A corpus build checks some texts before rendering them: the reading
        of a text checked here (`keep`) is kept, a few hundred at most, and used once for its
        rendering here if its bytes are still the same (a worker process renders a share of
        them; a Dask worker reads a copy, and keeps nothing)."""
        kept = self._kept.pop(source, None)
        if kept is not None:
            data = read_source_bytes(source, Problems(source))
            if data is not None and hashlib.sha256(data).digest() == kept[0]:
                return kept[1]
        reading = read(source, self.config)
        if keep and reading.document is not None and len(self._kept) < KEPT_READINGS:
            self._kept[source] = (hashlib.sha256(reading.document.source).digest(), reading)
        return reading

    def _build_one(
        self,
        source: Path,
        versions: tuple[LanguageVersion, ...],
        formats: list[str],
        write: bool,
        sizes: Mapping[str, int],
        relist: tuple[str, ...],
        check: bool,
        targets: Targets | None,
    ) -> Outcome:
        reading = self._read(source, keep=check and write)
        outcome = Outcome(source, problems=list(reading.problems))
        if reading.document is None:
            return outcome

        document = replace(reading.document, versions=versions)
        if targets is not None:
            resolution = resolve(document, targets)
            document, outcome.links = resolution.document, resolution.links
            outcome.problems += absent_problems(resolution, source)
        for name in formats:  # what an edition cannot set refuses the text, located, as an error of its source does
            outcome.problems += self.renderer(name).source_problems(document, source)
        if outcome.failed or check:
            return outcome
        outcome.source_sha256 = hashlib.sha256(document.source).hexdigest()
        outcome.record = catalogue_record(document)
        editions: list[tuple[str, Path, bytes]] = []
        try:  # render every format before writing any: a failing text writes nothing
            # All are begun before any is finished: pandoc converts the DOCX and EPUB while
            # this process lays out the PDF.
            begun = [
                (
                    name,
                    self.out_dir / f"{document.stem}.{self.renderer(name).extension}",
                    self.renderer(name).begin(document),
                )
                for name in formats
                if not renderer_class(name).lists_editions
            ]
            editions.extend((name, target, finish()) for name, target, finish in begun)
            # Then the editions that list those, with their sizes.
            listing = [name for name in formats if renderer_class(name).lists_editions]
            listing += [name for name in relist if name not in listing and _relisted(name, editions, sizes)]
            for name in listing:
                renderer = self.renderer(name)
                listed = replace(document, editions=self._others(document.stem, name, editions, sizes))
                target = self.out_dir / f"{document.stem}.{renderer.extension}"
                editions.append((name, target, renderer.render(listed)))
        except RenderError as exc:
            outcome.failure = str(exc)
            return outcome
        if write:
            try:  # every edition or none: a full disk must not leave half a text
                write_all_atomically([(target, data) for _, target, data in editions])
            except OSError as exc:
                outcome.failure = f"cannot write its editions in {self.out_dir}: {exc.strerror or exc}"
                return outcome
        order = list(REGISTRY)
        editions.sort(key=lambda edition: order.index(edition[0]) if edition[0] in order else len(order))
        for name, target, data in editions:
            outcome.editions.append(Edition(name, target.name, hashlib.sha256(data).hexdigest(), len(data)))
            if write:
                outcome.written.append(target)
            else:
                outcome.payload[target.name] = data
        return outcome

    def _others(
        self, stem: str, listing: str, rendered: list[tuple[str, Path, bytes]], sizes: Mapping[str, int]
    ) -> tuple[EditionFile, ...]:
        """The text's other editions in the output folder, in the order of the formats: those just
        rendered with their bytes' size, the others (up to date) with the size recorded."""
        found = {**sizes, **{name: len(data) for name, _, data in rendered}}
        return tuple(
            EditionFile(name, f"{stem}.{renderer_class(name).extension}", found[name])
            for name in REGISTRY
            if name != listing and name in found
        )


def _relisted(listing: str, rendered: list[tuple[str, Path, bytes]], sizes: Mapping[str, int]) -> bool:
    """Whether an up-to-date listing edition would show something else now: an edition it did
    not have, or, of those it shows a size for, another size as it is shown (in kB or MB)."""
    unsized = renderer_class(listing).listed_without_size
    return any(
        name not in sizes or (name not in unsized and file_size(sizes[name], "en") != file_size(len(data), "en"))
        for name, _, data in rendered
    )
