"""The print volume of 13 texts of mixed types in English and in French, checked as a reader
reads it: the contents' page numbers against where each text starts, running heads, notes,
page numbers, outline, attachments, and the PDF/UA and qpdf validators."""

from __future__ import annotations

import functools
import shutil
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.model import Document, Status
from pipeline.source import find_sources, load
from pipeline.templating import citation, full_title
from pipeline.testing.corpus import generate
from tests.pdftext import MARGIN_BAND_PT, PAGE_HEIGHT_PT, Word, joined, page_count, words
from tests.sources import volume_file
from tests.validators import pdfua, qpdf

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
GENERATED_SEED = 6  # its first twelve texts in French: resolutions, recommendations and an order
GROUP_WORDS = {
    "en": {"opinion": "OPINIONS", "recommendation": "RECOMMENDATIONS", "resolution": "RESOLUTIONS", "order": "ORDERS"},
    "fr": {"opinion": "AVIS", "recommendation": "RECOMMANDATIONS", "resolution": "RÉSOLUTIONS", "order": "DIRECTIVES"},
}
PROVISIONAL = {"en": "Provisional version", "fr": "Version provisoire"}


@dataclass(frozen=True)
class Built:
    pdf: Path
    texts: list[Document]
    language: str
    corpus: Path  # the folder of sources it was built from


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("volume-texts")
    for source in FIXTURE_TEXTS.glob("*.md"):
        shutil.copyfile(source, folder / source.name)
    generate(folder, 24, GENERATED_SEED)
    return folder


def _build(corpus: Path, out: Path, language: str, choice: str) -> Built:
    volume = out / f"volume.{language}.toml"
    title = {
        "en": '["Texts adopted by the Assembly", "Test session", "First part"]',
        "fr": '["Textes adoptés par l’Assemblée", "Session de test", "Première partie"]',
    }[language]
    volume.write_text(f'title = {title}\nlanguage = "{language}"\nstatus = "provisional"\n{choice}\n', encoding="utf-8")
    assert main(["build", str(corpus), str(volume), "--out", str(out), "--format", "pdf"]) == 0
    texts = [load(source, Config()) for source in find_sources([corpus]) if source.name.endswith(f".{language}.md")]
    return Built(out / f"volume.{language}.pdf", texts, language, corpus)


