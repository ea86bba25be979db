"""WeasyPrint imported without a library search finds the same libraries, and runs no program."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, subprocess, sys
started = []
original = subprocess.Popen.__init__
def recording(self, args, *rest, **options):
    started.append(args if isinstance(args, str) else " ".join(map(str, args)))
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = recording
if sys.argv[1] == "ours":
    from pipeline.libraries import import_weasyprint
    import_weasyprint()
else:
    import weasyprint
from weasyprint.text import ffi
loaded = {name: getattr(ffi, name) is not None for name in
          ("gobject", "pango", "harfbuzz", "harfbuzz_subset", "harfbuzz_vector", "fontconfig", "pangoft2")}
paths = {line.split()[-1] for line in open("/proc/self/maps") if ".so" in line}
maps = sorted(p for p in paths if p.startswith(("/usr/", "/lib")) and "python" not in p)  # not Python's modules
print(json.dumps({"started": started, "loaded": loaded, "maps": maps}))
"""


def probe(way: str) -> dict[str, object]:
    result = subprocess.run([sys.executable, "-c", PROBE, way], capture_output=True, text=True, check=True)
    return dict(json.loads(result.stdout))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the search it skips is Linux's")
def test_the_same_libraries_without_running_a_compiler() -> None:
    ours, plain = probe("ours"), probe("plain")
    assert ours["started"] == []  # no ldconfig, gcc or ld
    assert plain["started"], "WeasyPrint no longer searches: pipeline/libraries.py can go"
    assert ours["loaded"] == plain["loaded"]
    assert ours["maps"] == plain["maps"]
