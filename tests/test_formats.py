"""A format is one self-describing unit: what each renderer declares holds, and a new format needs
no table outside its own class (shown with a small test-only format built through the real path)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from jinja2 import meta as jinja_meta

from pipeline import build
from pipeline.config import Config
from pipeline.fingerprints import code_files, fingerprints
from pipeline.incremental import build_corpus
from pipeline.model import Document, Paragraph
from pipeline.renderers import REGISTRY, Renderer
from pipeline.renderers.base import HtmlPageRenderer
from pipeline.renderers.html import HtmlRenderer
from pipeline.templating import citation, environment
from tests.conftest import SEED
from tests.test_buildstate import recorded


class OutlineRenderer(Renderer):
    """The example of CONTRIBUTING's "Adding a format": a text's citation, then its paragraph
    numbers, one a line. It reads no template and no configuration, and uses no other tool."""

    name = "outline"
    extension = "outline.txt"
    label = "Outline"
    media_type = "text/plain"
    template_folders = ()
    config_keys = frozenset()

    def render(self, document: Document) -> bytes:
        numbers = [p.number for section in document.sections for p in _paragraphs(section.blocks) if p.number]
        return "\n".join([citation(document.metadata), *numbers, ""]).encode("utf-8")


def _paragraphs(blocks: tuple[object, ...]) -> list[Paragraph]:
    found: list[Paragraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            found += [block, *_paragraphs(block.children)]
    return found


@pytest.fixture
def outline(monkeypatch: pytest.MonkeyPatch) -> type[Renderer]:
    monkeypatch.setitem(REGISTRY, OutlineRenderer.name, OutlineRenderer)  # the one registration it needs
    return OutlineRenderer


def test_a_new_format_is_built_recorded_and_catalogued_from_its_class_alone(
    outline: type[Renderer], tmp_path: Path
) -> None:
    sources = tmp_path / "source"
    sources.mkdir()
    for version in SEED.parent.glob("recommendation-1607-2003.*.md"):
        (sources / version.name).write_bytes(version.read_bytes())
    out = tmp_path / "out"
    first = build_corpus([sources], ["html", "outline"], out, Config())
    assert [o for o in first.outcomes if o.failed] == []
    edition = out / f"{SEED.stem}.outline.txt"
    lines = edition.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "Recommendation 1607 (2003)" and lines[1:4] == ["1.", "2.", "3."]
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<a href="{re.escape(edition.name)}" type="text/plain" hreflang="en">Outline<', page)
    assert recorded(out)[SEED.stem]["editions"]["outline"]["file"] == edition.name  # type: ignore[index]
    again = build_corpus([sources], ["html", "outline"], out, Config())
    assert (again.outcomes, len(again.up_to_date)) == ([], 2)
    assert (__name__, Path(__file__)) in code_files("outline")  # editing this module rebuilds its editions
    assert "publication_url" in dataclasses.asdict(Config())  # a key it does not read
    moved = fingerprints(["outline"], Config(publication_url="https://example.int/texts/"))
    assert moved == fingerprints(["outline"], Config())
    # The library route is the same build.
    [english, _] = build([sources], ["outline"], tmp_path / "library")
    assert english.written == [tmp_path / "library" / edition.name]
    assert english.written[0].read_bytes() == edition.read_bytes()


def test_every_format_says_what_it_is() -> None:
    for name, renderer in REGISTRY.items():
        assert renderer.name == name
        assert renderer.label and re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", renderer.media_type), name
        assert re.fullmatch(r"[a-z0-9]+(\.[a-z0-9]+)*", renderer.extension), name
    assert len({renderer.extension for renderer in REGISTRY.values()}) == len(REGISTRY)


def test_only_the_web_edition_is_on_the_website() -> None:
    """Print, DOCX and EPUB share the HTML page base, not the web edition's behaviour."""
    assert [name for name, renderer in REGISTRY.items() if renderer.on_website] == ["html"]
    assert [name for name, renderer in REGISTRY.items() if renderer.permalinks] == ["html", "akn"]
    for name in ("pdf", "docx", "epub"):
        assert issubclass(REGISTRY[name], HtmlPageRenderer) and not issubclass(REGISTRY[name], HtmlRenderer)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_format_declares_every_template_folder_its_template_reaches(name: str) -> None:
    """The manifest fingerprints the declared folders: one reached but undeclared would let an
    edit of its templates leave stale editions behind."""
    env = environment("en")
    assert env.loader is not None
    seen: set[str] = set()
    pending = [REGISTRY[name].template, "base/macros.html.j2"]
    while pending:
        template = pending.pop()
        if template in seen:
            continue
        seen.add(template)
        source, _, _ = env.loader.get_source(env, template)
        pending += [found for found in jinja_meta.find_referenced_templates(env.parse(source)) if found]
    assert {template.split("/")[0] for template in seen} <= set(REGISTRY[name].template_folders)