@pytest.fixture(scope="module", params=["en", "fr"])
def built(request: pytest.FixtureRequest, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    language = request.param
    out = tmp_path_factory.mktemp(f"volume-{language}")
    if language == "en":  # the fixtures and four generated texts, by name
        names = sorted(p.name.removesuffix(".md") for p in FIXTURE_TEXTS.glob("*.en.md"))
        generated = sorted(p.name.removesuffix(".md") for p in corpus.glob("*-1*.en.md"))[:4]
        choice = "texts = [" + ", ".join(f'"{name}"' for name in names + generated) + "]"
        built = _build(corpus, out, language, choice)
        wanted = set(names + generated)
        return Built(built.pdf, [t for t in built.texts if t.stem in wanted], language, corpus)
    return _build(corpus, out, language, "from = 1990-01-01\nto = 2040-12-31")  # every French text


@functools.cache
def page_words(pdf: Path) -> dict[int, list[Word]]:
    """Each page's words, read once per volume (pdftotext reads the whole file each time)."""
    pages: dict[int, list[Word]] = {page: [] for page in range(1, page_count(pdf) + 1)}
    for word in words(pdf):
        pages[word.page].append(word)
    return pages


def body_text(pdf: Path, page: int) -> str:
    return joined([w for w in page_words(pdf)[page] if MARGIN_BAND_PT <= w.top <= PAGE_HEIGHT_PT - MARGIN_BAND_PT])


def header_text(pdf: Path, page: int) -> str:
    return joined([w for w in page_words(pdf)[page] if w.top < MARGIN_BAND_PT])


def footer_text(pdf: Path, page: int) -> str:
    return joined([w for w in page_words(pdf)[page] if w.top > PAGE_HEIGHT_PT - MARGIN_BAND_PT])


def ordered(texts: list[Document]) -> list[Document]:
    order = ["opinion", "recommendation", "resolution", "order", "decision"]
    return sorted(texts, key=lambda t: (order.index(t.metadata.type.value), t.metadata.number))


def starts(built: Built) -> dict[str, int]:
    """The page where each text starts: the first page whose body opens with its citation."""
    found: dict[str, int] = {}
    by_citation = {citation(text.metadata): text.stem for text in built.texts}
    for page in page_words(built.pdf):
        body = body_text(built.pdf, page)
        for cited, stem in by_citation.items():
            before = body.partition(cited)[0]  # nothing, or the type's heading above its first text
            if cited in body and (before == "" or before.replace(" ", "").isupper()) and stem not in found:
                found[stem] = page
    return found


def contents(built: Built) -> dict[str, int]:
    """The page number the contents give for each text, read from the contents pages: at the end
    of the entry's last line, after the dots that lead to it."""
    listed: dict[str, int] = {}
    pages = page_count(built.pdf)
    lines: dict[tuple[int, float], list[Word]] = {}
    for page in range(2, min(starts(built).values())):  # the contents, between the cover and the texts
        for word in page_words(built.pdf)[page]:
            lines.setdefault((word.page, round(word.top)), []).append(word)
    ordered = [lines[key] for key in sorted(lines)]
    for text in built.texts:
        cited = citation(text.metadata)
        for index, line in enumerate(ordered):
            if joined(line).startswith(cited) or f" {cited} " in f" {joined(line)} ":
                last = next(later for later in ordered[index:] if any(set(w.text) == {"."} for w in later))
                number = last[-1].text
                assert number.isdigit() and int(number) <= pages, joined(last)
                listed[text.stem] = int(number)
    return listed


def test_every_text_in_the_assemblys_order(built: Built) -> None:
    assert len(built.texts) >= 12
    assert len({text.metadata.type for text in built.texts}) >= 3
    found = starts(built)
    assert set(found) == {text.stem for text in built.texts}
    assert [found[t.stem] for t in ordered(built.texts)] == sorted(found.values())


def test_the_contents_give_the_page_where_each_text_starts(built: Built) -> None:
    assert contents(built) == starts(built)


def test_the_cover_and_page_numbers(built: Built) -> None:
    cover = body_text(built.pdf, 1)
    assert ("Texts adopted by the Assembly" if built.language == "en" else "Textes adoptés par l’Assemblée") in cover
    assert ("PROVISIONAL VERSIONS" if built.language == "en" else "VERSIONS PROVISOIRES") in cover
    assert footer_text(built.pdf, 1) == ""
    for page in range(2, page_count(built.pdf) + 1):  # continuous through the volume
        assert footer_text(built.pdf, page) == str(page)


def test_running_heads_and_notes_of_each_text(built: Built) -> None:
    """Each text's pages carry its citation (and its status) in the head, none on its first page;
    its notes are numbered from 1 (the title note) whatever came before."""
    found = starts(built)
    ends = [*sorted(found.values())[1:], page_count(built.pdf) + 1]
    end_of = dict(zip(sorted(found.values()), ends, strict=True))
    for text in built.texts:
        first = found[text.stem]
        assert header_text(built.pdf, first) == ""
        expected = citation(text.metadata)
        if text.metadata.status is Status.PROVISIONAL:
            expected += " " + PROVISIONAL[built.language]
        for page in range(first + 1, end_of[first]):
            assert header_text(built.pdf, page) == expected
        # WeasyPrint may carry a long title note over to the next page, as in the text's own edition.
        notes = [title_note_number(built.pdf, page) for page in range(first, end_of[first])]
        assert [number for number in notes if number][:1] == ["1"], text.stem


ADOPTION_NOTE = {"Assembly", "Text", "Discussion", "Texte"}  # how the title note opens, en and fr


def title_note_number(pdf: Path, page: int) -> str:
    """The number before the adoption note at the foot of `page`."""
    lines: dict[float, list[Word]] = {}
    for word in page_words(pdf)[page]:
        if PAGE_HEIGHT_PT / 2 < word.top < PAGE_HEIGHT_PT - MARGIN_BAND_PT:
            lines.setdefault(round(word.top), []).append(word)
    for line in lines.values():
        if len(line) > 1 and line[0].text.isdigit() and line[1].text in ADOPTION_NOTE:
            return line[0].text
    return ""


def test_type_headings_in_the_language(built: Built) -> None:
    listed = (body_text(built.pdf, 2) + body_text(built.pdf, 3)).replace(" ", "")
    for text in ordered(built.texts):
        assert GROUP_WORDS[built.language][text.metadata.type.value] in listed


def test_outline_volume_type_text_paragraph(built: Built) -> None:
    with pikepdf.open(built.pdf) as pdf, pdf.open_outline() as outline:
        (volume,) = outline.root
        assert volume.title.startswith("Texts adopted" if built.language == "en" else "Textes adoptés")
        groups = [item for item in volume.children if item.children]
        texts = [text for group in groups for text in group.children]
        assert [t.title for t in texts] == [full_title(t.metadata) for t in ordered(built.texts)]
        assert all(text.children and text.children[0].title == "1." for text in texts)


def test_archival_and_accessible(built: Built) -> None:
    assert pdfua([built.pdf]) == []
    assert qpdf([built.pdf]) == []
    with pikepdf.open(built.pdf) as pdf:
        attached = set(pdf.attachments)
        assert attached == {f"{t.stem}.md" for t in built.texts} | {f"volume.{built.language}.toml"}
        assert pdf.attachments[f"{built.texts[0].stem}.md"].get_file().read_bytes() == built.texts[0].source
        assert str(pdf.Root.Lang) == built.language
        assert b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes()


def test_the_same_bytes_from_run_to_run(built: Built, tmp_path: Path) -> None:
    if built.language != "en":
        pytest.skip("one language is enough: the path is the same")
    declaration = tmp_path / built.pdf.with_suffix(".toml").name
    shutil.copyfile(built.pdf.with_suffix(".toml"), declaration)
    assert main(["build", str(built.corpus), str(declaration), "--out", str(tmp_path), "--format", "pdf"]) == 0
    assert (tmp_path / built.pdf.name).read_bytes() == built.pdf.read_bytes()


def test_a_provisional_text_longer_than_a_page_says_so_at_the_head_of_each_later_page(tmp_path: Path) -> None:
    """The status is set on the text's first page only: set on the whole article, WeasyPrint
    counted it as set on every page the article reaches, where `first-except` gave nothing."""
    sources = tmp_path / "sources"
    sources.mkdir()
    for name in ("resolution-9020-2032.en.md", "resolution-9010-2031.en.md"):
        text = (FIXTURE_TEXTS / name).read_text(encoding="utf-8")
        if name.startswith("resolution-9020"):  # a long text, made provisional
            text = text.replace("\nissued_by: ", "\nstatus: provisional\nissued_by: ", 1)
        (sources / name).write_text(text, encoding="utf-8")
    volume = volume_file(tmp_path / "mixed.en.toml", ["resolution-9020-2032.en", "resolution-9010-2031.en"])
    assert main(["build", str(sources), str(volume), "--out", str(tmp_path), "--format", "pdf"]) == 0
    texts = [load(source, Config()) for source in find_sources([sources])]
    built = Built(tmp_path / "mixed.en.pdf", texts, "en", sources)
    found = starts(built)
    first, after = found["resolution-9010-2031.en"], found["resolution-9020-2032.en"]
    assert first < after and after + 1 < page_count(built.pdf), "the provisional text runs over several pages"
    for page in range(after + 1, page_count(built.pdf) + 1):
        assert header_text(built.pdf, page) == "Resolution 9020 (2032) Provisional version", page
    for page in range(first + 1, after):
        assert header_text(built.pdf, page) == "Resolution 9010 (2031)", page
