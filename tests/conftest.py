from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline.fingerprints as fingerprinting
from pipeline import Document, build, load
from pipeline.renderers import REGISTRY

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "recommendation-1607-2003.en.md"
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
TEXTS = sorted([*(ROOT / "source").glob("*.md"), *FIXTURE_TEXTS.glob("*.md")])
TEXTS = [text for text in TEXTS if text.name != "README.md"]
FORMATS = list(REGISTRY)


@pytest.fixture(scope="session")
def seed() -> Document:
    return load(SEED)


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every text (source/ and the fixtures) built once in every format, for the tests of outputs."""
    out = tmp_path_factory.mktemp("editions")
    outcomes = build(TEXTS, FORMATS, out)
    assert not [o for o in outcomes if o.failed], [str(p) for o in outcomes for p in o.problems]
    return out


@pytest.fixture
def source_copy(tmp_path: Path) -> Path:
    """A writable copy of the seed source, to break in tests."""
    target = tmp_path / SEED.name
    shutil.copyfile(SEED, target)
    return target


@pytest.fixture
def fresh_fingerprints() -> Iterator[None]:
    """Fingerprints are hashed once per run: forget them around a test that moves their inputs."""
    fingerprinting.tool_fingerprint.cache_clear()
    fingerprinting.template_fingerprint.cache_clear()
    yield
    fingerprinting.tool_fingerprint.cache_clear()
    fingerprinting.template_fingerprint.cache_clear()
