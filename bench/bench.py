"""`make bench`: our pipeline beside the plain pandoc route, on the same generated texts, in one run.

Measures, on a synthetic corpus (pipeline/testing/corpus.py, seed 1):
- cold time per text and format: a fresh process renders one text (start-up included);
- warm time per text and format: the mean over N texts once the engines are started;
- a full build of N texts in every format with -j 1 and -j 2, and the pandoc route done the
  same way (one process per text and format, one or two at a time);
- a no-op incremental rebuild of 1,000 texts; peak memory per worker;
- whether `pandoc server` would be faster than one pandoc process per DOCX/EPUB.

The pandoc route is what one would do without this pipeline: pandoc from Markdown straight to
HTML (standalone), DOCX, EPUB, and PDF with --pdf-engine=weasyprint, on the same sources.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pypandoc

from pipeline.build import Builder
from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.renderers import REGISTRY
from pipeline.renderers.docx import DOCX_ASSETS, DocxRenderer
from pipeline.renderers.epub import EpubRenderer
from pipeline.renderers.pandoc import run_pandoc
from pipeline.source import read
from pipeline.testing.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PANDOC = pypandoc.get_pandoc_path()
FORMATS = list(REGISTRY)
PANDOC_TARGETS = {  # the plain route: extension and the arguments after the source
    "html": ["-s", "-t", "html5"],
    "pdf": ["--pdf-engine=weasyprint"],
    "docx": [],
    "epub": [],
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=24, help="texts in the timed builds (default 24)")
    parser.add_argument("--noop", type=int, default=1000, help="texts in the no-op rebuild (default 1000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cold measurement (median kept)")
    parser.add_argument("--seed", type=int, default=1)
    arguments = parser.parse_args(argv)
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"  # pandoc finds the venv's weasyprint
    with tempfile.TemporaryDirectory(prefix="pipeline-bench-") as folder:
        Bench(Path(folder), arguments.texts, arguments.noop, arguments.repeat, arguments.seed).run()
    return 0


class Bench:
    def __init__(self, work: Path, texts: int, noop: int, repeat: int, seed: int) -> None:
        self.work = work
        self.repeat = repeat
        self.corpus = work / "corpus"
        self.all_sources = generate(self.corpus, max(noop, texts), seed)
        self.sample_dir = work / "sample"
        self.sample_dir.mkdir()
        self.sample = [Path(shutil.copy(p, self.sample_dir)) for p in self.all_sources[:texts]]
        self.noop = noop
        self.cgi = work / "pandoc-server.cgi"  # the pandoc binary runs its server API as CGI under this name
        self.cgi.symlink_to(PANDOC)

    def run(self) -> None:
        started = time.perf_counter()
        per_format = self.per_format()
        builds = self.full_builds()
        noop = self.noop_rebuild()
        server = self.pandoc_server()
        print(self.describe_sample())
        print(table(["format", *per_format[0][1:]], [row for row in per_format[1:]]))
        print(table(builds[0], builds[1:]))
        print(table(noop[0], noop[1:]))
        print(table(server[0], server[1:]))
        print(f"\nbench took {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores", file=sys.stderr)

    # Per text and format ------------------------------------------------------------------------

    def per_format(self) -> list[list[str]]:
        rows = [["", "ours cold (1 process)", "ours warm (per text)", "pandoc cold", "pandoc per text"]]
        first = self.sample[0]
        for name in FORMATS:
            out = self.work / f"cold-{name}"
            command = [str(BIN / "pipeline"), "build", str(first), "--format", name, "--out", str(out), "--force"]
            ours_cold = self.median(partial(self.timed_process, command))
            builder = Builder([name], self.work / f"warm-{name}", Config())
            builder.build_one(first)  # the engine starts here
            warm = statistics.mean(self.timed(partial(builder.build_one, source)) for source in self.sample[1:])
            pandoc_cold = self.median(partial(self.pandoc, first, name))
            pandoc_each = statistics.mean(self.pandoc(source, name) for source in self.sample)
            rows.append([name, *map(seconds, (ours_cold, warm, pandoc_cold, pandoc_each))])
        return rows

    def pandoc(self, source: Path, name: str) -> float:
        target = self.work / "pandoc" / f"{source.stem}.{name}"
        target.parent.mkdir(exist_ok=True)
        return self.timed_process([PANDOC, str(source), *PANDOC_TARGETS[name], "-o", str(target)])

    # Full builds ----------------------------------------------------------------------------------

    def full_builds(self) -> list[list[str]]:
        count = len(self.sample)
        rows = [[f"full build, {count} texts x {len(FORMATS)} formats", "wall time", "per text", "peak RSS per worker"]]
        for jobs in (1, 2):
            out = self.work / f"build-j{jobs}"
            command = [str(BIN / "pipeline"), "build", str(self.sample_dir), "--out", str(out), "-j", str(jobs)]
            start = time.perf_counter()
            result = subprocess.run(command, capture_output=True, text=True, check=False)
            elapsed = time.perf_counter() - start
            if result.returncode != 0:
                raise SystemExit(f"build failed:\n{result.stderr}")
            peak = re.search(r"peak memory per worker (\d+) MiB", result.stderr)
            rows.append(
                [f"ours -j {jobs}", seconds(elapsed), seconds(elapsed / count), f"{peak[1] if peak else '?'} MiB"]
            )
        for jobs in (1, 2):
            calls = [(source, name) for source in self.sample for name in FORMATS]
            start = time.perf_counter()
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(lambda call: self.pandoc(*call), calls))
            elapsed = time.perf_counter() - start
            largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # the largest process so far
            row = [f"pandoc route, {jobs} at a time", seconds(elapsed), seconds(elapsed / count), f"{largest} MiB"]
            rows.append(row)
        return rows

    # No-op rebuild ------------------------------------------------------------------------------

    def noop_rebuild(self) -> list[list[str]]:
        out = self.work / "noop"
        formats = ["html"]  # 1,000 texts in every format would take the whole budget to build first
        build_corpus([self.corpus], formats, out, Config(), workers=os.cpu_count() or 1)
        inside = self.median(partial(self.timed, partial(build_corpus, [self.corpus], formats, out, Config())))
        command = [str(BIN / "pipeline"), "build", str(self.corpus), "--format", "html", "--out", str(out)]
        whole = self.median(partial(self.timed_process, command))
        sample_out = self.work / "build-j2"
        all_formats = self.median(
            lambda: self.timed(lambda: build_corpus([self.sample_dir], FORMATS, sample_out, Config()))
        )
        return [
            ["no-op rebuild (nothing changed)", "time"],
            [f"{self.noop} texts (html), in-process", seconds(inside)],
            [f"{self.noop} texts (html), `pipeline build` command", seconds(whole)],
            [f"{len(self.sample)} texts x {len(FORMATS)} formats, in-process", seconds(all_formats)],
        ]

    # pandoc server ------------------------------------------------------------------------------

    def pandoc_server(self) -> list[list[str]]:
        """pandoc's share of a DOCX/EPUB: one process per call, and the server API for the same work."""
        documents = [reading.document for reading in (read(s, Config()) for s in self.sample) if reading.document]
        docx, epub = DocxRenderer(Config()), EpubRenderer(Config())
        reference = ["--reference-doc", str(DOCX_ASSETS / "reference.docx")]
        ours = {"docx": [*reference, "--lua-filter", str(DOCX_ASSETS / "number-tab.lua")], "epub3": []}
        html = {
            "docx": [docx.render_template(d) for d in documents],
            "epub3": [epub.render_template(d) for d in documents],
        }

        def mean(action: Callable[[str, str], object]) -> list[str]:
            return [seconds(statistics.mean(self.timed(partial(action, h, to)) for h in html[to])) for to in html]

        def ours_now(text: str, to: str) -> bytes:
            return run_pandoc(text, to, {"lang": "en"}, "bench", ours[to])

        def plain(text: str, to: str) -> bytes:
            return run_pandoc(text, to, {"lang": "en"}, "bench", reference if to == "docx" else [])

        def served(text: str, to: str) -> bytes:
            return pandoc_cgi(self.cgi, text, to, DOCX_ASSETS / "reference.docx" if to == "docx" else None)

        whole = [seconds(statistics.mean(self.timed(partial(r.render, d)) for d in documents)) for r in (docx, epub)]
        startup = seconds(self.median(partial(self.timed_process, [PANDOC, "--version"])))
        return [
            ["pandoc's part of a DOCX / EPUB (mean per text)", "docx", "epub"],
            ["our renderer, whole (template + pandoc + finishing)", *whole],
            ["pandoc process per call, as we run it (filter, metadata file)", *mean(ours_now)],
            ["pandoc process per call, only what the server API can express", *mean(plain)],
            ["the same through the server API (run as CGI: one process too)", *mean(served)],
            ["pandoc process start-up alone (pandoc --version)", startup, startup],
            [f"`pandoc server` itself: {server_status()}", "–", "–"],
        ]

    # Helpers ------------------------------------------------------------------------------------

    def describe_sample(self) -> str:
        import pikepdf

        pages = []
        for pdf in sorted((self.work / "build-j1").glob("*.pdf")):
            with pikepdf.open(pdf) as document:
                pages.append(len(document.pages))
        words = [len(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1].split()) for p in self.sample]
        languages = sorted({p.name.split(".")[-2] for p in self.sample})
        return (
            f"\nSample: {len(self.sample)} generated sources ({', '.join(languages)}), "
            f"{min(pages)} to {max(pages)} pages (mean {statistics.mean(pages):.1f}), "
            f"{statistics.mean(words):.0f} words on average; {os.cpu_count()} cores.\n"
        )

    def median(self, measure: Callable[[], float]) -> float:
        return statistics.median(measure() for _ in range(self.repeat))

    @staticmethod
    def timed(action: Callable[[], object]) -> float:
        start = time.perf_counter()
        action()
        return time.perf_counter() - start

    @staticmethod
    def timed_process(command: list[str]) -> float:
        start = time.perf_counter()
        result = subprocess.run(command, capture_output=True, check=False, cwd=ROOT)
        elapsed = time.perf_counter() - start
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr.decode()}")
        return elapsed


