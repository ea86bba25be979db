"""One renderer per format; REGISTRY maps a format name to its class."""

from __future__ import annotations

import difflib

from ..errors import UsageError
from .akn import AknRenderer
from .base import Renderer
from .docx import DocxRenderer
from .epub import EpubRenderer
from .html import HtmlRenderer
from .pdf import PdfRenderer

REGISTRY: dict[str, type[Renderer]] = {
    cls.name: cls for cls in (HtmlRenderer, PdfRenderer, DocxRenderer, EpubRenderer, AknRenderer)
}


def renderer_class(name: str) -> type[Renderer]:
    if name in REGISTRY:
        return REGISTRY[name]
    close = difflib.get_close_matches(name, REGISTRY, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(f"unknown format {name!r}: {hint}available formats: {', '.join(REGISTRY)}")


__all__ = ["REGISTRY", "Renderer", "renderer_class"]
