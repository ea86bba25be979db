"""The e-reader and archive edition: EPUB 3 made by pandoc from the epub template's HTML."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import RenderError
from ..frbr import FrbrUri
from ..i18n import translations
from ..model import Document
from ..templating import TEMPLATES, citation, full_title
from ..textname import TextName
from .base import HtmlPageRenderer
from .epub_notes import numbered_notes
from .pandoc import start_pandoc
from .zipparts import Package

EPUB_ASSETS = TEMPLATES / "epub"
OPF = "EPUB/content.opf"
STYLESHEET = "EPUB/styles/stylesheet1.css"  # pandoc's own; the sandbox keeps --css from reading ours
NCX = "EPUB/toc.ncx"  # the EPUB 2 navigation, which older reading systems show
NCX_DOC_TITLE = re.compile(rb"<docTitle>\s*<text>([^<]*)</text>")
NCX_TITLE_ENTRY = re.compile(rb'(<navLabel>\s*<text>)[^<]*(</text>\s*</navLabel>\s*<content src="[^"#]*#title" />)')
SANDBOX_MODIFIED = re.compile(rb"<meta property=\"dcterms:modified\">1970-01-01T00:00:00Z</meta>")


class EpubRenderer(HtmlPageRenderer):
    name = "epub"
    extension = "epub"
    label = "EPUB"
    media_type = "application/epub+zip"
    template = "epub/document.html.j2"
    distributions = ("pypandoc-binary",)
    template_folders = ("base", "epub")
    modules = (
        "pipeline.renderers.epub_notes",
        "pipeline.renderers.pandoc",
        "pipeline.renderers.pandoc_ast",
        "pipeline.renderers.pandoc_server",
        "pipeline.renderers.zipparts",
    )
    code_assets = ("renderers/pandoc_server.lua",)
    config_keys = HtmlPageRenderer.config_keys | {"rights", "scripts"}

    def render(self, document: Document) -> bytes:
        return self.begin(document)()

    def begin(self, document: Document) -> Callable[[], bytes]:
        package = start_pandoc(
            self.render_template(document),
            "epub3",
            self.metadata(document),
            document.stem,
            ["--epub-title-page=false", "--split-level=1"],
        )
        return lambda: self._dated(package(), document)

    def metadata(self, document: Document) -> dict[str, Any]:
        """Package metadata, through pandoc's YAML keys (its --epub-metadata XML drops <meta property>)."""
        meta = document.metadata
        titled = full_title(meta)
        versions = self.versions(document)
        relation = {"relation": "; ".join(v["identifier"] for v in versions)} if versions else {}
        frbr = FrbrUri.for_text(meta)
        return relation | {
            "title": titled,
            # The package's own identifier first (the unique-identifier), then the Akoma Ntoso
            # work and expression the AKN edition names (EPUB 3 allows several dc:identifier).
            "identifier": [
                {"text": TextName.of(meta).identifier(self.config.identifier)},
                {"text": frbr.work},
                {"text": frbr.expression},
            ],
            "lang": meta.language,
            "date": meta.adoption.date.isoformat(),
            "creator": [{"role": "aut", "text": meta.issuing_body}],
            "publisher": meta.issuing_body,
            "rights": self.config.rights,
            "subject": list(meta.keywords),
            "description": titled,
            "accessModes": ["textual"],
            "accessModeSufficient": ["textual"],
            "accessibilityFeatures": ["structuralNavigation", "tableOfContents", "readingOrder"],
            "accessibilityHazards": ["none"],
            "accessibilitySummary": "A text-only publication with a navigation document; footnotes are "
            "linked both ways; no images, media or hazards.",
        }

    def _dated(self, package: bytes, document: Document) -> bytes:
        """The package with its last-modified date set to the date of this version (the sandbox
        gives 1970), and the version's status (schema.org's, a reserved EPUB prefix): a final text
        and its provisional version differ in both."""
        book = Package(package)
        opf, ncx = book.read(OPF), book.read(NCX)
        meta = document.metadata
        stamp = meta.issued.isoformat().encode() + b"T00:00:00Z"
        version = b'<meta property="dcterms:modified">' + stamp + b"</meta>"
        version += b'\n    <meta property="schema:creativeWorkStatus">' + meta.status.value.encode() + b"</meta>"
        dated, count = SANDBOX_MODIFIED.subn(version, opf)
        if count != 1:
            raise RenderError(document.stem, self.name, "pandoc's OPF has no dcterms:modified to set")
        heading = translations(document.metadata.language).gettext("Notes")
        return book.replaced(
            {
                OPF: dated,
                NCX: _titled_ncx(ncx),
                STYLESHEET: (EPUB_ASSETS / "style.css").read_bytes(),
                **numbered_notes(book, citation(document.metadata), heading),
            },
        )


def _titled_ncx(ncx: bytes) -> bytes:
    """pandoc's NCX labels the title block's entry with its two lines run together ("Resolution
    1234 (2001) Title": the line break dropped); it gets the book's title instead, citation and
    title parted by the colon, as the navigation document's two lines part them."""
    found = NCX_DOC_TITLE.search(ncx)
    return NCX_TITLE_ENTRY.sub(lambda entry: entry[1] + found[1] + entry[2], ncx, count=1) if found else ncx
