"""`pipeline package`: an archival BagIt bag (RFC 8493) of every edition and source.

Layout: `data/editions/` holds the editions (the texts' and the volumes') and a catalogue page
of exactly what is bagged; `data/sources/` the canonical sources, `data/volumes/` the volume
files. Payload manifests in SHA-256 and SHA-512 cover every file: `bagit.Bag(...).validate()`
checks the volumes as it checks the texts.

The bag is deterministic: the same sources and editions give the same bag, byte for byte.
Bagging-Date is never read from the clock: it is the date of SOURCE_DATE_EPOCH when that is set
(the reproducible-builds convention), else the newest adoption date among the bagged texts.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bagit  # type: ignore[import-untyped]

from .buildstate import STATE_NAME, BuildState
from .catalogue import human_size, render_catalogue
from .config import Config
from .errors import UsageError
from .files import folder_lock
from .fingerprints import fingerprints
from .incremental import plan
from .legacy_manifest import LEGACY_NAME
from .site import CATALOGUE_NAME
from .source import find_sources
from .textname import file_stem
from .volumes.incremental import plan_volumes, volume_formats, volume_inputs

ORGANIZATION = "Council of Europe, Parliamentary Assembly"
CHECKSUMS = ["sha256", "sha512"]
AGENT = "adopted-texts-pipeline (bagit.py {version})"
BAGIT_VERSION = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"  # bagit.py writes 0.97


@dataclass(frozen=True)
class Packed:
    bag: Path
    texts: int
    editions: int
    sources: int
    size: int
    volumes: int = 0


def package(
    paths: list[Path],
    editions_dir: Path,
    out: Path,
    formats: list[str],
    config: Config,
    organization: str = ORGANIZATION,
    volumes: list[Path] | None = None,
) -> Packed:
    """Bag the sources under `paths` with their editions from `editions_dir`, and the `volumes`
    (volume files) with theirs; all must be up to date."""
    if not editions_dir.is_dir():
        return _package(paths, editions_dir, out, formats, config, organization, volumes or [])  # refused
    with folder_lock(editions_dir, exclusive=False):  # never the editions of a build under way
        return _package(paths, editions_dir, out, formats, config, organization, volumes or [])


def _package(
    paths: list[Path],
    editions_dir: Path,
    out: Path,
    formats: list[str],
    config: Config,
    organization: str,
    volumes: list[Path],
) -> Packed:
    # A folder never built has no state, and one is not made here: nothing in it is up to date.
    # One built by an earlier version has its JSON manifest: a build migrates it (package only
    # reads, under a shared lock), and rebuilds what an upgrade of the tools makes stale.
    if not (editions_dir / STATE_NAME).is_file() and (editions_dir / LEGACY_NAME).is_file():
        raise UsageError(
            f"{editions_dir} was built by an earlier version of the pipeline (it has {LEGACY_NAME}): "
            "run `pipeline build` on it once, then package"
        )
    state = BuildState.open(editions_dir) if (editions_dir / STATE_NAME).is_file() else BuildState.empty(editions_dir)
    try:
        return _bag(paths, state, editions_dir, out, formats, config, organization, volumes)
    finally:
        state.close()


def _bag(
    paths: list[Path],
    state: BuildState,
    editions_dir: Path,
    out: Path,
    formats: list[str],
    config: Config,
    organization: str,
    volumes: list[Path],
) -> Packed:
    sources = find_sources(paths)
    work = plan(sources, state, fingerprints(formats, config), verify=True)  # archives deserve a full hash
    if work.refused:
        refused = work.refused[0]
        raise UsageError(refused.failure or f"{refused.source}: {refused.problems[0].message}")
    if work.jobs:
        examples = ", ".join(
            f"{job.source.name} ({'; '.join(sorted(set(work.reasons[job.source].values())))})" for job in work.jobs[:5]
        )
        raise UsageError(
            f"{len(work.jobs)} of {len(sources)} texts are not built or not up to date in {editions_dir}: "
            f"{examples}{', …' if len(work.jobs) > 5 else ''} (run `pipeline build` first)"
        )
    if not sources:
        raise UsageError("no source to package")
    by_stem = {file_stem(source): source for source in sources}
    # Only the formats bagged: the state records every format built, and bag-info counts these.
    entries = [
        {**e, "source": by_stem[e["stem"]], "editions": {n: e["editions"][n] for n in formats}}
        for e in state.present()
        if e["stem"] in by_stem
    ]
    volume_entries = _volume_entries(volumes, work.sources, work.hashes, state, formats, config)
    _check_destination(out)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    os.chmod(staging, 0o755)  # mkdtemp's 0700 would become the bag's
    try:
        size = _fill(staging, entries, volume_entries, editions_dir)
        bag_info = _bag_info(entries, volume_entries, organization, size)
        bagit.make_bag(str(staging), bag_info, processes=1, checksums=CHECKSUMS)
        (staging / "bagit.txt").write_text(BAGIT_VERSION, encoding="utf-8")
        bagit.Bag(str(staging)).save()  # tag manifests again, now over the 1.0 bagit.txt
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    editions = int(bag_info["Edition-Count"]) + int(bag_info["Volume-Edition-Count"])
    return Packed(out, int(bag_info["Text-Count"]), editions, len(entries), size, len(volume_entries))


def _volume_entries(
    volumes: list[Path],
    sources: list[Path],
    hashes: dict[Path, str],
    state: BuildState,
    formats: list[str],
    config: Config,
) -> list[dict[str, Any]]:
    """The volumes to bag, as BuildState.volumes_present gives them, each with its volume file
    (`declaration`); refused unless every one is built and up to date in the formats bagged."""
    wanted = volume_formats(formats)
    if not volumes or not wanted:
        return []
    work = plan_volumes(volumes, sources, hashes, state, volume_inputs(wanted, config), verify=True)
    if work.refused:
        refused = work.refused[0]
        raise UsageError(refused.failure or str(refused.problems[0]))
    if work.stale:
        examples = ", ".join(
            f"{path.name} ({'; '.join(sorted(set(work.reasons[path].values())))})" for path, _ in work.stale[:5]
        )
        raise UsageError(
            f"{len(work.stale)} of {len(volumes)} volumes are not built or not up to date in {state.folder}: "
            f"{examples}{', …' if len(work.stale) > 5 else ''} (run `pipeline build` first)"
        )
    by_stem = {path.name.removesuffix(".toml"): path for path in volumes}
    return [
        {**entry, "declaration": by_stem[entry["stem"]], "editions": {n: entry["editions"][n] for n in wanted}}
        for entry in state.volumes_present()
        if entry["stem"] in by_stem
    ]


def _check_destination(out: Path) -> None:
    if out.exists() and not (out / "bagit.txt").is_file() and any(out.iterdir()):
        raise UsageError(f"{out} exists and is not a bag: choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)


def _fill(
    staging: Path,
    entries: list[dict[str, Any]],
    volume_entries: list[dict[str, Any]],
    editions_dir: Path,
) -> int:
    """Copy the payload into `staging` (each entry's editions are those bagged); its size in bytes."""
    editions, sources = staging / "editions", staging / "sources"
    editions.mkdir()
    sources.mkdir()
    if volume_entries:
        (staging / "volumes").mkdir()
    for volume in volume_entries:
        for edition in volume["editions"].values():
            shutil.copyfile(editions_dir / edition["file"], editions / edition["file"])
        shutil.copyfile(volume["declaration"], staging / "volumes" / volume["declaration"].name)
    for entry in entries:
        for edition in entry["editions"].values():
            shutil.copyfile(editions_dir / edition["file"], editions / edition["file"])
        source = Path(entry["source"])
        shutil.copyfile(source, sources / source.name)
    catalogue = render_catalogue(entries, volumes=volume_entries, checksums=False)  # the bag has manifests
    (editions / CATALOGUE_NAME).write_bytes(catalogue)
    return sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())


