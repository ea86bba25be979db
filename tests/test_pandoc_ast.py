"""Our reading of the templates' HTML is pandoc's own: the same document as its HTML reader's, for
every generated text in both editions that go through pandoc, and a refusal of what it does not
know (pandoc then reads the HTML)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import given

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.docx import DocxRenderer
from pipeline.renderers.epub import EpubRenderer
from pipeline.renderers.pandoc import pandoc_executable, server_job
from pipeline.renderers.pandoc_ast import pandoc_json
from pipeline.testing.corpus import generate
from tests.conftest import TEXTS
from tests.parity.generate import EVERY_GENERATED_TEXT, GeneratedSource, sources

RENDERERS = (EpubRenderer(Config()), DocxRenderer(Config()))


def read_by_pandoc(html: str) -> dict[str, object]:
    command = [pandoc_executable(), "--sandbox", "--from=html", "--to=json"]
    read = subprocess.run(command, input=html.encode(), capture_output=True, check=True)
    document: dict[str, object] = json.loads(read.stdout)
    document.pop("pandoc-api-version")
    return document


def assert_read_as_pandoc_reads(html: str, label: str) -> bool:
    """True when we read `html` (and as pandoc does), False when we leave it to pandoc."""
    ours = pandoc_json(html)
    if ours is None:
        return False
    assert json.loads(ours) == read_by_pandoc(html), f"{label}: our reading differs from pandoc's"
    return True


def page(body: str, language: str = "en") -> str:
    head = '<head>\n<meta charset="utf-8">\n</head>'
    return f'<!DOCTYPE html>\n<html lang="{language}">\n{head}\n<body>\n<main>{body}</main>\n</body>\n</html>\n'


@EVERY_GENERATED_TEXT
@given(text=sources())
def test_every_generated_text_reads_as_pandoc_reads_it(text: GeneratedSource) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = load(text.write(Path(folder)))
    for renderer in RENDERERS:
        read = assert_read_as_pandoc_reads(renderer.render_template(document), f"{text.name} ({renderer.name})")
        assert read, f"{text.name} ({renderer.name}) was left to pandoc"


def test_the_corpus_and_the_real_texts_read_as_pandoc_reads_them(tmp_path: Path) -> None:
    for source in [*generate(tmp_path, 12, seed=5), *TEXTS]:
        document = load(source)
        for renderer in RENDERERS:
            label = f"{source.name} ({renderer.name})"
            assert assert_read_as_pandoc_reads(renderer.render_template(document), label), f"{label}: left to pandoc"


@pytest.mark.parametrize(
    "body",
    [
        "<p>one  two   three\nfour</p>",
        "<p> lead and trail </p>",
        "<p>a<em> spaced </em>b <strong>c </strong> d</p>",
        "<p><em>one</em><em>two</em> <sup>1</sup><sup>2</sup></p>",
        "<p>a <br> b<br>\nc <br><br> d</p>",
        "<p>24\u00a0June\u202f2003 «\u00a0oui\u00a0» 1<sup>er</sup></p>",
        '<p>x <a href="https://example.org/a?b=c&amp;d" title="T">link <em>here</em> </a>.</p>',
        '<p><span lang="ru">Совет Европы</span> and <span class="ref ref-document">Doc.\u00a01</span></p>',
        '<div data-custom-style="Body Paragraph"><p><span class="paragraph-number">1.</span>Text</p></div>',
        '<section class="appendix" id="a" aria-labelledby="a-heading">\n<h2 id="a-heading">Appendix</h2>\n'
        "<blockquote>\n<p>quoted</p>\n<p>twice</p>\n</blockquote>\n</section>",
        '<p>call<a href="#fn-1" id="fnref-1" role="doc-noteref" aria-label="Note 1"><sup>1</sup></a> and'
        '<a href="#fn-2" role="doc-noteref"><sup>2</sup></a></p><section role="doc-endnotes"><ol>'
        '<li id="fn-1"><p>one <em>note</em></p></li>\n<li id="fn-2"><p>two</p><p>paras</p></li></ol></section>',
        "<p></p><p> </p><p>&lt;tag&gt; &amp; &quot;quotes&quot; ‘it’s’ -- $5\\</p>",
        '<table id="t-1">\n<thead><tr><th scope="col" style="text-align: right">H <em>1</em></th><th scope="col">H2'
        '</th><th scope="col" style="text-align: center">H3</th></tr></thead>\n<tbody>\n<tr><td style="text-align:'
        ' right">1 000</td><td> b </td></tr>\n<tr><td style="text-align: left">2</td><td>x</td><td></td></tr>\n'
        "</tbody>\n</table>",
        '<table id="t-4">\n<thead><tr><th>only</th></tr></thead>\n<tbody>\n<tr><td>a</td><td>b</td></tr>\n</tbody>'
        "\n</table>",
        '<table id="t-2">\n<tbody>\n<tr><td>a<br>b</td><td>c</td></tr>\n</tbody>\n</table>',
        '<table id="t-3">\n<tbody>\n<tr><td>a<a href="#fn-1" role="doc-noteref"><sup>1</sup></a></td></tr>\n</tbody>'
        '\n</table><section role="doc-endnotes"><ol><li id="fn-1"><p>one<br>two</p></li></ol></section>',
    ],
)
def test_what_the_templates_write_reads_as_pandoc_reads_it(body: str) -> None:
    assert assert_read_as_pandoc_reads(page(body), body)


@pytest.mark.parametrize(
    "body",
    [
        "<table><tr><td>x</td></tr></table>",
        '<table><tbody><tr><td colspan="2">x</td></tr></tbody></table>',
        "<table><caption>x</caption><tbody><tr><td>x</td></tr></tbody></table>",
        "<p>form\x0cfeed</p>",
        "<p>C1 \x85 control</p>",
        '<p><a href="https://example.org/a b">space in a target</a></p>',
        '<p><a href="#fn-9" role="doc-noteref">9</a></p>',
        "<p>x</p>loose text",
        '<p><span style="font-variant: small-caps">x</span></p>',
        "<h2>no identifier</h2>",
        '<p><img src="x.png" alt="x"></p>',
        # What libxml2 decodes, repairs or cuts otherwise than pandoc's tagsoup reads it (found by an attack):
        "<p>a&ampb &lt c &nbspd</p>",
        '<p><span title="&#x80;" id="x">x</span> &#0; &#x110000;</p>',
        "<p>a\rb</p>",
        "<p>a\x00b</p>",
        '<p><span id="x\ty">x</span></p>',
        '<p><span lang="a" lang="b">x</span></p>',
        '<p><span lang="fr" xml:lang="de">x</span></p>',
        "<p>x</p></main><head><title>t</title></head><main>",
        '<aside id="a"><p>x</p></aside>',
        '<div class="line-block"><p>x</p></div>',
        '<p>a<a href="#fn-1" role="doc-noteref"><sup>1</sup></a></p><section role="doc-endnotes"><ol><li id="fn-1">'
        '<p>x<a href="#fn-2" role="doc-noteref"><sup>2</sup></a></p></li><li id="fn-2"><p>inner</p></li></ol>'
        "</section>",
        '<div id="same"><h2 id="same">Heading</h2><p>x</p></div>',
        "<table><tbody><tr></tr><tr><td>a</td></tr></tbody></table>",
        "<p><em>x</p><p>y</em></p>",
        "<p><em>a<strong>b</em>c</strong></p>",
        "<p>" + "<em>" * 260 + "x" + "</em>" * 260 + " after</p>",
        "<p>x " + "a" * 5_000_001 + " y</p>",
    ],
    ids=[
        *("table without body", "spanning cell", "caption", "form feed", "C1 control", "escaped target"),
        *("missing note", "loose text", "style", "heading without id", "image"),
        *("reference without semicolon", "C1 and NUL references", "carriage return", "NUL", "tab in attribute"),
        *("attribute twice", "lang and xml:lang", "second head", "aside", "line block", "note in a note"),
        *("identifier twice", "empty row", "mis-nested", "crossed", "too deep", "too long"),
    ],
)
def test_what_it_does_not_know_is_left_to_pandoc(body: str) -> None:
    assert pandoc_json(page(body)) is None


@pytest.mark.parametrize(
    "html",
    ["", "   ", "<!-- c -->", '<?xml version="1.0" encoding="utf-8"?><html><body><main><p>x</p></main></body></html>'],
)
def test_what_libxml2_cannot_parse_is_left_to_pandoc(html: str) -> None:
    assert pandoc_json(html) is None


def test_the_document_language_may_be_given_as_xml_lang() -> None:
    html = '<html xml:lang="fr"><body><main><p>x</p></main></body></html>'
    assert assert_read_as_pandoc_reads(html, html)


def test_a_head_naming_metadata_is_left_to_pandoc() -> None:
    html = '<html><head><meta name="css" content="x.css"></head><body><main><p>x</p></main></body></html>'
    assert pandoc_json(html) is None
    found = server_job(html, "epub3", {}, [])
    assert found is not None and found["from"] == "html"  # the server then refuses it as unsafe


def test_a_job_goes_to_pandoc_as_its_json() -> None:
    document = load(TEXTS[0])
    found = server_job(RENDERERS[0].render_template(document), "epub3", {}, [])
    assert found is not None and found["from"] == "json"
    assert json.loads(found["input"])["blocks"]
