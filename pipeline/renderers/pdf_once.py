"""Each object of a finished PDF serialised once, not twice.

pydyf (WeasyPrint 70's PDF writer) computes an object's bytes whenever they are asked for. With
a file identifier, which PDF/A requires, `PDF.write` asks twice: once to write each object, and
again for all of them at once to hash the file into the identifier. Every stream is deflated
again at level 9 and every dictionary serialised again: 7 % of a PDF's whole time. Once the
finisher has run nothing changes an object, so its bytes can be kept from the first asking;
the file is byte for byte the same.
"""

from __future__ import annotations

from typing import Any


def serialise_once(pdf: Any, pydyf: Any) -> None:
    """Have each stream and dictionary of `pdf` (a `pydyf.PDF` about to be written) keep its bytes."""
    for item in pdf.objects:
        if isinstance(item, (pydyf.Stream, pydyf.Dictionary)) and not getattr(item, "keeps_data", False):
            item.__class__ = _keeping(type(item))


_KEEPING: dict[type, type] = {}  # by the class it subclasses: made once per process


def _keeping(kind: Any) -> type:
    """`kind` with its `data` computed on first use and kept (a subclass: nothing else differs)."""
    if kind in _KEEPING:
        return _KEEPING[kind]
    computed = kind.data  # the property of pydyf's class, or of WeasyPrint's subclass

    def data(self: Any) -> bytes:
        kept: bytes | None = self.__dict__.get("_kept_data")
        if kept is None:
            kept = self.__dict__["_kept_data"] = computed.fget(self)
        return kept

    keeping = _KEEPING[kind] = type(f"Keeping{kind.__name__}", (kind,), {"data": property(data), "keeps_data": True})
    return keeping
