"""Hostile configuration, files and folders, round two (issue 15, classes 4, 6–9, 12).

Configuration that used to fail on every text; sources that are not files; output folders that
cannot be written; the user's own files in the output folder;
a full disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline.files
from pipeline import build
from pipeline.build import Builder
from pipeline.buildstate import STATE_NAME
from pipeline.config import Config, decode_config
from pipeline.errors import ConfigError, OutputError
from pipeline.incremental import build_corpus
from pipeline.site import is_site_file
from pipeline.source import read
from tests.sources import FRONT, NAME
from tests.test_buildstate import recorded
from tests.test_hostile import body, first_error

ROOT = Path(__file__).resolve().parent.parent
SLOW_SECONDS = 15  # a case that used to hang is failed after this long


def run(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def sources(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1000, 1000 + count):
        text = FRONT.replace("number: 1234", f"number: {number}") + "\n1. Text of " + str(number) + ".\n"
        (folder / f"resolution-{number}-2001.en.md").write_text(text)
    return folder


# Class 4 (and issue 14, item 4): pipeline.toml -------------------------------------------------


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('[links]\ntext = "{nope}"', "pipeline.toml:2: error: 'links.text': unknown placeholder '{nope}'"),
        ("identifier = 5", "pipeline.toml:1: error: 'identifier': expected a text, got a number"),
        ("[links]\ntext = 5", "pipeline.toml:2: error: 'links.text': expected a text, got a number"),
        ("publication_url = 3", "pipeline.toml:1: error: 'publication_url': expected a text, got a number"),
        ('identifer = "x"', "pipeline.toml:1: error: unknown key 'identifer' (did you mean 'identifier'?)"),
        # variants
        (
            'rights = "x"\n\n[links]\ntxt = "a"',
            "pipeline.toml:4: error: unknown key 'links.txt' (did you mean 'text'?)",
        ),
        ('[link]\ntext = "a"', "pipeline.toml:1: error: unknown key 'link' (did you mean 'links'?)"),
        ("links = 3", "pipeline.toml:1: error: 'links': expected a table, got a number"),
        ('identifier = "{slug.__class__}"', "pipeline.toml:1: error: 'identifier': unknown placeholder"),
        ('identifier = "x/{0}"', "pipeline.toml:1: error: 'identifier': unknown placeholder '{0}'"),
        ('identifier = "x/{}"', "pipeline.toml:1: error: 'identifier': unknown placeholder '{}'"),
        ('[links]\ndocument = "{number!r}"', "pipeline.toml:2: error: 'links.document': placeholder {number}"),
        ('[links]\ntext = "{type"', "pipeline.toml:2: error: 'links.text': '{type' is not a valid pattern"),
        ('[links]\ntext = "javascript:alert({number})"', "pipeline.toml:2: error: 'links.text' links with"),
        ('rights = "A\\u0000B"', "pipeline.toml:1: error: 'rights' holds a forbidden character U+0000"),
        ('rights = "A\\u202eB"', "pipeline.toml:1: error: 'rights' holds a forbidden character U+202E"),
        ("x = [", "pipeline.toml:1: error: invalid TOML"),
        ("links = { text = 5 }", "pipeline.toml:1: error: 'links.text': expected a text, got a number"),
    ],
)
def test_a_wrong_configuration_is_one_located_line(toml: str, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        decode_config(toml)
    assert str(raised.value).startswith(expected), str(raised.value)
    assert all(line.isprintable() for line in str(raised.value).splitlines())


@pytest.mark.parametrize(
    "url",
    [
        "texts/",
        "/texts/",  # the two of the issue: links to file:///…/templates/print/texts/…
        "http://example.int/texts/",
        "file:///etc/",
        "https://",
        "//example.int/texts/",
        "javascript:alert(1)",
        "https://exa mple.int/",
    ],
)
def test_publication_url_must_be_absolute_https(url: str) -> None:
    with pytest.raises(ConfigError, match="'publication_url' must be an absolute https URL"):
        decode_config(f'publication_url = "{url}"')


def test_a_good_configuration_still_decodes() -> None:
    config = decode_config(
        'identifier = "https://example.int/{slug}/{language}"\npublication_url = "https://example.int/texts/"\n'
        '[links]\ntext = "https://example.int/{type}/{number}/{year}/{language}"\ndocument = "d-{number}.html"'
    )
    assert config.links.document == "d-{number}.html" and config.publication_url == "https://example.int/texts/"
    assert decode_config("") == Config()


def test_a_wrong_configuration_stops_the_build_before_anything_is_rendered(tmp_path: Path) -> None:
    (tmp_path / "pipeline.toml").write_text('publication_url = "texts/"\n\n[links]\ntext = "{nope}"\n')
    folder = sources(tmp_path / "source", 1)
    result = run("build", str(folder), "--format", "html", "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "pipeline.toml:4: error: 'links.text': unknown placeholder '{nope}' (use {language}, {number}, {type}, {year})",
        "pipeline.toml:1: error: 'publication_url' must be an absolute https URL, not 'texts/' (a relative one "
        "would make links point at local files; e.g. https://example.int/texts/)",
    ]
    assert not (tmp_path / "out").exists()


# Class 4: output folders that cannot be written, and a scheduler that does not exist -----------


def test_output_folders_that_cannot_be_made_are_one_line(tmp_path: Path) -> None:
    folder = sources(tmp_path / "source", 1)
    (tmp_path / "a-file").write_text("x")
    for out, why in [
        (tmp_path / "a-file" / "out", "Not a directory"),
        (tmp_path / ("x" * 300), "File name too long"),
        (Path("/proc/pipeline-test-out"), "No such file or directory"),
    ]:
        result = run("build", str(folder), "--format", "html", "--out", str(out))
        assert (result.returncode, result.stderr) == (
            2,
            f"pipeline: error: cannot create the output folder {out}: {why}\n",
        )
    result = run("build", str(folder), "--format", "html", "--out", str(tmp_path / "a-file"))
    assert (result.returncode, result.stderr) == (2, f"pipeline: error: not a folder: {tmp_path / 'a-file'}\n")


@pytest.fixture
def small_mount(tmp_path: Path) -> Iterator[Path]:
    """A 300 kB tmpfs, where this machine lets us mount one (root, as in CI), to fill up."""
    mount = tmp_path / "mount"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small file system")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=300k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_read_only_output_folder_is_a_clear_failure(small_mount: Path, tmp_path: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(small_mount)], check=True)
    folder = sources(tmp_path / "source", 1)
    result = run("build", str(folder), "--format", "html", "--out", str(small_mount / "out"))
    assert (result.returncode, result.stderr) == (
        2,
        f"pipeline: error: cannot create the output folder {small_mount / 'out'}: Read-only file system\n",
    )
    result = run("build", str(folder), "--format", "html", "--out", str(small_mount))
    assert (result.returncode, result.stderr) == (  # refused before any text is rendered
        2,
        f"pipeline: error: cannot write the build state {small_mount / STATE_NAME}: Read-only file system\n",
    )


def test_a_full_disk_leaves_no_partial_text_and_a_consistent_manifest(small_mount: Path, tmp_path: Path) -> None:
    """Class 9: 11 texts into 300 kB: some are built, then the disk is full."""
    folder = sources(tmp_path / "source", 11)
    result = run("build", str(folder), "--format", "html,docx", "-j", "1", "--out", str(small_mount))
    assert result.returncode in (1, 2) and "Traceback" not in result.stderr, result.stderr
    assert "No space left on device" in result.stderr
    names = {p.name for p in small_mount.iterdir()}
    assert not [n for n in names if n.endswith(".part")]
    stems = {n.rsplit(".", 1)[0] for n in names if n.endswith((".html", ".docx")) and not is_site_file(n)}
    for stem in stems:  # every text that shows is whole
        assert {f"{stem}.html", f"{stem}.docx"} <= names, stem
    if (small_mount / STATE_NAME).exists():  # every text recorded is whole on the disk
        for stem, text in recorded(small_mount).items():
            assert isinstance(text["editions"], dict)
            for edition in text["editions"].values():
                assert (small_mount / edition["file"]).stat().st_size == edition["size"], stem


def test_a_full_disk_mid_text_writes_none_of_its_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Class 9 without a small disk: the third edition of a text cannot be written."""
    source = tmp_path / NAME
    source.write_bytes(body("1. Text.")())
    out = tmp_path / "out"
    out.mkdir()
    (out / "resolution-1234-2001.en.html").write_text("the old edition")
    real = pipeline.files._write_temporary
    calls = []

    def filling(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(path, data)

    monkeypatch.setattr(pipeline.files, "_write_temporary", filling)
    outcome = Builder(["html", "pdf", "docx", "epub"], out, Config()).build_one(source)
    assert outcome.failure == f"cannot write its editions in {out}: No space left on device"
    assert sorted(p.name for p in out.iterdir()) == ["resolution-1234-2001.en.html"]
    assert (out / "resolution-1234-2001.en.html").read_text() == "the old edition"


def test_a_scheduler_address_that_cannot_be_one_is_refused_at_once(tmp_path: Path) -> None:
    folder = sources(tmp_path / "source", 1)
    for address in ("garbage://x", "tcp://127.0.0.1", "tcp://127.0.0.1:99999", "127.0.0.1:8786", "tcp://a b:1"):
        start = time.monotonic()
        result = run("build", str(folder), "--executor", "dask", "--scheduler", address, "--out", str(tmp_path / "o"))
        assert result.returncode == 2 and time.monotonic() - start < SLOW_SECONDS
        assert result.stderr.startswith(f"pipeline: error: --scheduler {address!r} is not a Dask scheduler address")


@pytest.mark.parametrize("command", ["build", "package"])
def test_an_empty_format_list_is_a_usage_error(command: str, tmp_path: Path) -> None:
    folder = sources(tmp_path / "source", 1)
    result = run(command, str(folder), "--format", " , ", "--out", str(tmp_path / "out"))
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        2,
        "pipeline: error: --format names no format: give one or more of "
        + ", ".join(__import__("pipeline.renderers", fromlist=["REGISTRY"]).REGISTRY),
    )
    assert not (tmp_path / "out").exists()


