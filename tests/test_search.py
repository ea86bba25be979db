"""The site's full-text search: the Pagefind index the build writes, a bundle per language stemmed
in that language, byte-identical from run to run, and the search page as a reader uses it in
Chromium, over loopback HTTP."""

from __future__ import annotations

import filecmp
import hashlib
import json
import re
import shutil
from pathlib import Path

import lxml.html
import pytest

from pipeline import cbor
from pipeline.config import Config
from pipeline.incremental import build_corpus
from pipeline.search import INDEX_NAME, Page, _unpacked, update_index
from pipeline.testing.corpus import generate
from tests.conftest import ROOT
from tests.validators import nu_html_checker
from tests.website import axe_here, browser, dead_links, search, served

UNIQUE_WORD = "Zanzibarisation"  # in one paragraph of one text, nowhere else
SEED_EN = "recommendation-1607-2003.en.html"
SEED_FR = "recommendation-1607-2003.fr.html"


def corpus(sources: Path, count: int, seed: int) -> Path:
    """`count` generated sources and the seed's two versions; one generated text's fifth-to-last
    paragraph gets a word no other text has."""
    generate(sources, count, seed=seed)
    for name in ("recommendation-1607-2003.en.md", "recommendation-1607-2003.fr.md"):
        shutil.copyfile(ROOT / "source" / name, sources / name)
    target = sorted(sources.glob("*.en.md"))[0]
    lines = target.read_text(encoding="utf-8").split("\n")
    numbered = [i for i, line in enumerate(lines) if re.match(r"\d+\. ", line)]
    where = numbered[len(numbered) // 2]
    lines[where] = lines[where].rstrip(".;:") + f" by {UNIQUE_WORD.lower()};"
    target.write_text("\n".join(lines), encoding="utf-8")
    return target


def built(tmp: Path, count: int, seed: int) -> tuple[Path, Path]:
    sources = tmp / "sources"
    marked = corpus(sources, count, seed)
    out = tmp / "out"
    summary = build_corpus([sources], ["html"], out, Config(), workers=2)
    assert not [o for o in summary.outcomes if o.failed], [str(p) for o in summary.outcomes for p in o.problems]
    return out, marked


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return built(tmp_path_factory.mktemp("site"), 12, seed=5)


def paragraph_of(page: Path, word: str) -> str:
    """The id of the innermost numbered paragraph of `page` that has `word`."""
    document = lxml.html.fromstring(page.read_bytes())
    found = [
        div.get("id")
        for div in document.xpath("//div[starts-with(@id, 'p-')]")
        if word.lower() in "".join(div.xpath("./p//text()")).lower()
    ]
    assert found, word
    return str(found[-1])


def web_pages(folder: Path) -> list[Page]:
    """The web editions of a built folder, as the site gives them to the index."""
    return [
        Page(p.name, hashlib.sha256(p.read_bytes()).hexdigest(), p.name.split(".")[-2])
        for p in sorted(folder.glob("*.*.html"))
    ]


# The index ---------------------------------------------------------------------------------------


def test_each_language_has_its_own_bundle_indexed_and_stemmed_in_that_language(site: tuple[Path, Path]) -> None:
    out, _ = site
    assert sorted(p.name for p in (out / INDEX_NAME).iterdir() if p.is_dir()) == ["en", "fr"]
    for language in ("en", "fr"):  # the generator writes both
        entry = json.loads((out / INDEX_NAME / language / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert entry["languages"].keys() == {language}
        assert entry["languages"][language]["wasm"] == language  # Pagefind's stemmer of that language
        assert entry["languages"][language]["page_count"] == len(list(out.glob(f"*.{language}.html")))
        assert (out / INDEX_NAME / language / f"wasm.{language}.pagefind").is_file()
    assert not list(out.glob(f".{INDEX_NAME}*"))  # nothing of the staging left beside it


def test_two_indexes_of_the_same_pages_are_byte_identical(site: tuple[Path, Path], tmp_path: Path) -> None:
    """Pagefind writes filter values in a per-process random order; we sort them (pipeline/search.py)."""
    out, _ = site
    pages = web_pages(out)
    copies = []
    for run in range(3):
        folder = tmp_path / f"run-{run}"
        shutil.copytree(out, folder, ignore=shutil.ignore_patterns(INDEX_NAME))
        assert update_index(folder, pages)
        copies.append(folder / INDEX_NAME)
    for other in copies[1:]:
        comparison = filecmp.dircmp(copies[0], other)
        assert not _differences(comparison), _differences(comparison)
    for bundle in ("en", "fr"):
        filters = sorted((copies[0] / bundle / "filter").glob("*.pf_filter"))
        assert len(filters) == 4  # type, year, language, status
        for path in filters:
            name, values = cbor.decode(_unpacked(path.read_bytes()))
            assert [value for value, _ in values] == sorted(value for value, _ in values), name


def _differences(comparison: filecmp.dircmp[str]) -> list[str]:
    _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files, shallow=False)
    found = [*comparison.left_only, *comparison.right_only, *mismatch, *errors]
    for sub in comparison.subdirs.values():
        found += _differences(sub)
    return found


def test_the_index_is_rewritten_only_when_a_web_page_changed(site: tuple[Path, Path], tmp_path: Path) -> None:
    out, _ = site
    folder = tmp_path / "copy"
    shutil.copytree(out, folder)
    pages = web_pages(folder)
    entry = folder / INDEX_NAME / "en" / "pagefind-entry.json"
    before = entry.stat().st_mtime_ns
    assert not update_index(folder, pages)
    assert entry.stat().st_mtime_ns == before
    assert update_index(folder, pages[1:])  # a text left the corpus
    assert not list(folder.glob(".*.part"))  # the temporary bundles and the old ones are gone
    assert update_index(folder, [page for page in pages if page.language == "fr"])  # no English page left
    assert sorted(p.name for p in (folder / INDEX_NAME).iterdir() if p.is_dir()) == ["fr"]


# The page in a browser ---------------------------------------------------------------------------


def test_a_word_of_one_texts_body_finds_that_text_and_its_paragraph(site: tuple[Path, Path]) -> None:
    out, marked = site
    page = marked.name.removesuffix(".md") + ".html"
    with served(out) as base, browser() as tab:
        found = search(tab, base, UNIQUE_WORD.lower())
        assert found == [page]
        places = [str(a.get_attribute("href")) for a in tab.query_selector_all("#results .places a")]
        assert places == [f"{page}#{paragraph_of(out / page, UNIQUE_WORD)}"]
        assert tab.text_content("#results mark").lower() == UNIQUE_WORD.lower()


def test_accents_and_apostrophes_are_folded(site: tuple[Path, Path]) -> None:
    out, _ = site
    with served(out) as base, browser() as tab:
        assert "recommendation-1607-2003.fr.html" in search(tab, base, "activites")  # "activités" in its body
        straight = search(tab, base, "l'Organisation internationale")
        curly = search(tab, base, "l’Organisation internationale")
        assert straight == curly and "recommendation-1607-2003.fr.html" in straight


def test_a_language_is_searched_with_its_own_stemming_and_only_its_own(site: tuple[Path, Path]) -> None:
    """The seed's French body has "charger" and "cherchent", never "chargent" or "chercher": only a
    French stemmer joins them. It has "pays" (country), which only an English stemmer joins to
    "payer" (to pay) and "pay". Its English body has "trafficking", never "trafficked"."""
    out, _ = site
    with served(out) as base, browser() as tab:
        for language in ("fr", ""):  # French, then every language (each with its own stemmer)
            assert SEED_FR in search(tab, base, "chargent", language=language)
            assert SEED_FR in search(tab, base, "chercher", language=language)
        assert SEED_FR not in search(tab, base, "payer", language="fr")
        french = search(tab, base, "Assemblée", language="fr")
        assert SEED_FR in french and all(page.endswith(".fr.html") for page in french)
        for language in ("en", ""):
            assert SEED_EN in search(tab, base, "trafficked", language=language)
        english = search(tab, base, "pay", language="en")
        assert all(page.endswith(".en.html") for page in english)  # "pays" is a French word
        tab.goto(base + "search.html?language=fr&q=chargent")  # a link into the French search
        tab.wait_for_selector("#results li.result", timeout=20_000)
        assert tab.input_value("#filter-language") == "fr"
        found = [str(a.get_attribute("href")) for a in tab.query_selector_all("#results li.result h2 a")]
        assert SEED_FR in found and all(page.endswith(".fr.html") for page in found)


def test_filters_narrow_the_results(site: tuple[Path, Path]) -> None:
    out, _ = site
    with served(out) as base, browser() as tab:
        every = search(tab, base, "Assembly")
        english = search(tab, base, "Assembly", language="en")
        recommendations = search(tab, base, "Assembly", type="recommendation")
        final_2003 = search(tab, base, "Assembly", year="2003", status="final")
    assert every and english and recommendations
    assert set(english) < set(every) and all(p.endswith(".en.html") for p in english)
    assert set(recommendations) < set(every) and all(p.startswith("recommendation-") for p in recommendations)
    assert final_2003 and all("-2003." in p for p in final_2003)


def test_keywords_are_searched(site: tuple[Path, Path]) -> None:
    out, _ = site
    with served(out) as base, browser() as tab:
        found = search(tab, base, "trafficking")  # a keyword of the seed, not a word of its English body
    assert "recommendation-1607-2003.en.html" in found


def test_without_an_index_the_page_explains_what_search_needs(site: tuple[Path, Path]) -> None:
    out, _ = site
    with browser() as tab:
        tab.goto((out / "search.html").as_uri())  # as a file: the index cannot load
        tab.wait_for_timeout(500)
        assert tab.is_visible("#search-needs") and not tab.is_visible("#query")
        assert "needs JavaScript" in tab.text_content("#search-needs")


def test_catalogue_text_and_search_pages_are_valid_accessible_and_link_only_to_what_exists(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    out, marked = site
    text_page = marked.name.removesuffix(".md") + ".html"
    rendered = {}
    findings = []
    with served(out) as base, browser(390) as tab:
        for name in ("index.html", text_page):
            tab.goto(base + name)
            rendered[name] = tab.content()  # before axe adds its script
            findings += axe_here(tab)
        search(tab, base, "Assembly")  # the page with results, as a reader sees it
        rendered["search.html"] = tab.content()
        findings += axe_here(tab)
        widths = tab.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert widths[0] <= widths[1], "the search page scrolls sideways at 390 px"
        for name in ("index.html", "search.html"):  # a text's own links: issue 18 item 1, tests/test_links*
            assert dead_links(out, base + name, rendered[name], base) == [], name
    snapshots = []
    for name, html in rendered.items():
        snapshot = tmp_path / name
        snapshot.write_text(html, encoding="utf-8")
        snapshots.append(snapshot)
    findings += nu_html_checker([*snapshots, out / "index.html", out / "search.html", out / text_page])
    assert findings == [], "\n".join(map(str, findings))


@pytest.mark.slow
def test_a_corpus_of_200_generated_texts_and_the_seed_is_searched_by_a_body_word(tmp_path: Path) -> None:
    out, marked = built(tmp_path, 200, seed=8)
    page = marked.name.removesuffix(".md") + ".html"
    with served(out) as base, browser() as tab:
        assert search(tab, base, UNIQUE_WORD.lower()) == [page]
        assert "recommendation-1607-2003.fr.html" in search(tab, base, "activites", language="fr")
        with_link = [p for p in search(tab, base, "Assembly", type="opinion") if p.startswith("opinion-")]
        assert with_link


def test_a_word_in_a_note_or_an_appendix_is_found_in_its_own_place(tmp_path: Path) -> None:
    """A word of a note is listed as that note and one of an appendix as the appendix's
    paragraph, not as the last paragraph of the text before them; the note's back link is not
    part of the excerpt."""
    sources = tmp_path / "sources"
    sources.mkdir()
    text = (ROOT / "tests" / "fixtures" / "texts" / "resolution-9020-2032.en.md").read_text(encoding="utf-8")
    text = text.replace("[^earlier]: See also", "[^earlier]: Quetzalcoatlisation aside, see also", 1)
    text = text.replace("2.1. address a questionnaire", "2.1. address a xylographeme questionnaire", 1)
    (sources / "resolution-9020-2032.en.md").write_text(text, encoding="utf-8")
    for other in ("resolution-9010-2031.en.md", "order-9011-2031.en.md"):  # the texts it cites
        shutil.copyfile(ROOT / "tests" / "fixtures" / "texts" / other, sources / other)
    out = tmp_path / "out"
    summary = build_corpus([sources], ["html"], out, Config())
    assert not [o for o in summary.outcomes if o.failed]
    page = "resolution-9020-2032.en.html"
    document = lxml.html.fromstring((out / page).read_bytes())
    [note] = document.xpath("//li[starts-with(@id, 'fn-')][contains(., 'Quetzalcoatlisation')]")
    with served(out) as base, browser() as tab:
        assert search(tab, base, "quetzalcoatlisation") == [page]
        places = tab.query_selector_all("#results .places a")
        assert [(a.get_attribute("href"), a.text_content()) for a in places] == [
            (f"{page}#{note.get('id')}", f"Note {note.get('id').removeprefix('fn-')}")
        ]
        assert "←" not in tab.text_content("#results .places")
        assert search(tab, base, "xylographeme") == [page]
        places = tab.query_selector_all("#results .places a")
        assert [(a.get_attribute("href"), a.text_content()) for a in places] == [
            (f"{page}#appendix-p-2-1", "Appendix, paragraph 2.1")
        ]
