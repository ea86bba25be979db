"""The web edition: one self-contained HTML5 page per text."""

from __future__ import annotations

from ..model import Document
from .base import Renderer


class HtmlRenderer(Renderer):
    name = "html"
    extension = "html"
    template = "web/document.html.j2"
    on_website = True

    def render(self, document: Document) -> bytes:
        return self.render_template(document).encode("utf-8")
