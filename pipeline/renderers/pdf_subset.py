"""WeasyPrint's font subsetting without a C declaration parsed for every font of every PDF.

WeasyPrint 70 hands HarfBuzz its glyph lists as `ffi.new(f"hb_codepoint_t[{n}]", values)`.
cffi keeps the types it has parsed by their text, and each new length is a new text: pycparser
parses it again (1 to 2 ms a call; two calls per font, four fonts or more per PDF: 2.5 % of a
PDF's time, in every worker, for as long as it runs). An array sized by the values it is made
of is the same array as one of that declared length, so such a call is made with the length
left to cffi (`hb_codepoint_t[]`), a type parsed once per process. Nothing else changes: the
same glyphs reach HarfBuzz and the PDF is byte for byte the same.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sized
from typing import Any

SIZED_ARRAY = re.compile(r"hb_codepoint_t\[([0-9]+)\]")


def parse_array_types_once(ffi: Any) -> None:
    """Wrap `ffi.new` (WeasyPrint's one FFI, shared by its text and font code); once per process."""
    if getattr(ffi.new, "sized_by_values", False):
        return
    ffi.new = _unsized(ffi.new)


def _unsized(new: Callable[..., Any]) -> Callable[..., Any]:
    def sized_by_values(cdecl: Any, init: Any = None) -> Any:
        if isinstance(cdecl, str) and isinstance(init, Sized):
            declared = SIZED_ARRAY.fullmatch(cdecl)
            if declared and int(declared[1]) == len(init):
                return new("hb_codepoint_t[]", init)
        return new(cdecl, init)

    sized_by_values.sized_by_values = True  # type: ignore[attr-defined]
    return sized_by_values
