"""The site's Atom feeds (read back with feedparser, as a feed reader does) and its sitemap
(validated against the sitemap protocol's schema, tests/data/sitemap.xsd)."""

from __future__ import annotations

import dataclasses
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import feedparser
import lxml.etree
import pytest

from pipeline.buildstate import BuildState
from pipeline.catalogue import feed_name
from pipeline.config import Config
from pipeline.feeds import FEED_LENGTH, SITEMAP_NAME, render_feed
from pipeline.incremental import build_corpus
from pipeline.testing.corpus import generate
from tests.conftest import ROOT

PUBLISHED = "https://example.int/adopted-texts/"
ATOM_TYPE = {"content-type": "application/atom+xml"}  # as a server sends it: feedparser checks it
HOSTILE_TITLE = "<script>alert(1)</script> & <b>bold</b>"


def build(tmp: Path, config: Config) -> Path:
    sources = tmp / "sources"
    generate(sources, 9, seed=21)
    seed = (ROOT / "source" / "recommendation-1607-2003.en.md").read_text(encoding="utf-8")
    (sources / "recommendation-1607-2003.en.md").write_text(seed, encoding="utf-8")
    hostile = seed.replace("number: 1607", "number: 1608").replace(seed.split("\n")[5], f"title: '{HOSTILE_TITLE}'")
    (sources / "recommendation-1608-2003.en.md").write_text(hostile, encoding="utf-8")
    out = tmp / "out"
    summary = build_corpus([sources], ["html", "epub"], out, config, workers=2)
    assert not [o for o in summary.outcomes if o.failed], [str(p) for o in summary.outcomes for p in o.problems]
    return out


@pytest.fixture(scope="module")
def local(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("local"), Config())


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("published"), Config(publication_url=PUBLISHED))


def texts(out: Path, language: str) -> list[tuple[str, str, str]]:
    """(date, stem, citation) of the folder's texts in `language`, from the build state."""
    with sqlite3.connect(out / ".buildstate.sqlite") as db:
        rows = db.execute("SELECT date, stem, citation FROM texts WHERE language = ?", (language,)).fetchall()
    return sorted(((str(d), str(s), str(c)) for d, s, c in rows), reverse=True)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_each_language_has_a_feed_that_parses_cleanly_with_the_latest_texts_first(local: Path, language: str) -> None:
    feed_url = f"https://reader.example/site/{feed_name(language)}"  # where a reader fetched it
    parsed: Any = feedparser.parse(
        (local / feed_name(language)).read_bytes(), response_headers={"content-location": feed_url, **ATOM_TYPE}
    )
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    expected = texts(local, language)
    assert [entry.title.split(":")[0].rstrip("\u00a0") for entry in parsed.entries] == [c for _, _, c in expected]
    assert [entry.updated[:10] for entry in parsed.entries] == [date for date, _, _ in expected]
    assert parsed.feed.updated == f"{expected[0][0]}T00:00:00Z"  # the latest adoption, not the clock
    for entry, (_, stem, _) in zip(parsed.entries, expected, strict=True):
        assert entry.id == Config().identifier.format(slug=stem.rsplit(".", 1)[0], language=language)
        links = [link.href for link in entry.links]
        assert links == [urljoin(feed_url, f"{stem}.html"), urljoin(feed_url, f"{stem}.epub")]
        assert all((local / link.rsplit("/", 1)[1]).is_file() for link in links)


def test_source_strings_are_escaped_in_the_feed(local: Path) -> None:
    data = (local / feed_name("en")).read_bytes()
    root = lxml.etree.fromstring(data)
    titles = root.xpath("//a:entry/a:title/text()", namespaces={"a": "http://www.w3.org/2005/Atom"})
    assert any(HOSTILE_TITLE in title for title in titles)
    assert b"<script>" not in data


def test_with_a_publication_url_the_feed_links_are_absolute(published: Path) -> None:
    parsed: Any = feedparser.parse((published / feed_name("fr")).read_bytes(), response_headers=ATOM_TYPE)
    assert not parsed.bozo
    assert all(link.href.startswith(PUBLISHED) for entry in parsed.entries for link in entry.links)
    assert parsed.feed.links[0].href == PUBLISHED + feed_name("fr")


