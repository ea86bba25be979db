"""Where a text's references point in a corpus build: to what the output folder really holds.

The reader links a reference with the configured pattern, knowing nothing of the corpus. A
corpus build knows which texts have a web edition in the output folder (`Targets`), and points
each reference at one of them: the cited text in the citing text's language, else another
language version of it (the link says which, with `hreflang`), else the official site when the
link pattern is an absolute URL, else nothing (plain text). Language versions are kept only
when they are targets, so that no title block links to a file that was never written.

`resolve` returns, beside the document, what each cited text resolved to (`Links`): the build
state keeps it, and the plan compares it with what the same citations resolve to now, without
reading the source, so that adding a text rebuilds exactly the texts that cite it.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec
from msgspec.structs import replace

from .errors import Problem, Severity
from .languages import canonical_tag
from .model import Document, LanguageVersion, Reference

Links = dict[str, str]  # a cited text's slug -> the stem it links to ("" when it is not in the corpus)
WEB_EXTENSION = "html"


@dataclass(frozen=True)
class Targets:
    """The stems of the texts a build may link to: their web editions are, or will be, beside this one's."""

    stems: frozenset[str]

    @functools.cached_property
    def by_slug(self) -> Mapping[str, tuple[str, ...]]:
        found: defaultdict[str, list[str]] = defaultdict(list)
        for stem in self.stems:
            slug, _, _ = stem.rpartition(".")
            found[slug].append(stem)
        return {slug: tuple(sorted(stems)) for slug, stems in found.items()}

    def stem_for(self, slug: str, language: str) -> str:
        """The stem `slug` links to from a text in `language` (a stem's language part); "" if none."""
        same = f"{slug}.{language}"
        if same in self.stems:
            return same
        others = self.by_slug.get(slug, ())
        return others[0] if others else ""  # in the order of their tags: the same on every run

    def versions(self, versions: tuple[LanguageVersion, ...]) -> tuple[LanguageVersion, ...]:
        """The language versions that have a web edition to link to."""
        return tuple(version for version in versions if version.stem in self.stems)

    def links_changed(self, recorded: Links, language: str) -> bool:
        """Whether citations that resolved to `recorded` would resolve otherwise now."""
        return any(self.stem_for(slug, language) != stem for slug, stem in recorded.items())


def stem_language(stem: str) -> str:
    """ "resolution-1234-2001.en-gb" -> "en-gb": the part of a stem that names its language."""
    return stem.rpartition(".")[2]


@dataclass
class Resolution:
    document: Document
    links: Links  # what each cited text resolved to
    absent: dict[str, tuple[str, str]]  # the cited texts not in the corpus: slug -> (as cited, the URL used or "")


def resolve(document: Document, targets: Targets) -> Resolution:
    """`document` with every reference to an adopted text pointed into `targets`."""
    language = stem_language(document.stem)
    links: Links = {}
    absent: dict[str, tuple[str, str]] = {}

    def pointed(reference: Reference) -> Reference:
        if reference.kind == "document" or reference.year is None:
            return reference  # Assembly documents are not texts of the corpus
        slug = f"{reference.kind}-{reference.number}-{reference.year}"
        stem = links.setdefault(slug, targets.stem_for(slug, language))
        if stem:
            hreflang = "" if stem_language(stem) == language else canonical_tag(stem_language(stem))
            return replace(reference, url=f"{stem}.{WEB_EXTENSION}", language=hreflang)
        official = reference.url if urlsplit(reference.url).scheme else ""
        absent.setdefault(slug, (" ".join(reference.text.split()), official))  # no-break spaces as spaces
        return replace(reference, url=official, language="")

    resolved = _mapped(document, pointed)
    assert isinstance(resolved, Document)
    return Resolution(replace(resolved, versions=targets.versions(document.versions)), links, absent)


def within(document: Document, held: Mapping[str, str]) -> Document:
    """`document` with each reference to a text of `held` (a text's slug -> where it is in the
    same book: "#text-…") pointing there rather than to a web edition: a volume's reader stays
    in the volume, as a printed compendium's cross-references do."""

    def pointed(reference: Reference) -> Reference:
        if reference.kind == "document" or reference.year is None:
            return reference
        place = held.get(f"{reference.kind}-{reference.number}-{reference.year}")
        return replace(reference, url=place, language="") if place else reference

    inside = _mapped(document, pointed)
    assert isinstance(inside, Document)
    return inside


def absent_problems(resolution: Resolution, path: Path) -> list[Problem]:
    """A warning for each cited text that is not in the corpus, at the line that first cites it."""
    text = resolution.document.source.decode("utf-8", "replace")
    problems = []
    for cited, official in resolution.absent.values():
        # As written in the source: the reader may have set no-break spaces, a line may wrap.
        found = re.search(r"\s+".join(map(re.escape, cited.split())), text)
        line = text.count("\n", 0, found.start()) + 1 if found else 1
        printed = f"linked to {official}" if official else "printed as plain text"
        message = f"{cited} is not in the corpus: {printed}"
        problems.append(Problem(path, line, message, severity=Severity.WARNING))
    return problems


def _mapped(node: Any, change: Callable[[Reference], Reference]) -> Any:
    """`node` with `change` applied to every Reference inside it; unchanged parts are kept as
    they are (the same objects), so a text without references costs one walk and no copy."""
    if isinstance(node, Reference):
        return change(node)
    if isinstance(node, tuple):
        items = tuple(_mapped(item, change) for item in node)
        return node if all(new is old for new, old in zip(items, node, strict=True)) else items
    if isinstance(node, msgspec.Struct):
        changes = {}
        for name in node.__struct_fields__:
            old = getattr(node, name)
            new = _mapped(old, change)
            if new is not old:
                changes[name] = new
        return replace(node, **changes) if changes else node
    return node
