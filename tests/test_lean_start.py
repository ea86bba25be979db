"""The edit loop's build (one text, HTML only) loads none of the code only other formats use.

Start-up is most of a one-text build's time, and every module loaded costs (issue 22: the cold
HTML build's goal is 150 ms); this checks what is loaded, not how long it takes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SEED

# What only the other formats, other commands or a terminal need.
NOT_FOR_HTML = (
    "lxml",  # DOCX parts, PDF structure
    "pypandoc",
    "weasyprint",
    "pikepdf",
    "docx",  # python-docx
    "pipeline.renderers.docx",
    "pipeline.renderers.epub",
    "pipeline.renderers.pdf",
    "pipeline.renderers.pandoc",
    "pipeline.renderers.synoptic",
    "pipeline.ingest",
    "pipeline.preview_server",
    "rich",  # on a terminal only: elsewhere the lines and the summary table are written as they are
    "babel.messages",  # the catalogues, once compiled into the user's cache (pipeline/i18n.py)
    "email",  # under importlib.metadata: versions are read from the .dist-info folders' names
    "importlib.metadata",
    "pipeline.volumes.declaration",  # no volume file named, no volumes/ folder
    "pipeline.volumes.incremental",
    "ctypes",  # the print edition's libraries' versions, in its fingerprint
)

BUILD = """
import gc, json, sys
from pipeline.start import main  # the `pipeline` command's entry point
code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules), "collecting": gc.isenabled()}))
"""


def loaded_by_build(out: Path) -> list[str]:
    """The modules of the second of two builds (the first compiles the catalogues into a cache)."""
    command = [sys.executable, "-c", BUILD, "build", str(SEED), "--format", "html", "--out", str(out), "--force"]
    environment = {**os.environ, "PIPELINE_CACHE_DIR": str(out.parent / "cache")}
    subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=environment)
    answer = json.loads(result.stdout.splitlines()[-1])
    assert answer["code"] == 0, result.stderr
    assert answer["collecting"], "the cycle collector is paused for the imports only"
    assert (out / f"{SEED.name.removesuffix('.md')}.html").is_file()
    return list(answer["modules"])


def test_an_html_build_loads_no_other_formats_code(tmp_path: Path) -> None:
    modules = loaded_by_build(tmp_path / "out")
    unneeded = [m for m in modules if any(m == name or m.startswith(f"{name}.") for name in NOT_FOR_HTML)]
    assert unneeded == []
    assert "pipeline.renderers.html" in modules  # the check sees the build's modules, not an empty list


def test_importing_the_package_leaves_the_collector_as_it_was() -> None:
    """The package pauses the cycle collector while it imports itself, and no longer."""
    probe = "import gc, sys; gc.disable() if sys.argv[1] == 'off' else None; import pipeline; print(gc.isenabled())"
    for setting, expected in (("on", "True"), ("off", "False")):
        result = subprocess.run([sys.executable, "-c", probe, setting], capture_output=True, text=True, check=True)
        assert result.stdout.strip() == expected
