"""Our print edition beside WeasyPrint alone on the same HTML, each side in a process of its own.

Both sides keep caches for the whole process: cffi parses each new glyph count of a font subset
as a new C type, pyphen hyphenates each new word once, WeasyPrint keeps fonts. In one process
the side that renders a text first pays the other's misses (5–6 ms a text, measured); in two
processes each pays its own, as a worker does. The parent asks for one text at a time, each side
first every other text, so that the machine's drift moves both sides alike.
"""

from __future__ import annotations

import multiprocessing
import statistics
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pipeline.config import Config
from pipeline.model import Document
from pipeline.renderers.pdf import PRINT_ASSETS, PdfRenderer
from pipeline.source import read
from pipeline.workers import settle_collector

OURS, ALONE = "ours", "alone"


def side_by_side(sources: list[Path]) -> tuple[float, float]:
    """Mean seconds per text of our PDF render and of WeasyPrint's write_pdf of its HTML (warm)."""
    context = multiprocessing.get_context("spawn")
    sides: dict[str, tuple[Any, Connection]] = {}
    for side in (OURS, ALONE):
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(side, [str(s) for s in sources], child), daemon=True)
        process.start()
        child.close()
        sides[side] = (process, parent)
    try:
        for _, connection in sides.values():
            connection.recv()  # warmed up
        times: dict[str, list[float]] = {OURS: [], ALONE: []}
        for n in range(len(sources)):
            for side in (OURS, ALONE) if n % 2 == 0 else (ALONE, OURS):
                connection = sides[side][1]
                connection.send(n)
                times[side].append(connection.recv())
        return statistics.mean(times[OURS]), statistics.mean(times[ALONE])
    finally:
        for process, connection in sides.values():
            connection.send(None)
            process.join(timeout=30)


def _serve(side: str, sources: list[str], connection: Connection) -> None:
    renderer = PdfRenderer(Config())
    documents = [reading.document for reading in (read(Path(s), Config()) for s in sources) if reading.document]
    weasyprint = renderer.weasyprint
    pages = [renderer.render_template(d, **page_options(renderer, d)) for d in documents]

    def render(n: int) -> None:
        if side == OURS:
            renderer.render(documents[n])
            return
        page = weasyprint.HTML(string=pages[n], base_url=PRINT_ASSETS.as_uri() + "/", url_fetcher=renderer.fetcher)
        page.write_pdf(font_config=renderer.font_config, pdf_variant="pdf/a-3b", pdf_tags=True)

    render(0)  # fonts loaded once, as in a worker
    settle_collector()  # as a worker does once its engines are started
    connection.send("ready")
    while (n := connection.recv()) is not None:
        start = time.perf_counter()
        render(n)
        connection.send(time.perf_counter() - start)


def page_options(renderer: PdfRenderer, document: Document) -> dict[str, Any]:
    """What our PDF's first layout pass gives its template (pdf.py): WeasyPrint alone gets that HTML."""
    language = renderer.config.regional(document.metadata.language)
    return {"fonts": renderer.fonts, "protected_words": frozenset(), "hyphenation_language": language}
