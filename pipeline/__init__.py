"""Publishing pipeline for parliamentary adopted texts: one source, every edition.

The public API: load() a source into a Document; build() editions of many sources.
"""

from __future__ import annotations

from pathlib import Path

from .build import Builder, Outcome
from .config import Config, load_config
from .model import Document
from .source import load as _load


def load(path: Path, config: Config | None = None) -> Document:
    """The document model of one source; raises SourceError listing every problem."""
    return _load(path, config or Config())


def build(paths: list[Path], formats: list[str], out_dir: Path, config: Config | None = None) -> list[Outcome]:
    """Render every source under `paths` into `out_dir` in each format."""
    return Builder(formats, out_dir, config or Config()).build(paths)


__all__ = ["Config", "Document", "Outcome", "build", "load", "load_config"]
