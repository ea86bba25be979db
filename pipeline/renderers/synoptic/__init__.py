"""The synoptic edition: for each text with two or more language versions, the versions side by
side, one row per provision, as `<slug>.synoptic.pdf` and `<slug>.synoptic.docx`."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ...agreement import disagreements
from ...build import Outcome, write_atomically
from ...config import Config
from ...errors import RenderError, Severity
from ...model import Document
from ...source import find_sources, read
from ...synoptic import synopsis
from ...textname import TextName, TextNameError
from .docx import SynopticDocxRenderer
from .pdf import SynopticPdfRenderer

FORMATS = ("pdf", "docx")
SUFFIX = ".synoptic"


def build_synoptic(paths: list[Path], out: Path, config: Config) -> list[Outcome]:
    """One outcome per text that has several language versions among the sources under `paths`.

    A text is set side by side only when every version reads without error and the versions
    agree as `pipeline check` requires (an unofficial translation may lag: its rows stay empty).
    """
    groups: dict[str, list[Path]] = defaultdict(list)
    for source in find_sources(paths):
        try:
            groups[TextName.of_file(source).slug].append(source)
        except TextNameError:  # not a language version ("x.old.md"): `pipeline check` reports its name
            continue
    editions = [group for _, group in sorted(groups.items()) if len(group) > 1]
    if not editions:
        return []
    renderers = (SynopticPdfRenderer(config), SynopticDocxRenderer(config))
    return [_build_text(group, out, renderers) for group in editions]


def _build_text(sources: list[Path], out: Path, renderers: tuple[SynopticPdfRenderer, SynopticDocxRenderer]) -> Outcome:
    outcome = Outcome(sources[0])
    names = [source.name for source in sources]
    if len(set(names)) < len(names):  # the same version twice, from two folders
        outcome.failure = f"two sources named {max(names, key=names.count)}: keep one"
        return outcome
    documents: dict[Path, Document] = {}
    for source in sources:
        reading = read(source, renderers[0].config)
        outcome.problems.extend(reading.problems)
        if reading.document is not None:
            documents[source] = reading.document
    outcome.problems.extend(disagreements(documents))
    if len(documents) < len(sources) or any(p.severity is Severity.ERROR for p in outcome.problems):
        return outcome
    pdf, docx = renderers
    try:  # both formats before writing either: a failing text writes nothing
        aligned = synopsis(list(documents.values()))
        files = [
            (out / f"{aligned.slug}{SUFFIX}.pdf", pdf.render_synopsis(aligned)),
            (out / f"{aligned.slug}{SUFFIX}.docx", docx.render_synopsis(aligned)),
        ]
    except RenderError as exc:
        outcome.failure = str(exc)
        return outcome
    for target, data in files:
        write_atomically(target, data)
        outcome.written.append(target)
    return outcome


__all__ = ["FORMATS", "build_synoptic"]
