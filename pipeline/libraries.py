"""Importing WeasyPrint without a compiler run per library name it tries.

WeasyPrint opens each system library by trying several names in turn ('libgobject-2.0-0',
'gobject-2.0-0', 'gobject-2.0', 'libgobject-2.0.so.0', …). For a name without a dot cffi asks
`ctypes.util.find_library`, which on Linux runs ldconfig, then gcc and ld: thirteen compiler
runs, 0.8 of the 1.2 s that importing WeasyPrint took in every process that makes a PDF. Each
library is also tried under its soname ('libpango-1.0.so.0'), which the dynamic loader opens
directly: the search finds nothing that name would not.
"""

from __future__ import annotations

import ctypes.util
import sys
import threading
from typing import Any

_lock = threading.Lock()


def import_weasyprint() -> Any:  # the module (untyped: WeasyPrint ships no stubs)
    """The weasyprint module, imported without searching for library files (the search is
    switched off for the whole process meanwhile: the lock keeps two imports from overlapping)."""
    with _lock:
        original = ctypes.util.find_library
        if sys.platform.startswith("linux"):
            ctypes.util.find_library = _not_searched
        try:
            import weasyprint  # a second call finds it in sys.modules and searches nothing
        finally:
            ctypes.util.find_library = original
    return weasyprint


def _not_searched(name: str) -> None:
    return None
