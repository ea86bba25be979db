"""What changed in the metadata: title, status, adoption facts, keywords…, each as before/after text."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..model import Adoption, Metadata, ReportedDocument, Sitting
from .provisions import plain


@dataclass(frozen=True)
class MetadataChange:
    name: str  # as the summary shows it: "title", "status", "adoption date"
    old: str
    new: str


FIELDS: tuple[tuple[str, Callable[[Metadata], str]], ...] = (
    ("type", lambda m: m.type.value),
    ("number", lambda m: str(m.number)),
    ("year", lambda m: str(m.year)),
    ("language", lambda m: m.language),
    ("title", lambda m: m.title),
    ("issuing body", lambda m: m.issuing_body),
    ("status", lambda m: m.status.value),
    ("translation", lambda m: "unofficial" if m.unofficial_translation else "official"),
    ("keywords", lambda m: ", ".join(m.keywords)),
    ("adopted by", lambda m: m.adoption.by.value),
    ("adoption date", lambda m: m.adoption.date.isoformat()),
    ("adoption sitting", lambda m: "" if m.adoption.sitting is None else str(m.adoption.sitting)),
    ("debates", lambda m: "; ".join(_sitting(s) for s in m.adoption.debates)),
    ("documents", lambda m: "; ".join(_document(d) for d in m.adoption.documents)),
    ("adoption note", lambda m: _note(m.adoption)),
)


def metadata_changes(old: Metadata, new: Metadata) -> list[MetadataChange]:
    return [MetadataChange(name, get(old), get(new)) for name, get in FIELDS if get(old) != get(new)]


def _sitting(sitting: Sitting) -> str:
    return sitting.date.isoformat() + ("" if sitting.number is None else f" (sitting {sitting.number})")


def _document(document: ReportedDocument) -> str:
    return f"Doc. {document.number}, {document.kind}, {document.committee}, {document.rapporteur}"


def _note(adoption: Adoption) -> str:
    return plain(adoption.note)
