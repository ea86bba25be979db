"""The catalogue page: one entry per text (its language versions together), grouped by year and
type, each version's editions with their sizes; the SHA-256 of every edition in `SHA256SUMS`.

It is made from the build state alone (no source is read), so it costs nothing on a no-op build.
Source-derived strings go through the autoescaping template; the filter script is our own.
"""

from __future__ import annotations

import itertools
from typing import Any

import msgspec

from .i18n import type_name
from .languages import name_in
from .model import Document, TextType
from .renderers import REGISTRY
from .templating import citation, environment
from .textname import TextName

TEMPLATE = "catalogue/index.html.j2"
CHECKSUMS_NAME = "SHA256SUMS"
SEARCH_NAME = "search.html"
TYPE_ORDER = [member.value for member in TextType]
LANGUAGE_ORDER = ["en", "fr"]  # the Assembly's official languages first, then by tag


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
        "keywords": msgspec.json.encode(list(meta.keywords)).decode(),
    }


class EditionLink(msgspec.Struct, frozen=True):
    format: str
    label: str
    file: str
    media_type: str
    size: int
    size_text: str


class Version(msgspec.Struct, frozen=True):
    """One language version of a text, as the catalogue lists it."""

    stem: str
    language: str
    language_in_english: str  # the page's wording is English
    citation: str
    title: str
    date: str
    status: str
    keywords: tuple[str, ...]
    editions: tuple[EditionLink, ...]


class CatalogueText(msgspec.Struct, frozen=True):
    """A text: its language versions (same type, number and year), the reference version first."""

    type: str
    type_name: str
    number: int
    year: int
    versions: tuple[Version, ...]

    @property
    def first(self) -> Version:
        return self.versions[0]

    @property
    def languages(self) -> str:
        return " ".join(version.language for version in self.versions)

    @property
    def keywords(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(word for version in self.versions for word in version.keywords))


class CatalogueVolume(msgspec.Struct, frozen=True):
    """A part-session volume: its title lines, language, status and editions."""

    stem: str
    title: tuple[str, ...]
    language: str
    language_in_english: str
    status: str
    date: str
    text_count: int
    editions: tuple[EditionLink, ...]


def catalogue_volumes(volumes: list[dict[str, Any]]) -> list[CatalogueVolume]:
    """The build state's volumes (BuildState.volumes_present): latest first, then by language."""
    listed = [
        CatalogueVolume(
            str(volume["stem"]),
            tuple(volume["title"]),
            str(volume["language"]),
            name_in(str(volume["language"]), "en"),
            str(volume["status"]),
            str(volume["date"]),
            len(volume["texts"]),
            _edition_links(volume["editions"]),
        )
        for volume in volumes
    ]
    by_language = sorted(listed, key=lambda volume: (language_key((volume.language,)), volume.stem))
    return sorted(by_language, key=lambda volume: volume.date, reverse=True)


def catalogue_texts(entries: list[dict[str, Any]]) -> list[CatalogueText]:
    """The build state's entries (BuildState.present) as texts: latest year first, then by type, number."""
    versions = sorted((_version(entry) for entry in entries), key=lambda pair: pair[0])
    texts = []
    for (_, _, _, kind, number, year), group in itertools.groupby(versions, key=lambda pair: pair[0][:6]):
        members = tuple(version for _, version in sorted(group, key=lambda pair: pair[0]))
        texts.append(CatalogueText(kind, type_label(kind), number, year, members))
    return texts


def render_catalogue(
    entries: list[dict[str, Any]],
    *,
    volumes: list[dict[str, Any]] | None = None,
    search: bool = False,
    checksums: bool = True,
    feeds: tuple[str, ...] = (),
) -> bytes:
    """The page; `volumes` as BuildState.volumes_present gives them; `search` links the search
    page, `checksums` the SHA256SUMS file, `feeds` the Atom feeds (their languages), for a folder
    that has them."""
    texts = catalogue_texts(entries)
    listed_volumes = catalogue_volumes(volumes or [])
    files = [edition for text in texts for version in text.versions for edition in version.editions]
    files += [edition for volume in listed_volumes for edition in volume.editions]
    languages = sorted({(v.language, v.language_in_english) for t in texts for v in t.versions}, key=language_key)
    kinds = [(value, type_label(value)) for value in TYPE_ORDER if any(t.type == value for t in texts)]
    page = (
        environment("en")
        .get_template(TEMPLATE)
        .render(
            groups=[(year, _by_type(group)) for year, group in itertools.groupby(texts, key=lambda t: t.year)],
            text_count=len(texts),
            volumes=listed_volumes,
            types=kinds,
            years=sorted({t.year for t in texts}, reverse=True),
            languages=languages,
            file_count=len(files),
            total_size=human_size(sum(edition.size for edition in files)),
            search=SEARCH_NAME if search else "",
            checksums=CHECKSUMS_NAME if checksums else "",
            feeds=[(language, name_in(language, "en"), feed_name(language)) for language in feeds],
        )
    )
    return page.encode("utf-8")


