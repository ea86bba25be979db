"""WeasyPrint's font subsetting asks cffi for arrays of a declared length (pipeline/renderers/pdf_subset.py):
the same arrays, without a C declaration parsed for each new length."""

from __future__ import annotations

from typing import Any

import cffi  # type: ignore[import-untyped]
import pytest

from pipeline.renderers.pdf_subset import parse_array_types_once


@pytest.fixture
def ffi(monkeypatch: pytest.MonkeyPatch) -> Any:
    made = cffi.FFI()
    made.cdef("typedef uint32_t hb_codepoint_t;")
    made.parsed = []  # the declarations cffi had to parse, in order
    original = cffi.api.FFI._typeof_locked

    def counted(self: Any, cdecl: str) -> Any:
        self.parsed.append(cdecl)
        return original(self, cdecl)

    monkeypatch.setattr(cffi.api.FFI, "_typeof_locked", counted)
    return made


def test_arrays_sized_by_their_values_are_the_same_arrays_with_one_type(ffi: Any) -> None:
    plain = [list(ffi.new(f"hb_codepoint_t[{n}]", list(range(n)))) for n in (1, 7, 300)]
    parse_array_types_once(ffi)
    parse_array_types_once(ffi)  # once per process, however often the renderer starts
    ffi.parsed.clear()
    arrays = [ffi.new(f"hb_codepoint_t[{n}]", list(range(n))) for n in (1, 7, 300, 301, 302)]
    assert [list(a) for a in arrays[:3]] == plain
    assert [len(a) for a in arrays] == [1, 7, 300, 301, 302]
    assert ffi.parsed == ["hb_codepoint_t[]"]  # parsed once, not once per length


def test_other_calls_are_left_as_they_are(ffi: Any) -> None:
    parse_array_types_once(ffi)
    padded = ffi.new("hb_codepoint_t[4]", [5, 6])  # a declared length longer than the values: zeros after
    assert list(padded) == [5, 6, 0, 0]
    assert list(ffi.new("hb_codepoint_t[3]")) == [0, 0, 0]
    assert ffi.new("hb_codepoint_t *", 9)[0] == 9
