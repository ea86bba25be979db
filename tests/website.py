"""A built output folder as a reader meets it: served on loopback, opened in the system Chromium.

The search page loads its index with fetch and an ES module, which a page opened as a file
cannot do, so these helpers serve the folder with Python's own HTTP server on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html

from tests.validators import AXE_JS, CHROMIUM, CHROMIUM_ARGS, Finding


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return


@contextlib.contextmanager
def served(folder: Path) -> Iterator[str]:
    """The folder at http://127.0.0.1:<free port>/ for the duration of the block."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@contextlib.contextmanager
def browser(width: int = 1280) -> Iterator[Any]:
    """A page of a fresh headless Chromium profile, `width` CSS pixels wide."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": width, "height": 900},
        )
        try:
            yield context.new_page()
        finally:
            context.close()


def search(page: Any, base: str, words: str, **filters: str) -> list[str]:
    """Open the search page, type `words`, choose `filters`; the result links (text pages)."""
    page.goto(base + "search.html")
    page.wait_for_selector("html[data-search-ready]", timeout=20_000)
    for name, value in filters.items():
        page.select_option(f"#filter-{name}", value)
    page.fill("#query", words)
    page.wait_for_function(
        "(words) => document.getElementById('summary').textContent !== '' && "
        "document.getElementById('query').value === words",
        arg=words,
    )
    page.wait_for_timeout(300)  # a later answer replaces an earlier one: let the last one land
    return [str(link.get_attribute("href")) for link in page.query_selector_all("#results li.result h2 a")]


def axe_here(page: Any) -> list[Finding]:
    """axe-core's violations on the page as it is now (after a search, say)."""
    page.add_script_tag(content=AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [Finding(page.url, v["id"], v["help"], v.get("impact") or "") for v in result["violations"]]


def dead_links(folder: Path, page_url: str, html: str, base: str) -> list[str]:
    """Every href of `html` (the page at `page_url`) that names no file of `folder`, or no
    element of it when it has a fragment. External addresses count as dead: the site has none."""
    dead = []
    document = lxml.html.fromstring(html)
    for href in sorted({str(h) for h in document.xpath("//a/@href | //link/@href")}):
        if href.startswith("data:"):
            continue
        target = urljoin(page_url, href)
        if not target.startswith(base):
            dead.append(href)
            continue
        parts = urlsplit(target)
        path = folder / unquote(parts.path.removeprefix(urlsplit(base).path)) if parts.path != "/" else folder
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            dead.append(href)
            continue
        if parts.fragment and path.suffix == ".html":
            ids = set(lxml.html.fromstring(path.read_bytes()).xpath("//@id"))
            if parts.fragment not in ids:
                dead.append(href)
    return dead
