"""The synoptic print edition: the print edition's engine (pinned faces, project-only fetcher,
PDF/A-3b + PDF/UA-1 finisher) on a table of the versions side by side, A4 landscape."""

from __future__ import annotations

import datetime as dt
import io
from functools import partial
from typing import Any

from ...errors import RenderError
from ...synoptic import Synopsis
from ...textname import TextName
from ..pdf import PdfRenderer
from ..pdf_structure import declare_roles, tag_languages
from ..pdfa import Description, finish
from .columns import render_synopsis
from .tagging import tag_columns


class SynopticPdfRenderer(PdfRenderer):
    template = "synoptic/print.html.j2"
    # Notes are printed under their row in each language: floated to the foot of the page, the
    # versions' notes would share one numbering there.
    inline_notes = False

    def render_synopsis(self, synopsis: Synopsis) -> bytes:
        reference = synopsis.versions[0]
        self.check_coverage(synopsis.versions)
        html = render_synopsis(self, synopsis, self.template, fonts=self.fonts)
        options: dict[str, Any] = {
            "pdf_variant": "pdf/a-3b",
            "pdf_tags": True,
            "attachments": [self._source(document) for document in synopsis.versions],
        }
        description = Description(
            reference.metadata.language, tuple(self._identifier(document) for document in synopsis.versions)
        )
        return self.write_archival(
            synopsis.slug,
            partial(self.lay_out_html, html, **options),
            description,
            options,
            finisher=partial(_finish, languages=tuple(d.metadata.language for d in synopsis.versions)),
        )

    def _source(self, document: Any) -> Any:
        """The version's canonical source as an associated file, dated by the adoption."""
        adopted = dt.datetime.combine(document.metadata.adoption.date, dt.time(), dt.UTC)
        return self.weasyprint.Attachment(
            file_obj=io.BytesIO(document.source),
            name=f"{document.stem}.md",
            relationship="Source",
            description=f"Canonical source of the {document.metadata.language} version (UTF-8 Markdown)",
            created=adopted,
            modified=adopted,
            url_fetcher=self.fetcher,
        )

    def _identifier(self, document: Any) -> str:
        meta = document.metadata
        return TextName.of(meta).identifier(self.config.identifier)


def _finish(document: Any, pdf: Any, languages: tuple[str, ...]) -> None:
    """The print edition's PDF/A + PDF/UA completion, then the languages: of the words in another
    script, of each column on its cells."""
    finish(document, pdf)
    tag_languages(pdf)  # the words in another script; the columns' cells next
    declare_roles(pdf)
    if not tag_columns(pdf, languages):
        raise RenderError("-", "pdf", "the synoptic table was not found in the structure tree")
