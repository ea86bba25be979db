"""Links resolve against the corpus: a built folder has no dead link, each citation of a text that
is not in it is reported once, and adding a text rebuilds exactly the texts that cite it."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest

from pipeline.buildstate import BuildState
from pipeline.config import Config, LinkPatterns
from pipeline.errors import Severity
from pipeline.fingerprints import fingerprints
from pipeline.incremental import Summary, build_corpus, plan
from pipeline.linking import Targets, resolve
from pipeline.model import Document, LanguageVersion, Paragraph, Reference
from pipeline.source import find_sources, read
from pipeline.testing.corpus import generate
from pipeline.textname import file_stem
from tests.conftest import ROOT, SEED
from tests.crawl import crawl

# The citations the generator and the seed write: "Resolution 1017 (2017)", "Recommandation 1253 (1994)".
CITATION = re.compile(
    r"(?P<kind>Resolution|Recommendation|Résolution|Recommandation) (?P<number>\d+) \((?P<year>\d{4})\)"
)
KINDS = {"Resolution": "resolution", "Résolution": "resolution", "Recommendation": "recommendation"}
KINDS["Recommandation"] = "recommendation"
WEB = ["html", "akn"]  # the web page and the edition it links in its head
EXTERNAL = {"http://purl.org/dc/terms/"}  # the Dublin Core schema a page names: the only absolute URL by default


def corpus(folder: Path, count: int, seed: int = 5) -> Path:
    """`count` generated sources and the seed's two language versions."""
    generate(folder, count, seed)
    for source in (ROOT / "source").glob("*.*.md"):
        shutil.copyfile(source, folder / source.name)
    return folder


def cited(source: Path) -> set[str]:
    """The slugs of the texts a source cites, read with a regular expression of our own."""
    text = source.read_text(encoding="utf-8")
    return {f"{KINDS[m['kind']]}-{m['number']}-{m['year']}" for m in CITATION.finditer(text)}


def slug(stem: str) -> str:
    return stem.rpartition(".")[0]


def absent_warnings(summary: Summary) -> list[tuple[str, str]]:
    return [
        (problem.path.name, problem.message.partition(" is not in the corpus")[0])
        for outcome in summary.outcomes
        for problem in outcome.problems
        if problem.severity is Severity.WARNING and " is not in the corpus: " in problem.message
    ]


def expected_absent(sources: list[Path], built: set[str]) -> int:
    """How many (text, cited text) pairs cite a text none of whose versions was built."""
    slugs = {slug(stem) for stem in built}
    return sum(len(cited(source) - slugs) for source in sources if file_stem(source) in built)


def check_folder(out: Path) -> None:
    result = crawl(out)
    assert result.followed > 0
    assert result.dead == []
    assert set(result.external) <= EXTERNAL


# Small and fast --------------------------------------------------------------------------------


def test_targets_prefer_the_same_language_then_another_in_order() -> None:
    targets = Targets(frozenset({"resolution-1-2001.fr", "resolution-1-2001.de", "resolution-2-2001.en"}))
    assert targets.stem_for("resolution-2-2001", "en") == "resolution-2-2001.en"
    assert targets.stem_for("resolution-1-2001", "fr") == "resolution-1-2001.fr"
    assert targets.stem_for("resolution-1-2001", "en") == "resolution-1-2001.de"
    assert targets.stem_for("resolution-3-2001", "en") == ""
    versions = (LanguageVersion("fr", "resolution-1-2001.fr"), LanguageVersion("it", "resolution-1-2001.it"))
    assert targets.versions(versions) == versions[:1]


def test_a_reference_links_in_the_corpus_then_to_the_official_site_then_nowhere() -> None:
    official = Config(links=LinkPatterns(text="https://pace.example/{type}/{number}/{year}/{language}"))
    for config, absent_url in ((Config(), ""), (official, "https://pace.example/recommendation/1370/1998/en")):
        reading = read(SEED, config)
        assert reading.document is not None
        resolution = resolve(reading.document, Targets(frozenset({"recommendation-1253-1994.fr"})))
        assert resolution.links == {
            "recommendation-1253-1994": "recommendation-1253-1994.fr",
            "recommendation-1370-1998": "",
        }
        assert resolution.absent == {"recommendation-1370-1998": ("Recommendation 1370 (1998)", absent_url)}
        references = [r for r in _references(resolution.document) if r.kind != "document"]
        assert {(r.url, r.language) for r in references if r.number == "1253"} == {
            ("recommendation-1253-1994.fr.html", "fr")
        }
        assert {r.url for r in references if r.number == "1370"} == {absent_url}


def _references(document: Document) -> list[Reference]:
    """Every reference of the body's paragraphs, at any depth."""
    found: list[Reference] = []

    def walk(paragraphs: tuple[Paragraph, ...]) -> None:
        for paragraph in paragraphs:
            found.extend(node for node in paragraph.content if isinstance(node, Reference))
            walk(paragraph.children)

    for section in document.sections:
        walk(tuple(block for block in section.blocks if isinstance(block, Paragraph)))
    return found


