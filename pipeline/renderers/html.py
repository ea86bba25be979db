"""The web edition: one self-contained HTML5 page per text."""

from __future__ import annotations

from .base import HtmlPageRenderer


class HtmlRenderer(HtmlPageRenderer):
    name = "html"
    extension = "html"
    label = "HTML"
    media_type = "text/html"
    template = "web/document.html.j2"
    template_folders = ("base", "web")
    config_keys = frozenset({"identifier"})  # on the website, links stay relative: no publication_url
    permalinks = True
    on_website = True
