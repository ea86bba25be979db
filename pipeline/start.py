"""The `pipeline` command's entry point: the command-line interface imported with the cycle
collector paused, then kept out of its sight.

Starting a command imports some 380 modules, whose objects all live until the process ends: the
collector would walk the growing heap many times over and find nothing (the package pauses it
for its own imports, pipeline/__init__.py; this does for the rest). Once imported, they are
moved out of its sight for good (`gc.freeze`), so that a build's collections walk only what the
build allocates; the build also raises the collector's threshold (workers.fewer_collections).
Together: 25 ms of a 185 ms one-text HTML build.
"""

from __future__ import annotations

import gc


def main(argv: list[str] | None = None) -> int:
    gc.disable()
    try:
        from . import kept_regexes

        kept_regexes.install()  # before the imports that compile most of them
        from .cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    try:
        return run(argv)
    finally:
        kept_regexes.save()
