"""The print volume of 40 texts beside the 40 single-text PDFs (issue 19: at most 1.5 × as long).

Both sides run in this process with warm engines (WeasyPrint imported, fonts configured), so the
comparison is of the work, not of start-up: the 40 texts are read once, each single PDF is
rendered from its document, and the volume from the same documents in one layout. Run with
`python bench/volume.py` (part of `make bench`); `--strict` exits 1 above the limit.
"""

from __future__ import annotations

import argparse
import gc
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pikepdf  # noqa: E402

from pipeline.config import Config  # noqa: E402
from pipeline.renderers.pdf import PdfRenderer  # noqa: E402
from pipeline.source import Reading, find_sources, load  # noqa: E402
from pipeline.testing.corpus import generate  # noqa: E402
from pipeline.volumes.declaration import read_declaration  # noqa: E402
from pipeline.volumes.pdf import VolumePdfRenderer  # noqa: E402
from pipeline.volumes.selection import select  # noqa: E402

TEXTS = 40
LIMIT = 1.5
SEED = 19


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help=f"exit 1 when the volume takes over {LIMIT} ×")
    parser.add_argument("--texts", type=int, default=TEXTS, help=f"texts in the volume (default: {TEXTS})")
    arguments = parser.parse_args()
    count = arguments.texts
    config = Config()
    with tempfile.TemporaryDirectory(prefix="bench-volume-") as work:
        folder = Path(work)
        generate(folder, count * 2, SEED)  # most texts have an English and a French version
        sources = [s for s in find_sources([folder]) if s.name.endswith(".en.md")][:count]
        names = ", ".join(f'"{s.name.removesuffix(".md")}"' for s in sources)
        declaration_file = folder / "bench.en.toml"
        declaration_file.write_text(
            f'title = ["Texts adopted by the Assembly", "Benchmark"]\nlanguage = "en"\nstatus = "provisional"\n'
            f"texts = [{names}]\n",
            encoding="utf-8",
        )
        documents = {source: load(source, config) for source in sources}
        declaration, problems = read_declaration(declaration_file)
        assert declaration is not None, problems
        volume, problems = select(declaration, sources, lambda source: Reading(documents[source], []))
        assert volume is not None, [str(p) for p in problems]
        single, whole = PdfRenderer(config), VolumePdfRenderer(config)
        single.render(documents[sources[0]])  # warm both engines on a first text
        whole.render_volume(volume)
        gc.disable()
        started = time.perf_counter()
        pages = 0
        for document in documents.values():
            pages += len(pikepdf.open(io.BytesIO(single.render(document))).pages)
        singles = time.perf_counter() - started
        started = time.perf_counter()
        pdf = whole.render_volume(volume)
        together = time.perf_counter() - started
        gc.enable()
    ratio = together / singles
    print(f"{f'print volume, {count} texts':<40} {'time':>8}")
    print(f"{f'{count} single-text PDFs, one after another':<40} {singles:>7.2f} s")
    print(f"{'the volume PDF (one layout)':<40} {together:>7.2f} s   {ratio:.2f} × (limit {LIMIT} ×)")
    volume_pages = len(pikepdf.open(io.BytesIO(pdf)).pages)
    print(f"the volume: {volume_pages} pages, {len(pdf):,} bytes; the single PDFs: {pages} pages")
    return 1 if arguments.strict and ratio > LIMIT else 0


if __name__ == "__main__":
    raise SystemExit(main())
