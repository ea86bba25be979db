"""`make bench`: save-to-reload time of `pipeline preview` on the seed (HTML + PDF, warm engines).

A preview of a copy of the seed runs in this process, as `pipeline preview` does; each round
saves a changed source and times until the server's reload event has arrived and both the HTML
and the PDF have been fetched again, as a browser that reloads would. The target is 0.5 s.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from pipeline.preview import Preview
from pipeline.preview_server import PreviewServer, watching

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "recommendation-1607-2003.en.md"
STEM = SEED.name.removesuffix(".md")
TARGET_SECONDS = 0.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="saves timed (default 15)")
    rounds = parser.parse_args(argv).rounds
    with tempfile.TemporaryDirectory(prefix="pipeline-preview-bench-") as folder:
        source = Path(shutil.copy(SEED, Path(folder)))
        preview = Preview([source], Path(folder))
        preview.build_all()
        server = PreviewServer(preview, "127.0.0.1", 0)
        with watching(server):
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
            try:
                times = measure(server.url, source, rounds)
            finally:
                server.shutdown()
    median, worst = statistics.median(times), max(times)
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print("| preview: save to reloaded HTML + PDF (seed) | median | worst  | target |")
    print("|----------------------------------------------|--------|--------|--------|")
    label = f"{rounds} saves, warm engines"
    print(f"| {label:<44} | {median * 1000:4.0f} ms | {worst * 1000:4.0f} ms | {verdict} 500 ms |")
    return 0


def measure(url: str, source: Path, rounds: int) -> list[float]:
    host, port = url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/events")
    stream = connection.getresponse()
    next_reload(stream)  # the version now
    original = source.read_text(encoding="utf-8")
    times = []
    time.sleep(1.0)  # the watchers set up their inotify watches in their own threads
    for number in range(rounds + 1):  # the first save warms the caches of a change: not timed
        started = time.perf_counter()
        source.write_text(original.replace("growing economic", f"growing ({number}) economic"), encoding="utf-8")
        while STEM not in next_reload(stream):
            pass
        for extension in ("html", "pdf"):
            with urllib.request.urlopen(f"{url}{STEM}.{extension}", timeout=30) as response:
                body = response.read()
                assert response.status == 200 and body, extension
        if number:
            times.append(time.perf_counter() - started)
    connection.close()
    return times


def next_reload(stream: http.client.HTTPResponse) -> list[str]:
    """The texts rebuilt, from the next reload event ([] for the first event of a stream)."""
    for raw in stream:
        line = raw.decode("utf-8")
        if line.startswith("data: "):
            return list(json.loads(line.removeprefix("data: "))["changed"] or [])
    raise EOFError("the event stream ended")


if __name__ == "__main__":
    sys.exit(main())
