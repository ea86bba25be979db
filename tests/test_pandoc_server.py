"""The long-lived pandoc: the command line's bytes, its sandbox's refusals, and a crash that fails one text."""

from __future__ import annotations

import functools
import json
import os
import signal
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import load
from pipeline.config import Config
from pipeline.errors import RenderError
from pipeline.renderers import pandoc
from pipeline.renderers.docx import DOCX_ASSETS, DocxRenderer
from pipeline.renderers.epub import EpubRenderer
from pipeline.renderers.pandoc_server import (
    DATA_DIR_PREFIX,
    PandocServer,
    PandocStopped,
    remove_abandoned_data_dirs,
)
from tests.conftest import TEXTS

DOCX_ARGUMENTS = [
    "--reference-doc",
    str(DOCX_ASSETS / "reference.docx"),
    "--lua-filter",
    str(DOCX_ASSETS / "number-tab.lua"),
]
EPUB_ARGUMENTS = ["--epub-title-page=false", "--split-level=1"]
CANARY = b"server-canary-7d1e"


def fresh_server(restart_after: int = 200) -> PandocServer:
    return PandocServer(pandoc.pandoc_executable(), restart_after)


def job(html: str, to: str = "docx", arguments: list[str] | None = None) -> dict[str, object]:
    found = pandoc.server_job(html, to, {"lang": "en"}, DOCX_ARGUMENTS if arguments is None else arguments)
    assert found is not None
    return found


@pytest.mark.parametrize("text", TEXTS, ids=[t.name for t in TEXTS])
def test_the_server_writes_the_command_lines_bytes(text: Path) -> None:
    document = load(text)
    docx, epub = DocxRenderer(Config()), EpubRenderer(Config())
    server = fresh_server()
    try:
        for renderer, to, metadata, arguments in (
            (docx, "docx", {"lang": document.metadata.language}, DOCX_ARGUMENTS),
            (epub, "epub3", epub.metadata(document), EPUB_ARGUMENTS),
        ):
            html = renderer.render_template(document)
            command = pandoc.run_pandoc_command(html, to, metadata, document.stem, arguments)
            found = pandoc.server_job(html, to, metadata, arguments)
            assert found is not None
            answer = server.convert(found)
            assert answer.status == "ok"
            assert answer.data == command, f"{to}: the server's bytes differ from `pandoc --sandbox`"
    finally:
        server.close()


def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_bytes(CANARY)
    return path


