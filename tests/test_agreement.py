"""`pipeline check` compares the language versions of a text: provisions, notes, appendices, adoption."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from pipeline import cli, load
from pipeline.agreement import provisions
from tests.conftest import SEED

FRENCH = SEED.with_name("recommendation-1607-2003.fr.md")


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """Writable copies of the seed's English and French versions, the French made official."""
    english, french = tmp_path / SEED.name, tmp_path / FRENCH.name
    shutil.copyfile(SEED, english)
    french.write_text(FRENCH.read_text(encoding="utf-8").replace("translation: unofficial\n", ""), encoding="utf-8")
    return english, french


def check(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = cli.main(["check", str(tmp_path)])
    lines = [line for line in capsys.readouterr().err.splitlines() if ": error: " in line or ": warning: " in line]
    return code, lines


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_the_seeds_versions_agree(tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    assert check(tmp_path, capsys) == (0, [])
    english, french = (load(path) for path in pair)
    assert [p.key for p in provisions(english)] == [p.key for p in provisions(french)]
    assert len(provisions(english)) == 17  # 1–7, 6.1–6.7, 7.1–7.3


def test_a_removed_provision_is_named_in_the_file_that_has_it(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    english, french = pair
    text = french.read_text(encoding="utf-8")
    french.write_text(re.sub(r"\n6\.7\. [^\n]*\n", "\n", text), encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_INVALID
    assert lines == [
        f"{english}:{line_of(english, '6.7. ')}:1: error: paragraph 6.7. has no counterpart in {french.name} "
        "(make the versions agree)"
    ]


def test_a_sub_paragraph_numbered_differently_is_reported_in_both_files(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """French moves 6.7 to the end of 7 as 7.4: each file's extra provision, with the other's name."""
    english, french = pair
    text = french.read_text(encoding="utf-8")
    moved = re.search(r"\n6\.7\. ([^\n]*)\n", text)
    assert moved
    text = text.replace(moved.group(0), "\n")
    text = re.sub(r"(\n7\.3\. [^\n]*\n)", lambda m: m.group(1) + f"\n7.4. {moved.group(1)}\n", text)
    french.write_text(text, encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_INVALID
    assert (
        f"{english}:{line_of(english, '6.7. ')}:1: error: paragraph 6.7. has no counterpart in {french.name}"
        in (lines[0])
    )
    assert (
        f"{french}:{line_of(french, '7.4. ')}:1: error: paragraph 7.4. has no counterpart in {english.name}"
        in (lines[1])
    )
    assert len(lines) == 2


def test_an_unofficial_translation_may_lag_with_a_warning(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    english, french = pair
    edit(french, "language: fr\n", "language: fr\ntranslation: unofficial\n")
    text = french.read_text(encoding="utf-8")
    french.write_text(re.sub(r"\n7\.3\. [^\n]*\n", "\n", text), encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_OK
    assert lines == [
        f"{english}:{line_of(english, '7.3. ')}:1: warning: paragraph 7.3. has no counterpart in {french.name} "
        "(make the versions agree (an unofficial translation may lag))"
    ]


def test_a_note_called_in_one_version_only(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    english, french = pair
    text = french.read_text(encoding="utf-8")
    text = re.sub(r"(\n4\. [^\n]*?)\.\n", r"\1[^extra].\n", text, count=1) + "\n[^extra]: Une note de plus.\n"
    french.write_text(text, encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_INVALID
    assert any(
        line.startswith(
            f"{french}:{line_of(french, '4. ')}:1: error: paragraph 4. calls 1 note, its counterpart in "
            f"{english.name}:{line_of(english, '4. ')} calls 0 notes"
        )
        for line in lines
    ), lines
    assert any(f"{french.name} has 1 note in its body, {english.name} has 0" in line for line in lines), lines


def test_adoption_data_must_agree(tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    english, french = pair
    edit(french, "  date: 2003-06-24\n  sitting: 19\n---", "  date: 2003-06-25\n  sitting: 19\n---")
    edit(french, "    - doc: 9814", "    - doc: 9815")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_INVALID
    date_line = line_of(french, "  date: 2003-06-25")
    assert f"{french}:{date_line}:1: error: adoption date: 2003-06-25 here, 2003-06-24 in {english.name}" in (
        "\n".join(lines)
    )
    assert any("adoption documents: 9815/report here, 9814/report in" in line for line in lines), lines


def test_an_appendix_in_one_version_only(
    tmp_path: Path, pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    english, french = pair
    french.write_text(french.read_text(encoding="utf-8") + "\n## Annexe\n\nUn texte de plus.\n", encoding="utf-8")
    code, lines = check(tmp_path, capsys)
    assert code == cli.EXIT_INVALID
    assert any(f"{english.name} has 0 appendices, {french.name} has 1" in line for line in lines), lines


def test_texts_without_other_versions_are_not_compared(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copyfile(SEED, tmp_path / SEED.name)
    assert check(tmp_path, capsys) == (0, [])
