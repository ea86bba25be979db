"""Replacing parts of a ZIP package (DOCX, EPUB) without disturbing anything else in it."""

from __future__ import annotations

import io
import zipfile


def replace_parts(package: bytes, parts: dict[str, bytes]) -> bytes:
    """`package` with the named parts' contents replaced; entry order, dates and compression kept.

    Keeping order matters for EPUB (its `mimetype` entry must come first, stored); keeping the
    entries' dates keeps the output byte-identical from run to run.
    """
    missing = set(parts) - set(zipfile.ZipFile(io.BytesIO(package)).namelist())
    if missing:
        raise KeyError(f"not in the package: {', '.join(sorted(missing))}")
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as source, zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            target.writestr(
                info, parts.get(info.filename, source.read(info.filename)), compress_type=info.compress_type
            )
    return output.getvalue()