def unpacked(package: bytes) -> bytes:
    with zipfile.ZipFile(BytesIO(package)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("to", ["docx", "epub3"])
@pytest.mark.parametrize(
    "naming",
    [
        '<p>x <img src="{uri}" alt="x"></p>',
        '<p>x <img src="{path}" alt="x"></p>',
        '<p>x <img src="https://example.org/x.png" alt="x"></p>',
    ],
    ids=["file URI", "path", "URL"],
)
def test_a_document_naming_a_file_is_not_written_by_the_server(naming: str, to: str, tmp_path: Path) -> None:
    path = secret(tmp_path)
    html = f"<html><body><main>{naming.format(uri=path.as_uri(), path=path)}</main></body></html>"
    server = fresh_server()
    try:
        answer = server.convert(job(html, to, [] if to == "epub3" else None))
    finally:
        server.close()
    assert answer.status == "unsafe" and b"image" in answer.data
    edition = pandoc.run_pandoc(html, to, {"lang": "en"}, "x", [] if to == "epub3" else DOCX_ARGUMENTS)
    assert CANARY not in unpacked(edition)  # the sandboxed command line wrote it, without the file


IMAGE = '{"t":"Para","c":[{"t":"Image","c":[["",[],[]],[],["%s",""]]}]}'


@pytest.mark.parametrize("spacing", ["", " "], ids=["compact", "spaced"])
def test_a_json_document_with_an_image_is_walked_and_refused(spacing: str, tmp_path: Path) -> None:
    path = secret(tmp_path)
    blocks = (IMAGE % path.as_uri()).replace(":", ":" + spacing)
    document = '{"meta":{},"blocks":[' + blocks + "]}"
    assert not pandoc.inert(document)
    found = job("<main><p>x</p></main>", "epub3", []) | {"input": document, "inert": pandoc.inert(document)}
    server = fresh_server()
    try:
        assert server.convert(found).status == "unsafe"
    finally:
        server.close()


def test_an_image_in_the_metadata_of_an_inert_document_is_refused(tmp_path: Path) -> None:
    # The document's JSON names no image, but a metadata entry (read from Markdown by the
    # server, outside that JSON) does: that entry is still walked.
    path = secret(tmp_path)
    found = job("<html><body><main><p>x</p></main></body></html>", "epub3", EPUB_ARGUMENTS)
    assert found["from"] == "json" and found["inert"] is True
    entries = found["metadata"]
    assert isinstance(entries, list)
    found["metadata"] = [*entries, json.dumps({"subtitle": f"![x]({path})"})]
    server = fresh_server()
    try:
        answer = server.convert(found)
    finally:
        server.close()
    assert answer.status == "unsafe" and b"image" in answer.data


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        ('{"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"Images"}]}]}', True),
        ('{"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"\\"t\\":\\"Image\\""}]}]}', True),
        ('{"meta":{},"blocks":[{"t":"Para","c":[{"t":"Str","c":"Image"}]}]}', False),  # only walked
        ('{"meta":{},"blocks":[{"t":"RawBlock","c":["html","<video>"]}]}', False),
        ('{"meta":{},"blocks":[{"t":"Para","c":[{"t": "RawInline","c":["html","<img>"]}]}]}', False),
    ],
    ids=["a longer word", "the type as text", "the word itself", "raw block", "raw inline"],
)
def test_only_a_document_without_reading_elements_is_inert(document: str, expected: bool) -> None:
    assert pandoc.inert(document) is expected


def test_our_documents_go_as_inert_json() -> None:
    epub = EpubRenderer(Config())
    for text in TEXTS:
        document = load(text)
        found = pandoc.server_job(epub.render_template(document), "epub3", epub.metadata(document), EPUB_ARGUMENTS)
        assert found is not None and found["from"] == "json" and found["inert"] is True, text.name


def test_a_stylesheet_named_in_the_metadata_is_not_read(tmp_path: Path) -> None:
    path = secret(tmp_path)
    html = f'<html><head><meta name="css" content="{path}"></head><body><main><p>x</p></main></body></html>'
    server = fresh_server()
    try:
        answer = server.convert(job(html, "epub3", []))
    finally:
        server.close()
    assert answer.status == "unsafe" and b"css" in answer.data
    with pytest.raises(RenderError, match="not found"):  # the sandboxed command line cannot read it either
        pandoc.run_pandoc(html, "epub3", {"lang": "en"}, "x", [])


def test_one_server_writes_the_command_lines_bytes_text_after_text() -> None:
    # The second text on finds most metadata entries already read: the same bytes all the same.
    epub = EpubRenderer(Config())
    server = fresh_server()
    try:
        for text in TEXTS:
            document = load(text)
            html, metadata = epub.render_template(document), epub.metadata(document)
            found = pandoc.server_job(html, "epub3", metadata, EPUB_ARGUMENTS)
            assert found is not None
            command = pandoc.run_pandoc_command(html, "epub3", metadata, document.stem, EPUB_ARGUMENTS)
            assert server.convert(found).data == command, text.name
    finally:
        server.close()


def native_metadata(path: Path) -> str:
    command = [pandoc.pandoc_executable(), "--sandbox", "-f", "markdown", "-t", "native", "-s"]
    result = subprocess.run([*command, "--metadata-file", str(path)], input=b"", capture_output=True, check=True)
    return result.stdout.decode("utf-8")


TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from("\n\t *_`#[]<>&\\'\"-.:")
)
SCALAR = TEXT | st.booleans() | st.integers(-(10**6), 10**6) | st.none()
VALUE = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abc"), inner, max_size=3),
    max_leaves=6,
)


class QuotedStrings(yaml.SafeDumper):
    """Every string double-quoted: PyYAML writes "N" or "y" plain, which pandoc's YAML reader
    takes for a boolean (MetaBool False), so the YAML route was no oracle for such a title."""


QuotedStrings.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["title", "subject", "rights", "x-y", "lang"]), VALUE, max_size=4))
def test_metadata_as_json_reads_as_it_did_as_yaml(tmp_path: Path, metadata: dict[str, Any]) -> None:
    as_yaml, as_json = tmp_path / "m.yaml", tmp_path / "m.json"
    dumped = yaml.dump(pandoc.literal(metadata), Dumper=QuotedStrings, allow_unicode=True, sort_keys=True)
    as_yaml.write_text(dumped, encoding="utf-8")
    as_json.write_text(pandoc.metadata_json(metadata), encoding="utf-8")
    assert native_metadata(as_json) == native_metadata(as_yaml)


@pytest.mark.parametrize("title", ["N", "y", "off", "~", "null", "1e3", "0x1F"])
def test_metadata_that_plain_yaml_would_misread_stays_text(tmp_path: Path, title: str) -> None:
    """Found by the property above: pandoc's YAML reader read a title "N" as a boolean."""
    as_json = tmp_path / "m.json"
    as_json.write_text(pandoc.metadata_json({"title": title}), encoding="utf-8")
    assert f'MetaInlines [ Str "{title}" ]' in " ".join(native_metadata(as_json).split())


@settings(max_examples=15, deadline=None)
@given(st.dictionaries(st.sampled_from(["subject", "rights", "x-y", "description", "creator"]), VALUE, max_size=4))
def test_metadata_read_together_gives_the_command_lines_bytes(metadata: dict[str, Any]) -> None:
    # One server for all examples: entries already read are taken from what it kept. A title
    # and an identifier always (as every text has): without them pandoc makes up a random
    # identifier, and titles the navigation "Untitled" here but "-" on the command line.
    html = "<html><body><main><h1>x</h1><p>y</p></main></body></html>"
    metadata = {"lang": "en", "title": "T", "identifier": "urn:x", **metadata}
    found = pandoc.server_job(html, "epub3", metadata, EPUB_ARGUMENTS)
    assert found is not None
    command = pandoc.run_pandoc_command(html, "epub3", metadata, "x", EPUB_ARGUMENTS)
    assert shared_server().convert(found).data == command


@functools.cache
def shared_server() -> PandocServer:
    return fresh_server()


def test_raw_markup_is_left_to_the_command_line() -> None:
    arguments = ["--epub-title-page=false"]
    found = pandoc.server_job("<p>x</p>", "epub3", {"lang": "en"}, arguments)
    assert found is not None
    server = fresh_server()
    try:
        assert server.convert(
            found | {"from": "html+raw_html", "input": "<p>x <video src='x.mp4'></video></p>"}
        ).status == ("unsafe")
    finally:
        server.close()


def test_an_option_the_server_does_not_know_takes_the_command_line() -> None:
    assert pandoc.server_job("<p>x</p>", "epub3", {"lang": "en"}, ["--epub-cover-image=x.png"]) is None


def test_a_crash_fails_that_document_and_the_next_gets_a_fresh_process(tmp_path: Path) -> None:
    crashing = tmp_path / "crash.lua"
    crashing.write_text("function Pandoc(doc) os.exit(3) end\n", encoding="utf-8")
    server = fresh_server()
    try:
        first = server.convert(job("<p>one</p>"))
        pid = server.process.pid if server.process else 0
        with pytest.raises(PandocStopped, match="exit status 3"):
            server.convert(job("<p>two</p>", arguments=["--lua-filter", str(crashing)]))
        again = server.convert(job("<p>one</p>"))
        assert server.process is not None and server.process.pid != pid
        assert again == first
    finally:
        server.close()


