"""The catalogue page of an output folder: complete, exact, escaped, valid, accessible, filterable."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import lxml.html
import pytest

from pipeline.catalogue import human_size, render_catalogue
from pipeline.config import Config
from pipeline.incremental import CATALOGUE_NAME, build_corpus
from pipeline.testing.corpus import generate
from tests.conftest import SEED
from tests.validators import CHROMIUM, CHROMIUM_ARGS, axe, nu_html_checker

FORMATS = ["html", "epub"]  # the page lists whatever was built; two quick formats show it
HOSTILE_TITLE = "<script>alert(1)</script> & <b>bold</b>"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated texts in both languages, the seed, and a text whose title is hostile markup."""
    sources = tmp_path_factory.mktemp("sources")
    generate(sources, 8, seed=11)
    (sources / SEED.name).write_bytes(SEED.read_bytes())
    hostile = SEED.read_text(encoding="utf-8").replace("number: 1607", "number: 1608")
    hostile = hostile.replace(hostile.split("\n")[5], f"title: '{HOSTILE_TITLE}'")
    (sources / "recommendation-1608-2003.en.md").write_text(hostile, encoding="utf-8")
    out = tmp_path_factory.mktemp("out")
    summary = build_corpus([sources], FORMATS, out, Config(), workers=1)
    assert not [o for o in summary.outcomes if o.failed], [str(p) for o in summary.outcomes for p in o.problems]
    return out


def page(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / CATALOGUE_NAME).read_bytes())


def test_every_text_is_listed_with_each_edition_its_size_and_sha256(built: Path) -> None:
    rows = page(built).xpath("//table[@id='texts']/tbody/tr")
    stems = {p.name.rsplit(".", 1)[0] for p in built.iterdir() if p.suffix in {".html", ".epub"}} - {"index"}
    assert len(rows) == len(stems) == 10
    for row in rows:
        links = row.xpath(".//ul[@class='editions']/li")
        assert [li.xpath("string(a/text())") for li in links] == ["HTML", "EPUB"]
        for li in links:
            target = built / li.xpath("string(a/@href)")
            data = target.read_bytes()
            assert li.xpath("string(data/@value)") == str(len(data))
            assert li.xpath("string(data)") == human_size(len(data))
            assert li.xpath("string(code)").removeprefix("SHA-256 ") == hashlib.sha256(data).hexdigest()
    assert {row.get("data-language") for row in rows} == {"en", "fr"}
    assert all(row.get("data-type") and row.get("data-year", "").isdigit() for row in rows)


def test_texts_are_ordered_by_type_then_latest_year_first(built: Path) -> None:
    rows = page(built).xpath("//table[@id='texts']/tbody/tr")
    order = ["recommendation", "resolution", "opinion", "order", "decision"]
    keys = [(order.index(row.get("data-type")), -int(row.get("data-year"))) for row in rows]
    assert keys == sorted(keys)


def test_source_strings_are_escaped_and_marked_with_their_language(built: Path) -> None:
    document = page(built)
    assert len(document.xpath("//script")) == 1 and "alert" not in document.xpath("string(//script)")
    assert HOSTILE_TITLE in document.xpath("string(//table)")
    assert not document.xpath("//table//b")
    french = document.xpath("//tbody/tr[@data-language='fr']/th")
    assert french and all(th.get("lang") == "fr" for th in french)


def test_the_page_is_valid_html_and_accessible(built: Path) -> None:
    with tempfile.TemporaryDirectory() as empty:
        (Path(empty) / CATALOGUE_NAME).write_bytes(render_catalogue([]))
        files = [built / CATALOGUE_NAME, Path(empty) / CATALOGUE_NAME]
        findings = nu_html_checker(files) + axe(files)
    assert findings == [], "\n".join(map(str, findings))


def test_the_filters_work_in_a_browser_without_a_server(built: Path) -> None:
    from playwright.sync_api import sync_playwright

    rows = page(built).xpath("//table[@id='texts']/tbody/tr")
    french = sum(1 for row in rows if row.get("data-language") == "fr")
    recommendations = sum(1 for row in rows if row.get("data-type") == "recommendation")
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            browser = context.new_page()
            browser.goto((built / CATALOGUE_NAME).resolve().as_uri())
            status = browser.locator("#shown")
            assert status.text_content() == f"{len(rows)} of {len(rows)} texts shown"
            browser.select_option("#filter-language", "fr")
            assert status.text_content() == f"{french} of {len(rows)} texts shown"
            assert browser.locator("#texts tbody tr:visible").count() == french
            browser.select_option("#filter-language", "")
            browser.select_option("#filter-type", "recommendation")
            assert status.text_content() == f"{recommendations} of {len(rows)} texts shown"
            browser.fill("#filter-words", "alert bold")
            assert status.text_content() == f"1 of {len(rows)} texts shown"
            browser.click("button[type=reset]")
            browser.wait_for_function(f"document.getElementById('shown').textContent.startsWith('{len(rows)} of')")
        finally:
            context.close()


def test_sizes_are_written_as_file_managers_write_them() -> None:
    assert [human_size(n) for n in (0, 999, 1000, 48_213, 1_300_000, 2_500_000_000)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "48.2 kB",
        "1.3 MB",
        "2.5 GB",
    ]
