"""Links resolve against the corpus: a built folder has no dead link, each citation of a text that
is not in it is reported once, adding a text rebuilds exactly the texts that cite it, and a text
that fails costs the texts that cite it no second rendering."""

from __future__ import annotations

import re
import shutil
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipeline.build import Builder
from pipeline.buildstate import BuildState
from pipeline.config import Config, LinkPatterns
from pipeline.errors import RenderError, Severity
from pipeline.fingerprints import fingerprints
from pipeline.incremental import Summary, build_corpus, plan
from pipeline.linking import Targets, resolve
from pipeline.model import Document, LanguageVersion, Paragraph, Reference
from pipeline.renderers import renderer_class
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


TEXTS = ROOT / "tests" / "fixtures" / "texts"
FAILING = "opinion-9006-2031.en"  # cited by the two texts below, and by no other fixture
CITERS = {"recommendation-9013-2032.fr", "resolution-9020-2032.en"}


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """How many times each text is rendered (checks apart), in builds of one worker (this process)."""
    counted: Counter[str] = Counter()
    build_one = Builder.build_one

    def counting(self: Builder, source: Path, *args: Any, **kwargs: Any) -> Any:
        if not kwargs.get("check"):
            counted[file_stem(source)] += 1
        return build_one(self, source, *args, **kwargs)

    monkeypatch.setattr(Builder, "build_one", counting)
    yield counted


def fixture_corpus(folder: Path, without: str = "") -> Path:
    folder.mkdir()
    for source in TEXTS.glob("*.md"):
        if file_stem(source) != without:
            shutil.copyfile(source, folder / source.name)
    return folder


def fail_in_its_engine(stem: str) -> pytest.MonkeyPatch:
    """The web page of `stem` cannot be made, until the patch returned is undone: its source is
    fine, its engine fails."""
    html = renderer_class("html")
    render = html.render

    def failing(self: Any, document: Document) -> bytes:
        if document.stem == stem:
            raise RenderError(stem, "html", "the engine failed")
        return bytes(render(self, document))

    patch = pytest.MonkeyPatch()
    patch.setattr(html, "render", failing)
    return patch


def same_as_without(out: Path, alone: Path, stems: set[str]) -> None:
    """The editions of `stems` are those of a build of the corpus without the failing text."""
    for stem in stems:
        for extension in ("html", "akn.xml"):
            assert (out / f"{stem}.{extension}").read_bytes() == (alone / f"{stem}.{extension}").read_bytes(), stem


@pytest.mark.parametrize("where", ["source", "engine"])
def test_the_texts_citing_a_failing_text_link_past_it_and_are_rendered_once(
    where: str, tmp_path: Path, renders: Counter[str]
) -> None:
    """A text that fails links nowhere from the texts that cite it, as a text not in the corpus.
    Each text is rendered once; the one exception is a text that passes its check (its source,
    what every edition can set) and fails in an engine: the texts already rendered that cite
    it are rendered again, once, in that build. Every later build foresees the failure: the
    failing text is built again, to say why, and nothing else."""
    alone = tmp_path / "alone"
    build_corpus([fixture_corpus(tmp_path / "without", without=FAILING)], WEB, alone, Config())
    sources = fixture_corpus(tmp_path / "sources")
    broken = sources / f"{FAILING}.md"
    engine = pytest.MonkeyPatch()
    if where == "source":
        broken.write_text(broken.read_text(encoding="utf-8").replace("\n1. ", "\n3. ", 1), encoding="utf-8")
    else:
        engine = fail_in_its_engine(FAILING)
    try:
        out = tmp_path / "out"
        every = {file_stem(source) for source in sources.glob("*.md")}

        renders.clear()
        summary = build_corpus([sources], WEB, out, Config())
        assert [file_stem(o.source) for o in summary.outcomes if o.failed] == [FAILING]
        again = CITERS if where == "engine" else set()
        expected = {stem: 2 if stem in again else 1 for stem in every - {FAILING}}
        assert renders == (expected if where == "source" else {**expected, FAILING: 1})
        check_folder(out)
        same_as_without(out, alone, CITERS)

        renders.clear()
        summary = build_corpus([sources], WEB, out, Config())
        assert renders == {FAILING: 1}  # retried; the texts that cite it are up to date
        assert [file_stem(o.source) for o in summary.outcomes] == [FAILING]
        assert {file_stem(s) for s in summary.up_to_date} == every - {FAILING}

        engine.undo()  # the engine works again, or the source is mended
        shutil.copyfile(TEXTS / broken.name, broken)
        renders.clear()
        summary = build_corpus([sources], WEB, out, Config())
        assert renders == dict.fromkeys({FAILING} | CITERS, 1)  # the citers now link to it
        assert not [o for o in summary.outcomes if o.failed]
        check_folder(out)
        for citer in CITERS:
            assert f'href="{FAILING}.html"' in (out / f"{citer}.html").read_text(encoding="utf-8")
    finally:
        engine.undo()


def test_a_new_text_that_fails_its_check_leaves_the_texts_that_cite_it_as_they_are(tmp_path: Path) -> None:
    """Through worker processes: the new text is checked, and fails, before anything is rendered."""
    sources = fixture_corpus(tmp_path / "sources", without=FAILING)
    out = tmp_path / "out"
    build_corpus([sources], WEB, out, Config())
    before = {page.name: page.stat().st_mtime_ns for page in out.glob("*.*.html")}
    broken = sources / f"{FAILING}.md"
    broken.write_text(
        (TEXTS / broken.name).read_text(encoding="utf-8").replace("\n1. ", "\n3. ", 1),
        encoding="utf-8",
    )
    summary = build_corpus([sources], WEB, out, Config(), workers=2)
    assert [file_stem(o.source) for o in summary.outcomes] == [FAILING] and summary.outcomes[0].failed
    assert len(summary.up_to_date) == len(before)
    assert {page.name: page.stat().st_mtime_ns for page in out.glob("*.*.html")} == before
    check_folder(out)


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
