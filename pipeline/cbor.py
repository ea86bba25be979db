"""The part of CBOR (RFC 8949) that Pagefind's filter files use: unsigned integers, text strings
and arrays, encoded in their shortest form as Pagefind writes them (pipeline/search.py)."""

from __future__ import annotations

from typing import Any

UNSIGNED, TEXT, ARRAY = 0, 3, 4


def head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, width in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * width):
            return bytes([major << 5 | extra]) + value.to_bytes(width, "big")
    raise ValueError(f"{value} does not fit in a CBOR head")


def encode(value: Any) -> bytes:
    if isinstance(value, bool) or not isinstance(value, int | str | list | tuple):
        raise ValueError(f"cannot encode {type(value).__name__} as the CBOR Pagefind's filters use")
    if isinstance(value, int):
        return head(UNSIGNED, value)
    if isinstance(value, str):
        data = value.encode("utf-8")
        return head(TEXT, len(data)) + data
    return head(ARRAY, len(value)) + b"".join(encode(item) for item in value)


def decode(data: bytes) -> Any:
    value, end = _item(data, 0)
    if end != len(data):
        raise ValueError(f"{len(data) - end} bytes after the CBOR item")
    return value


def _item(data: bytes, at: int) -> tuple[Any, int]:
    major, extra = data[at] >> 5, data[at] & 0x1F
    at += 1
    if extra < 24:
        value = extra
    elif extra <= 27:
        width = 1 << (extra - 24)
        value, at = int.from_bytes(data[at : at + width], "big"), at + width
    else:
        raise ValueError(f"CBOR item of indefinite or reserved length at byte {at - 1}")
    if major == UNSIGNED:
        return value, at
    if major == TEXT:
        return data[at : at + value].decode("utf-8"), at + value
    if major == ARRAY:
        items = []
        for _ in range(value):
            item, at = _item(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"CBOR major type {major} at byte {at - 1} is not one Pagefind's filters use")
