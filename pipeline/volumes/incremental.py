"""Volumes in the corpus build: rebuilt, in the formats concerned only, when the volume file, one
of the texts it holds, its templates or its tools changed, and recorded in the build state.

Which texts a volume holds is known without reading them: a list names them, and a volume
chosen by dates takes the texts in its language whose adoption date and type, as the build
state recorded them with their source's hash, fall in its range. A text whose source is not
recorded as it is now (it failed, or could not be read) makes the volume stale: building it
reads the texts and says what is wrong, at the line of the volume file.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import msgspec

from .. import fingerprints as fingerprinting
from ..buildstate import BuildState, VolumeRow
from ..config import Config
from ..fingerprints import Inputs, config_fingerprint, digest, folders_fingerprint, tool_fingerprint
from ..kept_digests import known_digest, save
from ..linking import Targets
from ..model import TextType
from ..outcome import Outcome
from ..renderers import renderer_class
from ..textname import file_stem
from .build import FORMATS, VolumeBuilder, held_text, texts_key
from .declaration import Declaration, read_declaration
from .selection import in_range, language_of

Report = Callable[[Outcome, dict[str, str]], None]
VOLUME_TEMPLATES = "volume"
# Modules of this package that never change a volume's bytes.
NOT_RENDERING = {"incremental.py"}


@dataclass
class VolumePlan:
    stale: list[tuple[Path, tuple[str, ...]]] = field(default_factory=list)  # volume file, formats to build
    reasons: dict[Path, dict[str, str]] = field(default_factory=dict)
    up_to_date: list[Path] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)


def volume_formats(formats: list[str]) -> list[str]:
    return [name for name in FORMATS if name in formats]


def volume_inputs(formats: list[str], config: Config) -> dict[str, Inputs]:
    """A volume format's inputs: its text format's, with the volume templates and code beside them."""
    code = fingerprinting.PACKAGE / "volumes"
    volume_code = digest(
        "\n".join(
            f"{path.name} {known_digest(path)}" for path in sorted(code.glob("*.py")) if path.name not in NOT_RENDERING
        ).encode()
    )
    inputs = {}
    for name in volume_formats(formats):
        templates = folders_fingerprint((*renderer_class(name).template_folders, VOLUME_TEMPLATES))
        tools = digest(f"{tool_fingerprint(name)}\n{volume_code}".encode())
        inputs[name] = Inputs(templates, tools, config_fingerprint(name, config))
    save()
    return inputs


def plan_volumes(
    volumes: list[Path],
    sources: list[Path],
    hashes: dict[Path, str],
    state: BuildState,
    inputs: dict[str, Inputs],
    force: bool = False,
    verify: bool = False,
) -> VolumePlan:
    """Which volumes need which editions, from the volume files and the build state alone.
    `sources` are the texts the build was given, `hashes` their sources' hashes as read now."""
    result = VolumePlan()
    by_stem = {file_stem(source): source for source in sources}
    wanted = state.fingerprint_ids(inputs)
    for path in volumes:
        declaration, problems = read_declaration(path)
        if declaration is None:
            result.refused.append(Outcome(path, problems=problems))
            continue
        if declaration.stem in by_stem:
            failure = f"same name as the text {by_stem[declaration.stem]}: both would write {declaration.stem}.*"
            result.refused.append(Outcome(path, failure=f"{failure} (rename the volume file)"))
            continue
        sha = digest(declaration.source)
        held = held_texts(declaration, by_stem, hashes, state)
        stale = (
            dict.fromkeys(inputs, "forced")
            if force
            else state.volume_stale(declaration.stem, sha, held, inputs, wanted, verify)
        )
        if stale:
            result.stale.append((path, tuple(name for name in inputs if name in stale)))
            result.reasons[path] = stale
        else:
            result.up_to_date.append(path)
    return result


def held_texts(
    declaration: Declaration, by_stem: dict[str, Path], hashes: dict[Path, str], state: BuildState
) -> str | None:
    """The texts the volume holds, as recorded ("stem:sha256", sorted), or None when only reading
    them can tell (one is missing, unreadable, or not built as it is now)."""
    if declaration.texts:
        names = list(declaration.texts)
    else:
        names = [stem for stem in by_stem if language_of(stem) == declaration.language.lower()]
    held = []
    for name in names:
        source = by_stem.get(name)
        sha = hashes.get(source) if source else None
        links = state.text_links(name)
        if sha is None or links is None:
            return None
        if not declaration.texts:
            facts = state.text_facts(name)
            if facts is None or facts.source_sha256 != sha:
                return None
            if not in_range(declaration, dt.date.fromisoformat(facts.date), TextType(facts.type)):
                continue
        held.append(held_text(name, sha, links))
    return texts_key(held)


def run_volumes(
    work: VolumePlan,
    sources: list[Path],
    out: Path,
    config: Config,
    state: BuildState,
    inputs: dict[str, Inputs],
    report: Report,
    targets: Targets | None = None,
) -> list[Outcome]:
    """Build the stale volumes one after the other in this process (one layout each), recording
    each finished volume in its own transaction; refusals are reported first. References link
    into `targets` (the texts of the build, as their own editions were made)."""
    outcomes = list(work.refused)
    for outcome in work.refused:
        report(outcome, {})
    if not work.stale:
        return outcomes
    builder = VolumeBuilder(sources, out, list(inputs), config, targets)
    for path, formats in work.stale:
        start = time.perf_counter()
        outcome = builder.build(path, formats)
        outcome.seconds = time.perf_counter() - start
        if not outcome.failed:
            state.record_volume(msgspec.convert(outcome.record, VolumeRow), outcome.editions, inputs)
        outcomes.append(outcome)
        report(outcome, work.reasons.get(path, {}))
    return outcomes
