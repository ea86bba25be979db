"""`pipeline preview`: a real server on loopback, real HTTP requests, real edits of a source."""

from __future__ import annotations

import http.client
import json
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.preview import Preview
from pipeline.preview_server import PreviewServer, watching

from .pdftext import joined, words
from .sources import FRONT, NAME

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "recommendation-1607-2003.en.md"
STEM = SEED.name.removesuffix(".md")
OLD_WORD, NEW_WORD = "growing economic disparity", "growing economic asymmetry"
BROKEN = ("\n6.2. the development", "\n6.2.the development")  # a number glued to its text: an error
WAIT = 30.0  # seconds: a bound for a loaded machine, not a measurement (bench/preview_reload.py times it)


class Events:
    """The server's event stream, read in a thread into a queue."""

    def __init__(self, url: str) -> None:
        host, port = url.removeprefix("http://").rstrip("/").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=WAIT)
        self.connection.request("GET", "/events")
        self.response = self.connection.getresponse()
        assert self.response.getheader("Content-Type") == "text/event-stream"
        self.received: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for raw in self.response:
                line = raw.decode("utf-8").rstrip("\n")
                if line.startswith("data: "):
                    self.received.put(json.loads(line.removeprefix("data: ")))
        except (OSError, ValueError):  # the test closed the stream
            pass

    def next(self, timeout: float = WAIT) -> dict[str, Any]:
        return self.received.get(timeout=timeout)

    def close(self) -> None:
        self.connection.close()


