"""The renderer interface: a format that describes itself and turns a Document into the bytes of one file.

Everything the rest of the tool needs to know about a format is a class attribute here: the
manifest fingerprints what it declares it is made from, the catalogue shows its label and media
type, the tests find its editions by its extension. Adding a format touches no other table.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment

from ..config import Config
from ..errors import Problem
from ..languages import autonym
from ..model import TITLE_NOTE_NUMBER, Document
from ..templating import environment
from ..textname import TextName


class Renderer:
    # What it is.
    name: ClassVar[str]  # as `--format` names it
    extension: ClassVar[str]  # an edition is `<stem>.<extension>`
    label: ClassVar[str]  # as the catalogue shows it
    media_type: ClassVar[str]
    template: ClassVar[str]
    # What its editions are made from, besides the source and the reader's own code and tools.
    distributions: ClassVar[tuple[str, ...]] = ()  # Python distributions, whose versions are fingerprinted
    system_libraries: ClassVar[tuple[tuple[str, str], ...]] = ()  # (shared library, its version function)
    template_folders: ClassVar[tuple[str, ...]] = ("base",)  # under templates/, with the assets beside them
    modules: ClassVar[tuple[str, ...]] = ()  # its helper modules (its class's and bases' modules count anyway)
    code_assets: ClassVar[tuple[str, ...]] = ()  # other files of this package it runs (a Lua script), package-relative
    # Configuration keys its editions read (besides the reader's `links`): the identifier is in
    # every edition's metadata; off the website, relative links are resolved against publication_url.
    config_keys: ClassVar[frozenset[str]] = frozenset({"identifier", "publication_url"})
    # How the shared templates print it.
    inline_notes: ClassVar[bool] = False  # notes printed where they are called (print) or listed at the end
    permalinks: ClassVar[bool] = True  # paragraph numbers link to themselves
    on_website: ClassVar[bool] = False  # published beside the other texts' web pages
    lists_editions: ClassVar[bool] = False  # links the text's other editions (rendered after them)
    scrolling_tables: ClassVar[bool] = False  # a table wider than the screen scrolls in a region of its own
    listed_without_size: ClassVar[frozenset[str]] = frozenset()  # the formats of those it names with no size

    def __init__(self, config: Config) -> None:
        self.config = config

    def templates(self, document: Document) -> Environment:
        """The templates in the document's language (its catalogue translates their strings)."""
        return environment(document.metadata.language)

    def source_problems(self, document: Document, source: Path) -> list[Problem]:
        """What this edition cannot set in `document`, located in `source` (before any rendering:
        a text that has any is refused like a source with errors)."""
        return []

    def render(self, document: Document) -> bytes:
        raise NotImplementedError

    def begin(self, document: Document) -> Callable[[], bytes]:
        """Start rendering `document`; calling the result finishes it and gives the bytes. A
        format whose engine is another process (pandoc) hands it the work here, so that it
        converts while this process renders the other formats; others render when finished."""
        return functools.partial(self.render, document)

    def link_target(self, url: str) -> str:
        """Where a reference links in this edition; "" for no link.

        Editions outside the website need absolute URLs: relative ones are resolved against
        publication_url, or dropped (printed as text) when it is not set. A place in the same
        file ("#…": a text of the same volume) is linked as it is.
        """
        if not url or url.startswith("#") or urlsplit(url).scheme or self.on_website:
            return url
        base = self.config.publication_url
        return urljoin(base, url) if base else ""

    def versions(self, document: Document) -> list[dict[str, str]]:
        """The other language versions as templates show them: autonym, identifier, link."""
        meta = document.metadata
        return [
            {
                "language": version.language,
                "name": autonym(version.language),
                "identifier": TextName.of(meta).in_language(version.language).identifier(self.config.identifier),
                "href": self.link_target(f"{version.stem}.{self.extension}"),
            }
            for version in document.versions
        ]

    def render_template(self, document: Document, template: str = "", **extra: Any) -> str:
        """Render this edition's template (or another of its templates) with the document."""
        meta = document.metadata
        return (
            self.templates(document)
            .get_template(template or self.template)
            .render(
                document=document,
                meta=meta,
                title_note=TITLE_NOTE_NUMBER,
                identifier=TextName.of(meta).identifier(self.config.identifier),
                link_target=self.link_target,
                edition=self,
                versions=self.versions(document),
                **extra,
            )
        )


class HtmlPageRenderer(Renderer):
    """An edition made from an HTML page that extends templates/base/ and lives outside the
    website (print, DOCX, EPUB): no permalinks, and relative links resolved against
    publication_url. The web edition says for itself that it is on the website."""

    permalinks = False
    on_website = False

    def render(self, document: Document) -> bytes:
        return self.render_template(document).encode("utf-8")
