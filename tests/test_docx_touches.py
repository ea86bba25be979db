"""The DOCX touches made in Python (docx/touches.py) are number-tab.lua's: the same document as
pandoc's HTML reader followed by the filter, for every generated text, the corpus and the real
texts (Armenian and Georgian among them); and the DOCX the server writes from them is the one the
sandboxed command line writes with the filter."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import msgspec
from hypothesis import given

from pipeline import load
from pipeline.config import Config
from pipeline.model import Document
from pipeline.renderers.docx import DOCX_ASSETS, DocxRenderer
from pipeline.renderers.docx.package import Package
from pipeline.renderers.docx.touches import TAB, touched
from pipeline.renderers.pandoc import RAW_TAB_JSON, inert, pandoc_executable, run_pandoc_command, server_job
from pipeline.renderers.pandoc_ast import pandoc_json
from pipeline.testing.corpus import generate
from tests.conftest import TEXTS
from tests.parity.generate import EVERY_GENERATED_TEXT, GeneratedSource, sources

RENDERER = DocxRenderer(Config())
FILTER = DOCX_ASSETS / "number-tab.lua"


def filtered_by_pandoc(html: str) -> dict[str, object]:
    command = [pandoc_executable(), "--sandbox", "--from=html", "--to=json", "--lua-filter", str(FILTER)]
    read = subprocess.run(command, input=html.encode(), capture_output=True, check=True)
    document: dict[str, object] = json.loads(read.stdout)
    document.pop("pandoc-api-version")
    return document


def assert_touched_as_the_filter_does(document: Document, label: str) -> None:
    html = RENDERER.render_template(document)
    ours = pandoc_json(html, touched)
    assert ours is not None, f"{label}: left to pandoc"
    assert json.loads(ours) == filtered_by_pandoc(html), f"{label}: our touches differ from the filter's"


@EVERY_GENERATED_TEXT
@given(text=sources())
def test_every_generated_text_is_touched_as_the_filter_touches_it(text: GeneratedSource) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = load(text.write(Path(folder)))
    assert_touched_as_the_filter_does(document, text.name)


def test_the_corpus_and_the_real_texts_are_touched_as_the_filter_touches_them(tmp_path: Path) -> None:
    for source in [*generate(tmp_path, 8, seed=7), *TEXTS]:
        assert_touched_as_the_filter_does(load(source), source.name)


def test_the_server_writes_the_bytes_the_filtered_command_line_writes() -> None:
    for source in TEXTS:
        document = load(source)
        html = RENDERER.render_template(document)
        job = server_job(html, "docx", {"lang": "en-GB"}, ["--lua-filter", str(FILTER)], touched)
        assert job is not None and job["from"] == "json" and "filter" not in job, source.name
        served = RENDERER.render(document)
        # the command line, from the HTML, with the filter: the route of a document not read here
        language = RENDERER.config.regional(document.metadata.language)
        arguments = ["--reference-doc", str(DOCX_ASSETS / "reference.docx"), "--lua-filter", str(FILTER)]
        converted = run_pandoc_command(html, "docx", {"lang": language}, document.stem, arguments)
        assert served == RENDERER._finished(Package(converted), document, language), source.name


def test_the_tab_is_the_one_raw_element_a_job_may_hold_unwalked() -> None:
    assert msgspec.json.encode(TAB).decode() == RAW_TAB_JSON
    assert inert('{"blocks":[{"t":"Para","c":[' + RAW_TAB_JSON + "]}]}")
    assert not inert('{"blocks":[{"t":"Para","c":[{"t":"RawInline","c":["openxml","<w:r/>"]}]}]}')