def server_status() -> str:
    """Start `pandoc server` on a free local port and send it one conversion."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([PANDOC, "server", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/",
            data=json.dumps({"text": "<p>x</p>", "from": "html", "to": "docx"}).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/octet-stream"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
            return "answers"
        except OSError:
            pass
    finally:
        server.terminate()
        output, errors = server.communicate(timeout=5)
    reason = b"requires linking against the threaded runtime" in output + errors
    return "crashes on every request (pandoc built without the threaded runtime)" if reason else "fails"


LANG = {"lang": {"t": "MetaString", "c": "en"}}  # the API takes pandoc's JSON metadata values


def pandoc_cgi(program: Path, html: str, to: str, reference: Path | None) -> bytes:
    """One conversion through pandoc's server API, run as a CGI program (the same binary, renamed)."""
    request: dict[str, object] = {
        "text": html,
        "from": "html",
        "to": to,
        "standalone": True,
        "metadata": LANG,
    }
    if reference:
        request |= {
            "reference-doc": reference.name,
            "files": {reference.name: base64.b64encode(reference.read_bytes()).decode()},
        }
    body = json.dumps(request).encode()
    environment = {
        "REQUEST_METHOD": "POST",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "HTTP_ACCEPT": "application/octet-stream",
        "PATH_INFO": "/",
        "SCRIPT_NAME": "/pandoc-server.cgi",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "REMOTE_HOST": "localhost",
    }
    result = subprocess.run([str(program)], input=body, env=environment, capture_output=True, check=True)
    if not result.stdout.startswith(b"Status: 200"):
        raise SystemExit(f"pandoc's server API refused the request: {result.stdout[:300]!r}")
    return result.stdout


def seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)) + " |",
        "|" + "|".join("-" * (width + 2) for width in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) + " |" for row in rows
    ]
    return "\n" + "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
