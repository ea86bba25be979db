"""One renderer per format; REGISTRY maps a format name to its class.

A renderer's module is imported when its class is first asked for: an HTML build never loads
the DOCX, EPUB or PDF code (nor lxml, pandoc's runner or WeasyPrint's helpers).
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Iterator, MutableMapping

from ..errors import UsageError
from .base import Renderer

FORMATS = {  # format name: where its class is, in the order the formats are built and listed
    "html": "html:HtmlRenderer",
    "pdf": "pdf:PdfRenderer",
    "docx": "docx:DocxRenderer",
    "epub": "epub:EpubRenderer",
    "akn": "akn:AknRenderer",
}


class Registry(MutableMapping[str, type[Renderer]]):
    """Format names to renderer classes, each imported on first use; a test may register more."""

    def __init__(self, places: dict[str, str]) -> None:
        self.places = dict(places)
        self.classes: dict[str, type[Renderer]] = {}

    def __getitem__(self, name: str) -> type[Renderer]:
        if name not in self.classes:
            module, _, cls = self.places[name].partition(":")
            self.classes[name] = getattr(importlib.import_module(f"{__name__}.{module}"), cls)
        return self.classes[name]

    def __setitem__(self, name: str, renderer: type[Renderer]) -> None:
        self.places.setdefault(name, "")
        self.classes[name] = renderer

    def __delitem__(self, name: str) -> None:
        del self.places[name]
        self.classes.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self.places)

    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, name: object) -> bool:
        return name in self.places


REGISTRY = Registry(FORMATS)


def renderer_class(name: str) -> type[Renderer]:
    if name in REGISTRY:
        return REGISTRY[name]
    close = difflib.get_close_matches(name, REGISTRY, n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UsageError(f"unknown format {name!r}: {hint}available formats: {', '.join(REGISTRY)}")


__all__ = ["REGISTRY", "Renderer", "renderer_class"]