def test_a_feed_lists_at_most_the_latest_fifty(local: Path) -> None:
    state = BuildState.open(local)
    try:
        entry = next(e for e in state.present() if e["record"]["language"] == "en")
    finally:
        state.close()
    many = [
        {**entry, "stem": f"resolution-{n}-2001.en", "record": {**entry["record"], "date": f"2001-01-{1 + n % 28:02d}"}}
        for n in range(FEED_LENGTH + 10)
    ]
    parsed: Any = feedparser.parse(render_feed(many, "en", Config()), response_headers=ATOM_TYPE)
    assert len(parsed.entries) == FEED_LENGTH
    assert parsed.entries[0].updated.startswith("2001-01-28")


def test_without_a_publication_url_there_is_no_sitemap(local: Path) -> None:
    assert not (local / SITEMAP_NAME).exists()


def test_the_sitemap_is_valid_and_lists_every_page_at_its_published_address(published: Path, tmp_path: Path) -> None:
    schema = lxml.etree.XMLSchema(lxml.etree.parse(str(ROOT / "tests" / "data" / "sitemap.xsd")))
    document = lxml.etree.parse(str(published / SITEMAP_NAME))
    assert schema.validate(document), schema.error_log
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = document.xpath("//s:loc/text()", namespaces=namespace)
    pages = sorted(p.name for p in published.glob("*.*.html"))
    assert locations == [PUBLISHED, PUBLISHED + "search.html", *(PUBLISHED + page for page in pages)]
    assert all((published / loc.removeprefix(PUBLISHED)).exists() for loc in locations)
    # Unsetting publication_url removes the sitemap whose addresses it gave.
    copy = tmp_path / "copy"
    shutil.copytree(published, copy)
    build_corpus([published.parent / "sources"], ["html", "epub"], copy, Config())
    assert not (copy / SITEMAP_NAME).exists()


def test_the_site_files_are_the_same_bytes_from_build_to_build(local: Path, tmp_path: Path) -> None:
    second = build(tmp_path, Config())
    for name in ("index.html", "search.html", "SHA256SUMS", feed_name("en"), feed_name("fr")):
        assert (second / name).read_bytes() == (local / name).read_bytes(), name
    assert dataclasses.replace(Config(), publication_url="") == Config()


def test_the_french_feed_is_in_french(local: Path) -> None:
    """Its title, the colon of each entry's title (a no-break space before it) and the types."""
    parsed: Any = feedparser.parse((local / feed_name("fr")).read_bytes(), response_headers=ATOM_TYPE)
    assert parsed.feed.title == "Textes adoptés (Français)"  # the name the language switcher shows
    assert parsed.entries
    for entry in parsed.entries:
        citation, _, title = entry.title.partition("\u00a0: ")
        assert citation and title and ": " not in citation, entry.title
        assert entry.tags[0].label in {"Recommandation", "Résolution", "Avis", "Ordre", "Décision"}
    english: Any = feedparser.parse((local / feed_name("en")).read_bytes(), response_headers=ATOM_TYPE)
    assert english.feed.title == "Adopted texts (English)"
    assert all(": " in entry.title and "\u00a0:" not in entry.title for entry in english.entries)


MONTHS = {
    "en": "January|February|March|April|May|June|July|August|September|October|November|December",
    "fr": "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_summary_gives_the_adoption_date_as_the_texts_write_it(local: Path, language: str) -> None:
    parsed: Any = feedparser.parse((local / feed_name(language)).read_bytes(), response_headers=ATOM_TYPE)
    assert parsed.entries
    day = r"1er|\d{1,2}" if language == "fr" else r"\d{1,2}"
    for entry in parsed.entries:
        assert re.search(rf"\), ({day})\u00a0({MONTHS[language]})\u00a0\d{{4}}\. ", entry.summary), entry.summary
    if language == "en":
        [seed] = [e for e in parsed.entries if e.title.startswith("Recommendation 1607")]
        assert seed.summary.startswith("Recommendation 1607 (2003), 24\u00a0June\u00a02003. Activities of")
