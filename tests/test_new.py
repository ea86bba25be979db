"""`pipeline new`: a skeleton `check` refuses until filled, language versions, no overwriting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.model import Document, Paragraph
from pipeline.source import load, read

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "recommendation-1607-2003.en.md"

FILLED = {  # each placeholder of the skeleton and what an author writes instead
    'title: ""  # the title as adopted': "title: Protecting editors from empty files",
    "- date: YYYY-MM-DD": "- date: 2026-01-27",
    'doc: ""': "doc: 16001",
    'committee: ""': "committee: Committee on Legal Affairs and Human Rights",
    'rapporteur: ""': "rapporteur: Ms Example",
    "date: YYYY-MM-DD  # the adoption date": "date: 2026-01-27",
    "\n1. \n": "\n1. The Assembly welcomes the new texts.\n",
}


def errors(path: Path) -> list[str]:
    return [f"{p.line}: {p.message}" for p in read(path, Config()).problems if p.severity == "error"]


def test_the_skeleton_is_named_by_its_metadata_and_check_reports_each_placeholder(tmp_path: Path) -> None:
    assert main(["new", "resolution", "2500", "2026", "--lang", "en", "--out", str(tmp_path)]) == 0
    path = tmp_path / "resolution-2500-2026.en.md"
    text = path.read_text(encoding="utf-8")
    reported = errors(path)
    assert len(reported) == len(FILLED)
    for placeholder in FILLED:  # each is reported on its own line
        line = text[: text.index(placeholder.strip("\n"))].count("\n") + 1
        assert any(message.startswith(f"{line}: ") for message in reported), placeholder


def test_the_skeleton_passes_check_once_its_placeholders_are_filled(tmp_path: Path) -> None:
    assert main(["new", "resolution", "2500", "2026", "--lang", "en", "--out", str(tmp_path)]) == 0
    path = tmp_path / "resolution-2500-2026.en.md"
    text = path.read_text(encoding="utf-8")
    for placeholder, value in FILLED.items():
        assert text.count(placeholder) == 1, placeholder
        text = text.replace(placeholder, value)
    path.write_text(text, encoding="utf-8")
    assert errors(path) == []
    assert main(["check", str(path)]) == 0
    document = load(path, Config())
    assert (document.metadata.title, document.metadata.status.value) == (
        "Protecting editors from empty files",
        "provisional",
    )


def test_a_title_given_on_the_command_line_is_written_as_the_reader_gives_it_back(tmp_path: Path) -> None:
    title = 'Migration: "new" challenges # and 50% more'
    arguments = ["new", "opinion", "301", "2026", "--lang", "fr", "--title", title, "--out", str(tmp_path)]
    assert main(arguments) == 0
    path = tmp_path / "opinion-301-2026.fr.md"
    assert not any("title" in message for message in errors(path))
    assert "issued_by: Assemblée parlementaire" in path.read_text(encoding="utf-8")


def test_new_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "resolution-2500-2026.en.md"
    path.write_text("the editor's work\n", encoding="utf-8")
    assert main(["new", "resolution", "2500", "2026", "--lang", "en", "--out", str(tmp_path)]) == 2
    assert path.read_text(encoding="utf-8") == "the editor's work\n"
    assert "never overwritten" in capsys.readouterr().err


@pytest.mark.parametrize(
    "arguments",
    [
        ["new", "law", "1", "2026", "--lang", "en"],
        ["new", "resolution", "1", "2026", "--lang", "english"],
        ["new", "resolution", "--lang", "en"],
    ],
)
def test_bad_identities_are_usage_errors(tmp_path: Path, arguments: list[str]) -> None:
    assert main([*arguments, "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


def test_a_language_version_keeps_numbers_and_body_and_asks_for_the_worded_values(tmp_path: Path) -> None:
    original = Path(shutil.copy(SEED, tmp_path / SEED.name))
    out = tmp_path / "fr"
    assert main(["new", "--from", str(original), "--lang", "fr", "--out", str(out)]) == 0
    path = out / "recommendation-1607-2003.fr.md"
    text = path.read_text(encoding="utf-8")
    assert "translation: unofficial" in text
    assert text.split("\n---\n", 1)[1] == SEED.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    assert sorted(message.split(": ", 1)[1] for message in errors(path)) == [
        "'adoption.documents.0.committee' must be a non-empty text",
        "'adoption.documents.0.rapporteur' must be a non-empty text",
        "'title' must be a non-empty text",
    ]
    for key, value in {
        "title": "Activités de l’OIM, 1998-2002",
        "committee": "commission des migrations",
        "rapporteur": "M. Wilkinson",
    }.items():
        text = text.replace(f'{key}: ""', f"{key}: {value}", 1)
    path.write_text(text, encoding="utf-8")
    assert errors(path) == []
    old, new = load(original, Config()), load(path, Config())
    assert new.metadata.unofficial_translation
    same = ("by", "date", "sitting", "debates")
    assert [getattr(new.metadata.adoption, key) for key in same] == [
        getattr(old.metadata.adoption, key) for key in same
    ]
    assert [d.number for d in new.metadata.adoption.documents] == ["9814"]
    assert numbers(new) == numbers(old)


def test_a_language_version_must_be_in_another_language(tmp_path: Path) -> None:
    assert main(["new", "--from", str(SEED), "--lang", "en", "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


def numbers(document: Document) -> list[str]:
    found: list[str] = []

    def walk(paragraph: Paragraph) -> None:
        found.append(paragraph.number or "")
        for child in paragraph.children:
            walk(child)

    for section in document.sections:
        for block in section.blocks:
            if isinstance(block, Paragraph):
                walk(block)
    return found