def render_checksums(entries: list[dict[str, Any]], volumes: list[dict[str, Any]] | None = None) -> bytes:
    """`sha256sum -c` input for every edition listed, texts' and volumes', by file name: the same
    bytes for the same folder."""
    listed = [*entries, *(volumes or [])]
    files = sorted((edition["file"], edition["sha256"]) for entry in listed for edition in entry["editions"].values())
    return "".join(f"{sha256}  {file}\n" for file, sha256 in files).encode("utf-8")


def feed_name(language: str) -> str:
    return f"feed.{language.lower()}.xml"


def _by_type(texts: Any) -> list[tuple[str, str, list[CatalogueText]]]:
    ordered = sorted(texts, key=lambda t: (_type_rank(t.type), -t.number))
    return [(kind, _plural(kind), list(group)) for kind, group in itertools.groupby(ordered, key=lambda t: t.type)]


def _version(entry: dict[str, Any]) -> tuple[tuple[Any, ...], Version]:
    record = entry["record"]
    editions = _edition_links(entry["editions"])
    language = str(record["language"])
    version = Version(
        entry["stem"],
        language,
        name_in(language, "en"),
        str(record["citation"]),
        str(record["title"]),
        str(record["date"]),
        str(record["status"]),
        tuple(msgspec.json.decode(record.get("keywords") or "[]", type=list[str])),
        editions,
    )
    text_key = (-int(record["year"]), _type_rank(str(record["type"])), -int(record["number"]))
    return (
        *text_key,
        str(record["type"]),
        int(record["number"]),
        int(record["year"]),
        *language_key((language,)),
    ), version


def _edition_links(editions: dict[str, dict[str, Any]]) -> tuple[EditionLink, ...]:
    return tuple(
        EditionLink(
            name,
            REGISTRY[name].label if name in REGISTRY else name.upper(),
            edition["file"],
            REGISTRY[name].media_type if name in REGISTRY else "application/octet-stream",
            edition["size"],
            human_size(edition["size"]),
        )
        for name, edition in sorted(editions.items(), key=lambda item: format_rank(item[0]))
    )


def language_key(pair: tuple[str, ...]) -> tuple[int, str]:
    base = pair[0].split("-")[0].lower()
    return (LANGUAGE_ORDER.index(base) if base in LANGUAGE_ORDER else len(LANGUAGE_ORDER), pair[0].lower())


def _type_rank(value: str) -> int:
    return TYPE_ORDER.index(value) if value in TYPE_ORDER else len(TYPE_ORDER)


def format_rank(name: str) -> int:
    """In the registry's order; a format this version does not know goes last."""
    order = list(REGISTRY)
    return order.index(name) if name in order else len(order)


def type_label(value: str, language: str = "en") -> str:
    """The name of a type (English, the catalogue's language, unless `language` says otherwise); a
    type this version does not know (an older manifest's), as recorded."""
    return type_name(TextType(value), language) if value in TYPE_ORDER else value.capitalize()


def _plural(value: str) -> str:
    return type_name(TextType(value), "en", plural=True) if value in TYPE_ORDER else value.capitalize()


def human_size(size: int) -> str:
    """Decimal units, as file managers show them: 950 B, 48.2 kB, 1.3 MB."""
    value, unit = float(size), "B"
    for larger in ("kB", "MB", "GB"):
        if value < 1000:
            break
        value, unit = value / 1000, larger
    return f"{size} B" if unit == "B" else f"{value:.1f} {unit}"
