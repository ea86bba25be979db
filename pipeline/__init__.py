"""Publishing pipeline for parliamentary adopted texts: one source, every edition.

The public API: load() a source into a Document; build() editions of many sources.
"""

from __future__ import annotations

import gc
from pathlib import Path

# The imports below load most of the package (some 350 modules, whose objects all live): the
# cycle collector would walk the growing heap many times over and find nothing to free.
_collecting = gc.isenabled()
gc.disable()
try:
    from .build import Outcome
    from .config import Config, load_config
    from .model import Document
    from .source import load as _load
finally:
    if _collecting:
        gc.enable()


def load(path: Path, config: Config | None = None) -> Document:
    """The document model of one source; raises SourceError listing every problem."""
    return _load(path, config or Config())


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
    from .incremental import build_corpus  # the workers and the build state load only when building

    summary = build_corpus(paths, formats, out_dir, config or Config(), manifest=manifest, workers=workers)
    return sorted(summary.outcomes, key=lambda outcome: outcome.source)


__all__ = ["Config", "Document", "Outcome", "build", "load", "load_config"]
