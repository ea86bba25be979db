"""`pipeline package`: an archival BagIt bag (RFC 8493) of every edition and source.

Layout: `data/editions/` holds the editions and a catalogue page of exactly what is bagged;
`data/sources/` the canonical sources. Payload manifests in SHA-256 and SHA-512.

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
from .incremental import CATALOGUE_NAME, plan
from .source import find_sources
from .textname import file_stem

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


def package(
    paths: list[Path],
    editions_dir: Path,
    out: Path,
    formats: list[str],
    config: Config,
    organization: str = ORGANIZATION,
) -> Packed:
    """Bag the sources under `paths` with their editions from `editions_dir`; all must be up to date."""
    if not editions_dir.is_dir():
        return _package(paths, editions_dir, out, formats, config, organization)  # refused: nothing built
    with folder_lock(editions_dir, exclusive=False):  # never the editions of a build under way
        return _package(paths, editions_dir, out, formats, config, organization)


def _package(
    paths: list[Path], editions_dir: Path, out: Path, formats: list[str], config: Config, organization: str
) -> Packed:
    # A folder never built has no state, and one is not made here: nothing in it is up to date.
    state = BuildState.open(editions_dir) if (editions_dir / STATE_NAME).is_file() else BuildState.empty(editions_dir)
    try:
        return _bag(paths, state, editions_dir, out, formats, config, organization)
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
    entries = [{**e, "source": by_stem[e["stem"]]} for e in state.present() if e["stem"] in by_stem]
    _check_destination(out)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    os.chmod(staging, 0o755)  # mkdtemp's 0700 would become the bag's
    try:
        size = _fill(staging, entries, editions_dir, formats)
        bag_info = _bag_info(entries, organization, size)
        bagit.make_bag(str(staging), bag_info, processes=1, checksums=CHECKSUMS)
        (staging / "bagit.txt").write_text(BAGIT_VERSION, encoding="utf-8")
        bagit.Bag(str(staging)).save()  # tag manifests again, now over the 1.0 bagit.txt
        _replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Packed(out, int(bag_info["Text-Count"]), int(bag_info["Edition-Count"]), len(entries), size)


def _check_destination(out: Path) -> None:
    if out.exists() and not (out / "bagit.txt").is_file() and any(out.iterdir()):
        raise UsageError(f"{out} exists and is not a bag: choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)


def _fill(staging: Path, entries: list[dict[str, Any]], editions_dir: Path, formats: list[str]) -> int:
    """Copy the payload into `staging`; its size in bytes."""
    editions, sources = staging / "editions", staging / "sources"
    editions.mkdir()
    sources.mkdir()
    for entry in entries:
        for name in formats:
            file = entry["editions"][name]["file"]
            shutil.copyfile(editions_dir / file, editions / file)
        source = Path(entry["source"])
        shutil.copyfile(source, sources / source.name)
    bagged = [{**e, "editions": {n: e["editions"][n] for n in formats}} for e in entries]
    (editions / CATALOGUE_NAME).write_bytes(render_catalogue(bagged))
    return sum(p.stat().st_size for p in staging.rglob("*") if p.is_file())


def _bag_info(entries: list[dict[str, Any]], organization: str, size: int) -> dict[str, str]:
    return {
        "Source-Organization": organization,
        "Bagging-Date": bagging_date(entries),
        "External-Description": "Adopted texts: every edition (HTML, PDF, DOCX, EPUB) with its canonical "
        "source (UTF-8 Markdown), and a catalogue page (data/editions/index.html).",
        "Bag-Software-Agent": AGENT.format(version=bagit.VERSION),
        "Bag-Size": human_size(size),
        "Text-Count": str(len({e["record"]["slug"] for e in entries})),
        "Source-Count": str(len(entries)),
        "Edition-Count": str(sum(len(e["editions"]) for e in entries)),
        "Language-Count": str(len({e["record"]["language"] for e in entries})),
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
