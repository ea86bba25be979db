"""The line breaker itself keeps runs of hyphenated lines to two and capitalised words whole
(pipeline/renderers/pdf_hyphens.py): on every fixture and generated text in one layout, across
page breaks, and only in our renders."""

from __future__ import annotations

import itertools
import random
import re
import subprocess
from pathlib import Path

import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.pdf import PRINT_ASSETS, PdfRenderer
from pipeline.renderers.pdf_lines import Line, body_lines, forbidden_breaks, overlong_runs, runs
from pipeline.templating import TEMPLATES
from pipeline.testing.corpus import generate
from pipeline.typography import SHORTEST_HYPHENATED
from tests.typesetting import FIXTURES, MAX_RUN

# Long words in a narrow measure: nearly every line could end hyphenated.
WORDS = "internationalisation responsibilities parliamentarians interoperability intergovernmental "
NUMBER = re.compile(r"(?:\d+\.)+|[a-z]\.")  # a paragraph's hanging number, a box of its own
NAMES = "Internationalisation Responsibilities Parliamentarians Interoperability Intergovernmental "


def narrow(words: str, language: str = "en-GB") -> str:
    return f"""<!DOCTYPE html><html lang="{language}"><head><style>
@page {{ size: 60mm 45mm; margin: 5mm; }}
section {{ text-align: justify; hyphens: auto; font: 10pt/1.2 "Noto Serif"; widows: 1; orphans: 1; }}
</style></head><body><section><p>{words * 12}</p></section></body></html>"""


NARROW = narrow(WORDS)


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


def test_a_capitalised_word_is_never_hyphenated(renderer: PdfRenderer) -> None:
    ours = body_lines(renderer.lay_out_html(narrow(NAMES)))
    assert not any(line.hyphenated for line in ours)
    page = renderer.weasyprint.HTML(
        string=narrow(NAMES), base_url=PRINT_ASSETS.as_uri() + "/", url_fetcher=renderer.fetcher
    )
    alone = body_lines(page.render(font_config=renderer.font_config))
    assert sum(line.hyphenated for line in alone) > len(alone) / 2, "WeasyPrint alone would hyphenate them"


def test_the_print_template_wraps_no_capitalised_word(renderer: PdfRenderer) -> None:
    document = load(FIXTURES[0])
    html = renderer.render_template(
        document, fonts=renderer.fonts, protected_words=frozenset(), hyphenation_language="en-GB"
    )
    kept = re.findall(r'<span class="keep">([^<]*)</span>', html)
    assert kept, "dates and last words are still kept"
    assert not [piece for piece in kept if piece[:1].isupper()]
    assert all(len(piece) >= SHORTEST_HYPHENATED for piece in kept)


def test_the_shortest_hyphenated_word_is_the_print_styles() -> None:
    css = (TEMPLATES / "print" / "style.css.j2").read_text(encoding="utf-8")
    limit = re.search(r"hyphenate-limit-chars: (\d+) ", css)
    assert limit is not None and int(limit[1]) == SHORTEST_HYPHENATED


def test_no_line_but_a_paragraphs_last_is_one_word(renderer: PdfRenderer) -> None:
    # WeasyPrint 70 cut a text that fitted but for its last space (one followed by an element)
    # after its first word: "European" alone on a justified line (resolution-9020-2032, 20.1).
    for path in FIXTURES:
        lines = first_pass(renderer, path)
        for line, after in itertools.pairwise(lines):
            if line.paragraph == after.paragraph and not NUMBER.fullmatch(line.text):
                assert len(line.text.split()) > 1, f"{path.name}, page {line.page}: {line.text!r} alone on a line"


# Found by attacking the line breaker: the dictionary is asked for "governmental" alone, and
# capitals outside the basic blocks ("Ș", "Ґ", "Ἐ") were not counted as capitals.
COMPOUNDS = "Non-governmental Anti-discrimination Euro-mediterranean Co-operation Ștefănescu "
ELISIONS = "L’internationalisation D’interopérabilité L’intergouvernementalité "


@pytest.mark.parametrize(("words", "language"), [(COMPOUNDS, "en-GB"), (ELISIONS, "fr")])
def test_no_part_of_a_capitalised_word_is_hyphenated(renderer: PdfRenderer, words: str, language: str) -> None:
    html = narrow("and " + words.replace(" ", " and "), language)
    lines = body_lines(renderer.lay_out_html(html))
    assert forbidden_breaks(lines) == []
    page = renderer.weasyprint.HTML(string=html, base_url=PRINT_ASSETS.as_uri() + "/", url_fetcher=renderer.fetcher)
    assert forbidden_breaks(body_lines(page.render(font_config=renderer.font_config))), "they would be hyphenated"


def soft_hyphenated(index: int) -> str:
    """A made-up word of five syllables with a soft hyphen between each (no dictionary knows it)."""
    draw = random.Random(index)
    return "\u00ad".join(
        draw.choice("bcdghkmnprstvz") + draw.choice("aeiou") + draw.choice("bcdghkmnprstvz") for _ in range(5)
    )


def test_soft_hyphens_the_author_wrote_give_no_run_of_three(renderer: PdfRenderer, tmp_path: Path) -> None:
    # The line breaker limits automatic hyphenation only; the renderer protects the words a soft
    # hyphen still breaks at the third line (their soft hyphens are inside the word it names).
    source = FIXTURES[0].read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n"
    source += "1. " + " ".join(soft_hyphenated(i) for i in range(60)) + ".\n"
    path = tmp_path / FIXTURES[0].name
    path.write_text(source, encoding="utf-8")
    laid_out = renderer.lay_out(load(path), pdf_variant="pdf/a-3b", pdf_tags=True)
    lines = body_lines(laid_out)
    assert sum(line.hyphenated for line in lines) > 3
    assert longest(lines) <= MAX_RUN


def test_a_soft_hyphenated_word_keeps_its_letters_in_the_text_layer(renderer: PdfRenderer, tmp_path: Path) -> None:
    # A ligature across an author's soft hyphen had no text behind it: "of­fi­cial" read "o cial".
    plain = "The of-fi-cial ef-fect and the baf-fling shuf-fle of pro-file and in-flu-ence."
    words = plain.replace("-", "\u00ad")
    source = FIXTURES[0].read_text(encoding="utf-8").split("\n---\n", 1)[0] + "\n---\n\n1. " + words + "\n"
    path = tmp_path / FIXTURES[0].name
    path.write_text(source, encoding="utf-8")
    pdf = tmp_path / "soft.pdf"
    pdf.write_bytes(renderer.render(load(path)))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "The official effect and the baffling shuffle of profile and influence." in " ".join(text.split())
