"""The DOCX package as a set of parts: pandoc's output edited in place, reference.docx packed anew.

Both ways give the same bytes on every run. An edition keeps the entries pandoc wrote (order,
dates, compression): only the parts the renderer edits or adds change. reference.docx is packed
from scratch with a fixed order, date and compression, so that the committed file can be
checked by a test.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import lxml.etree

from ..zipparts import Deflated, write_zip

Element = Any  # lxml.etree._Element: lxml ships no type information

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}

# 1980-01-01 00:00:00 is the earliest time a zip entry can carry: nothing of the build machine's
# clock gets in. reference.docx's entries are stored, not deflated: deflate output differs between
# zlib builds (zlib, zlib-ng, Apple's), stored bytes do not, and the file stays small either way.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def w(name: str) -> str:
    """ "keepNext" -> "{WordprocessingML namespace}keepNext"."""
    return f"{{{W}}}{name}"


def to_xml(root: Element) -> bytes:
    """A part as the editions write it: the declaration, then the tree as it is."""
    return bytes(lxml.etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


class Package:
    """A DOCX made by pandoc: parts read on demand, edited in place, written back unchanged
    except where a part was edited (`changed`) or put."""

    def __init__(self, data: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self._entries = archive.infolist()
            self._data = {entry.filename: archive.read(entry) for entry in self._entries}
        self._trees: dict[str, Element] = {}
        self._changed: set[str] = set()
        self._deflated: dict[str, Deflated] = {}

    def names(self) -> list[str]:
        return [entry.filename for entry in self._entries]

    def __contains__(self, name: str) -> bool:
        return name in self._data

    def read(self, name: str) -> bytes:
        return to_xml(self._trees[name]) if name in self._changed else self._data[name]

    def xml(self, name: str) -> Element:
        """The part's tree, parsed once; who edits it says so with `changed`."""
        if name not in self._trees:
            self._trees[name] = lxml.etree.fromstring(self._data[name])
        return self._trees[name]

    def changed(self, name: str) -> None:
        self._changed.add(name)

    def put(self, name: str, data: bytes, deflated: Deflated | None = None) -> None:
        """Replace a part, or add it after the others, dated and deflated like pandoc's;
        `deflated`, the same bytes deflated ahead of time, is written as it is."""
        if name not in self._data:
            entry = zipfile.ZipInfo(name, date_time=self._entries[0].date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = self._entries[0].create_system
            entry.external_attr = self._entries[0].external_attr
            self._entries.append(entry)
        if deflated is not None and deflated.size == len(data):
            self._deflated[name] = deflated
        else:
            self._deflated.pop(name, None)
        self._data[name] = data
        self._trees.pop(name, None)
        self._changed.discard(name)

    def to_bytes(self) -> bytes:
        parts = ((entry, self._deflated.get(entry.filename) or self.read(entry.filename)) for entry in self._entries)
        return write_zip(parts)


def deterministic_zip(parts: dict[str, bytes]) -> bytes:
    """A package byte for byte the same on every run: fixed order, time, compression and attributes."""
    first = ["[Content_Types].xml", "_rels/.rels"]  # [Content_Types].xml first, as Word writes it
    order = first + sorted(name for name in parts if name not in first)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in order:
            entry = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_STORED
            entry.create_system = 0  # MS-DOS, as Word writes: otherwise it depends on the build platform
            entry.external_attr = 0
            archive.writestr(entry, parts[name])
    return buffer.getvalue()
