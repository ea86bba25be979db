"""Replacing parts of a ZIP package (DOCX, EPUB) without disturbing anything else in it."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from ..usercache import remembered


class Package:
    """A ZIP package read once: its entries in order, each with its content as stored in it (a
    deflated entry's bytes are not inflated until read, nor deflated again when written back)."""

    def __init__(self, package: bytes) -> None:
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            infos = archive.infolist()
        self.entries: dict[str, tuple[zipfile.ZipInfo, bytes | Deflated]] = {}
        for info in infos:
            stored = _stored_bytes(package, info)
            if info.compress_type == zipfile.ZIP_DEFLATED:
                self.entries[info.filename] = info, Deflated(stored, info.CRC, info.file_size)
            elif info.compress_type == zipfile.ZIP_STORED:
                self.entries[info.filename] = info, stored
            else:
                raise ValueError(f"{info.filename}: compression {info.compress_type} is not read here")

    def names(self) -> list[str]:
        return list(self.entries)

    def read(self, name: str) -> bytes:
        content = self.entries[name][1]
        if not isinstance(content, Deflated):
            return content
        data = zlib.decompress(content.data, -15)
        if len(data) != content.size or zlib.crc32(data) != content.crc:
            raise zipfile.BadZipFile(f"{name}: the entry does not inflate to what the package records")
        return data

    def replaced(self, parts: dict[str, bytes]) -> bytes:
        """The package with the named parts' contents replaced; entry order, dates and
        compression kept, and every other entry copied as it was stored.

        Keeping order matters for EPUB (its `mimetype` entry must come first, stored); keeping the
        entries' dates keeps the output byte-identical from run to run."""
        missing = set(parts) - set(self.entries)
        if missing:
            raise KeyError(f"not in the package: {', '.join(sorted(missing))}")
        return write_zip((info, parts.get(name, content)) for name, (info, content) in self.entries.items())


def _stored_bytes(package: bytes, info: zipfile.ZipInfo) -> bytes:
    """An entry's data as stored, after its local header (whose name and extra field lengths may
    differ from the central directory's)."""
    header = package[info.header_offset : info.header_offset + LOCAL_HEADER.size]
    if len(header) != LOCAL_HEADER.size or header[:4] != b"PK\003\004":
        raise zipfile.BadZipFile(f"{info.filename}: no local header where the directory says")
    name_length, extra_length = LOCAL_HEADER.unpack(header)[-2:]
    start = info.header_offset + LOCAL_HEADER.size + name_length + extra_length
    stored = package[start : start + info.compress_size]
    if len(stored) != info.compress_size:
        raise zipfile.BadZipFile(f"{info.filename}: the package ends inside the entry")
    return stored


LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")


@dataclass(frozen=True)
class Deflated:
    """A part deflated ahead of time, as zipfile deflates it, with what its zip entry records.

    A large part that every package carries unchanged (the DOCX's embedded fonts: 2.5 MB) is
    deflated once per process instead of once per package.
    """

    data: bytes
    crc: int
    size: int

    @classmethod
    def of(cls, data: bytes) -> Deflated:
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)  # zipfile's own
        return cls(compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))

    @classmethod
    def kept(cls, data: bytes) -> Deflated:
        """As of(), kept in the user's cache (pipeline/usercache.py) under the digest of `data` and
        zlib's version, which alone decides the bytes: deflating the DOCX's fonts took 78 ms of
        every process that makes a DOCX. What is read back is inflated and compared with `data`
        (6 ms for the fonts), so a damaged entry is only made again."""
        crc, size = zlib.crc32(data), len(data)

        def stored(deflated: bytes) -> Deflated | None:
            try:
                return cls(deflated, crc, size) if zlib.decompress(deflated, -15) == data else None
            except zlib.error:
                return None

        kept = remembered(
            "deflated", data + zlib.ZLIB_RUNTIME_VERSION.encode(), lambda: cls.of(data).data, stored, suffix=".deflate"
        )
        assert kept is not None, "what zlib deflated inflates to what it was"
        return kept


def write_zip(entries: Iterable[tuple[zipfile.ZipInfo, bytes | Deflated]]) -> bytes:
    """The package zipfile would write for these entries (`writestr` with each entry's own
    compression), byte for byte, but taking parts already deflated as they are."""
    output = io.BytesIO()
    directory = []
    for info, content in entries:
        if isinstance(content, Deflated):
            if info.compress_type != zipfile.ZIP_DEFLATED:
                raise ValueError(f"{info.filename}: a deflated part in an entry that is not")
            stored, crc, size = content.data, content.crc, content.size
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            deflated = Deflated.of(content)
            stored, crc, size = deflated.data, deflated.crc, deflated.size
        elif info.compress_type == zipfile.ZIP_STORED:
            stored, crc, size = content, zlib.crc32(content), len(content)
        else:
            raise ValueError(f"{info.filename}: compression {info.compress_type} is not written here")
        if max(size, len(stored), output.tell()) >= ZIP64_LIMIT:
            raise ValueError(f"{info.filename}: a package this large needs ZIP64")
        name, flags = _name_and_flags(info.filename)
        date, time = _dos_date_time(info.date_time)
        offset = output.tell()
        local = LOCAL_HEADER.pack(
            b"PK\003\004", info.extract_version, info.reserved, flags, info.compress_type,
            time, date, crc, len(stored), size, len(name), len(info.extra),
        )  # fmt: skip
        output.write(local + name + info.extra + stored)
        external = info.external_attr or 0o600 << 16  # what zipfile gives an entry with none
        central = struct.pack(
            "<4s4B4HL2L5H2L", b"PK\001\002", info.create_version, info.create_system, info.extract_version,
            info.reserved, flags, info.compress_type, time, date, crc, len(stored), size, len(name),
            len(info.extra), len(info.comment), 0, info.internal_attr, external, offset,
        )  # fmt: skip
        directory.append(central + name + info.extra + info.comment)
    start = output.tell()
    output.write(b"".join(directory))
    end = output.tell()
    output.write(struct.pack("<4s4H2LH", b"PK\005\006", 0, 0, len(directory), len(directory), end - start, start, 0))
    return output.getvalue()


ZIP64_LIMIT = (1 << 31) - 1  # zipfile's limit for plain (not ZIP64) entries


def _name_and_flags(name: str) -> tuple[bytes, int]:
    """The entry name's bytes and flags as zipfile writes them (bit 11: the name is UTF-8)."""
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), 0x800


def _dos_date_time(moment: tuple[int, int, int, int, int, int]) -> tuple[int, int]:
    year, month, day, hour, minute, second = moment
    return (year - 1980) << 9 | month << 5 | day, hour << 11 | minute << 5 | second // 2
