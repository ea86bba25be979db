"""The EPUB volume: one book of every text's content document, as the text's own EPUB edition
makes it (pandoc, the house stylesheet, notes numbered per text), after a title page and a
navigation document by type and text."""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any, ClassVar

from ..config import Config
from ..errors import RenderError
from ..model import Document
from ..renderers.epub import EPUB_ASSETS, EpubRenderer
from ..renderers.epub_notes import CONTENT_DOCUMENT
from ..templating import environment
from ..textname import TextName
from .selection import Volume, anchor

MIMETYPE = b"application/epub+zip"
CONTAINER = b"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""
IN_VOLUME = re.compile(rb'href="#(text-[a-z0-9-]+)"')
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # as pandoc writes its entries: no clock in the package


class VolumeEpubRenderer:
    name: ClassVar[str] = "epub"
    extension: ClassVar[str] = "epub"

    def __init__(self, config: Config) -> None:
        self.config = config
        self.single = EpubRenderer(config)

    def render_volume(self, volume: Volume) -> bytes:
        parts: list[tuple[str, bytes]] = [("mimetype", MIMETYPE), ("META-INF/container.xml", CONTAINER)]
        places = {anchor(text): f"{text.stem}.xhtml".encode() for text in volume.texts}
        chapters = [
            (f"EPUB/text/{text.stem}.xhtml", _across(self.content_document(text), places)) for text in volume.texts
        ]
        env = environment(volume.language)
        context = self.context(volume)
        parts += [
            ("EPUB/content.opf", env.get_template("volume/epub-package.opf.j2").render(context).encode("utf-8")),
            ("EPUB/nav.xhtml", env.get_template("volume/epub-nav.xhtml.j2").render(context).encode("utf-8")),
            ("EPUB/styles/stylesheet1.css", (EPUB_ASSETS / "style.css").read_bytes()),
            ("EPUB/text/title.xhtml", env.get_template("volume/epub-title.xhtml.j2").render(context).encode("utf-8")),
            *chapters,
        ]
        return _zipped(parts)

    def content_document(self, text: Document) -> bytes:
        """The text's one content document, from its own EPUB edition."""
        with zipfile.ZipFile(io.BytesIO(self.single.render(text))) as book:
            documents = [name for name in book.namelist() if CONTENT_DOCUMENT.fullmatch(name)]
            if len(documents) != 1:
                raise RenderError(text.stem, self.name, f"its EPUB has {len(documents)} content documents, not one")
            return book.read(documents[0])

    def context(self, volume: Volume) -> dict[str, Any]:
        return {
            "volume": volume,
            "meta": volume,
            "identifier": self.config.identifier.format(slug=volume_slug(volume), language=volume.language),
            "issuing_body": volume.texts[0].metadata.issuing_body,
            "rights": self.config.rights,
            "relations": {t.stem: TextName.of(t.metadata).identifier(self.config.identifier) for t in volume.texts},
            "anchors": {t.stem: anchor(t) for t in volume.texts},
        }


def volume_slug(volume: Volume) -> str:
    """The volume's name in identifiers, as a text's slug: without the language its file's name
    ends in ("2003-3.en.toml" → "volume-2003-3"), which the identifier names after it."""
    return "volume-" + volume.stem.removesuffix(f".{volume.language.lower()}")


def _across(document: bytes, places: dict[str, bytes]) -> bytes:
    """pandoc wrote each text's document alone: a link to another text of the volume ("#text-…",
    linking.within) is made a link to that text's content document."""

    def linked(found: re.Match[bytes]) -> bytes:
        place = places.get(found[1].decode())
        return b'href="' + place + b'"' if place else found[0]

    return IN_VOLUME.sub(linked, document)


def _zipped(parts: list[tuple[str, bytes]]) -> bytes:
    """The package, `mimetype` first and stored (EPUB OCF), every entry dated alike."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as package:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            package.writestr(info, data)
    return output.getvalue()
