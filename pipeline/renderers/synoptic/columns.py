"""Each version's column, rendered by the house macros bound to that version in its own language."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ...i18n import translations
from ...languages import autonym
from ...model import TITLE_NOTE_NUMBER, Document
from ...synoptic import Synopsis
from ...textname import TextName
from ..base import Renderer

MACROS = "base/macros.html.j2"
# The macros write the identifiers of a single-language edition (fn-2, fnref-2, quote-1); in a
# synopsis every version has them. Attribute values the macros write from a source are escaped,
# so `id="` and `href="#` can only be the macros' own.
IDENTIFIER = re.compile(r'(\s(?:id|href)="#?)(?=[^"])')


@dataclass(frozen=True)
class Column:
    document: Document
    macros: Any  # the module of base/macros.html.j2 bound to this version
    gettext: Callable[[str], str]  # this version's catalogue, for the few words the macros do not hold

    @property
    def meta(self) -> Any:
        return self.document.metadata

    @property
    def language(self) -> str:
        return self.document.metadata.language

    @property
    def prefix(self) -> str:
        return f"{self.language}-"

    @property
    def autonym(self) -> str:
        return autonym(self.language)


def template_context(edition: Renderer, document: Document) -> dict[str, Any]:
    """What Renderer.render_template gives a template, for `document`."""
    meta = document.metadata
    return {
        "document": document,
        "meta": meta,
        "title_note": TITLE_NOTE_NUMBER,
        "identifier": TextName.of(meta).identifier(edition.config.identifier),
        "link_target": edition.link_target,
        "edition": edition,
        "versions": edition.versions(document),
    }


def column(edition: Renderer, document: Document) -> Column:
    template = edition.templates(document).get_template(MACROS)
    return Column(document, template.make_module(vars=template_context(edition, document)), translations_of(document))


def translations_of(document: Document) -> Callable[[str], str]:
    return translations(document.metadata.language).gettext


NOTE_ROLE = ' role="doc-noteref"'


def scoped(markup: str, prefix: str) -> Markup:
    """`markup` with every identifier, and every link to one, given the column's prefix."""
    return Markup(IDENTIFIER.sub(lambda found: found.group(1) + prefix, str(markup)))


def scoped_with_plain_calls(markup: str, prefix: str) -> Markup:
    """As `scoped`, and note calls as plain links to the note under the row: pandoc would make
    a call marked doc-noteref a Word footnote, numbered in one sequence for every version."""
    return scoped(str(markup).replace(NOTE_ROLE, ""), prefix)


def render_synopsis(
    edition: Renderer,
    synopsis: Synopsis,
    template: str,
    scope: Callable[[str, str], Markup] = scoped,
    **extra: Any,
) -> str:
    """`template` (in the reference version's language) with one Column per version; `scope`
    gives each column's markup its identifiers."""
    reference = synopsis.versions[0]
    columns = [column(edition, document) for document in synopsis.versions]
    return (
        edition.templates(reference)
        .get_template(template)
        .render(**template_context(edition, reference), synopsis=synopsis, columns=columns, scoped=scope, **extra)
    )
