"""The web edition: one self-contained HTML5 page per text."""

from __future__ import annotations

from ..frbr import FrbrUri
from ..model import Document
from ..textname import TextName
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

    def render(self, document: Document) -> bytes:
        """The page, naming the text's Akoma Ntoso work and expression and linking its AKN edition."""
        meta = document.metadata
        akn = self.link_target(TextName.of(meta).edition(AknRenderer.extension))
        return self.render_template(document, frbr=FrbrUri.for_text(meta), akn_edition=akn).encode("utf-8")