def test_a_process_killed_between_documents_is_replaced_unnoticed() -> None:
    server = fresh_server()
    try:
        first = server.convert(job("<p>one</p>"))
        assert server.process is not None
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        assert server.convert(job("<p>one</p>")) == first
    finally:
        server.close()


def test_a_crash_in_a_build_is_one_texts_render_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    crashing = tmp_path / "crash.lua"
    crashing.write_text("function Pandoc(doc) os.exit(3) end\n", encoding="utf-8")
    with pytest.raises(RenderError, match="pandoc stopped while converting it"):
        pandoc.run_pandoc("<p>x</p>", "docx", {"lang": "en"}, "x", ["--lua-filter", str(crashing)])
    assert pandoc.run_pandoc("<p>x</p>", "docx", {"lang": "en"}, "x", [])[:2] == b"PK"


def test_the_process_is_replaced_after_its_quota() -> None:
    server = fresh_server(restart_after=2)
    try:
        pids = []
        for _ in range(5):
            assert server.convert(job("<p>x</p>")).status == "ok"
            assert server.process is not None
            pids.append(server.process.pid)
        assert len(set(pids)) == 3 and pids[0] == pids[1] and pids[2] == pids[3] != pids[0]
    finally:
        server.close()


def test_the_callers_environment_does_not_reach_pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    html = DocxRenderer(Config()).render_template(load(TEXTS[0]))
    expected = pandoc.run_pandoc_command(html, "docx", {"lang": "en"}, "x", DOCX_ARGUMENTS)
    for name, value in {"USERNAME": "someone", "LANG": "fr_FR.UTF-8", "SOURCE_DATE_EPOCH": "1700000000"}.items():
        monkeypatch.setenv(name, value)
    server = fresh_server()
    try:
        assert server.convert(job(html)).data == expected
    finally:
        server.close()


def test_pandoc_errors_are_render_errors() -> None:
    with pytest.raises(RenderError, match="pandoc failed"):
        pandoc.run_pandoc("<p>x</p>", "docx", {"lang": "en"}, "x", ["--reference-doc", "/nonexistent/reference.docx"])


def test_a_killed_process_s_empty_data_folder_is_removed_at_the_next_start(tmp_path: Path) -> None:
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = int(ended.stdout)
    abandoned = tmp_path / f"{DATA_DIR_PREFIX}{dead}-abc"
    kept_files = tmp_path / f"{DATA_DIR_PREFIX}{dead}-def"
    live = tmp_path / f"{DATA_DIR_PREFIX}{os.getpid()}-ghi"
    other = tmp_path / f"{DATA_DIR_PREFIX}x-jkl"
    for folder in (abandoned, kept_files, live, other):
        folder.mkdir()
    (kept_files / "reference.docx").write_bytes(b"")
    remove_abandoned_data_dirs(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (kept_files, live, other))


def test_a_kill_9_leaves_nothing_after_the_next_start(tmp_path: Path) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},
    )
    assert worker.stdout is not None
    assert worker.stdout.readline().strip() == "converted"
    worker.kill()
    worker.wait()
    assert [p.name.startswith(DATA_DIR_PREFIX) for p in tmp_path.iterdir()] == [True]  # what kill -9 leaves
    remove_abandoned_data_dirs.__wrapped__(tmp_path)  # the next start's clean-up (cached once per process)
    assert list(tmp_path.iterdir()) == []


KILLED_WORKER = """
from pipeline.renderers import pandoc
pandoc.run_pandoc("<main><p>x</p></main>", "epub3", {"lang": "en"}, "x", [])
print("converted", flush=True)
import time; time.sleep(60)
"""
