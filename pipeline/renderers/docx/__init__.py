"""The delegations' edition: an editable DOCX made by pandoc with the house reference.docx.

The package holds the whole of the DOCX edition: this renderer; `parts`, its touches to what
pandoc writes; `package`, reading and writing the zip; `spec`, the house style of
templates/docx/styles.toml; and `reference`, which builds templates/docx/reference.docx from that
spec (`make reference-docx`). The renderer never imports `reference`: editions are made from the
committed reference.docx, whose bytes are fingerprinted with the templates.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...config import Config
from ...errors import RenderError
from ...i18n import translations
from ...model import Document, Metadata, Paragraph, Quote, Status, Table
from ...templating import TEMPLATES, citation
from ..base import HtmlPageRenderer
from ..fonts import pinned_faces
from ..pandoc import start_pandoc
from .fonts import embed_fonts, embedded_face
from .package import NS, Package, w
from .parts import (
    continuous_notes,
    house_styles,
    indented_tables,
    lead_ins_kept_with_next,
    regional_language,
    running_heads,
    without_statistics,
)
from .spec import style_names
from .touches import touched

DOCX_ASSETS = TEMPLATES / "docx"
CUSTOM_STYLE = re.compile(r'data-custom-style="([^"]+)"')


class DocxRenderer(HtmlPageRenderer):
    name = "docx"
    extension = "docx"
    label = "DOCX"
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    template = "docx/document.html.j2"
    distributions = ("pypandoc-binary", "lxml")
    template_folders = ("base", "docx")
    modules = (
        "pipeline.renderers.docx.fonts",
        "pipeline.renderers.docx.package",
        "pipeline.renderers.docx.parts",
        "pipeline.renderers.docx.spec",
        "pipeline.renderers.docx.touches",
        "pipeline.renderers.fonts",
        "pipeline.renderers.pandoc",
        "pipeline.renderers.pandoc_ast",
        "pipeline.renderers.pandoc_server",
        "pipeline.renderers.zipparts",
    )
    config_keys = HtmlPageRenderer.config_keys | {"regions", "scripts"}
    regional_tags = True  # a foreign run's w:lang: Word reads a bare "uk" as no language it checks
    code_assets = ("renderers/pandoc_server.lua",)

    def __init__(self, config: Config) -> None:
        super().__init__(config)
        reference = Package((DOCX_ASSETS / "reference.docx").read_bytes())
        styles = reference.xml("word/styles.xml")
        self.known_styles = {str(name) for name in styles.xpath("//w:style/w:name/@w:val", namespaces=NS)}
        self.indents = style_indents(styles)
        self.text_width = text_width(reference.xml("word/document.xml"))
        self.house = frozenset(style_names())
        faces = pinned_faces(DOCX_ASSETS / "fonts.toml", self.name)
        self.faces = tuple(embedded_face(face, face.file.read_bytes()) for face in faces)

    def render(self, document: Document) -> bytes:
        return self.begin(document)()

    def begin(self, document: Document) -> Callable[[], bytes]:
        html = self.render_template(document)
        self.check_styles(html, document.stem)
        # Only the language goes to pandoc, the regional one (Word reads a bare "en" as US English):
        # a title or author would print as paragraphs, a date too; the core properties are
        # written from the model below instead.
        language = self.config.regional(document.metadata.language)
        converted = start_pandoc(
            html,
            "docx",
            {"lang": language},
            document.stem,
            [
                "--reference-doc",
                str(DOCX_ASSETS / "reference.docx"),
                "--lua-filter",
                str(DOCX_ASSETS / "number-tab.lua"),
            ],
            touched,  # the filter's work, when pandoc is sent its JSON
        )
        return lambda: self._finished(Package(converted()), document, language)

    def _finished(self, package: Package, document: Document, language: str) -> bytes:
        """pandoc's package made the house's: properties, running heads, notes, styles, fonts."""
        package.put("docProps/core.xml", self.render_template(document, template="docx/core.xml.j2").encode("utf-8"))
        page_label = translations(document.metadata.language).gettext("Page {page} of {pages}")
        running_heads(package, citation(document.metadata), page_label, running_status(document.metadata))
        continuous_notes(package)
        lead_ins_kept_with_next(package)
        indented_tables(package, self.table_indents(document), self.text_width)
        house_styles(package, self.house, language)
        regional_language(package, language)
        without_statistics(package)
        embed_fonts(package, self.faces)
        return package.to_bytes()

    def versions(self, document: Document) -> list[dict[str, str]]:
        """As every edition lists them, each name tagged with the regional language, as the text
        is (Word reads a bare "en" as US English)."""
        return [
            version | {"language": self.config.regional(version["language"])} for version in super().versions(document)
        ]

    @staticmethod
    def paragraph_style(paragraph: Paragraph, level: int, parent: Paragraph | None = None) -> str:
        """The house style of `paragraph` at `level` (1 for the text's own), a child of `parent`;
        document.html.j2 sets each paragraph in it, table_indents reads its indent.

        A numbered paragraph's style is its level's; a lettered item ("a.") has one of its own
        (its letter under its parent's text, its text 1.8 em in, as in the PDF); an unnumbered one
        continues its parent where the parent's text starts, or starts at the margin.
        """
        if paragraph.number is None:
            if parent is None:
                return "Unnumbered Paragraph"
            continued = "Lettered Continuation" if _lettered(parent) else "Continuation"
            return f"{continued} {level - 1}"
        if _lettered(paragraph):
            return f"Lettered Item {level}"
        return "Body Paragraph" if level == 1 else f"Sub Paragraph {level}"

    def table_indents(self, document: Document) -> list[int]:
        """The indent of each table, in the order the template writes them: the text indent of the
        paragraph style of the paragraph it belongs to (document.html.j2's docx_block), or none."""
        indents: list[int] = []

        def visit(block: Paragraph | Quote | Table, level: int, style: str | None, parent: Paragraph | None) -> None:
            if isinstance(block, Table):
                indents.append(self.indents.get(style, 0) if style else 0)
            elif isinstance(block, Paragraph):
                own = self.paragraph_style(block, level, parent)
                for insert in block.inserts:
                    visit(insert, level, own, None)
                for child in block.children:
                    visit(child, level + 1, None, block)

        for section in document.sections:
            for block in section.blocks:
                visit(block, 1, None, None)
        return indents

    def check_styles(self, html: str, stem: str) -> None:
        """Every custom style the template asks for exists: pandoc would silently invent it."""
        unknown = sorted(set(CUSTOM_STYLE.findall(html)) - self.known_styles)
        if unknown:
            raise RenderError(stem, self.name, f"styles missing from reference.docx: {', '.join(unknown)}")


def running_status(metadata: Metadata) -> str | None:
    """What the running head says of the text's status, in its language, as the PDF's does on
    every page: "Provisional version", or nothing for a final text."""
    if metadata.status is not Status.PROVISIONAL:
        return None
    return translations(metadata.language).gettext("Provisional version")


def _lettered(paragraph: Paragraph) -> bool:
    """A lettered item ("a.", "b."), as the print and web editions' "lettered" class tells it."""
    return paragraph.number is not None and paragraph.number[0].isalpha()


def style_indents(styles: Any) -> dict[str, int]:
    """Each paragraph style's left indent in twips (w:ind/@w:left, through w:basedOn), by name."""
    paragraph_styles = styles.xpath("//w:style[@w:type='paragraph']", namespaces=NS)
    by_id = {str(style.get(w("styleId"))): style for style in paragraph_styles}

    def indent(style_id: str, depth: int = 0) -> int:
        style = by_id.get(style_id)
        if style is None or depth > len(by_id):
            return 0
        found = style.xpath("string(w:pPr/w:ind/@w:left)", namespaces=NS)
        if found:
            return int(found)
        based = style.xpath("string(w:basedOn/@w:val)", namespaces=NS)
        return indent(str(based), depth + 1) if based else 0

    return {
        str(style.xpath("string(w:name/@w:val)", namespaces=NS)): indent(style_id) for style_id, style in by_id.items()
    }


def text_width(document: Any) -> int:
    """The width between the margins of the reference's page, in twips."""
    size = document.find(f".//{w('pgSz')}")
    margins = document.find(f".//{w('pgMar')}")
    return int(size.get(w("w"))) - int(margins.get(w("left"))) - int(margins.get(w("right")))
