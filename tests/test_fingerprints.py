"""Per-format fingerprints: a change rebuilds exactly the formats whose inputs it touches.

Each kind of input is changed in turn (a configuration key, a module, a template folder, a tool's
version) and the formats whose fingerprint moved are compared with the formats that read it; the
"never fewer" side is then proved from what rendering actually reads and imports.
"""

from __future__ import annotations

import ast
import dataclasses
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest

import pipeline.fingerprints as fingerprinting
from pipeline.config import Config, LinkPatterns
from pipeline.distributions import installed_version
from pipeline.fingerprints import Inputs, code_files, fingerprints
from pipeline.incremental import build_corpus
from pipeline.renderers import REGISTRY
from pipeline.source import all_language_versions, read
from pipeline.templating import TEMPLATES
from tests.conftest import FORMATS, SEED

ALL = set(FORMATS)
OFF_WEBSITE = ALL - {"html"}


def moved(before: dict[str, Inputs], after: dict[str, Inputs], part: str) -> set[str]:
    return {name for name in before if getattr(before[name], part) != getattr(after[name], part)}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"publication_url": "https://example.int/texts/"}, OFF_WEBSITE),
        ({"rights": "© Someone else"}, {"epub"}),
        ({"identifier": "urn:x:{slug}:{language}"}, ALL),
        ({"links": LinkPatterns(text="https://example.int/{type}-{number}-{year}")}, ALL),
    ],
    ids=["publication_url", "rights", "identifier", "links"],
)
def test_a_configuration_key_rebuilds_the_formats_that_read_it(change: dict[str, Any], expected: set[str]) -> None:
    before = fingerprints(FORMATS, Config())
    assert moved(before, fingerprints(FORMATS, Config(**change)), "config") == expected


