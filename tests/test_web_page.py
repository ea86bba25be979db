"""A text's web page as a reader meets it: its other editions with their sizes, a skip link that
skips, one tab stop for all the paragraph numbers, a dark theme, and printing like the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.templating import file_size
from pipeline.testing.corpus import generate
from tests.conftest import ROOT
from tests.validators import axe, nu_html_checker
from tests.website import browser as chromium_page

ALL = ["html", "pdf", "docx", "epub", "akn"]
SEED_FR = "recommendation-1607-2003.fr"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("sources")
    for source in (ROOT / "source").glob("*.*.md"):
        shutil.copyfile(source, sources / source.name)
    generate(sources, 2, seed=11)  # a text of a few pages beside the seed, for printing
    out = tmp_path_factory.mktemp("site")
    summary = build_corpus([sources], ALL, out, Config())
    assert not [o for o in summary.outcomes if o.failed]
    return out


def page(out: Path, stem: str) -> str:
    return (out / f"{stem}.html").read_text(encoding="utf-8")


def test_the_page_links_its_other_editions_with_their_sizes(seed_site: Path) -> None:
    html = page(seed_site, SEED_FR)
    listed = re.findall(
        r'<li><a href="([^"]+)" type="[^"]+" download>([^<]+)</a> <span class="size">([^<]+)</span>', html
    )
    assert [(file, label) for file, label, _ in listed] == [
        (f"{SEED_FR}.pdf", "PDF"),
        (f"{SEED_FR}.docx", "DOCX"),
        (f"{SEED_FR}.epub", "EPUB"),
    ]
    for file, _, size in listed:
        assert size == file_size((seed_site / file).stat().st_size, "fr")
    assert f'<link rel="alternate" type="application/akn+xml" href="{SEED_FR}.akn.xml">' in html


def test_sizes_are_written_as_the_language_writes_them() -> None:
    assert file_size(37_400, "fr") == "37\u202fko"
    assert file_size(1_234_567, "fr") == "1,2\u202fMo"
    assert file_size(999, "en") == "1\u00a0kB"
    assert file_size(1_240_000, "en-GB") == "1.2\u00a0MB"


def test_an_html_only_rebuild_lists_the_editions_as_a_full_build_does(seed_site: Path, tmp_path: Path) -> None:
    """The page of a text whose other editions are up to date shows the sizes recorded for them,
    and is byte for byte the page of the full build."""
    copy = tmp_path / "site"
    shutil.copytree(seed_site, copy)
    full = page(copy, SEED_FR)
    (copy / f"{SEED_FR}.html").unlink()
    sources = [ROOT / "source"]
    summary = build_corpus(sources, ALL, copy, Config())
    assert {(o.source.name, tuple(e.format for e in o.editions)) for o in summary.outcomes} == {
        (f"{SEED_FR}.md", ("html",))
    }
    assert page(copy, SEED_FR) == full


def test_the_skip_link_lands_past_the_title_block_and_numbers_are_one_tab_stop(seed_site: Path) -> None:
    html = page(seed_site, SEED_FR)
    assert '<a class="skip-link" href="#text">' in html
    assert '<section class="text" id="text" tabindex="-1">' in html
    numbers = re.findall(r'<a class="number"[^>]*>', html)
    assert numbers and all('tabindex="-1"' in number for number in numbers)
    assert "↩" not in html and "←\ufe0e" not in html and "←&#xFE0E;" in html  # never an emoji

    with chromium_page() as browser:
        browser.goto((seed_site / f"{SEED_FR}.html").as_uri())
        stops = []
        for _ in range(40):
            browser.keyboard.press("Tab")
            stops.append(browser.evaluate("document.activeElement.className + ' ' + document.activeElement.tagName"))
        assert sum(1 for stop in stops[: stops.index("skip-link A", 1)] if stop.startswith("number ")) == 1
        browser.goto((seed_site / f"{SEED_FR}.html").as_uri())
        browser.keyboard.press("Tab")
        browser.keyboard.press("Enter")  # the skip link: the next Tab is the first thing of the text
        browser.keyboard.press("Tab")
        assert browser.evaluate("document.activeElement.getAttribute('href')") == "#p-1"
        browser.keyboard.press("ArrowDown")
        browser.keyboard.press("ArrowDown")
        assert browser.evaluate("document.activeElement.getAttribute('href')") == "#p-3"


def test_the_page_prints_on_a4_and_fills_its_pages(seed_site: Path, tmp_path: Path) -> None:
    """Printed from Chromium, a page is A4, with about as many pages as the PDF edition: whole
    paragraphs with their sub-paragraphs are no longer kept together."""
    longest = max(seed_site.glob("*.pdf"), key=lambda path: path.stat().st_size)
    with chromium_page() as browser:
        browser.goto(longest.with_suffix(".html").as_uri())
        browser.pdf(path=str(tmp_path / "printed.pdf"), prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True, check=True)
    edition = subprocess.run(["pdfinfo", str(longest)], capture_output=True, text=True, check=True)
    assert "(A4)" in info.stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])  # type: ignore[index]
    expected = int(re.search(r"Pages:\s+(\d+)", edition.stdout)[1])  # type: ignore[index]
    assert expected - 1 <= pages <= expected + 1


@pytest.mark.slow
def test_the_page_passes_nu_and_axe_in_light_and_dark(seed_site: Path) -> None:
    pages = sorted(path for path in seed_site.glob("*.html") if path.name != "index.html")
    assert nu_html_checker(pages) == []
    assert axe(pages) == []
    assert axe(pages, color_scheme="dark") == []


def test_a_table_wider_than_a_phone_scrolls_in_its_own_region(tmp_path: Path) -> None:
    """At 360 px a table of three columns with dates is wider than the screen: it scrolls
    sideways in a region the keyboard reaches and a screen reader names, and the page does not."""
    text = ROOT / "tests" / "fixtures" / "texts" / "resolution-9020-2032.en.md"
    summary = build_corpus([text], ["html"], tmp_path, Config())
    assert not [o for o in summary.outcomes if o.failed]
    built = tmp_path / "resolution-9020-2032.en.html"
    with chromium_page(width=360) as browser:
        browser.goto(built.as_uri())
        widths = browser.evaluate(
            "() => { const region = document.querySelector('.table-scroll'); const root = document.documentElement;"
            " return [root.scrollWidth, root.clientWidth, region.scrollWidth, region.clientWidth,"
            " region.getAttribute('role'), region.getAttribute('aria-label')]; }"
        )
        page_width, viewport, table_width, region_width, role, label = widths
        assert page_width <= viewport, "the page itself scrolls sideways"
        assert table_width > region_width, "the table no longer needs the region at this width: widen the test"
        assert role == "region" and label == "Table: Stage, Period covered, Deadline"
        browser.focus(".table-scroll")
        browser.keyboard.press("ArrowRight")
        browser.wait_for_function("document.querySelector('.table-scroll').scrollLeft > 0", timeout=5_000)
    assert nu_html_checker([built]) == []
    assert axe([built]) == []
