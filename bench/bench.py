"""`make bench`: our pipeline beside the plain pandoc route, on the same generated texts, in one run.

Measures, on a synthetic corpus (pipeline/testing/corpus.py, seed 1):
- cold time per text and format: a fresh process renders one text (start-up included);
- warm time per text and format: the mean over N texts once the engines are started;
- a full build of N texts in every format with -j 1 and -j 2, and the pandoc route done the
  same way (one process per text and format, one or two at a time);
- a no-op incremental rebuild of 1,000 texts; peak memory per worker (with its pandoc);
- ours divided by the plain route per text and format, and our PDF divided by WeasyPrint alone
  on the same HTML (issue 22's targets: DOCX <= 1.0, EPUB <= 0.6, PDF <= 1.05; the corpus
  build <= 0.40 of the plain route with the same number of processes);
- the cost per 1,000 words of the HTML and PDF editions at 2, 13 and 100 pages (CPU time of
  the rendering process: flat cost per word means 100 pages within 1.2 x of 13);
- the cold one-text HTML build (the edit loop: target 150 ms) and what its start-up imports;
- pandoc's part of a DOCX / EPUB: our long-lived pandoc, a process per call, pandoc's server API.

The pandoc route is what one would do without this pipeline: pandoc from Markdown straight to
HTML (standalone), DOCX, EPUB, and PDF with --pdf-engine=weasyprint, on the same sources.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
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

import pdf_sides  # bench/pdf_sides.py, beside this script
import pypandoc
from worker_memory import MemorySampler  # bench/worker_memory.py, beside this script

from pipeline.build import Builder
from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.model import Document
from pipeline.renderers import REGISTRY, pandoc_server
from pipeline.renderers.docx import DOCX_ASSETS, DocxRenderer
from pipeline.renderers.epub import EpubRenderer
from pipeline.renderers.pandoc import run_pandoc, run_pandoc_command
from pipeline.source import read
from pipeline.testing import corpus
from pipeline.testing.corpus import generate
from pipeline.workers import settle_collector

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PANDOC = pypandoc.get_pandoc_path()
FORMATS = list(REGISTRY)
PLAIN_FORMATS = ["html", "pdf", "docx", "epub"]  # what the plain route makes too (AKN is ours alone)
TARGETS = {"docx": 1.0, "epub": 0.6}  # ours / plain pandoc per text (issue 22)
PDF_TARGET = 1.05  # our PDF / WeasyPrint alone on the same HTML
CORPUS_TARGET = 0.40  # our corpus build / the plain route, same -j
SIZES = (2, 13, 100)  # pages of the texts whose cost per 1,000 words is compared
FLAT_TARGET = 1.2  # cost per word at 100 pages / at 13 pages
MEMORY_TARGET = 200  # MiB: a worker's private memory with its pandoc's, at their peak
PRIVATE_HEADING = "peak private memory per worker (with its pandoc), sampled"
COLD_HTML_TARGET = 0.150  # seconds: `pipeline build one.md --format html`, a fresh process
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
        # The commands start as on an editor's machine, from compiled bytecode: a shell that sets
        # PYTHONDONTWRITEBYTECODE would otherwise have every start compile the pipeline's modules
        # (a third more instructions); the bytecode goes to the bench's folder, not the checkout.
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
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
        words = self.cost_per_word()
        edit_loop = self.edit_loop()
        print(self.describe_sample())
        for rows in (per_format, builds, words, edit_loop, noop, server):
            print(table(rows[0], rows[1:]))
        print(f"\nbench took {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores", file=sys.stderr)

    # Per text and format ------------------------------------------------------------------------

    def per_format(self) -> list[list[str]]:
        header = ["format", "ours cold (1 process)", "ours warm (per text)", "pandoc cold", "pandoc per text"]
        rows = [[*header, "ours ÷ pandoc per text", "target"]]
        first = self.sample[0]
        for name in FORMATS:
            out = self.work / f"cold-{name}"
            command = [str(BIN / "pipeline"), "build", str(first), "--format", name, "--out", str(out), "--force"]
            ours_cold = self.median(partial(self.timed_process, command))
            builder = Builder([name], self.work / f"warm-{name}", Config())
            builder.build_one(first)  # the engine starts here
            settle_collector()  # as a worker does once its engines are started
            if name not in PANDOC_TARGETS:
                warm = statistics.mean(self.timed(partial(builder.build_one, source)) for source in self.sample[1:])
                rows.append([name, seconds(ours_cold), seconds(warm), "–", "–", "–", ""])
                continue
            pandoc_cold = self.median(partial(self.pandoc, first, name))
            # Text by text, ours then pandoc's: this machine's speed drifts by a third within an
            # hour, and a drift must move both sides of the ratio alike.
            pairs = [
                (self.timed(partial(builder.build_one, source)), self.pandoc(source, name))
                for source in self.sample[1:]
            ]
            warm = statistics.mean(ours for ours, _ in pairs)
            pandoc_each = statistics.mean(theirs for _, theirs in pairs)
            ratio = warm / pandoc_each
            target = f"≤ {TARGETS[name]:.2f}: {verdict(ratio <= TARGETS[name])}" if name in TARGETS else ""
            rows.append([name, *map(seconds, (ours_cold, warm, pandoc_cold, pandoc_each)), f"{ratio:.2f}", target])
        ours_pdf, alone = self.pdf_beside_weasyprint()
        ratio = ours_pdf / alone
        rows.append(
            [
                "pdf ÷ WeasyPrint alone, same HTML",
                "",
                seconds(ours_pdf),
                "",
                seconds(alone),
                f"{ratio:.2f}",
                f"≤ {PDF_TARGET:.2f}: {verdict(ratio <= PDF_TARGET)}",
            ]
        )
        return rows

    def pdf_beside_weasyprint(self) -> tuple[float, float]:
        """Our whole PDF render and WeasyPrint's write_pdf of its HTML, same options, per text
        (warm), each in a process of its own (bench/pdf_sides.py)."""
        return pdf_sides.side_by_side(self.sample)

    def pandoc(self, source: Path, name: str) -> float:
        target = self.work / "pandoc" / f"{source.stem}.{name}"
        target.parent.mkdir(exist_ok=True)
        return self.timed_process([PANDOC, str(source), *PANDOC_TARGETS[name], "-o", str(target)])

    # Full builds ----------------------------------------------------------------------------------

    def full_builds(self) -> list[list[str]]:
        """Our build of the sample in every format, then in the plain route's four beside the plain route."""
        count = len(self.sample)
        header = f"full build, {count} texts", "wall time", "per text", "peak RSS per worker (with its pandoc)"
        rows = [[*header, PRIVATE_HEADING, "ours ÷ pandoc route"]]
        for jobs in (1, 2):
            rows.append([f"ours, {len(FORMATS)} formats, -j {jobs}", *self.our_build(FORMATS, jobs, "all")[1:], ""])
        for jobs in (1, 2):
            ours = self.our_build(PLAIN_FORMATS, jobs, "plain")
            calls = [(source, name) for source in self.sample for name in PLAIN_FORMATS]
            start = time.perf_counter()
            with ThreadPoolExecutor(jobs) as pool:
                list(pool.map(lambda call: self.pandoc(*call), calls))
            elapsed = time.perf_counter() - start
            largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024  # the largest process so far
            ratio = ours[0] / elapsed
            target = f"{ratio:.2f} (≤ {CORPUS_TARGET:.2f}: {verdict(ratio <= CORPUS_TARGET)})"
            rows.append([f"ours, {len(PLAIN_FORMATS)} formats, -j {jobs}", *ours[1:], target])
            route = f"pandoc route, {len(PLAIN_FORMATS)} formats, {jobs} at a time"
            rows.append([route, seconds(elapsed), seconds(elapsed / count), f"{largest} MiB (one process)", "", ""])
        return rows

    def our_build(self, formats: list[str], jobs: int, label: str) -> tuple[float, str, str, str, str]:
        """Wall time, per text, the build's own peak-memory line, and the peaks sampled meanwhile."""
        out = self.work / f"build-{label}-j{jobs}"
        command = [str(BIN / "pipeline"), "build", str(self.sample_dir), "--out", str(out), "-j", str(jobs)]
        command += ["--format", ",".join(formats)]
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        with process, MemorySampler(process.pid) as sampler:
            _, stderr = process.communicate()
        elapsed = time.perf_counter() - start
        if process.returncode != 0:
            raise SystemExit(f"build failed:\n{stderr}")
        peak = re.search(r"peak memory per worker (\d+) MiB", stderr)
        largest = sampler.largest()
        private = largest.private_kib / 1024
        memory = (
            f"{private:.0f} MiB (< {MEMORY_TARGET} MiB: {verdict(private < MEMORY_TARGET)}; "
            f"+ {largest.shared_kib / 1024:.0f} MiB of program files, shared)"
        )
        per_text = seconds(elapsed / len(self.sample))
        return elapsed, seconds(elapsed), per_text, f"{peak[1] if peak else '?'} MiB", memory

    # Cost per word ------------------------------------------------------------------------------

    def cost_per_word(self) -> list[list[str]]:
        """CPU time per 1,000 words of the HTML and PDF renders (warm engines) at 2, 13 and 100 pages."""
        folder = self.work / "sizes"
        folder.mkdir()
        sized = []
        for pages in SIZES:
            document = read(sized_text(folder, pages), Config()).document
            assert document is not None, f"the generated {pages}-page text does not read"
            sized.append(document)
        rows = [["cost per 1,000 words (CPU, warm)", *(f"{pages} pages" for pages in SIZES), "100 ÷ 13 pages"]]
        for name in ("html", "pdf"):
            renderer = REGISTRY[name](Config())
            costs = []
            for document in sized:
                renderer.render(document)  # warm: fonts and templates loaded
                best = min(cpu_time(partial(renderer.render, document)) for _ in range(self.repeat))
                costs.append(best / words_of(document) * 1000)
            ratio = costs[2] / costs[1]
            flat = f"{ratio:.2f} (≤ {FLAT_TARGET}: {verdict(ratio <= FLAT_TARGET)})"
            rows.append([name, *(seconds(cost) for cost in costs), flat])
        rows.append(["words", *(str(words_of(d)) for d in sized), ""])
        return rows

    # The edit loop ------------------------------------------------------------------------------

    def edit_loop(self) -> list[list[str]]:
        """`pipeline build one.md` in a fresh process (cold), and the imports its start-up pays for."""
        first = self.sample[0]
        rows = [["cold one-text build (fresh process)", "median", "best", "CPU (median)", "target"]]
        commands = {}
        for name in ("html", "pdf"):
            out = self.work / f"edit-{name}"
            commands[f"pipeline build one.md --format {name}"] = [
                *(str(BIN / "pipeline"), "build", str(first), "--format", name, "--out", str(out), "--force")
            ]
        commands["python start-up alone"] = [sys.executable, "-c", "pass"]
        commands["python -c 'import pipeline.cli'"] = [sys.executable, "-c", "import pipeline.cli"]
        for label, command in commands.items():
            self.timed_process(command)  # compiled templates and bytecode cached once, as on an editor's machine
            runs = [cpu_and_wall(command) for _ in range(max(self.repeat, 5))]
            times, cpu = [wall for wall, _ in runs], [used for _, used in runs]
            target = ""
            if label.endswith("html"):  # on a loaded machine the CPU time is the steadier of the two
                target = f"≤ {seconds(COLD_HTML_TARGET)}: {verdict(min(times) <= COLD_HTML_TARGET)}"
            median = seconds(statistics.median(times))
            rows.append([label, median, seconds(min(times)), seconds(statistics.median(cpu)), target])
        return rows

    # No-op rebuild ------------------------------------------------------------------------------

    def noop_rebuild(self) -> list[list[str]]:
        out = self.work / "noop"
        formats = ["html"]  # 1,000 texts in every format would take the whole budget to build first
        build_corpus([self.corpus], formats, out, Config(), workers=os.cpu_count() or 1)
        inside = self.median(partial(self.timed, partial(build_corpus, [self.corpus], formats, out, Config())))
        command = [str(BIN / "pipeline"), "build", str(self.corpus), "--format", "html", "--out", str(out)]
        whole = self.median(partial(self.timed_process, command))
        sample_out = self.work / "build-all-j2"
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

        metadata = {"lang": "en"}

        def ours_now(text: str, to: str) -> bytes:
            return run_pandoc(text, to, {"lang": "en"}, "bench", ours[to])

        def one_process(text: str, to: str) -> bytes:
            return run_pandoc_command(text, to, metadata, "bench", ours[to])

        def plain(text: str, to: str) -> bytes:
            return run_pandoc_command(text, to, metadata, "bench", reference if to == "docx" else [])

        def served(text: str, to: str) -> bytes:
            return pandoc_cgi(self.cgi, text, to, DOCX_ASSETS / "reference.docx" if to == "docx" else None)

        whole = [seconds(statistics.mean(self.timed(partial(r.render, d)) for d in documents)) for r in (docx, epub)]
        startup = seconds(self.median(partial(self.timed_process, [PANDOC, "--version"])))
        server = mean(ours_now)
        peak = pandoc_server.peak_kib() // 1024
        return [
            ["pandoc's part of a DOCX / EPUB (mean per text)", "docx", "epub"],
            ["our renderer, whole (template + pandoc + finishing)", *whole],
            ["our long-lived pandoc (`pandoc lua`), as we run it", *server],
            ["pandoc process per call, as we ran it before (filter, metadata file)", *mean(one_process)],
            ["pandoc process per call, only what the server API can express", *mean(plain)],
            ["the same through the server API (run as CGI: one process too)", *mean(served)],
            ["pandoc process start-up alone (pandoc --version)", startup, startup],
            [f"`pandoc server` itself: {server_status()}", "–", "–"],
            ["peak resident size of our long-lived pandoc", f"{peak} MiB", f"{peak} MiB"],
        ]

    # Helpers ------------------------------------------------------------------------------------

    def describe_sample(self) -> str:
        import pikepdf

        pages = []
        for pdf in sorted((self.work / "build-all-j1").glob("*.pdf")):
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


def sized_text(folder: Path, pages: int, seed: int = 1) -> Path:
    """A generated text of about `pages` print pages (the corpus draws at most 15)."""
    text = corpus.skeleton(seed, 0)
    text.pages = pages
    text.main = corpus._paragraphs(random.Random(f"bench:{seed}:{pages}"), pages * corpus.WORDS_PER_PAGE, pages)
    text.appendix = []
    text.number += pages  # one name per size
    path = folder / text.name("en").source_name
    path.write_text(corpus.source_text(text, "en", seed), encoding="utf-8")
    return path


def cpu_and_wall(command: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of a command run in a fresh process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit status {process.returncode})")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime


def words_of(document: Document) -> int:
    return len(document.source.decode("utf-8").split("\n---\n", 1)[-1].split())


def cpu_time(action: Callable[[], object]) -> float:
    """CPU seconds of this process: other users of a shared machine do not count."""
    start = time.process_time()
    action()
    return time.process_time() - start


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


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
