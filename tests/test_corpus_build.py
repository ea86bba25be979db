"""Corpus builds: the generator, incremental rebuilds, parallel workers, progress, and kill -9 safety."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import pytest

from pipeline import build, workers
from pipeline.buildstate import STATE_NAME
from pipeline.config import Config
from pipeline.errors import Problem
from pipeline.fingerprints import Inputs, fingerprints
from pipeline.incremental import Summary, build_corpus
from pipeline.outcome import Outcome
from pipeline.progress import Display, print_summary
from pipeline.site import is_site_file
from pipeline.source import read
from pipeline.testing.corpus import generate, skeleton
from tests.conftest import FORMATS, ROOT
from tests.test_buildstate import query, recorded

SMALL_TEXTS = 10  # the kill test needs enough work to be caught in the middle of it


def pipeline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def visible(folder: Path) -> dict[str, bytes]:
    """Every file a reader of the folder sees (temporary files and the build state are hidden)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".") and p.is_file()}


def complete(path: Path) -> bool:
    """The file is whole: what a reader would choke on if a write had been cut short."""
    data = path.read_bytes()
    if path.suffix == ".pdf":
        return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    if path.suffix in {".docx", ".epub"}:
        with zipfile.ZipFile(path) as package:
            return package.testzip() is None
    if path.suffix == ".html":
        return data.rstrip().endswith(b"</html>")
    if path.name.endswith(".akn.xml"):
        return data.rstrip().endswith(b"</akomaNtoso>")
    return path.suffix == ".json" and isinstance(json.loads(data), dict)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shortest of 30 generated sources: enough texts for parallel work, quick to render."""
    pool = tmp_path_factory.mktemp("generated")
    sources = sorted(generate(pool, 30, seed=3), key=lambda p: (p.stat().st_size, p.name))[:SMALL_TEXTS]
    corpus = tmp_path_factory.mktemp("small-corpus")
    for source in sources:
        shutil.copyfile(source, corpus / source.name)
    return corpus


@pytest.fixture(scope="module")
def clean_build(small_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every format of the small corpus built by one process: the reference for the other builds."""
    out = tmp_path_factory.mktemp("clean")
    result = pipeline("build", str(small_corpus), "--out", str(out), "-j", "1")
    assert result.returncode == 0, result.stderr
    return out


# The corpus generator ----------------------------------------------------------------------------


def test_the_generator_is_deterministic_and_a_small_corpus_starts_a_large_one(tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in generate(tmp_path / "a", 12, seed=5)}
    again = {p.name: p.read_bytes() for p in generate(tmp_path / "b", 12, seed=5)}
    larger = {p.name: p.read_bytes() for p in generate(tmp_path / "c", 20, seed=5)}
    other = {p.name: p.read_bytes() for p in generate(tmp_path / "d", 12, seed=6)}
    assert first == again
    assert first.items() <= larger.items()
    assert first != other


def test_generated_texts_are_valid_realistic_and_in_both_languages(tmp_path: Path) -> None:
    sources = generate(tmp_path, 20, seed=1)
    problems = [str(p) for source in sources for p in read(source, Config()).problems]
    assert problems == []
    languages = {source.name.split(".")[-2] for source in sources}
    assert languages == {"en", "fr"}
    lengths = [skeleton(1, index).pages for index in range(500)]
    assert min(lengths) == 1 and max(lengths) == 15 and sorted(lengths)[250] <= 4  # mostly short, as in life
    text = "\n".join(source.read_text(encoding="utf-8") for source in sources)
    for feature in ("[^n1]", "\n> ", "|---|---|---|", ".1.1. ", "\na. ", "## Appendix", "## Annexe"):
        assert feature in text, f"no generated text has {feature!r}"


# Incremental builds ------------------------------------------------------------------------------


def html_build(sources: Path, out: Path, **options: object) -> Summary:
    config = options.pop("config", Config())
    assert isinstance(config, Config)
    return build_corpus([sources], ["html"], out, config, **options)  # type: ignore[arg-type]


