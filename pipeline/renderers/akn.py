"""The Akoma Ntoso 3.0 edition: the text's structure and identity as OASIS LegalDocML XML.

The template writes the document (templates/akn/); this class gives it the FRBR identity and
says where references point. Deterministic by construction: no clock, no random ids.
"""

from __future__ import annotations

from typing import ClassVar

from ..frbr import FrbrUri
from ..model import Document, Reference, TextType
from .base import Renderer

NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
PROPRIETARY = "urn:coe:pace:adopted-texts:pipeline"  # our elements inside <proprietary>


class AknRenderer(Renderer):
    name = "akn"
    extension = "akn.xml"  # an XML file, named as its copy inside the PDF
    label = "Akoma Ntoso"
    media_type = "application/akn+xml"
    template = "akn/document.xml.j2"
    template_folders = ("base", "akn")
    namespace: ClassVar[str] = PROPRIETARY

    def render(self, document: Document) -> bytes:
        meta = document.metadata
        frbr = FrbrUri.for_text(meta)
        return self.render_template(document, frbr=frbr, work_of=self.work_of).encode("utf-8")

    @staticmethod
    def work_of(reference: Reference) -> str:
        """The FRBR work of a mentioned adopted text; "" for a document or a year unknown."""
        if reference.kind not in TextType.__members__.values() or reference.year is None:
            return ""
        return FrbrUri(TextType(reference.kind), int(reference.number), reference.year).work

    def versions(self, document: Document) -> list[dict[str, str]]:
        """The other language versions, each with its FRBR expression (same work, same day)."""
        frbr = FrbrUri.for_text(document.metadata)
        shown = super().versions(document)
        for version in shown:
            version["expression"] = frbr.in_language(version["language"]).expression
        return shown
