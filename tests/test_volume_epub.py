"""The EPUB volume: one book, navigation by type and text, each text's notes numbered from 1,
EPUBCheck and Ace clean, the same bytes from run to run."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.source import find_sources, load
from pipeline.templating import full_title
from pipeline.testing.corpus import generate
from tests.validators import ace, epubcheck

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
NS = {"x": "http://www.w3.org/1999/xhtml", "opf": "http://www.idpf.org/2007/opf"}
GROUPS = {"en": ["Opinions", "Recommendations", "Resolutions", "Orders"], "fr": ["Recommandations", "Résolutions"]}


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    corpus = tmp_path_factory.mktemp("epub-volume-texts")
    for source in FIXTURE_TEXTS.glob("*.md"):
        shutil.copyfile(source, corpus / source.name)
    generate(corpus, 24, 1)  # seed 1: resolutions and recommendations in both languages
    out = tmp_path_factory.mktemp("epub-volumes")
    volumes = []
    for language, title in (("en", "Texts adopted by the Assembly"), ("fr", "Textes adoptés par l’Assemblée")):
        volume = out / f"v.{language}.toml"
        volume.write_text(
            f'title = ["{title}", "2031"]\nlanguage = "{language}"\nstatus = "final"\n'
            "from = 1990-01-01\nto = 2040-12-31\n",
            encoding="utf-8",
        )
        volumes.append(str(volume))
    assert main(["build", str(corpus), *volumes, "--out", str(out), "--format", "epub"]) == 0
    first = {language: (out / f"v.{language}.epub").read_bytes() for language in ("en", "fr")}
    assert main(["build", str(corpus), *volumes, "--out", str(out), "--format", "epub", "--force"]) == 0
    assert all((out / f"v.{language}.epub").read_bytes() == data for language, data in first.items())
    return {"en": out / "v.en.epub", "fr": out / "v.fr.epub", "corpus": corpus}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_navigation_by_type_and_text(books: dict[str, Path], language: str) -> None:
    texts = [load(s, Config()) for s in find_sources([books["corpus"]]) if s.name.endswith(f".{language}.md")]
    assert len(texts) >= 12
    with zipfile.ZipFile(books[language]) as book:
        nav = lxml.etree.fromstring(book.read("EPUB/nav.xhtml"))
        groups = nav.xpath("//x:nav/x:ol/x:li", namespaces=NS)
        assert [g.xpath("string(x:span)", namespaces=NS) for g in groups] == GROUPS[language]
        entries = [a.text for a in nav.xpath("//x:nav/x:ol/x:li/x:ol/x:li/x:a", namespaces=NS)]
        assert sorted(entries) == sorted(full_title(t.metadata) for t in texts)
        spine = lxml.etree.fromstring(book.read("EPUB/content.opf")).xpath("//opf:itemref/@idref", namespaces=NS)
        assert len(spine) == len(texts) + 2  # the title page and the contents, then the texts


def test_each_text_numbers_its_notes_from_one(books: dict[str, Path]) -> None:
    with zipfile.ZipFile(books["en"]) as book:
        chapters = [name for name in book.namelist() if name.startswith("EPUB/text/") and "title" not in name]
        assert len(chapters) >= 12
        for name in chapters:
            root = lxml.etree.fromstring(book.read(name))
            calls = [call.xpath("string(.)") for call in root.xpath("//x:a[@role='doc-noteref']", namespaces=NS)]
            assert calls[0] == "1", name
            assert calls == [str(n) for n in range(1, len(calls) + 1)], name


def test_epubcheck_and_ace(books: dict[str, Path]) -> None:
    assert epubcheck([books["en"], books["fr"]]) == []
    assert ace([books["en"], books["fr"]]) == []


def test_the_package_identifier_names_the_language_once(books: dict[str, Path]) -> None:
    """As a text's: the configured pattern's slug, then the language ("…/volume-v/en", not
    "…/volume-v.en/en"); the English and French volumes differ only by their language."""
    identifiers = {}
    for language in ("en", "fr"):
        with zipfile.ZipFile(books[language]) as book:
            package = lxml.etree.fromstring(book.read("EPUB/content.opf"))
        unique = package.get("unique-identifier")
        [identifier] = package.xpath(f"//*[@id='{unique}']/text()")
        identifiers[language] = str(identifier)
    assert identifiers["en"].endswith("/volume-v/en") and identifiers["fr"].endswith("/volume-v/fr")
    assert identifiers["en"].removesuffix("/en") == identifiers["fr"].removesuffix("/fr")
