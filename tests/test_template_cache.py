"""Compiled templates kept between runs: an edited template is always seen, and editions do not change."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.html import HtmlRenderer
from pipeline.templating import bytecode_cache, environment
from pipeline.usercache import CACHE_ENVIRONMENT
from tests.conftest import SEED


def forget() -> None:
    """What a new process would start from: no environment, no cache object."""
    environment.cache_clear()
    bytecode_cache.cache_clear()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENVIRONMENT, str(folder))
    forget()
    yield folder
    monkeypatch.undo()
    forget()


def templates_with(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "page.html.j2").write_text(text, encoding="utf-8")
    return folder


def test_an_edited_template_is_compiled_afresh(cache: Path, tmp_path: Path) -> None:
    folder = templates_with(tmp_path, "first {{ 1 + 1 }}")
    assert environment("en", folder).get_template("page.html.j2").render() == "first 2"
    assert list(cache.rglob("*.cache")), "nothing was kept"
    forget()
    templates_with(tmp_path, "second {{ 2 + 2 }}")
    assert environment("en", folder).get_template("page.html.j2").render() == "second 4"


def test_a_kept_template_is_not_compiled_again(cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = templates_with(tmp_path, "kept {{ 3 * 3 }}")
    environment("en", folder).get_template("page.html.j2").render()
    forget()

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("compiled again although its code was kept")

    monkeypatch.setattr(jinja2.Environment, "compile", refuse)
    assert environment("en", folder).get_template("page.html.j2").render() == "kept 9"


def test_editions_are_the_same_bytes_with_and_without_kept_templates(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load(SEED)
    with_cache = [HtmlRenderer(Config()).render(document) for _ in range(2)]  # compiled, then loaded
    forget()
    with_cache.append(HtmlRenderer(Config()).render(document))
    monkeypatch.setenv(CACHE_ENVIRONMENT, "")
    forget()
    assert bytecode_cache() is None
    without = HtmlRenderer(Config()).render(document)
    assert with_cache == [without] * 3


def test_a_folder_others_can_write_is_not_used(cache: Path) -> None:
    found = bytecode_cache()
    assert found is not None
    [folder] = cache.iterdir()
    folder.chmod(0o777)
    forget()
    assert bytecode_cache() is None