@pytest.mark.parametrize(
    ("module", "expected"),
    [
        ("renderers/pdf.py", {"pdf"}),
        ("renderers/fonts.py", {"pdf", "docx"}),  # the pinned faces: the PDF's, and those the DOCX embeds
        ("renderers/akn.py", {"akn", "html", "pdf"}),  # the PDF carries the AKN edition, the web page links it
        ("renderers/pandoc.py", {"docx", "epub"}),
        ("renderers/docx/parts.py", {"docx"}),
        ("renderers/docx/reference.py", set()),  # builds reference.docx, whose bytes are the input
        ("renderers/pandoc_server.py", {"docx", "epub"}),
        ("renderers/pandoc_server.lua", {"docx", "epub"}),  # the script the pandoc server runs
        ("renderers/base.py", ALL),
        ("model.py", ALL),
        ("body.py", ALL),
        ("files.py", set()),  # writes, never renders
        ("renderers/synoptic/pdf.py", set()),  # another command's edition
    ],
)
def test_editing_a_module_rebuilds_the_formats_it_renders(
    module: str, expected: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fingerprints: None
) -> None:
    copy = tmp_path / "pipeline"
    shutil.copytree(fingerprinting.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprinting, "PACKAGE", copy)
    before = fingerprints(FORMATS, Config())
    with (copy / module).open("a", encoding="utf-8") as stream:
        stream.write("\n# edited\n")
    fingerprinting.tool_fingerprint.cache_clear()
    assert moved(before, fingerprints(FORMATS, Config()), "tools") == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("base/macros.html.j2", ALL),
        ("print/style.css.j2", {"pdf"}),
        ("akn/document.xml.j2", {"akn", "pdf"}),
        ("web/style.css", {"html"}),
        ("docx/reference.docx", {"docx"}),
        ("docx/fonts.toml", {"docx"}),
        ("catalogue/index.html.j2", set()),
    ],
)
def test_editing_a_template_rebuilds_the_formats_that_use_it(
    template: str, expected: set[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_fingerprints: None
) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    monkeypatch.setattr(fingerprinting, "TEMPLATES", copy)
    before = fingerprints(FORMATS, Config())
    with (copy / template).open("ab") as stream:
        stream.write(b"\n")
    fingerprinting.template_fingerprint.cache_clear()
    assert moved(before, fingerprints(FORMATS, Config()), "templates") == expected


@pytest.mark.parametrize(
    ("distribution", "expected"),
    [("weasyprint", {"pdf"}), ("pypandoc-binary", {"docx", "epub"}), ("lxml", {"docx"}), ("jinja2", ALL)],
)
def test_a_tool_version_rebuilds_the_formats_that_use_it(
    distribution: str, expected: set[str], monkeypatch: pytest.MonkeyPatch, fresh_fingerprints: None
) -> None:
    before = fingerprints(FORMATS, Config())
    moved_version = lambda name: "0.0.1" if name == distribution else installed_version(name)  # noqa: E731
    monkeypatch.setattr(fingerprinting, "installed_version", moved_version)
    fingerprinting.tool_fingerprint.cache_clear()
    assert moved(before, fingerprints(FORMATS, Config()), "tools") == expected


def test_a_build_rebuilds_only_the_formats_a_configuration_change_reaches(tmp_path: Path) -> None:
    sources = tmp_path / "source"
    sources.mkdir()
    for version in SEED.parent.glob("recommendation-1607-2003.*.md"):
        (sources / version.name).write_bytes(version.read_bytes())
    formats, out = ["html", "epub", "akn"], tmp_path / "out"
    build_corpus([sources], formats, out, Config())
    rights = build_corpus([sources], formats, out, Config(rights="© Someone else"))
    assert list(rights.reasons.values()) == [{"epub": "configuration changed"}] * 2
    published = Config(rights="© Someone else", publication_url="https://example.int/texts/")
    url = build_corpus([sources], formats, out, published)
    assert list(url.reasons.values()) == [{"epub": "configuration changed", "akn": "configuration changed"}] * 2
    assert {edition.format for outcome in url.outcomes for edition in outcome.editions} == {"epub", "akn"}


# Never fewer: what rendering reads and imports is all fingerprinted -----------------------------


READ: set[str] = set()
KEYS = {field.name for field in dataclasses.fields(Config)}


class RecordingConfig(Config):
    """A configuration that notes every key read from it."""

    def __getattribute__(self, name: str) -> Any:
        if name in KEYS:
            READ.add(name)
        return super().__getattribute__(name)


@pytest.mark.parametrize("name", FORMATS)
def test_a_format_reads_no_configuration_key_it_does_not_declare(name: str) -> None:
    config = RecordingConfig()
    READ.clear()
    document = read(SEED, config).document
    assert document is not None and set(fingerprinting.READER_CONFIG) >= READ
    french = SEED.with_name(SEED.name.replace(".en.md", ".fr.md"))  # with its language version, as built
    document = msgspec.structs.replace(document, versions=all_language_versions([SEED, french])[SEED])
    READ.clear()
    REGISTRY[name](config).render(document)
    assert REGISTRY[name].config_keys >= READ


@pytest.mark.parametrize("name", FORMATS)
def test_every_module_a_format_imports_is_in_its_fingerprint(name: str) -> None:
    """The reader and the format's class, and everything they import from this package (the
    registry aside: it only names the classes), are hashed into the format's fingerprint."""
    renderer = REGISTRY[name]
    reached = _imported_files({"pipeline.source", *(cls.__module__ for cls in renderer.__mro__[:-1])})
    fingerprinted = {path for _, path in code_files(name)}
    assert sorted(str(p.relative_to(fingerprinting.PACKAGE)) for p in reached - fingerprinted) == []


def _imported_files(modules: set[str]) -> set[Path]:
    files: set[Path] = set()
    pending = sorted(modules)
    while pending:
        module = pending.pop()
        path = _file_of(module)
        if path is None or path in files or module == "pipeline.renderers":
            continue
        files.add(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
                pending += [target, *(f"{target}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                pending += [alias.name for alias in node.names if alias.name.startswith("pipeline.")]
    return files


def _file_of(module: str) -> Path | None:
    """The file of a module of this package; None for anything else (a class, another package)."""
    if module != "pipeline" and not module.startswith("pipeline."):
        return None
    relative = Path(*module.split(".")[1:])
    for candidate in (
        fingerprinting.PACKAGE / relative / "__init__.py",
        (fingerprinting.PACKAGE / relative).with_suffix(".py"),
    ):
        if candidate.is_file():
            return candidate
    return None


def test_versions_are_read_as_importlib_metadata_reads_them() -> None:
    """From the .dist-info folders' names, not their METADATA (which needs the email package)."""
    from importlib import metadata

    for name in (*fingerprinting.COMMON_TOOLS, "pypandoc-binary", "lxml", "weasyprint", "adopted-texts-pipeline"):
        assert installed_version(name) == metadata.version(name), name
    assert installed_version("no-such-distribution-7f3a") == "absent"