def _bag_info(
    entries: list[dict[str, Any]], volume_entries: list[dict[str, Any]], organization: str, size: int
) -> dict[str, str]:
    return {
        "Source-Organization": organization,
        "Bagging-Date": bagging_date(entries),
        "External-Description": "Adopted texts: every edition (HTML, PDF, DOCX, EPUB) with its canonical "
        "source (UTF-8 Markdown), the part-session volumes (PDF, DOCX, EPUB) with their volume files "
        "(TOML, data/volumes/), and a catalogue page (data/editions/index.html).",
        "Bag-Software-Agent": AGENT.format(version=bagit.VERSION),
        "Bag-Size": human_size(size),
        "Text-Count": str(len({e["record"]["slug"] for e in entries})),
        "Source-Count": str(len(entries)),
        "Edition-Count": str(sum(len(e["editions"]) for e in entries)),
        "Language-Count": str(len({e["record"]["language"] for e in entries})),
        "Volume-Count": str(len(volume_entries)),
        "Volume-Edition-Count": str(sum(len(v["editions"]) for v in volume_entries)),
    }


def bagging_date(entries: list[dict[str, Any]]) -> str:
    """SOURCE_DATE_EPOCH's date (UTC) if set, else the newest adoption date: never today's date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date().isoformat()
        except (ValueError, OverflowError, OSError):
            raise UsageError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}") from None
    return max(str(entry["record"]["date"]) for entry in entries)


def _replace(staging: Path, out: Path) -> None:
    """Put the new bag in place; an old bag at `out` is removed only once the new one is complete."""
    if not out.exists():
        staging.rename(out)
        return
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old."))
    out.rename(old / out.name)
    staging.rename(out)
    shutil.rmtree(old)
