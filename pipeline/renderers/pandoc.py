"""Running pandoc (from the pypandoc-binary wheel) on a template's HTML, sandboxed.

In --sandbox mode pandoc reads nothing but the files named on its command line (reference
document, stylesheet, filter), fetches no URL, and ignores SOURCE_DATE_EPOCH: every timestamp
it writes is 1970-01-01, so its output is byte-identical from run to run. Renderers put the
adoption date into the package's metadata part afterwards.

A conversion goes to this worker's long-lived pandoc (pandoc_server.py), which gives the same
bytes as the command line without starting a process per document; a document the server will
not write without the sandbox (one naming a file to embed) and options it does not know take
the command line, run directly: pypandoc would start two more pandoc processes to check the
format names.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import RenderError
from .pandoc_ast import Node, pandoc_json
from .pandoc_server import RTS_OPTIONS, PandocFailed, PandocStopped, server

MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character
# The command-line options the server understands, as pandoc's Lua WriterOptions (or the filter).
SWITCHES: dict[str, tuple[str, Any]] = {"--epub-title-page=false": ("epub_title_page", False)}
WITH_VALUE = {"--reference-doc": "reference_doc", "--lua-filter": "filter"}
SPLIT_LEVEL = re.compile(r"^--split-level=([1-6])$")
READING_ELEMENTS = ("Image", "RawInline", "RawBlock")  # what pandoc_server.lua's confined() looks for
RAW_TAB_JSON = '{"t":"RawInline","c":["openxml","<w:r><w:tab/></w:r>"]}'  # as msgspec writes docx/touches.TAB


def literal(value: Any) -> Any:
    """`value` with every string escaped, so that pandoc reads metadata as text, not Markdown.

    pandoc parses YAML metadata strings as Markdown: a title with `*`, `--`, `[x](y)` or a tag
    would lose characters. A backslash before ASCII punctuation makes each one literal.
    """
    if isinstance(value, str):
        return MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", value)
    if isinstance(value, list):
        return [literal(item) for item in value]
    if isinstance(value, dict):
        return {key: literal(item) for key, item in value.items()}
    return value


@functools.cache
def pandoc_executable() -> str:
    import pypandoc  # only to find its binary: importing it costs, and HTML builds never need it

    return str(pypandoc.get_pandoc_path())


def run_pandoc(html: str, to: str, metadata: dict[str, Any], stem: str, arguments: list[str]) -> bytes:
    """Convert `html` (pandoc reads only its <main>) to the binary format `to`."""
    return start_pandoc(html, to, metadata, stem, arguments)()


def start_pandoc(
    html: str,
    to: str,
    metadata: dict[str, Any],
    stem: str,
    arguments: list[str],
    touch: Callable[[Node], Node] | None = None,
) -> Callable[[], bytes]:
    """As run_pandoc, but the conversion is under way when this returns (in this worker's
    pandoc, beside this process): calling the result waits for it and gives its bytes.
    `touch` does to pandoc's JSON document what the arguments' Lua filter does (see server_job)."""
    job = server_job(html, to, metadata, arguments, touch)
    answer = None if job is None else server(pandoc_executable()).submit(job)

    def finished() -> bytes:
        if answer is not None:
            try:
                answered = answer.result()
            except (PandocFailed, PandocStopped) as exc:
                raise RenderError(stem, to, f"pandoc failed: {exc}") from None
            if answered.status == "ok":
                return answered.data
        return run_pandoc_command(html, to, metadata, stem, arguments)

    return finished


def metadata_json(metadata: dict[str, Any]) -> str:
    """The metadata as pandoc reads it from a file or a metadata block: JSON, which its YAML
    reader reads as YAML (YAML 1.2 contains JSON), from Python's C encoder rather than
    PyYAML's Python emitter, a millisecond a document. Strings are literal() text."""
    return json.dumps(literal(metadata), ensure_ascii=False, sort_keys=True)


def server_job(
    html: str,
    to: str,
    metadata: dict[str, Any],
    arguments: list[str],
    touch: Callable[[Node], Node] | None = None,
) -> dict[str, Any] | None:
    """The job pandoc_server.lua reads for these command-line arguments; None if it cannot say one.
    Its metadata goes one key at a time (pandoc reads each key's value alone): the server reads
    each once, and most (publisher, rights, accessibility) are the same for every text.

    A document sent as pandoc's JSON with `touch` is touched here and goes without the Lua
    filter, which does the same to a document pandoc reads from HTML: handing every element to
    Lua is a sixth of a DOCX."""
    options: dict[str, Any] = {}
    job: dict[str, Any] = {}  # the filter, if any
    rest = iter(arguments)
    for argument in rest:
        split = SPLIT_LEVEL.match(argument)
        if argument in SWITCHES:
            key, value = SWITCHES[argument]
            options[key] = value
        elif split:
            options["split_level"] = int(split[1])
        elif argument in WITH_VALUE:
            value = next(rest, None)
            if value is None:
                return None
            if WITH_VALUE[argument] == "filter":
                job["filter"] = str(Path(value).resolve())
            else:
                options[WITH_VALUE[argument]] = str(Path(value).resolve())
        else:
            return None
    entries = [metadata_json({key: value}) for key, value in sorted(metadata.items())]
    document = pandoc_json(html, touch)  # what pandoc's HTML reader would read, for its faster JSON reader
    if document is None:
        source: dict[str, Any] = {"input": html, "from": "html"}
    else:
        source = {"input": document, "from": "json", "inert": inert(document)}
        if touch is not None:
            job.pop("filter", None)
    return {**source, **job, "to": to, "metadata": entries, "writer_options": options}


def inert(document: str) -> bool:
    """Whether pandoc's JSON document holds no element that makes a writer read a file (an image,
    raw HTML): the server then need not walk it for one. Such an element's type is the JSON
    string "Image" (or "RawInline", "RawBlock"), whatever the spacing; a text is that string
    only when it is that very word, and the document is then walked as before. The DOCX
    touches' tab (docx/touches.py), which the server also lets through, does not count."""
    document = document.replace(RAW_TAB_JSON, "")
    return not any(f'"{kind}"' in document for kind in READING_ELEMENTS)


def run_pandoc_command(html: str, to: str, metadata: dict[str, Any], stem: str, arguments: list[str]) -> bytes:
    """The same conversion by `pandoc --sandbox`, one process."""
    with tempfile.TemporaryDirectory(prefix="pipeline-pandoc-") as work:
        metadata_file = Path(work) / "metadata.json"  # --metadata-file reads YAML or JSON
        metadata_file.write_text(metadata_json(metadata), encoding="utf-8")
        target = Path(work) / f"edition.{to}"
        command = [pandoc_executable(), *RTS_OPTIONS, "--sandbox", "--from=html", f"--to={to}", f"--output={target}"]
        command += ["--metadata-file", str(metadata_file), *arguments]
        result = subprocess.run(command, input=html.encode("utf-8"), capture_output=True, check=False)
        if result.returncode != 0:
            said = result.stderr.decode("utf-8", "replace").strip()
            raise RenderError(stem, to, f"pandoc failed: {said} (exit status {result.returncode})")
        return target.read_bytes()
