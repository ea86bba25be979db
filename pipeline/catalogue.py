"""The catalogue page: every text in the output folder, with its editions' sizes and SHA-256.

It is made from the build state alone (no source is read), so it costs nothing on a no-op build.
Source-derived strings go through the autoescaping template; the filter script is our own.
"""

from __future__ import annotations

from typing import Any

from .i18n import type_name
from .languages import name_in
from .model import Document, TextType
from .renderers import REGISTRY
from .templating import citation, environment
from .textname import TextName

TEMPLATE = "catalogue/index.html.j2"
TYPE_ORDER = [member.value for member in TextType]


def catalogue_record(document: Document) -> dict[str, Any]:
    """What the catalogue shows of a text, in plain JSON types (kept in the build state)."""
    meta = document.metadata
    return {
        "slug": TextName.of(meta).slug,
        "type": meta.type.value,
        "number": meta.number,
        "year": meta.year,
        "language": meta.language,
        "citation": citation(meta),
        "title": meta.title,
        "date": meta.adoption.date.isoformat(),
        "status": meta.status.value,
    }


def render_catalogue(entries: list[dict[str, Any]]) -> bytes:
    """The page for the build state's entries (see BuildState.present), sorted by type, year, number, language."""
    texts = sorted((_row(entry) for entry in entries), key=_order)
    files = [edition for text in texts for edition in text["editions"]]
    page = (
        environment("en")
        .get_template(TEMPLATE)
        .render(
            texts=texts,
            types=[(value, _type_name(value)) for value in TYPE_ORDER if any(t["type"] == value for t in texts)],
            years=sorted({t["year"] for t in texts}, reverse=True),
            languages=sorted({(t["language"], t["language_in_english"]) for t in texts}),
            file_count=len(files),
            total_size=human_size(sum(edition["size"] for edition in files)),
        )
    )
    return page.encode("utf-8")


def _row(entry: dict[str, Any]) -> dict[str, Any]:
    record = entry["record"]
    editions = [
        {
            "format": name,
            "label": REGISTRY[name].label if name in REGISTRY else name.upper(),
            "file": edition["file"],
            "media_type": REGISTRY[name].media_type if name in REGISTRY else "application/octet-stream",
            "size": edition["size"],
            "size_text": human_size(edition["size"]),
            "sha256": edition["sha256"],
        }
        for name, edition in sorted(entry["editions"].items(), key=lambda item: _format_rank(item[0]))
    ]
    return {
        **record,
        "stem": entry["stem"],
        "type_name": _type_name(str(record["type"])),
        "language_in_english": name_in(str(record["language"]), "en"),  # the page's wording is English
        "editions": editions,
    }


def _order(text: dict[str, Any]) -> tuple[int, int, int, str]:
    kind = TYPE_ORDER.index(text["type"]) if text["type"] in TYPE_ORDER else len(TYPE_ORDER)
    return (kind, -int(text["year"]), -int(text["number"]), str(text["language"]))


def _format_rank(name: str) -> int:
    """In the registry's order; a format this version does not know goes last."""
    order = list(REGISTRY)
    return order.index(name) if name in order else len(order)


def _type_name(value: str) -> str:
    """The English name of a type; a type this version does not know (an older manifest's), as recorded."""
    return type_name(TextType(value), "en") if value in TYPE_ORDER else value.capitalize()


def human_size(size: int) -> str:
    """Decimal units, as file managers show them: 950 B, 48.2 kB, 1.3 MB."""
    value, unit = float(size), "B"
    for larger in ("kB", "MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, larger
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
