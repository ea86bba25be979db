"""The line breaker itself keeps runs of hyphenated lines to two (pipeline/renderers/pdf_hyphens.py):
on every fixture and generated text in one layout, across page breaks, and only in our renders."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.pdf import PRINT_ASSETS, PdfRenderer
from pipeline.renderers.pdf_lines import Line, body_lines, overlong_runs, runs
from pipeline.testing.corpus import generate
from tests.typesetting import FIXTURES, MAX_RUN

# Long words in a narrow measure: nearly every line could end hyphenated.
WORDS = "internationalisation responsibilities parliamentarians interoperability intergovernmental "
NARROW = f"""<!DOCTYPE html><html lang="en-GB"><head><style>
@page {{ size: 60mm 45mm; margin: 5mm; }}
section {{ text-align: justify; hyphens: auto; font: 10pt/1.2 "Noto Serif"; widows: 1; orphans: 1; }}
</style></head><body><section><p>{WORDS * 12}</p></section></body></html>"""


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer(Config())


def first_pass(renderer: PdfRenderer, path: Path) -> list[Line]:
    """The lines of the text's first layout, before the renderer would protect any word."""
    document = load(path)
    language = renderer.config.regional(document.metadata.language)
    html = renderer.render_template(
        document, fonts=renderer.fonts, protected_words=frozenset(), hyphenation_language=language
    )
    return body_lines(renderer.lay_out_html(html, pdf_variant="pdf/a-3b", pdf_tags=True))


def longest(lines: list[Line]) -> int:
    return max((len(run) for run in runs(lines)), default=0)


def test_the_first_layout_of_every_fixture_keeps_to_two(renderer: PdfRenderer) -> None:
    for path in FIXTURES:
        assert overlong_runs(first_pass(renderer, path)) == [], path.name


@pytest.mark.slow
def test_the_first_layout_of_generated_texts_keeps_to_two(renderer: PdfRenderer, tmp_path: Path) -> None:
    for path in generate(tmp_path, 12, seed=11):
        assert overlong_runs(first_pass(renderer, path)) == [], path.name


def test_a_run_is_counted_on_across_a_page_break(renderer: PdfRenderer) -> None:
    lines = body_lines(renderer.lay_out_html(NARROW))
    pages = {line.page for line in lines}
    hyphenated = [line for line in lines if line.hyphenated]
    assert len(pages) > 3 and len(hyphenated) > len(lines) / 2, "the measure forces hyphenation on most lines"
    assert longest(lines) == MAX_RUN
    # Some page ends with two hyphenated lines: the next page's first line is the one kept whole.
    ends = [index for index in range(1, len(lines) - 1) if lines[index].page != lines[index + 1].page]
    assert any(lines[index - 1].hyphenated and lines[index].hyphenated for index in ends)


def test_weasyprint_alone_breaks_lines_as_it_always_did(renderer: PdfRenderer) -> None:
    page = renderer.weasyprint.HTML(string=NARROW, base_url=PRINT_ASSETS.as_uri() + "/", url_fetcher=renderer.fetcher)
    unlimited = body_lines(page.render(font_config=renderer.font_config))
    assert longest(unlimited) > MAX_RUN
