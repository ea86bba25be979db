"""Publishing pipeline for parliamentary adopted texts: one source, every edition.

The public API: load() a source into a Document; build() editions of many sources.
"""

from __future__ import annotations

import gc
import importlib
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .build import Outcome
    from .config import Config, load_config
    from .model import Document

# Where each public name lives: imported on first use (PEP 562), so that the `pipeline` command's
# entry point (pipeline/start.py) runs before the rest of the package loads.
_LAZY = {"Outcome": "build", "Config": "config", "load_config": "config", "Document": "model"}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_imported(_LAZY[name]), name)
    globals()[name] = value
    return value


def _imported(module: str) -> Any:
    """A module of the package, imported with the cycle collector paused: most of the package
    loads (some 350 modules, whose objects all live), and the collector would walk the growing
    heap many times over and find nothing to free."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        return importlib.import_module(f"{__name__}.{module}")
    finally:
        if collecting:
            gc.enable()


def load(path: Path, config: Config | None = None) -> Document:
    """The document model of one source; raises SourceError listing every problem."""
    return _imported("source").load(path, config or _imported("config").Config())  # type: ignore[no-any-return]


def build(
    paths: list[Path],
    formats: list[str],
    out_dir: Path,
    config: Config | None = None,
    *,
    manifest: bool = False,
    workers: int = 1,
) -> list[Outcome]:
    """Render every source under `paths` into `out_dir` in each format, by source path.

    The same build as `pipeline build`; without `manifest` every text is rebuilt and no build state
    or catalogue is kept. With it, only what changed is built, and only those outcomes return.
    """
    build_corpus = _imported("incremental").build_corpus  # the workers and the build state: only when building
    summary = build_corpus(
        paths, formats, out_dir, config or _imported("config").Config(), manifest=manifest, workers=workers
    )
    return sorted(summary.outcomes, key=lambda outcome: outcome.source)


class _Package(types.ModuleType):
    """Importing the submodule `pipeline.build` sets the package's attribute `build` to it, as
    Python does for every submodule: the public function keeps the name."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "build" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["Config", "Document", "Outcome", "build", "load", "load_config"]
