"""Versions of the installed Python distributions, read cheaply (fingerprints, the search index)."""

from __future__ import annotations

import functools
import os
import re
import sys


def installed_version(distribution: str) -> str:
    """The installed version, from its .dist-info folder's name (PEP 427: name-version.dist-info)
    where there is one: importlib.metadata would read the whole METADATA file with the email
    package, a tenth of a cold one-text build's start; anything else it finds as it does
    ("absent" when it is not installed)."""
    found = _dist_info_versions().get(_normalised(distribution))
    if found:
        return found
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absent"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


@functools.cache
def _dist_info_versions() -> dict[str, str]:
    """Each distribution's version by normalised name, the first on sys.path winning (as imports do)."""
    versions: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            if folder.endswith(".dist-info"):
                name, _, version = folder.removesuffix(".dist-info").partition("-")
                if version:
                    versions.setdefault(_normalised(name), version)
    return versions
