"""libxml2's parse of the print HTML is tinyhtml5's (pdf_tree.py): the same element tree for every
generated text, the corpus and the real texts, the same WeasyPrint page, the same PDF bytes; and
what it does not read as tinyhtml5 does is left to WeasyPrint."""

from __future__ import annotations

import tempfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import tinyhtml5
import weasyprint
from hypothesis import given

from pipeline import load
from pipeline.config import Config
from pipeline.model import Document
from pipeline.renderers import pdf
from pipeline.renderers.pdf_style import lift_styles
from pipeline.renderers.pdf_tree import element_tree, parsed_page
from pipeline.testing.corpus import generate
from tests.conftest import TEXTS
from tests.parity.generate import EVERY_GENERATED_TEXT, GeneratedSource, sources

RENDERER = pdf.PdfRenderer(Config())


def difference(theirs: ElementTree.Element, ours: ElementTree.Element, path: str = "html") -> str | None:
    """Where two trees first differ (tag, attributes in order, text, tail, children), or None."""
    if theirs.tag != ours.tag or list(theirs.attrib.items()) != list(ours.attrib.items()):
        return f"{path}: <{theirs.tag} {theirs.attrib}> against <{ours.tag} {ours.attrib}>"
    if theirs.text != ours.text or theirs.tail != ours.tail:
        return f"{path}: text/tail {theirs.text!r}/{theirs.tail!r} against {ours.text!r}/{ours.tail!r}"
    if len(theirs) != len(ours):
        return f"{path}: {[c.tag for c in theirs]} against {[c.tag for c in ours]}"
    for index, (left, right) in enumerate(zip(theirs, ours, strict=True)):
        found = difference(left, right, f"{path}/{left.tag}[{index}]")
        if found:
            return found
    return None


def print_page(document: Document) -> str:
    html = RENDERER.render_template(
        document, fonts=RENDERER.fonts, protected_words=frozenset(), hyphenation_language="en-GB"
    )
    return lift_styles(html)[0]


def assert_parsed_as_tinyhtml5_parses(page: str, label: str) -> None:
    ours = element_tree(page)
    assert ours is not None, f"{label}: left to WeasyPrint"
    found = difference(tinyhtml5.parse(page, namespace_html_elements=False), ours)
    assert found is None, f"{label}: {found}"


@EVERY_GENERATED_TEXT
@given(text=sources())
def test_every_generated_text_parses_as_tinyhtml5_parses_it(text: GeneratedSource) -> None:
    with tempfile.TemporaryDirectory() as folder:
        document = load(text.write(Path(folder)))
    assert_parsed_as_tinyhtml5_parses(print_page(document), text.name)


def test_the_corpus_and_the_real_texts_parse_as_tinyhtml5_parses_them(tmp_path: Path) -> None:
    for source in [*generate(tmp_path, 12, seed=3), *TEXTS]:
        assert_parsed_as_tinyhtml5_parses(print_page(load(source)), source.name)


def page(body: str, after: str = "\n") -> str:
    head = '<head>\n<meta charset="utf-8">\n</head>'
    return f'<!DOCTYPE html>\n<html lang="en">\n{head}\n<body>\n{body}\n</body>\n</html>{after}'


@pytest.mark.parametrize(
    "body",
    ["<main><p>x</p></main>", "<main><p>a &amp; b &lt; c</p>\n</main>", "", "<p>x</p>\n\n"],
)
def test_what_the_template_writes_parses_as_tinyhtml5_parses_it(body: str) -> None:
    for after in ("", "\n", "\n\n \t"):
        assert_parsed_as_tinyhtml5_parses(page(body, after), repr(body + after))


@pytest.mark.parametrize(
    "html",
    [
        page("<table><tr><td>x</td></tr></table>"),
        page("<p>a<!-- note --></p>"),
        page("<p>a\rb</p>"),
        page("<p>a\x00b</p>"),
        page("<p>a&nbsp;b&ampc</p>"),
        page("<pre>\nx</pre>"),
        page("<p><em>x</p><p>y</em></p>"),
        page("<p>x</p>").replace("</html>", ""),
        page("<p>x</p>").replace("<!DOCTYPE html>\n", ""),
        page("<p>x</p>").replace("<head>", "\u00a0<head>"),
    ],
    ids=[
        *("table without tbody", "comment", "carriage return", "NUL", "references", "pre", "mis-nested"),
        *("no end", "no doctype", "text before head"),
    ],
)
def test_what_it_does_not_read_as_tinyhtml5_does_is_left_to_weasyprint(html: str) -> None:
    assert element_tree(html) is None


def test_the_page_is_the_one_weasyprint_makes() -> None:
    html = print_page(load(TEXTS[0]))
    tree = element_tree(html)
    assert tree is not None
    base_url = "file:///print/"
    ours = parsed_page(weasyprint, tree, base_url, RENDERER.fetcher)
    theirs = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=RENDERER.fetcher)
    assert sorted(vars(ours)) == sorted(vars(theirs)), "WeasyPrint's HTML sets other attributes: see pdf_tree.py"
    for name in ("base_url", "media_type", "url_fetcher"):
        assert getattr(ours, name) == getattr(theirs, name), name


def test_the_pdf_is_byte_for_byte_the_one_from_weasyprints_parse(monkeypatch: pytest.MonkeyPatch) -> None:
    document = load(TEXTS[0])
    ours = RENDERER.render(document)
    monkeypatch.setattr(pdf, "element_tree", lambda html: None)
    assert RENDERER.render(document) == ours