def test_the_library_builds_as_the_command_does(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    generate(sources, 3, seed=4)
    html_build(sources, tmp_path / "cli")
    library = build([sources], ["html"], tmp_path / "library")
    assert [o.source.name for o in library] == sorted(p.name for p in sources.iterdir())
    assert not any(o.failed for o in library)
    # Without the manifest: the same editions, no catalogue, nothing recorded, all rebuilt again.
    assert visible(tmp_path / "library") == {k: v for k, v in visible(tmp_path / "cli").items() if not is_site_file(k)}
    assert not (tmp_path / "library" / STATE_NAME).exists()
    assert len(build([sources], ["html"], tmp_path / "library")) == 3
    # With it: the command's folder exactly, and a second call has nothing to do.
    assert len(build([sources], ["html"], tmp_path / "recorded", manifest=True)) == 3
    assert visible(tmp_path / "recorded") == visible(tmp_path / "cli")
    assert build([sources], ["html"], tmp_path / "recorded", manifest=True) == []


def test_the_library_refuses_the_catalogue_name_as_the_command_does(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    [text] = generate(sources, 1, seed=4)
    text.rename(sources / "index.md")  # its web edition would be the catalogue page
    for outcomes in (build([sources], ["html"], tmp_path / "library"), html_build(sources, tmp_path / "cli").outcomes):
        [outcome] = outcomes
        assert outcome.failure == "index.html is the catalogue page: rename the source"
    assert not (tmp_path / "library").exists()


def reasons(summary: Summary) -> dict[str, set[str]]:
    return {path.name: set(by_format.values()) for path, by_format in summary.reasons.items()}


def test_a_second_build_does_nothing_and_touches_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    generate(sources, 6, seed=2)
    out = tmp_path / "out"
    first = html_build(sources, out)
    assert (len(first.outcomes), first.up_to_date) == (6, [])
    times = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    second = html_build(sources, out)
    assert second.outcomes == [] and len(second.up_to_date) == 6
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == times


def test_only_what_changed_is_rebuilt_and_each_rebuild_says_why(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    paths = generate(sources, 8, seed=2)
    pairs = [p for p in paths if p.name.endswith(".en.md") and french_of(p).exists()]
    english, lone = pairs[0], pairs[1]
    french_of(lone).unlink()
    out = tmp_path / "out"
    html_build(sources, out)

    english.write_text(english.read_text(encoding="utf-8") + "\nAn added paragraph.\n", encoding="utf-8")
    assert reasons(html_build(sources, out)) == {english.name: {"source changed"}}

    (out / lone.name.replace(".md", ".html")).unlink()
    assert reasons(html_build(sources, out)) == {lone.name: {"output missing"}}

    edited = out / english.name.replace(".md", ".html")
    edited.write_bytes(edited.read_bytes().replace(b"Assembly", b"Assembla"))
    assert reasons(html_build(sources, out)) == {english.name: {"output modified"}}

    os.utime(edited, ns=(1, 1))  # touched, same bytes: re-hashed, found equal, not rebuilt
    assert reasons(html_build(sources, out)) == {}

    french = french_of(lone)
    french.write_text(lone.read_text(encoding="utf-8").replace("language: en", "language: fr"), encoding="utf-8")
    assert reasons(html_build(sources, out)) == {lone.name: {"language versions changed"}, french.name: {"new"}}

    count = len(list(sources.iterdir()))
    published = html_build(sources, out, config=Config(publication_url="https://example.int/texts/"))
    assert reasons(published) == {}  # the web edition's links stay relative: it does not read the key
    changed = html_build(sources, out, config=Config(identifier="urn:x:{slug}:{language}"))
    assert list(reasons(changed).values()) == [{"configuration changed"}] * count

    assert list(reasons(html_build(sources, out, force=True)).values()) == [{"forced"}] * count


def french_of(english: Path) -> Path:
    return english.with_name(english.name.removesuffix("en.md") + "fr.md")


def test_a_template_or_tool_change_rebuilds_only_its_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pipeline.incremental as incremental

    sources = tmp_path / "sources"
    generate(sources, 3, seed=2)
    out = tmp_path / "out"
    build_corpus([sources], ["html", "epub"], out, Config())

    def changed(formats: list[str], config: Config) -> dict[str, Inputs]:
        found = fingerprints(formats, config)
        found["epub"] = Inputs("other templates", found["epub"].tools, found["epub"].config)
        return found

    monkeypatch.setattr(incremental, "fingerprints", changed)
    summary = build_corpus([sources], ["html", "epub"], out, Config())
    assert [set(r.items()) for r in summary.reasons.values()] == [{("epub", "templates changed")}] * 3
    assert {edition.format for o in summary.outcomes for edition in o.editions} == {"epub"}
    assert len(build_corpus([sources], ["html", "epub"], out, Config()).up_to_date) == 3
    monkeypatch.undo()
    added = build_corpus([sources], ["html", "epub", "docx"], out, Config())
    assert [r for r in added.reasons.values()] == [{"epub": "templates changed", "docx": "new format"}] * 3
    again = build_corpus([sources], ["html", "epub", "docx"], out, Config())
    assert again.outcomes == [] and len(again.up_to_date) == 3


def test_a_no_op_rebuild_of_hundreds_of_texts_renders_and_writes_nothing(tmp_path: Path) -> None:
    """How quick it is belongs to `make bench` (no-op rebuild of 1,000 texts), not to a timed test."""
    sources = tmp_path / "sources"
    generate(sources, 200, seed=4)
    out = tmp_path / "out"
    html_build(sources, out, workers=2)
    times = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    summary = html_build(sources, out, workers=2)
    assert len(summary.up_to_date) == 200
    assert summary.outcomes == []
    assert {p.name: p.stat().st_mtime_ns for p in out.iterdir()} == times


def test_sources_that_would_overwrite_other_files_are_refused(tmp_path: Path) -> None:
    [first] = generate(tmp_path / "a", 1, seed=2)
    generate(tmp_path / "b", 1, seed=2)
    (tmp_path / "b" / "index.md").write_bytes(first.read_bytes())
    summary = build_corpus([tmp_path / "a", tmp_path / "b"], ["html"], tmp_path / "out", Config())
    refused = {o.source.relative_to(tmp_path).as_posix(): o.failure for o in summary.outcomes if o.failed}
    assert refused == {
        f"b/{first.name}": f"same file name as {first}: both would write {first.name[:-3]}.* (rename one)",
        "b/index.md": "index.html is the catalogue page: rename the source",
    }


# Parallel builds and kill -9 ---------------------------------------------------------------------


def test_a_killed_build_leaves_only_complete_files_and_the_next_build_repairs_it(
    small_corpus: Path, clean_build: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    command = [sys.executable, "-m", "pipeline", "build", str(small_corpus), "--out", str(out), "-j", "2"]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if out.is_dir() and len([p for p in out.iterdir() if not p.name.startswith(".")]) >= 3:
                break
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, mid-way
        process.wait()
    shown = [p for p in out.iterdir() if not p.name.startswith(".")]
    assert 0 < len(shown) < len(FORMATS) * SMALL_TEXTS, "the build was not caught in the middle"
    assert [p.name for p in shown if not complete(p)] == []
    assert query(out, "PRAGMA integrity_check") == [("ok",)]  # what was committed, whole
    for stem, text in recorded(out).items():  # a text's rows are written only after its files
        assert isinstance(text["editions"], dict) and len(text["editions"]) == len(FORMATS), stem
        assert all((out / e["file"]).stat().st_size == e["size"] for e in text["editions"].values()), stem

    result = pipeline("build", str(small_corpus), "--out", str(out), "-j", "2")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in out.iterdir() if p.name.endswith(".part")] == []
    assert visible(out) == visible(clean_build)
    assert recorded(out) == recorded(clean_build)


def worker_processes() -> list[int]:
    """This process's pool workers: children forked from it (running what it runs) or spawned
    (multiprocessing's spawn_main); not pandoc, nor multiprocessing's resource tracker."""
    me = os.getpid()
    children = Path(f"/proc/{me}/task/{me}/children").read_text().split()
    mine = Path(f"/proc/{me}/cmdline").read_bytes()
    return [int(pid) for pid in children if _command(int(pid)) == mine or b"spawn_main" in _command(int(pid))]


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # ended meanwhile
        return b""


@pytest.mark.parametrize("grouped", [False, True], ids=["one text a task", "texts grouped in tasks"])
def test_a_worker_killed_mid_build_costs_nothing_but_time(
    grouped: bool, small_corpus: Path, clean_build: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if grouped:  # as in a large corpus: several texts to a task, the crash in the middle of one
        monkeypatch.setattr(workers, "TASKS_PER_WORKER", 1)
    killed: list[int] = []

    def kill_a_worker_once_work_is_under_way() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not killed:
            started = [p for p in tmp_path.iterdir() if p.suffix == ".pdf"]
            workers = worker_processes() if started else []
            if workers:
                os.kill(workers[0], signal.SIGKILL)  # as the kernel's OOM killer would
                killed.append(workers[0])
            time.sleep(0.02)

    killer = threading.Thread(target=kill_a_worker_once_work_is_under_way)
    killer.start()
    try:
        summary = build_corpus([small_corpus], FORMATS, tmp_path, Config(), workers=2)
    finally:
        killer.join()
    assert killed, "no worker was killed"
    assert [o.failure for o in summary.outcomes if o.failed] == []
    assert len(summary.outcomes) == SMALL_TEXTS
    assert visible(tmp_path) == visible(clean_build)


def test_two_workers_build_what_one_builds(small_corpus: Path, clean_build: Path, tmp_path: Path) -> None:
    summary = build_corpus([small_corpus], FORMATS, tmp_path, Config(), workers=2)
    assert not [o for o in summary.outcomes if o.failed]
    assert len({o.worker for o in summary.outcomes}) == 2, "the work was not shared between two processes"
    assert visible(tmp_path) == visible(clean_build)


# What the command shows --------------------------------------------------------------------------


def test_the_log_names_each_text_and_ends_with_a_summary(tmp_path: Path, source_copy: Path) -> None:
    sources = tmp_path / "sources"
    generate(sources, 3, seed=2)
    broken = sources / source_copy.name
    broken.write_text(source_copy.read_text(encoding="utf-8").replace("6.3. the", "6.9. the"), encoding="utf-8")
    out = tmp_path / "out"
    result = pipeline("build", str(sources), "--format", "html", "--out", str(out), "-j", "2")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "pipeline: 4 to build, 0 up to date"
    assert sum(1 for line in lines if line.startswith("[") and " built " in line and line.endswith(": new")) == 3
    assert any(line.startswith(f"{broken}:") and ": error: paragraph numbering jumps" in line for line in lines)
    assert any(re.match(r"\| failed +\| +1 \|", line) for line in lines)
    assert any(f"{broken.name}: line " in line for line in lines)
    absent = [line for line in lines if ": warning: " in line and " is not in the corpus: " in line]
    assert len(absent) == len(set(absent)) > 0  # each citation of a text not built, once
    assert f"{len(absent)} references to texts not in the corpus" in result.stderr
    assert lines[-1] == f"3 of 4 texts built, 3 files written; 1 failed, {len(absent)} warnings"

    again = pipeline("build", str(sources), "--format", "html", "--out", str(out))
    assert again.returncode == 1
    assert again.stderr.splitlines()[0] == "pipeline: 1 to build, 3 up to date"
    assert again.stderr.splitlines()[-1] == "3 of 4 texts built (3 up to date), 0 files written; 1 failed, 0 warnings"


def test_on_a_terminal_a_progress_bar_and_still_one_line_per_problem() -> None:
    stream = io.StringIO()
    display = Display(stream, interactive=True)
    display.start(2, 0)
    long_message = "a problem message long enough to be wrapped on any terminal " * 3
    problem = Problem(Path("source/x.en.md"), 12, long_message.strip(), column=3)
    display.outcome(Outcome(Path("source/x.en.md"), problems=[problem]), {"html": "new"})
    display.outcome(Outcome(Path("source/y.en.md")), {"html": "new"})
    display.close()
    print_summary(Summary(2, [], [], {}, 0), display)
    text = stream.getvalue()
    assert f"source/x.en.md:12:3: error: {long_message.strip()}\n" in text
    assert "2/2" in text and "texts/s" in text


def test_off_a_terminal_the_summary_is_a_plain_table_that_never_wraps() -> None:
    stream = io.StringIO()
    display = Display(stream, interactive=False)
    failure = Outcome(Path("source/x.en.md"), failure="a reason long enough to pass any terminal's width " * 3)
    print_summary(Summary(2, [failure, Outcome(Path("source/y.en.md"))], [], {}, 0), display)
    lines = stream.getvalue().splitlines()
    rule = lines[1]
    assert lines[0] == "Summary" and rule.startswith("+------------+-------+---") and set(rule) == {"+", "-"}
    assert lines[2].startswith("| Result     | Texts | Why ") and lines[2].endswith(" |") and lines[3] == rule
    assert lines[4].startswith("| built      |     1 |") and lines[6].startswith("| failed     |     1 |")
    assert f"x.en.md: {failure.failure} |" in lines[7] and lines[8] == rule  # one line, however long
    assert len({len(line) for line in lines[1:9]}) == 1
    assert lines[-1] == "1 of 2 texts built, 0 files written; 1 failed, 0 warnings"


def test_usage_errors_of_the_new_options() -> None:
    for args, message in (
        (("build", "-j", "0"), "argument -j/--jobs: must be a whole number of at least 1, not '0'"),
        (("build", "--executor", "dask"), "pipeline: error: --executor dask needs --scheduler ADDRESS"),
    ):
        result = pipeline(*args)
        assert result.returncode == 2 and message in result.stderr
