"""Workers are forked only from a build of one thread, on Linux; spawned otherwise."""

from __future__ import annotations

import subprocess
import sys

import pytest

ASK = "from pipeline.workers import start_method; print(start_method())"
WITH_A_THREAD = (
    "import threading; stop = threading.Event(); threading.Thread(target=stop.wait, daemon=True).start(); "
    + ASK
    + "; stop.set()"
)
WITH_PANDOC_SENT = (  # a build that converted a DOCX in its own process has the server's thread
    "from pipeline.renderers import pandoc; "
    "pandoc.run_pandoc('<html><body><main><p>x</p></main></body></html>', 'epub3', {'lang': 'en', 'title': 'x'}, "
    "'x', ['--epub-title-page=false']); " + ASK
)


def asked(program: str) -> str:
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forking is chosen on Linux only")
def test_a_build_of_one_thread_forks() -> None:
    assert asked(ASK) == "fork"


@pytest.mark.parametrize("program", [WITH_A_THREAD, WITH_PANDOC_SENT], ids=["a thread of its own", "pandoc's sender"])
def test_a_build_with_another_thread_spawns(program: str) -> None:
    assert asked(program) == "spawn"
