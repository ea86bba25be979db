"""Part-session volumes: "Texts adopted by the Assembly", declared in `volumes/<stem>.toml` and
built from the same canonical sources as the single texts' editions."""

from __future__ import annotations

from pathlib import Path

VOLUME_SUFFIX = ".toml"
VOLUMES_FOLDER = Path("volumes")


def find_volumes(paths: list[Path]) -> list[Path]:
    """Volume files among `paths` (files ending in .toml, or folders holding them), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.glob(f"*{VOLUME_SUFFIX}") if p.is_file())
        elif path.name.endswith(VOLUME_SUFFIX):
            found.add(path)
    return sorted(found)