def get(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def save_until_rebuilt(path: Path, text: str, events: Events, stem: str) -> dict[str, Any]:
    """Write `text` and wait for the rebuild of `stem`; saved again if the watcher was not yet up."""
    for _attempt in range(int(WAIT / 2)):
        path.write_text(text, encoding="utf-8")
        try:
            while True:
                news = events.next(timeout=2.0)
                if stem in news["changed"]:
                    return news
        except queue.Empty:
            continue
    raise AssertionError(f"no rebuild of {stem} after saving {path}")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTML-only preview of a copy of the seed, served from a thread; always stopped."""
    folder = tmp_path / "source"
    folder.mkdir()
    shutil.copy(SEED, folder)
    preview = Preview([folder], tmp_path, formats=["html"])
    preview.build_all()
    server = PreviewServer(preview, "127.0.0.1", 0)
    with watching(server):
        thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        thread.start()
        try:
            yield server.url, folder / SEED.name
        finally:
            server.shutdown()
            thread.join(timeout=10)
    assert not thread.is_alive()


def test_the_server_listens_on_loopback_and_lists_the_texts(served: tuple[str, Path]) -> None:
    url, _source = served
    assert url.startswith("http://127.0.0.1:")
    status, content_type, body = get(url)
    assert (status, content_type) == (200, "text/html; charset=utf-8")
    assert f'href="/{STEM}.html"' in body.decode("utf-8")
    assert get(url + "nothing.html")[0] == 404
    assert get(url + "../source/x.md")[0] == 404


def test_a_save_rebuilds_the_page_and_a_broken_source_shows_its_problem(served: tuple[str, Path]) -> None:
    url, source = served
    events = Events(url)
    try:
        first = events.next()
        status, _type, body = get(f"{url}{STEM}.html")
        page = body.decode("utf-8")
        assert status == 200 and OLD_WORD in page
        assert f"const version = {first['version']};" in page  # the reload script is in

        text = source.read_text(encoding="utf-8")
        news = save_until_rebuilt(source, text.replace(OLD_WORD, NEW_WORD), events, STEM)
        assert news["version"] > first["version"]
        page = get(f"{url}{STEM}.html")[2].decode("utf-8")
        assert NEW_WORD in page and OLD_WORD not in page

        broken = text.replace(OLD_WORD, NEW_WORD).replace(*BROKEN)
        save_until_rebuilt(source, broken, events, STEM)
        line = broken[: broken.index(BROKEN[1])].count("\n") + 2
        status, _type, body = get(f"{url}{STEM}.html")
        assert status == 409
        assert f"{source}:{line}:1: error: the paragraph number is glued to its text" in body.decode("utf-8")
        status, _type, last_good = get(f"{url}last-good/{STEM}.html")
        assert status == 200 and NEW_WORD in last_good.decode("utf-8")
        assert "the source now has problems" in last_good.decode("utf-8")

        save_until_rebuilt(source, text, events, STEM)
        assert get(f"{url}{STEM}.html")[0] == 200
    finally:
        events.close()


def test_what_a_source_says_is_text_on_the_preview_pages(served: tuple[str, Path]) -> None:
    url, source = served
    hostile = FRONT.replace("title: A test text", "title: x\n'<script>alert(1)</script>': 1")
    events = Events(url)
    try:
        events.next()
        save_until_rebuilt(source, hostile + "\n1. Text.\n", events, STEM)
        for page in (get(url)[2], get(f"{url}{STEM}.html")[2]):
            assert b"<script>alert(1)</script>" not in page
            assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    finally:
        events.close()


def _default_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow
def test_pipeline_preview_serves_html_and_pdf_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    source = Path(shutil.copy(SEED, folder))
    command = [sys.executable, "-m", "pipeline", "preview", str(folder), "--port", "0"]
    # Ctrl-C as a terminal sends it: a suite started in the background (`make test &`) ignores
    # SIGINT, the child would inherit that, and Python then installs no KeyboardInterrupt.
    server = subprocess.Popen(command, cwd=tmp_path, stderr=subprocess.PIPE, text=True, preexec_fn=_default_ctrl_c)
    try:
        assert server.stderr is not None
        first_line = server.stderr.readline()
        assert "at http://127.0.0.1:" in first_line, first_line
        url = first_line.rsplit(" ", 1)[1].strip()
        assert server.stderr.readline().startswith("pipeline: Ctrl-C stops")
        events = Events(url)
        try:
            events.next()
            before = get(f"{url}{STEM}.pdf")
            assert before[:2] == (200, "application/pdf") and before[2].startswith(b"%PDF-")
            save_until_rebuilt(source, source.read_text(encoding="utf-8").replace(OLD_WORD, NEW_WORD), events, STEM)
            assert NEW_WORD in get(f"{url}{STEM}.html")[2].decode("utf-8")
            pdf = tmp_path / "after.pdf"
            pdf.write_bytes(get(f"{url}{STEM}.pdf")[2])
            assert NEW_WORD in joined(words(pdf)) and OLD_WORD not in joined(words(pdf))
        finally:
            events.close()
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=WAIT) == 0
        assert "preview stopped" in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url, timeout=5)


@pytest.mark.slow
def test_the_preview_pages_pass_the_html_checker_and_axe(tmp_path: Path) -> None:
    from .validators import axe, nu_html_checker

    broken = tmp_path / "broken" / NAME
    broken.parent.mkdir()
    broken.write_text(FRONT + "\n1.Glued text.\n", encoding="utf-8")
    preview = Preview([SEED, broken], tmp_path, formats=["html"])
    preview.build_all()
    stem = NAME.removesuffix(".md")
    server = PreviewServer(preview, "127.0.0.1", 0)
    try:
        preview.texts[stem].editions = preview.texts[STEM].editions  # as if it had been good once
        pages = {
            "index.html": server.page("index.html.j2", texts=sorted(preview.texts.items())),
            "problems.html": server.page("problems.html.j2", stem=stem, text=preview.texts[stem]),
            "last-good.html": server.with_reload(preview.texts[STEM].editions["html"], stem, preview.texts[stem]),
        }
    finally:
        server.server_close()
    files = []
    for name, page in pages.items():
        (tmp_path / name).write_bytes(page)
        files.append(tmp_path / name)
    assert [str(f) for f in nu_html_checker(files) + axe(files)] == []


def test_saving_the_configuration_rebuilds_every_text(served: tuple[str, Path]) -> None:
    url, source = served
    config = source.parent.parent / "pipeline.toml"  # the project folder the preview was started in
    events = Events(url)
    try:
        events.next()
        assert "urn:example:" not in get(f"{url}{STEM}.html")[2].decode("utf-8")
        save_until_rebuilt(config, 'identifier = "urn:example:{slug}:{language}"\n', events, STEM)
        assert f"urn:example:{STEM.replace('.', ':')}" in get(f"{url}{STEM}.html")[2].decode("utf-8")
    finally:
        events.close()


def test_the_preview_links_language_versions_as_the_build_does(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / NAME).write_text(FRONT + "\n1. Text.\n", encoding="utf-8")
    british = FRONT.replace("language: en", "language: en-GB")
    (folder / NAME.replace(".en.", ".en-gb.")).write_text(british + "\n1. Text.\n", encoding="utf-8")
    (folder / NAME.replace(".en.", ".old.")).write_text(FRONT + "\n1. Old text.\n", encoding="utf-8")
    preview = Preview([folder], tmp_path, formats=["html"])
    preview.build_all()
    page = preview.texts[NAME.removesuffix(".md")].editions["html"].decode()
    assert 'hreflang="en-GB"' in page and "resolution-1234-2001.en-gb.html" in page  # the tag as `build` writes it
    assert "resolution-1234-2001.old" not in page  # not a language version
