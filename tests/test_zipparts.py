"""The package writer that takes parts deflated ahead of time writes what zipfile writes."""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.renderers.zipparts import Deflated, Package, write_zip

NAMES = st.text(st.characters(codec="utf-8", exclude_characters="\x00/\\"), min_size=1, max_size=12)
ENTRIES = st.lists(
    st.tuples(
        NAMES,
        st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode),  # random and compressible
        st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]),
        st.booleans(),  # deflated ahead of time (deflated entries only)
        st.sampled_from([0, 0o644 << 16]),
    ),
    max_size=6,
    unique_by=lambda entry: entry[0],
)


def info(name: str, compression: int, attributes: int) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=(2001, 2, 3, 4, 5, 6))
    entry.compress_type = compression
    entry.external_attr = attributes
    return entry


@settings(max_examples=60, deadline=None)
@given(ENTRIES)
def test_the_same_bytes_as_zipfile(entries: list[tuple[str, bytes, int, bool, int]]) -> None:
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name, data, compression, _, attributes in entries:
            archive.writestr(info(name, compression, attributes), data, compress_type=compression)
    ours = write_zip(
        (
            info(name, compression, attributes),
            Deflated.of(data) if ahead and compression == zipfile.ZIP_DEFLATED else data,
        )
        for name, data, compression, ahead, attributes in entries
    )
    assert ours == expected.getvalue()
    with zipfile.ZipFile(io.BytesIO(ours)) as archive:
        assert archive.testzip() is None
        assert [archive.read(name) for name, *_ in entries] == [data for _, data, *_ in entries]


def test_a_deflated_part_in_a_stored_entry_is_refused() -> None:
    with pytest.raises(ValueError, match="not"):
        write_zip([(info("x", zipfile.ZIP_STORED, 0), Deflated.of(b"x"))])


def test_a_part_deflated_once_is_read_back_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    data = bytes(range(256)) * 64 + b"the same words " * 500
    made = Deflated.kept(data)
    [kept] = (tmp_path / "deflated").iterdir()
    assert made == Deflated.of(data)
    kept.write_bytes(kept.read_bytes())  # as another process finds it
    assert Deflated.kept(data) == made


@pytest.mark.parametrize(
    "damage", [b"", b"not deflate at all", zlib.compress(b"other bytes")[2:-4]], ids=["empty", "junk", "other part"]
)
def test_a_damaged_cache_entry_is_made_again(damage: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    data = b"a font's bytes " * 1000
    Deflated.kept(data)
    [kept] = (tmp_path / "deflated").iterdir()
    kept.write_bytes(damage)
    assert Deflated.kept(data) == Deflated.of(data)
    assert zlib.decompress(kept.read_bytes(), -15) == data


def test_without_a_cache_the_part_is_deflated_each_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIPELINE_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert Deflated.kept(b"x" * 100) == Deflated.of(b"x" * 100)
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=60, deadline=None)
@given(ENTRIES, st.data())
def test_replacing_parts_writes_what_zipfile_writes_and_copies_the_rest(
    entries: list[tuple[str, bytes, int, bool, int]], data: st.DataObject
) -> None:
    """A package read once and written back with some parts replaced is the package zipfile
    writes with those parts: the other entries are copied as they were stored, not re-deflated."""
    original = io.BytesIO()
    with zipfile.ZipFile(original, "w") as archive:
        for name, content, compression, _, attributes in entries:
            archive.writestr(info(name, compression, attributes), content, compress_type=compression)
    replaced = {name: data.draw(st.binary(max_size=500)) for name, *_ in entries if data.draw(st.booleans())}
    expected = io.BytesIO()
    with zipfile.ZipFile(expected, "w") as archive:
        for name, content, compression, _, attributes in entries:
            entry = info(name, compression, attributes)
            archive.writestr(entry, replaced.get(name, content), compress_type=compression)
    package = Package(original.getvalue())
    assert package.names() == [name for name, *_ in entries]
    assert [package.read(name) for name, *_ in entries] == [content for _, content, *_ in entries]
    assert package.replaced(replaced) == expected.getvalue()


def test_a_part_not_in_the_package_is_refused() -> None:
    with pytest.raises(KeyError, match="not in the package: b"):
        Package(write_zip([(info("a", zipfile.ZIP_DEFLATED, 0), b"a")])).replaced({"b": b""})


def test_a_damaged_entry_is_refused_when_read() -> None:
    package = bytearray(write_zip([(info("a", zipfile.ZIP_STORED, 0), b"x" * 40)]))
    entry = Package(bytes(package))
    assert entry.read("a") == b"x" * 40
    deflated = write_zip([(info("a", zipfile.ZIP_DEFLATED, 0), b"y" * 4000)])
    damaged = deflated.replace(Deflated.of(b"y" * 4000).data, Deflated.of(b"z" * 4000).data)
    with pytest.raises(zipfile.BadZipFile, match="does not inflate"):
        Package(damaged).read("a")
