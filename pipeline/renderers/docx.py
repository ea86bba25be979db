"""The delegations' edition: an editable DOCX made by pandoc with the house reference.docx."""

from __future__ import annotations

from ..model import Document
from ..templating import TEMPLATES
from .html import HtmlRenderer
from .pandoc import run_pandoc
from .zipparts import replace_parts

DOCX_ASSETS = TEMPLATES / "docx"


class DocxRenderer(HtmlRenderer):
    name = "docx"
    extension = "docx"
    template = "docx/document.html.j2"
    permalinks = False
    on_website = False

    def render(self, document: Document) -> bytes:
        # Only the language goes to pandoc: a title or author would print as paragraphs, a date
        # too; the core properties are written from the model below instead.
        package = run_pandoc(
            self.render_template(document),
            "docx",
            {"lang": document.metadata.language},
            document.stem,
            [
                "--reference-doc",
                str(DOCX_ASSETS / "reference.docx"),
                "--lua-filter",
                str(DOCX_ASSETS / "number-tab.lua"),
            ],
        )
        core = self.render_template(document, template="docx/core.xml.j2").encode("utf-8")
        return replace_parts(package, {"docProps/core.xml": core})
