"""Each object of a finished PDF serialised once, not twice.

pydyf (WeasyPrint 70's PDF writer) computes an object's bytes whenever they are asked for. With
a file identifier, which PDF/A requires, `PDF.write` asks twice: once to write each object, and
again for all of them at once to hash the file into the identifier. Every stream is deflated
again at level 9 and every dictionary serialised again (about 5 ms of a 210 ms PDF, measured
side by side). Once the finisher has run nothing changes an object, so its bytes can be kept
from the first asking; the file is byte for byte the same. A pydyf whose objects compute their
bytes otherwise (no `data` property) is left as it is.
"""

from __future__ import annotations

from typing import Any


def serialise_once(pdf: Any, pydyf: Any) -> None:
    """Have each stream and dictionary of `pdf` (a `pydyf.PDF` about to be written) keep its bytes."""
    for item in pdf.objects:
        if isinstance(item, (pydyf.Stream, pydyf.Dictionary)) and not getattr(item, "keeps_data", False):
            keeping = _keeping(type(item))
            if keeping is not None:
                item.__class__ = keeping


_KEEPING: dict[type, type | None] = {}  # by the class it subclasses: made once per process


def _keeping(kind: Any) -> type | None:
    """`kind` with its `data` computed on first use and kept (a subclass: nothing else differs);
    None when `kind` has no `data` property to keep."""
    if kind in _KEEPING:
        return _KEEPING[kind]
    computed = getattr(kind, "data", None)  # the property of pydyf's class, or of WeasyPrint's subclass
    if not isinstance(computed, property) or computed.fget is None:
        _KEEPING[kind] = None
        return None
    compute = computed.fget

    def data(self: Any) -> bytes:
        kept: bytes | None = self.__dict__.get("_kept_data")
        if kept is None:
            kept = self.__dict__["_kept_data"] = compute(self)
        return kept

    keeping: type = type(f"Keeping{kind.__name__}", (kind,), {"data": property(data), "keeps_data": True})
    _KEEPING[kind] = keeping
    return keeping