def test_a_small_corpus_with_a_failing_english_source_has_no_dead_link(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "sources", 14)
    # Break the English of a text that has a French version and is cited: its French and its
    # citers must then link to the French, never to an English page that was not written.
    by_slug = defaultdict(set)
    for source in find_sources([sources]):
        by_slug[slug(file_stem(source))].add(file_stem(source))
    citing = {slug_: [s for s in find_sources([sources]) if slug_ in cited(s)] for slug_ in by_slug}
    target = next(
        s for s, stems in sorted(by_slug.items()) if len(stems) == 2 and citing[s] and "recommendation-1607" not in s
    )
    broken = sources / f"{target}.en.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("\n1. ", "\n3. ", 1), encoding="utf-8")
    out = tmp_path / "out"
    summary = build_corpus([sources], WEB, out, Config())
    failed = [file_stem(o.source) for o in summary.outcomes if o.failed]
    assert failed == [f"{target}.en"]
    check_folder(out)
    assert not (out / f"{target}.en.html").exists()
    french = (out / f"{target}.fr.html").read_text(encoding="utf-8")
    assert f"{target}.en" not in french
    for citer in citing[target]:
        page = (out / f"{file_stem(citer)}.html").read_text(encoding="utf-8")
        if file_stem(citer).endswith(".en"):
            assert f'href="{target}.fr.html" hreflang="fr"' in page
    built = {file_stem(s) for s in find_sources([sources])} - set(failed)
    warnings = absent_warnings(summary)
    assert len(warnings) == len(set(warnings)) == expected_absent(find_sources([sources]), built) > 0
    assert summary.absent_references == len(warnings)


def test_editions_off_the_website_link_the_web_edition_or_print_text(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "sources", 6)
    for config, base in (
        (Config(), ""),
        (Config(publication_url="https://pace.example/texts/"), "https://pace.example/texts/"),
    ):
        out = tmp_path / f"out-{bool(base)}"
        build_corpus([sources], ["epub", "docx"], out, config, manifest=False)
        for edition in sorted(out.glob("*.epub")) + sorted(out.glob("*.docx")):
            with zipfile.ZipFile(edition) as package:
                text = " ".join(
                    package.read(n).decode("utf-8", "replace")
                    for n in package.namelist()
                    if n.endswith(("html", "xml", "rels"))
                )
            links = set(re.findall(r'(?:href|Target)="([^"]+\.html[^"]*)"', text))
            assert all(link.startswith(base) and base for link in links), (edition.name, links)
            if not base:
                assert links == set()


def test_adding_a_text_rebuilds_the_texts_that_cite_it_and_only_those(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "sources", 16)
    all_sources = find_sources([sources])
    cited_slugs = {s: cited(s) for s in all_sources}
    newcomer = next(
        slug(file_stem(s)) for s in reversed(all_sources) if any(slug(file_stem(s)) in c for c in cited_slugs.values())
    )
    held = tmp_path / "held"
    held.mkdir()
    for source in sources.glob(f"{newcomer}.*.md"):
        source.rename(held / source.name)
    out = tmp_path / "out"
    build_corpus([sources], WEB, out, Config())
    check_folder(out)
    for source in held.iterdir():
        source.rename(sources / source.name)
    inputs = fingerprints(WEB, Config())
    state = BuildState.open(out)
    try:
        work = plan(find_sources([sources]), state, inputs)
    finally:
        state.close()
    rebuilt = {file_stem(job.source) for job in work.jobs}
    citers = {file_stem(s) for s, c in cited_slugs.items() if newcomer in c}
    assert rebuilt == citers | {file_stem(s) for s in sources.glob(f"{newcomer}.*.md")}
    assert {
        reason for job in work.jobs if file_stem(job.source) in citers for reason in work.reasons[job.source].values()
    } <= {
        "linked texts changed",
        "language versions changed",
    }
    summary = build_corpus([sources], WEB, out, Config())
    check_folder(out)
    assert {file_stem(o.source) for o in summary.outcomes} == rebuilt
    assert build_corpus([sources], WEB, out, Config()).outcomes == []


def test_a_single_text_build_links_only_what_it_builds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = build_corpus([ROOT / "source" / "recommendation-1607-2003.fr.md"], WEB, out, Config())
    assert not [o for o in summary.outcomes if o.failed]
    check_folder(out)
    page = (out / "recommendation-1607-2003.fr.html").read_text(encoding="utf-8")
    assert "recommendation-1607-2003.en" not in page  # its English was not built


# The corpus the issue asks for -------------------------------------------------------------------


@pytest.mark.slow
def test_two_hundred_texts_and_the_seed_have_no_dead_link(tmp_path: Path) -> None:
    sources = corpus(tmp_path / "sources", 200, seed=7)
    out = tmp_path / "out"
    summary = build_corpus([sources], WEB, out, Config(), workers=2)
    assert not [o for o in summary.outcomes if o.failed]
    result = crawl(out)
    assert result.dead == []
    assert set(result.external) <= EXTERNAL
    assert result.followed > 10_000
    pages = sorted(out.glob("*.html"))
    cross = sum(
        len(re.findall(r'<a class="ref ref-(?:resolution|recommendation)" href=', p.read_text(encoding="utf-8")))
        for p in pages
    )
    assert cross > 200  # the corpus cites itself: the crawl followed references, not only permalinks
    warnings = absent_warnings(summary)
    built = {file_stem(s) for s in find_sources([sources])}
    assert (
        len(warnings)
        == len(set(warnings))
        == expected_absent(find_sources([sources]), built)
        == summary.absent_references
    )
