"""The print volume: one WeasyPrint layout of the cover, the contents and every text's print
article, PDF/A-3b + PDF/UA-1 like the print edition, with every text's source embedded."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from markupsafe import Markup

from ..errors import RenderError
from ..model import TITLE_NOTE_NUMBER, Document
from ..renderers.pdf import LAYOUT_PASSES, PdfRenderer
from ..renderers.pdf_fit import (
    Overflow,
    block_lines,
    long_notes_at,
    long_notes_message,
    overflows_at,
    refit_css,
    refit_failure,
    refit_html,
)
from ..renderers.pdf_lines import body_lines, overlong_runs
from ..renderers.pdfa import Description, Version
from ..textname import TextName
from .selection import Volume, anchor

ARTICLE_CHAIN = ("volume/text.html.j2", "print/document.html.j2", "base/document.html.j2")  # each extends the next
VOLUME_TEMPLATE = "volume/document.html.j2"
# The ids the macros write without the model (each note's, the main text's): prefixed with the
# text's anchor as the model's ids are. Autoescaping writes a source's quote as &#34;, so only
# the templates' own attributes can match.
FIXED_IDS = re.compile(r'\bid="(fn-[0-9]+|text)"')


class VolumePdfRenderer(PdfRenderer):
    """The print edition's engine (pinned faces, project-only fetcher, PDF/A + PDF/UA finisher)
    on the volume's one HTML page, laid out once."""

    template = VOLUME_TEMPLATE
    template_folders = ("base", "print", "volume")

    def render_volume(self, volume: Volume) -> bytes:
        self.check_coverage(volume.texts)
        attachments = [
            self._attachment(
                text.source,
                f"{text.stem}.md",
                "Canonical source of this text (UTF-8 Markdown)",
                text.metadata.adoption.date,
            )
            for text in volume.texts
        ]
        attachments.append(
            self._attachment(volume.source, f"{volume.stem}.toml", "Declaration of this volume (TOML)", volume.issued)
        )
        options: dict[str, Any] = {"pdf_variant": "pdf/a-3b", "pdf_tags": True, "attachments": attachments}
        relations = tuple(TextName.of(t.metadata).identifier(self.config.identifier) for t in volume.texts)
        description = Description(volume.language, relations, Version(volume.status.value, volume.issued.isoformat()))
        return self.write_archival(
            volume.stem,
            lambda: self._fitted(volume, *self._hyphenated(volume, options), options),
            description,
            options,
        )

    def _hyphenated(self, volume: Volume, options: dict[str, Any]) -> tuple[str, Any]:
        """The volume's page with never more than two hyphenated lines in a row, as the print
        edition sets each text: the words the third line splits are protected, and the volume
        laid out again (a protected word is protected in every text of the volume)."""
        protected: frozenset[str] = frozenset()
        for _ in range(LAYOUT_PASSES):
            html = self.volume_html(volume, protected)
            laid_out = self.lay_out_html(html, **options)
            more = frozenset(overlong_runs(body_lines(laid_out))) - protected
            if not more:
                break
            protected |= more
        return html, laid_out

    def volume_html(self, volume: Volume, protected: frozenset[str] = frozenset()) -> str:
        """The volume's page: each text's article rendered in its own context, then the whole."""
        env = self.templates(volume.texts[0])
        chain = [env.get_template(name) for name in ARTICLE_CHAIN]
        articles = {}
        for text in volume.texts:
            # Only the article's `body` block is rendered, with the blocks it calls resolved up
            # the template chain as {% extends %} would resolve them.
            context = chain[0].new_context(self.article_context(text, protected))
            for ancestor in chain[1:]:
                for name, block in ancestor.blocks.items():
                    context.blocks.setdefault(name, []).append(block)
            html = "".join(chain[0].blocks["body"](context))
            articles[text.stem] = Markup(FIXED_IDS.sub(rf'id="{anchor(text)}-\1"', html))
        return env.get_template(VOLUME_TEMPLATE).render(
            volume=volume,
            meta=volume,  # the skeleton's <html lang> is the volume's language
            edition=self,
            fonts=self.fonts,
            issuing_body=volume.texts[0].metadata.issuing_body,
            anchors={text.stem: anchor(text) for text in volume.texts},
            articles=articles,
            hyphenation_language=self.config.regional(volume.language),
        )

    def article_context(self, document: Document, protected: frozenset[str] = frozenset()) -> dict[str, Any]:
        """What the print template sees of one text, as Renderer.render_template gives it."""
        meta = document.metadata
        context: dict[str, Any] = {
            "document": document,
            "meta": meta,
            "title_note": TITLE_NOTE_NUMBER,
            "identifier": TextName.of(meta).identifier(self.config.identifier),
            "link_target": self.link_target,
            "edition": self,
            "versions": [],  # a volume is read in its one language
            "fonts": self.fonts,
            "anchor": anchor(document),
            "protected_words": protected,
            "hyphenation_language": self.config.regional(meta.language),
        }
        # The skeleton and the print template import macros "with context" at their top, which a
        # lone block skips.
        env = self.templates(document)
        context["m"] = env.get_template("base/macros.html.j2").make_module(context)
        context["p"] = env.get_template("print/macros.html.j2").make_module(context)
        return context

    def _fitted(self, volume: Volume, html: str, laid_out: Any, options: dict[str, Any]) -> Any:
        """The volume laid out; blocks that ran off the page laid out again breaking anywhere."""
        # Note ids (fn-N) repeat from text to text: a note's overflow is its paragraph's.
        owners = {
            block: (text.stem, line)
            for text in volume.texts
            for block, line in block_lines(text).items()
            if not block.startswith("fn-")
        }
        lines = {block: line for block, (_, line) in owners.items()}
        found = overflows_at(laid_out, lines)
        if found:
            laid_out = self.lay_out_html(refit_html(html, found), refit_css(found), **options)
            left = overflows_at(laid_out, lines)
            if left:
                where = refit_failure(left, lambda overflow: self._where(overflow, owners, volume.stem))
                raise RenderError(volume.stem, self.name, where)
        # A note taller than a page's note area, which WeasyPrint never splits: by its volume id.
        notes = {
            f"{anchor(text)}-{note.id}": (text.stem, note.line) for text in volume.texts for note in text.footnotes
        }
        long = long_notes_at(laid_out, lines | {block: line for block, (_, line) in notes.items()})
        if long:
            named = [
                f"note {n.number} of {stem}.md (line {line})"
                for n in long
                for stem, line in [notes.get(n.block) or owners.get(n.block) or (volume.stem, n.line)]
            ]
            raise RenderError(volume.stem, self.name, long_notes_message(named))
        return laid_out

    @staticmethod
    def _where(overflow: Overflow, owners: dict[str, tuple[str, int]], default: str) -> str:
        stem, line = owners.get(overflow.block, (default, overflow.line))
        return f"{stem}.md line {line}"

    def _attachment(self, data: bytes, name: str, description: str, date: dt.date) -> Any:
        moment = dt.datetime.combine(date, dt.time(), dt.UTC)
        return self.weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            relationship="Source",
            description=description,
            created=moment,
            modified=moment,
            url_fetcher=self.fetcher,
        )
