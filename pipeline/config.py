"""Project configuration read from pipeline.toml (every key optional)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError

CONFIG_NAME = "pipeline.toml"


@dataclass(frozen=True)
class LinkPatterns:
    """URL patterns for recognised references; placeholders are str.format fields.

    text: {type} {number} {year} {language}; document: {number} {language}. An empty pattern
    means "recognise but do not link". A relative URL is resolved against publication_url in
    editions that live outside the website (PDF, DOCX, EPUB), and left as text without one.
    """

    text: str = "{type}-{number}-{year}.{language}.html"
    document: str = ""


@dataclass(frozen=True)
class Config:
    links: LinkPatterns = LinkPatterns()
    # A tag URI (RFC 4151): stable for each language version, needs no server to stay valid.
    identifier: str = "tag:coe.int,2026:pace/adopted-texts/{slug}/{language}"
    rights: str = "© Council of Europe"  # the EPUB's dc:rights
    publication_url: str = ""  # where the web editions are published, e.g. "https://example.int/texts/"


def load_config(directory: Path) -> Config:
    """The configuration of the project in `directory`, or the defaults when it has none."""
    path = directory / CONFIG_NAME
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        links = LinkPatterns(**data.pop("links", {}))
        return Config(links=links, **data)
    except (tomllib.TOMLDecodeError, TypeError) as exc:
        raise UsageError(f"{path}: invalid configuration: {exc}") from exc
