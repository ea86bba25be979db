"""The synoptic DOCX: the versions side by side in one editable Word table, A4 landscape.

Made like the DOCX edition, by pandoc from a Jinja HTML template with the house reference.docx:
pandoc 3.9 writes a `<div lang>` inside a cell as w:lang on each of its runs, a <thead> row as a
repeated header row (w:tblHeader) and a colspan as w:gridSpan, so no hand-written WordprocessingML
is needed beyond turning the page to landscape.
"""

from __future__ import annotations

import lxml.etree

from ...i18n import translations
from ...synoptic import Synopsis
from ...templating import citation
from ..docx import DOCX_ASSETS, DocxRenderer
from ..docx.fonts import embed_fonts
from ..docx.package import NS, Package, w
from ..docx.parts import running_heads
from ..pandoc import run_pandoc
from .columns import render_synopsis, scoped_with_plain_calls, template_context

FIRST_PROVISION_ROW = 2  # after the languages' names and the citations and titles
A4_LANDSCAPE = {"w": "16838", "h": "11906", "orient": "landscape"}  # twentieths of a point


class SynopticDocxRenderer(DocxRenderer):
    template = "synoptic/docx.html.j2"
    # Notes are printed under their row in each version's language: Word's own footnotes would
    # number the versions' notes in one sequence.
    inline_notes = False

    def render_synopsis(self, synopsis: Synopsis) -> bytes:
        reference = synopsis.versions[0]
        html = render_synopsis(self, synopsis, self.template, scope=scoped_with_plain_calls)
        self.check_styles(html, synopsis.slug)
        package = Package(
            run_pandoc(
                html,
                "docx",
                {"lang": reference.metadata.language},
                synopsis.slug,
                ["--reference-doc", str(DOCX_ASSETS / "reference.docx")],
            )
        )
        core = (
            self.templates(reference)
            .get_template("docx/core.xml.j2")
            .render(**template_context(self, reference))
            .encode("utf-8")
        )
        page_label = translations(reference.metadata.language).gettext("Page {page} of {pages}")
        package.put("docProps/core.xml", core)
        lay_out(package, [index for index, row in enumerate(synopsis.rows) if row.lead_in])
        running_heads(package, citation(reference.metadata), page_label)
        embed_fonts(package, self.faces)  # every version's faces, as each version's own DOCX has them
        return package.to_bytes()


def lay_out(package: Package, lead_ins: list[int]) -> None:
    """The package's document part on A4 landscape, each lead-in row kept with the next row."""
    root = package.xml("word/document.xml")
    for size in root.xpath("//w:sectPr/w:pgSz", namespaces=NS):
        for name, value in A4_LANDSCAPE.items():
            size.set(w(name), value)
    rows = root.xpath("/w:document/w:body/w:tbl/w:tr", namespaces=NS)
    for index in lead_ins:
        # Word keeps a row with the next when every paragraph of it is "keep with next".
        for properties in rows[FIRST_PROVISION_ROW + index].xpath(".//w:p/w:pPr", namespaces=NS):
            after_style = 1 if len(properties) and properties[0].tag == w("pStyle") else 0  # schema order
            properties.insert(after_style, lxml.etree.Element(w("keepNext")))
    package.changed("word/document.xml")
