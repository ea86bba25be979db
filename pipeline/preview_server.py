"""The preview's HTTP side: an index, the current editions, their problems, and reload events.

`/` lists the texts; `/<stem>.html` and `/<stem>.pdf` are the current editions, or the page of
problems when the source is broken; `/last-good/<stem>.html|pdf` keeps the last good edition in
view; `/events` is a server-sent event stream that tells open pages to reload.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import watchfiles
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .preview import Preview, Text
from .templating import TEMPLATES

LOOPBACK = "127.0.0.1"
EDITION = re.compile(r"^/(last-good/)?([a-z0-9][a-z0-9._-]*)\.(html|pdf)$")
TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
KEEP_ALIVE_SECONDS = 15.0  # a comment line on the event stream: a closed tab is noticed


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not hold up Ctrl-C

    def __init__(self, preview: Preview, host: str, port: int) -> None:
        super().__init__((host, port), PreviewHandler)
        self.preview = preview
        self.stopping = threading.Event()
        self.pages = Environment(
            loader=FileSystemLoader(TEMPLATES / "preview"),
            autoescape=True,  # sources are untrusted: their problems and names are text here
            undefined=StrictUndefined,
        )

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}/"

    def page(self, template: str, **context: object) -> bytes:
        return self.pages.get_template(template).render(version=self.preview.version, **context).encode("utf-8")

    def with_reload(self, html: bytes, stem: str, broken: Text | None) -> bytes:
        """The edition with the reload script (and, for a last good one, why it is not current)."""
        snippet = self.page("reload.html.j2", stem=stem, broken=broken)
        at = html.rfind(b"</body>")
        return html[:at] + snippet + html[at:]


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # the name http.server calls
        path = urlsplit(self.path).path
        if path == "/":
            self.send(HTTPStatus.OK, TYPES["html"], self.server.page("index.html.j2", texts=self._texts()))
        elif path == "/events":
            self.events()
        elif match := EDITION.match(path):
            self.edition(match.group(2), match.group(3), last_good=bool(match.group(1)))
        else:
            self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found\n")

    def edition(self, stem: str, extension: str, last_good: bool) -> None:
        with self.server.preview.condition:
            text = self.server.preview.texts.get(stem)
        if text is None or (extension not in text.editions and not text.failed):
            self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"no such text\n")
            return
        if text.failed and not last_good:  # the problems in place of a stale page
            page = self.server.page("problems.html.j2", stem=stem, text=text)
            self.send(HTTPStatus.CONFLICT, TYPES["html"], page)
            return
        data = text.editions.get(extension)
        if data is None:
            self.send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"no good edition yet\n")
            return
        if extension == "html":
            data = self.server.with_reload(data, stem, text if last_good and text.failed else None)
        self.send(HTTPStatus.OK, TYPES[extension], data)

    def events(self) -> None:
        """Server-sent events: the version now, then one event after each rebuild."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        seen, changed = -1, None
        try:
            while not self.server.stopping.is_set():
                version, stems = self._next_version(seen)
                if seen >= 0:  # the first event only says which version is current
                    changed = stems
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    news = json.dumps({"version": version, "changed": changed})
                    self.wfile.write(f"event: reload\ndata: {news}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the tab was closed
            pass
        self.close_connection = True

    def _next_version(self, seen: int) -> tuple[int, list[str]]:
        """The version after `seen` and the texts it rebuilt, or `seen` again after a quiet while."""
        preview, stopping = self.server.preview, self.server.stopping
        with preview.condition:
            preview.condition.wait_for(lambda: preview.version != seen or stopping.is_set(), KEEP_ALIVE_SECONDS)
            return preview.version, list(preview.changed)

    def send(self, status: HTTPStatus, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # always the current edition
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # http.server's names
        pass  # one line per request would bury the build's problems

    def _texts(self) -> list[tuple[str, Text]]:
        with self.server.preview.condition:
            return sorted(self.server.preview.texts.items())


@contextmanager
def watching(server: PreviewServer) -> Iterator[PreviewServer]:
    """The server's watchers running; on exit they, the event streams and the socket are closed."""
    preview = server.preview
    stop = threading.Event()
    deep, flat = preview.watched()
    watchers = [
        threading.Thread(target=_watch, args=(preview, deep, True, stop), daemon=True),
        threading.Thread(target=_watch, args=(preview, flat, False, stop), daemon=True),
    ]
    for watcher in watchers:
        watcher.start()
    try:
        yield server
    finally:
        stop.set()
        server.stopping.set()
        with preview.condition:
            preview.condition.notify_all()  # event streams end now, not at their next keep-alive
        server.server_close()
        for watcher in watchers:
            watcher.join(timeout=5)


def _watch(preview: Preview, folders: list[Path], recursive: bool, stop: threading.Event) -> None:
    """Rebuild on every batch of file-system events (watchfiles: inotify, no polling loop)."""
    for changes in watchfiles.watch(
        *folders,
        watch_filter=lambda _change, path: preview.relevant(Path(path)),
        recursive=recursive,
        step=20,  # ms of quiet that ends a batch: an editor's save is several events
        stop_event=stop,
        raise_interrupt=False,
    ):
        preview.update(Path(path) for _change, path in changes)
