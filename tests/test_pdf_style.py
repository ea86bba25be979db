"""The print stylesheet lifted out of the page and parsed once (pipeline/renderers/pdf_style.py):
the same PDF as the page styled by its own <style>, for every text, and a sheet WeasyPrint
warned about is never reused."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

import pipeline.renderers.pdf as pdf_module
from pipeline import load
from pipeline.config import Config
from pipeline.renderers.pdf import PdfRenderer
from pipeline.renderers.pdf_style import KEPT, lift_styles
from tests.conftest import TEXTS


@pytest.fixture(scope="module")
def renderer() -> PdfRenderer:
    return PdfRenderer(Config())


def inline(html: str) -> tuple[str, str]:
    """The page as it is: WeasyPrint parses its <style> itself."""
    return html, ""


@pytest.mark.parametrize("path", TEXTS, ids=[t.name for t in TEXTS])
def test_the_lifted_stylesheet_gives_the_same_pdf_as_the_pages_own(
    path: Path, renderer: PdfRenderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load(path)
    lifted = renderer.render(document)
    again = renderer.render(document)  # the kept sheet this time
    monkeypatch.setattr(pdf_module, "lift_styles", inline)
    assert lifted == again == renderer.render(document)


def test_the_texts_share_one_parsed_sheet_per_language_and_status(renderer: PdfRenderer) -> None:
    for path in TEXTS:
        renderer.render(load(path))
    languages = {load(path).metadata.language for path in TEXTS}
    assert len(languages) <= len(renderer.stylesheets.kept) <= KEPT


def test_only_the_heads_styles_are_lifted() -> None:
    page = (
        "<html><head><meta charset=utf-8><style>\np { color: red }\n</style >"
        "<STYLE>h1 { margin: 0 }</style/></head>"
        "<body><p>&lt;style&gt;x&lt;/style&gt;</p><style>q { color: blue }</style></body></html>"
    )
    html, css = lift_styles(page)
    assert css == "\np { color: red }\n\nh1 { margin: 0 }"
    assert html == (
        "<html><head><meta charset=utf-8></head>"
        "<body><p>&lt;style&gt;x&lt;/style&gt;</p><style>q { color: blue }</style></body></html>"
    )


@pytest.mark.parametrize(
    "page",
    [
        "<p>no head at all</p>",
        "<html><head><title>t</title></head><body><style>p {}</style></body></html>",
        "<html><head><style>p { a: b }</styles></head></html>",  # not the end of the style
    ],
)
def test_a_page_without_a_closed_style_in_its_head_is_left_as_it_is(page: str) -> None:
    assert lift_styles(page) == (page, "")


def test_a_style_ends_where_the_tokenizer_ends_it() -> None:
    html, css = lift_styles("<head><style>a::after { content: '</style' }</style></head>")
    assert css == "a::after { content: '</style' }"
    assert html == "<head></head>"


def test_a_sheet_weasyprint_warns_about_is_parsed_again_for_every_text(renderer: PdfRenderer) -> None:
    bad = "p { colour: red }"  # an unknown property: WeasyPrint logs a warning
    with _captured("weasyprint") as records:
        first = renderer.stylesheets(bad)
        second = renderer.stylesheets(bad)
    assert first is not second and bad not in renderer.stylesheets.kept
    assert len([r for r in records if "colour" in r.getMessage()]) == 2
    good = "p { color: red }"
    assert renderer.stylesheets(good) is renderer.stylesheets(good)


def test_no_more_sheets_are_kept_than_the_limit(renderer: PdfRenderer) -> None:
    for n in range(KEPT + 5):
        renderer.stylesheets(f"p {{ margin: {n}pt }}")
    kept = renderer.stylesheets.kept
    assert len(kept) == KEPT and f"p {{ margin: {KEPT + 4}pt }}" in kept and "p { margin: 0pt }" not in kept


class _Kept(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class _captured:
    """The log records of a logger while entered."""

    def __init__(self, name: str) -> None:
        self.logger = logging.getLogger(name)
        self.records: list[logging.LogRecord] = []
        self.handler = _Kept(self.records)

    def __enter__(self) -> list[logging.LogRecord]:
        self.logger.addHandler(self.handler)
        return self.records

    def __exit__(self, *exc_info: object) -> None:
        self.logger.removeHandler(self.handler)