# Class 4: a build state or manifest of the wrong shape: tests/test_buildstate.py ---------------


# Class 6: a source is checked before a byte of it is read ----------------------------------------


def test_a_fifo_named_like_a_source_does_not_hang(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    os.mkfifo(folder / NAME)
    assert first_error(folder / NAME) == "1: the source is not a regular file (a folder, a FIFO or a device)"
    for command in (["check", str(folder)], ["build", str(folder), "--format", "html", "--out", str(tmp_path / "o")]):
        result = run(*command, timeout=SLOW_SECONDS)
        assert result.returncode == 1 and "not a regular file" in result.stderr


def test_a_link_to_a_device_is_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    (folder / NAME).symlink_to("/dev/zero")
    (folder / "resolution-1-2001.en.md").symlink_to("../../../../../../../../dev/urandom")
    result = run("build", str(folder), "--format", "html", "--out", str(tmp_path / "o"), timeout=SLOW_SECONDS)
    assert result.returncode == 1
    problem_lines = [line for line in result.stderr.splitlines() if not line.startswith("|")]  # not the summary table
    assert sum("the source is a symbolic link to a file outside its folder" in line for line in problem_lines) == 2


def test_a_device_inside_the_folder_is_not_a_source(tmp_path: Path) -> None:
    """A link that stays in its folder but to a device node (made by root, say) is refused too."""
    if os.geteuid() != 0:
        pytest.skip("needs root to make a device node")
    folder = tmp_path / "source"
    folder.mkdir()
    os.mknod(folder / "zero", 0o600 | 0o020000, os.makedev(1, 5))  # a character device: /dev/zero
    (folder / NAME).symlink_to(folder / "zero")
    assert first_error(folder / NAME) == "1: the source is not a regular file (a folder, a FIFO or a device)"


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    folder = tmp_path / "source"
    folder.mkdir()
    with (folder / NAME).open("wb") as stream:
        stream.truncate(1024**3)  # sparse: 1 GB that costs nothing to make
    (folder / "resolution-1-2001.en.md").mkdir()  # a folder named like a source is not one
    start = time.monotonic()
    [huge] = [p for p in read(folder / NAME, Config()).problems]
    assert huge.message == "the source is 1024.0 MB; the limit is 2 MB"
    outcomes = build([folder], ["html"], tmp_path / "out")
    assert time.monotonic() - start < 5 and all(o.failed for o in outcomes)
    result = run("build", str(folder), "--format", "html", "--out", str(tmp_path / "o"))
    assert result.returncode == 1 and "1024.0 MB; the limit is 2 MB" in result.stderr
    assert first_error(folder / "resolution-1-2001.en.md") == (
        "1: the source is not a regular file (a folder, a FIFO or a device)"
    )


# Class 8: the user's files in the output folder --------------------------------------------------


def test_only_our_own_temporary_files_are_deleted(tmp_path: Path) -> None:
    folder = sources(tmp_path / "source", 1)
    out = tmp_path / "out"
    out.mkdir()
    theirs = [".notes.part", ".resolution-1000-2001.en.html.abcd1234.part", ".x.pipeline-short.part"]
    for name in theirs:
        (out / name).write_text("the user's")
    ours = out / ".resolution-1000-2001.en.html.pipeline-k2_x9q0a.part"
    ours.write_text("left by a killed build")
    summary = build_corpus([folder], ["html"], out, Config())
    assert summary.stale_parts == 1 and not ours.exists()
    assert all((out / name).read_text() == "the user's" for name in theirs)


def test_a_foreign_index_page_is_kept_and_named(tmp_path: Path) -> None:
    folder = sources(tmp_path / "source", 1)
    out = tmp_path / "out"
    out.mkdir()
    (out / "index.html").write_text("<!DOCTYPE html><title>My site</title>")
    notices: list[str] = []
    build_corpus([folder], ["html"], out, Config(), on_notice=notices.append)
    assert (out / "index.html").read_text() == "<!DOCTYPE html><title>My site</title>"
    assert notices == [
        f"{out / 'index.html'} is not the catalogue this tool writes: left as it is (move it away to get the catalogue)"
    ]
    (out / "index.html").unlink()
    build_corpus([folder], ["html"], out, Config(), force=True)
    assert "Adopted texts: catalogue" in (out / "index.html").read_text()
    target = tmp_path / "elsewhere.html"
    target.write_text("keep")
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(target)  # a link is never followed nor replaced
    build_corpus([folder], ["html"], out, Config(), force=True)
    assert target.read_text() == "keep"


def test_an_unwritable_output_folder_is_an_output_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = sources(tmp_path / "source", 1)

    def refuse(path: Path) -> sqlite3.Connection:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("pipeline.buildstate._connect", refuse)
    with pytest.raises(OutputError, match=r"cannot write the build state .*: attempt to write a readonly database"):
        build_corpus([folder], ["html"], tmp_path / "out", Config())


# Class 7: a refused duplicate is nobody's language version -------------------------------------


def test_a_refused_duplicate_is_not_listed_as_a_version(tmp_path: Path) -> None:
    french = FRONT.replace("language: en", "language: fr")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "resolution-1234-2001.fr.md").write_text(french + "\n1. Texte.\n")
    (tmp_path / "a" / NAME).write_bytes(body("1. Text.")())
    for outcomes in (
        build([tmp_path / "a", tmp_path / "b"], ["html"], tmp_path / "lib"),
        build_corpus([tmp_path / "a", tmp_path / "b"], ["html"], tmp_path / "cli", Config()).outcomes,
    ):
        assert sorted(o.failure.split(":")[0] for o in outcomes if o.failed) == [
            "same file name as " + str(tmp_path / "a" / "resolution-1234-2001.fr.md")
        ]
    for out in ("lib", "cli"):
        page = (tmp_path / out / "resolution-1234-2001.en.html").read_text()
        assert page.count('<link rel="alternate" hreflang="fr"') == 1 and page.count(">Français</a>") == 1


def test_french_spacing_leaves_addresses_whole(tmp_path: Path) -> None:
    source = tmp_path / "resolution-1234-2001.fr.md"
    url = "https://pace.coe.int/fr/files/17168?lang=fr;x=1"
    source.write_text(FRONT.replace("language: en", "language: fr") + f"\n1. Voir {url} ; et la suite !\n")
    document = read(source, Config()).document
    assert document is not None
    [paragraph] = document.sections[0].blocks
    [text] = [getattr(piece, "text", "") for piece in getattr(paragraph, "content", ())]
    assert text == f"Voir {url}\u202f; et la suite\u202f!"
