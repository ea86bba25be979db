"""The renderer interface: a named format that turns a Document into the bytes of one file."""

from __future__ import annotations

from typing import Any, ClassVar

from jinja2 import Environment

from ..config import Config
from ..model import TITLE_NOTE_NUMBER, Document


class Renderer:
    name: ClassVar[str]
    extension: ClassVar[str]
    template: ClassVar[str]

    def __init__(self, environment: Environment, config: Config) -> None:
        self.environment = environment
        self.config = config

    def render(self, document: Document) -> bytes:
        raise NotImplementedError

    def render_template(self, document: Document, **extra: Any) -> str:
        return self.environment.get_template(self.template).render(
            document=document,
            meta=document.metadata,
            title_note=TITLE_NOTE_NUMBER,
            identifier=self.config.identifier.format(slug=document.metadata.slug, language=document.metadata.language),
            **extra,
        )
