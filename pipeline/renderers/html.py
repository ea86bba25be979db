"""The web edition: one self-contained HTML5 page per text."""

from __future__ import annotations

from ..frbr import FrbrUri
from ..model import Document
from . import REGISTRY
from .akn import AknRenderer
from .base import HtmlPageRenderer


class HtmlRenderer(HtmlPageRenderer):
    name = "html"
    extension = "html"
    label = "HTML"
    media_type = "text/html"
    template = "web/document.html.j2"
    template_folders = ("base", "web")
    config_keys = frozenset({"identifier", "scripts"})  # on the website, links stay relative: no publication_url
    modules = ("pipeline.renderers.akn",)  # it names the AKN edition beside it
    permalinks = True
    on_website = True
    lists_editions = True
    scrolling_tables = True
    listed_without_size = frozenset({"akn"})  # named in the head, for machines

    def render(self, document: Document) -> bytes:
        """The page, naming the text's Akoma Ntoso work and expression, linking its AKN edition
        when the build wrote one, and its other editions with their sizes."""
        meta = document.metadata
        written = {edition.format: edition for edition in document.editions}
        akn = written[AknRenderer.name].file if AknRenderer.name in written else ""
        editions = [
            {"href": e.file, "label": REGISTRY[e.format].label, "type": REGISTRY[e.format].media_type, "size": e.size}
            for e in document.editions
            if e.format not in self.listed_without_size  # for machines: named in the head, not offered to readers
        ]
        return self.render_template(document, frbr=FrbrUri.for_text(meta), akn_edition=akn, editions=editions).encode(
            "utf-8"
        )
