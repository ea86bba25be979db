"""The pipeline command: exit codes, one line per problem, nothing half written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import cli
from tests.conftest import ROOT, SEED

# What was built from what, the checksums, the feed, the catalogue, the search index and page.
BESIDE_EDITIONS = [".buildstate.sqlite", "SHA256SUMS", "feed.en.xml", "index.html", "pagefind", "search.html"]


def pipeline(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def broken_copy(source_copy: Path) -> Path:
    """The seed with a numbering gap (6.3. removed) and a footnote text that is never called."""
    text = source_copy.read_text(encoding="utf-8")
    start = text.index("6.3. the production")
    end = text.index("6.4. the fight")
    source_copy.write_text(text[:start] + text[end:] + "\n[^orphan]: A note nobody calls.\n", encoding="utf-8")
    return source_copy


def test_check_reports_a_gap_and_an_orphan_footnote(source_copy: Path) -> None:
    path = broken_copy(source_copy)
    result = pipeline("check", str(path))
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    source_lines = path.read_text(encoding="utf-8").splitlines()
    gap = next(i for i, line in enumerate(source_lines, 1) if line.startswith("6.4."))
    orphan = next(i for i, line in enumerate(source_lines, 1) if line.startswith("[^orphan]"))
    assert f"{path}:{gap}:1: error: paragraph numbering jumps from 6.2. to 6.4. (expected 6.3.)" in lines
    assert (
        f"{path}:{orphan}:1: error: footnote [^orphan] is never called "
        "(add [^orphan] where the note applies, or delete the note)"
    ) in lines
    assert "Traceback" not in result.stderr


def test_check_of_the_seed_is_clean() -> None:
    result = pipeline("check")
    assert (result.returncode, result.stderr.strip()) == (0, "2 of 2 texts checked; 0 failed, 0 warnings")


def test_build_writes_each_edition(tmp_path: Path) -> None:
    result = pipeline("build", str(SEED), "--format", "html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*BESIDE_EDITIONS, "recommendation-1607-2003.en.html"])


def test_a_bad_text_does_not_stop_the_others(tmp_path: Path, source_copy: Path) -> None:
    sources = tmp_path / "sources"
    sources.mkdir()
    good = sources / SEED.name
    good.write_bytes(SEED.read_bytes())
    bad = broken_copy(source_copy).rename(sources / "resolution-1-2003.en.md")
    out = tmp_path / "out"
    result = pipeline("build", str(sources), "--format", "html", "--out", str(out))
    assert result.returncode == 1
    assert sorted(p.name for p in out.iterdir()) == sorted([*BESIDE_EDITIONS, "recommendation-1607-2003.en.html"])
    assert str(bad) in result.stderr and "1 of 2 texts built" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("build", "--format", "htm"),
            "unknown format 'htm': did you mean 'html'? available formats: html, pdf, docx, epub, akn",
        ),
        (("build", "--format", "html,mobi"), "unknown format 'mobi': available formats: html, pdf, docx, epub, akn"),
        (("check", "no-such-folder"), "no such file or folder: no-such-folder"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args: tuple[str, ...], message: str) -> None:
    result = pipeline(*args)
    assert result.returncode == 2
    assert result.stderr.strip() == f"pipeline: error: {message}"


def test_debug_shows_the_traceback() -> None:
    result = pipeline("--debug", "build", "--format", "htm")
    assert result.returncode == 2 and "Traceback" in result.stderr


def test_no_partial_file_is_left_behind(tmp_path: Path) -> None:
    pipeline("build", str(SEED), "--format", "html", "--out", str(tmp_path))
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == [".buildstate.sqlite"]


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "x.md", "--format", "html", "-j", "2", "--force"],
        ["--debug", "check", "source"],
        ["package", "--out", "bag", "--format", "pdf"],
        ["doctor", "--tests"],
        ["ingest", "raw.txt", "-o", "out"],
        ["synoptic", "--out", "out"],
        ["new", "recommendation", "9001", "2026", "--lang", "en"],
        ["compare", "old.md", "new.md", "--debug"],
    ],
)
def test_a_command_is_read_alike_with_only_its_own_parser_set_up(argv: list[str]) -> None:
    assert cli.parser(argv).parse_args(argv) == cli.parser([]).parse_args(argv)


def test_a_mistake_in_a_commands_options_shows_every_command_in_the_usage() -> None:
    result = pipeline("build", "--no-such-option")
    assert result.returncode == 2
    assert "{build,package,check,doctor,ingest,synoptic,new,preview,compare}" in result.stderr
