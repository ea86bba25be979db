"""The catalogue page of an output folder: complete, exact, escaped, valid, accessible, filterable."""

from __future__ import annotations

import subprocess
import tempfile
import unicodedata
from pathlib import Path

import lxml.html
import pytest

from pipeline.catalogue import CHECKSUMS_NAME, human_size, render_catalogue
from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.site import CATALOGUE_NAME, is_site_file
from pipeline.testing.corpus import generate
from tests.conftest import SEED
from tests.validators import axe, nu_html_checker
from tests.website import browser as chromium_page

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


def test_every_text_is_one_entry_with_its_language_versions_and_their_editions(built: Path) -> None:
    texts = page(built).xpath("//li[@class='text']")
    editions = {p.name for p in built.iterdir() if p.suffix in {".html", ".epub"} and not is_site_file(p.name)}
    stems = {name.rsplit(".", 1)[0] for name in editions}
    slugs = {stem.rsplit(".", 1)[0] for stem in stems}
    assert len(texts) == len(slugs) < len(stems)  # language versions are one text, not one each
    assert page(built).xpath("string(//p[@class='totals'])").startswith(f"{len(slugs)} texts in 2 languages")
    listed = set()
    for text in texts:
        versions = text.xpath("ul[@class='versions']/li")
        assert text.get("data-languages") == " ".join(v.get("lang") for v in versions)
        for version in versions:
            links = version.xpath(".//p[@class='editions']/a")
            assert [a.xpath("string(text())") for a in links] == ["HTML", "EPUB"]
            for link in links:
                target = built / link.get("href")
                listed.add(target.name)
                size = link.getnext()
                assert size.get("value") == str(len(target.read_bytes()))
                assert size.text == human_size(len(target.read_bytes()))
    assert listed == editions
    assert not page(built).xpath("//code") and "sha256" not in page(built).xpath("string(//body)").lower().replace(
        "sha-256 checksums", ""
    )


def test_checksums_are_a_sha256sum_file_in_file_name_order(built: Path) -> None:
    lines = (built / CHECKSUMS_NAME).read_text(encoding="utf-8").splitlines()
    files = [line.split("  ", 1)[1] for line in lines]
    assert files == sorted(files) and len(files) == len(page(built).xpath("//p[@class='editions']/a"))
    result = subprocess.run(["sha256sum", "--check", "--strict", CHECKSUMS_NAME], cwd=built, capture_output=True)
    assert result.returncode == 0, result.stdout
    assert page(built).xpath(f"//a[@href='{CHECKSUMS_NAME}']")


def test_texts_are_grouped_by_latest_year_first_then_by_type(built: Path) -> None:
    order = ["recommendation", "resolution", "opinion", "order", "decision"]
    document = page(built)
    years = [int(section.xpath("string(h2)")) for section in document.xpath("//section[@class='year']")]
    assert years == sorted(years, reverse=True) and len(years) == len(set(years))
    for section in document.xpath("//section[@class='year']"):
        kinds = [order.index(text.get("data-type")) for text in section.xpath(".//li[@class='text']")]
        assert kinds == sorted(kinds)
        assert {text.get("data-year") for text in section.xpath(".//li[@class='text']")} == {
            section.xpath("string(h2)")
        }


def test_source_strings_are_escaped_and_marked_with_their_language(built: Path) -> None:
    document = page(built)
    assert len(document.xpath("//script")) == 1 and "alert" not in document.xpath("string(//script)")
    assert HOSTILE_TITLE in document.xpath("string(//div[@id='texts'])")
    assert not document.xpath("//div[@id='texts']//b")
    french = document.xpath("//ul[@class='versions']/li[@lang='fr']")
    assert french and all(li.xpath("string(p[contains(@class, 'title')])") for li in french)


def test_the_page_is_valid_html_and_accessible(built: Path) -> None:
    with tempfile.TemporaryDirectory() as empty:
        (Path(empty) / CATALOGUE_NAME).write_bytes(render_catalogue([]))
        files = [built / CATALOGUE_NAME, Path(empty) / CATALOGUE_NAME]
        findings = nu_html_checker(files) + axe(files)
    assert findings == [], "\n".join(map(str, findings))


def fold(text: str) -> str:
    """What the page's filter compares: no accents, lower case, every apostrophe as '."""
    bare = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    return bare.replace("’", "'").replace("‘", "'").replace("ʼ", "'").replace("œ", "oe")


def searchable(text: lxml.html.HtmlElement) -> str:
    return fold(" ".join(part.text_content() for part in text.find_class("words")))


def test_the_filters_work_in_a_browser_without_a_server(built: Path) -> None:
    texts = page(built).xpath("//li[@class='text']")
    french = sum(1 for text in texts if "fr" in text.get("data-languages").split())
    recommendations = sum(1 for text in texts if text.get("data-type") == "recommendation")
    words = " ".join(title.text_content() for text in texts for title in text.find_class("title")).split()
    accented = next(word.strip(",.;:") for word in words if fold(word) != word.lower() and "’" not in word)
    apostrophe = next(word.strip(",.;:") for word in words if "’" in word)
    keyword = page(built).xpath("string(//p[@class='keywords']/span[@class='words'])").split(";")[0].strip()
    with chromium_page() as browser:
        browser.goto((built / CATALOGUE_NAME).resolve().as_uri())
        status = browser.locator("#shown")
        total = len(texts)
        assert status.text_content() == f"{total} of {total} texts shown"
        browser.select_option("#filter-language", "fr")
        assert status.text_content() == f"{french} of {total} texts shown"
        assert browser.locator("#texts li.text:visible").count() == french
        browser.select_option("#filter-language", "")
        browser.select_option("#filter-type", "recommendation")
        assert status.text_content() == f"{recommendations} of {total} texts shown"
        browser.fill("#filter-words", "alert bold")
        assert status.text_content() == f"1 of {total} texts shown"
        browser.select_option("#filter-type", "")
        for typed in (fold(accented), apostrophe.replace("’", "'"), keyword.upper()):
            browser.fill("#filter-words", typed)
            expected = sum(1 for text in texts if fold(typed) in searchable(text))
            assert expected > 0 and status.text_content() == f"{expected} of {total} texts shown", typed
        visible_years = browser.locator("#texts section.year:visible").count()
        assert visible_years == len({t.get("data-year") for t in texts if fold(keyword) in searchable(t)})
        browser.click("button[type=reset]")
        browser.wait_for_function(f"document.getElementById('shown').textContent.startsWith('{total} of')")


@pytest.mark.parametrize("width", [390, 320])
def test_the_page_fits_a_phone_without_scrolling_sideways(built: Path, width: int) -> None:
    with chromium_page(width) as browser:
        browser.goto((built / CATALOGUE_NAME).resolve().as_uri())
        widths = browser.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1] == width


def test_sizes_are_written_as_file_managers_write_them() -> None:
    assert [human_size(n) for n in (0, 999, 1000, 48_213, 1_300_000, 2_500_000_000)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "48.2 kB",
        "1.3 MB",
        "2.5 GB",
    ]
