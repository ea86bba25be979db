"""`pipeline preview`: the editions of the texts being edited, rebuilt on every save.

One Builder is kept for the whole session, so WeasyPrint, its fonts and the templates stay warm
and a save costs one render, not a process start. A text whose source has problems keeps its
last good editions; the server shows the problems in their place (see preview_server.py).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .build import Builder
from .config import CONFIG_NAME, Config, load_config
from .errors import PipelineError, Severity
from .model import LanguageVersion
from .source import all_language_versions, find_sources
from .templating import TEMPLATES, environment
from .textname import SOURCE_SUFFIX, file_stem

PREVIEW_FORMATS = ("html", "pdf")
TEMPLATE_SUFFIXES = (".j2", ".css")  # read through Jinja: clearing its cache is enough


@dataclass
class Text:
    """One text as the preview knows it: its last good editions and its problems now."""

    source: Path
    editions: dict[str, bytes] = field(default_factory=dict)  # extension -> bytes of the last good build
    problems: list[str] = field(default_factory=list)  # one "file:line:column: error: …" line each
    failed: bool = False  # the last build failed: the editions above are older than the source


class Preview:
    """The texts under `paths`, rebuilt by `update` when their sources, templates or config change."""

    def __init__(self, paths: list[Path], root: Path, formats: Iterable[str] = PREVIEW_FORMATS) -> None:
        self.paths = paths  # as given: problems name files as the command line did
        self.root = root.resolve()
        self._resolved = [path.resolve() for path in paths]  # the watcher reports absolute paths
        self._updating = threading.Lock()  # two watchers may report at once
        self.formats = list(formats)
        self.texts: dict[str, Text] = {}
        self.version = 0  # bumped after every rebuild; pages reload when theirs is older
        self.changed: tuple[str, ...] = ()  # stems rebuilt by the last update
        self.config_problem = ""
        self.condition = threading.Condition()
        self.config = Config()
        self.builder = self._builder()

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    def watched(self) -> tuple[list[Path], list[Path]]:
        """Folders to watch with their subfolders (source folders, templates), and without (the
        folders of single sources and the project folder, whose .venv and output are no concern)."""
        deep = sorted({p for p in self._resolved if p.is_dir()} | {TEMPLATES})
        flat = sorted({p.parent for p in self._resolved if not p.is_dir()} | {self.root})
        return deep, flat

    def relevant(self, path: Path) -> bool:
        """Whether a change to `path` (absolute) concerns the preview."""
        if path == self.config_path or path.is_relative_to(TEMPLATES):
            return True
        return path.name.endswith(SOURCE_SUFFIX) and any(
            path == given or (given.is_dir() and path.is_relative_to(given)) for given in self._resolved
        )

    def build_all(self) -> None:
        self._rebuild(find_sources(self.paths), everything=True)

    def update(self, changed: Iterable[Path]) -> None:
        """Rebuild what `changed` files concern: one text for its source, every text otherwise."""
        with self._updating:
            self._update([path for path in changed if self.relevant(path)])

    def _update(self, changed: list[Path]) -> None:
        if not changed:
            return
        templates = [p for p in changed if p.is_relative_to(TEMPLATES)]
        engine = [p for p in templates if not p.name.endswith(TEMPLATE_SUFFIXES)]
        if templates:
            environment.cache_clear()  # the Jinja environments are made once per process otherwise
        if engine or self.config_path in changed:  # the configuration, fonts list, reference documents
            self.builder = self._builder()
        sources = find_sources(self.paths)
        if templates or self.config_path in changed:
            self._rebuild(sources, everything=True)
            return
        stems = {file_stem(p) for p in changed}
        if {_stem(s) for s in sources} != set(self.texts):  # a version came or went: its siblings link to it
            stems |= {_stem(s) for s in sources if _slug(_stem(s)) in {_slug(stem) for stem in stems}}
        self._rebuild([s for s in sources if _stem(s) in stems], everything=False, present=sources)

    def _builder(self) -> Builder:
        try:
            self.config = load_config(self.root)
            self.config_problem = ""
        except PipelineError as exc:  # keep the last good configuration, and say why on every page
            self.config_problem = str(exc)
        return Builder(self.formats, self.root / "output", self.config)

    def _rebuild(self, sources: list[Path], everything: bool, present: list[Path] | None = None) -> None:
        present = sources if present is None else present
        versions = all_language_versions(present)  # as `build` groups them: one reader of names
        stems = {_stem(s): s for s in present}
        rebuilt: dict[str, Text] = {}
        for source in sources:
            stem = _stem(source)
            if stems[stem] != source:  # both would be served under one name, as `build` refuses
                rebuilt[stem] = Text(source, problems=[f"{source}:1:1: error: same file name as {stems[stem]}"])
                continue
            rebuilt[stem] = self._build(source, versions[source], self.texts.get(stem))
        with self.condition:
            for stem in [s for s in self.texts if s not in stems]:  # deleted or renamed
                del self.texts[stem]
            self.texts.update(rebuilt)
            self.version += 1
            self.changed = tuple(sorted(rebuilt)) if not everything else tuple(sorted(self.texts))
            self.condition.notify_all()

    def _build(self, source: Path, versions: tuple[LanguageVersion, ...], previous: Text | None) -> Text:
        outcome = self.builder.build_one(source, versions, write=False)
        problems = [str(p) for p in outcome.problems]
        if outcome.failure:
            problems.append(f"{source}:1:1: error: {outcome.failure}")
        if self.config_problem:
            problems.insert(0, self.config_problem)
        if outcome.failed:
            return Text(source, previous.editions if previous else {}, problems, failed=True)
        editions = {edition.format: outcome.payload[edition.file] for edition in outcome.editions}
        return Text(source, editions, problems)

    def warnings(self) -> int:
        return sum(1 for t in self.texts.values() for p in t.problems if f": {Severity.WARNING.value}: " in p)


def _stem(source: Path) -> str:
    return file_stem(source)


def _slug(stem: str) -> str:
    return stem.rpartition(".")[0]
