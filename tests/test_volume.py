"""Volume files: decoded with every problem located to its line; texts selected and ordered."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.config import Config
from pipeline.model import Status, TextType
from pipeline.source import find_sources, read
from pipeline.volumes.declaration import Declaration, read_declaration
from pipeline.volumes.selection import TYPE_ORDER, select

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
GOOD = """title = ["Texts adopted by the Assembly", "2031 Ordinary Session"]
language = "en"
status = "provisional"
texts = [
  "resolution-9004-2030.en",
  "opinion-9006-2031.en",
  "order-9011-2031.en",
]
"""


def declared(tmp_path: Path, text: str, name: str = "2031-1.en.toml") -> tuple[Declaration | None, list[str]]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    declaration, problems = read_declaration(path)
    return declaration, [str(problem).removeprefix(f"{path}:") for problem in problems]


def selected(tmp_path: Path, text: str) -> tuple[list[str], list[str]]:
    """The stems of the volume's texts in order, and the problems as `line: message`."""
    declaration, problems = declared(tmp_path, text)
    assert declaration is not None, problems
    volume, found = select(declaration, find_sources([FIXTURE_TEXTS]), lambda source: read(source, Config()))
    lines = [str(problem).removeprefix(f"{declaration.path}:") for problem in found]
    return ([text.stem for text in volume.texts] if volume else []), lines


def test_a_volume_file_is_decoded(tmp_path: Path) -> None:
    declaration, problems = declared(tmp_path, GOOD + "recto = true\n")
    assert problems == []
    assert declaration is not None
    assert declaration.stem == "2031-1.en"
    assert declaration.title == ("Texts adopted by the Assembly", "2031 Ordinary Session")
    assert (declaration.language, declaration.status, declaration.recto) == ("en", Status.PROVISIONAL, True)
    assert declaration.texts == ("resolution-9004-2030.en", "opinion-9006-2031.en", "order-9011-2031.en")


@pytest.mark.parametrize(
    ("language", "title", "typeset"),
    [
        ("fr", "Textes adoptés par l'Assemblée", "Textes adoptés par l’Assemblée"),
        ("fr", 'La session "ordinaire" : 2003', "La session «\u00a0ordinaire\u00a0»\u00a0: 2003"),
        ("en", "The Assembly's texts", "The Assembly’s texts"),
    ],
)
def test_a_title_line_is_set_with_its_languages_typography(
    tmp_path: Path, language: str, title: str, typeset: str
) -> None:
    text = GOOD.replace('"2031 Ordinary Session"', json.dumps(title)).replace('"en"', f'"{language}"')
    declaration, problems = declared(tmp_path, text, f"2031-1.{language}.toml")
    assert problems == [] and declaration is not None
    assert declaration.title[1] == typeset


def test_dates_as_toml_dates_or_iso_strings(tmp_path: Path) -> None:
    text = GOOD.split("texts")[0] + 'from = 2030-06-01\nto = "2031-12-31"\ntypes = ["resolution"]\n'
    declaration, problems = declared(tmp_path, text)
    assert problems == [] and declaration is not None
    assert (declaration.start, declaration.end) == (dt.date(2030, 6, 1), dt.date(2031, 12, 31))
    assert declaration.types == (TextType.RESOLUTION,)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("texts", "txets"), "4:1: error: unknown key 'txets' (did you mean 'texts'?)"),
        (('status = "provisional"', 'status = "provisonal"'), "3:1: error: 'status': Invalid enum value 'provisonal'"),
        (
            ('title = ["Texts adopted by the Assembly", "2031 Ordinary Session"]', 'title = "Texts"'),
            "1:1: error: 'title': expected a list, got a text",
        ),
        (('language = "en"\n', ""), "1:1: error: the volume has no 'language'"),
        (('language = "en"', 'language = "xx-not"'), "2:1: error: 'xx-not' is not a language tag"),
        (
            ('"order-9011-2031.en",\n]\n', '"order-9011-2031.en",\n]\nfrom = 2030-01-01\nto = 2031-01-01\n'),
            "9:1: error: give either 'texts' or 'from' and 'to', not both",
        ),
        (
            ('  "order-9011-2031.en",\n', '  "order-9011-2031.en",\n  "opinion-9006-2031.en",\n'),
            "6:1: error: 'opinion-9006-2031.en' is listed twice",
        ),
        (  # an empty list read as no list chose every type
            (
                'texts = [\n  "resolution-9004-2030.en",\n  "opinion-9006-2031.en",\n  "order-9011-2031.en",\n]\n',
                "from = 2030-01-01\nto = 2031-12-31\ntypes = []\n",
            ),
            "6:1: error: 'types' is empty",
        ),
    ],
)
def test_a_bad_volume_file_is_refused_at_its_line(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    assert change[0] in GOOD
    declaration, problems = declared(tmp_path, GOOD.replace(*change))
    assert declaration is None
    assert any(problem.startswith(expected) for problem in problems), problems


def test_dates_out_of_order_and_half_a_range(tmp_path: Path) -> None:
    head = GOOD.split("texts")[0]
    assert declared(tmp_path, head + "from = 2031-01-01\nto = 2030-01-01\n")[1][0].startswith(
        "5:1: error: 'to' (2030-01-01) is before 'from' (2031-01-01)"
    )
    assert declared(tmp_path, head + "from = 2031-01-01\n")[1][0].startswith("4:1: error: 'to' is missing")
    assert declared(tmp_path, head)[1][0].startswith("1:1: error: the volume chooses no text")
    assert declared(tmp_path, GOOD, name="Bad Name.toml")[1][0].startswith("1:1: error: the file name")


def test_texts_in_the_assemblys_order(tmp_path: Path) -> None:
    """Opinions, Recommendations, Resolutions, then the others; by number within a type."""
    text = GOOD.split("texts")[0] + "from = 2030-01-01\nto = 2032-12-31\n"
    stems, problems = selected(tmp_path, text)
    assert problems == []
    names = sorted(find_sources([FIXTURE_TEXTS]), key=lambda p: p.name)
    english = [p.name.removesuffix(".md") for p in names if p.name.endswith(".en.md")]
    assert sorted(stems) == sorted(english)
    kinds = [TextType(stem.split("-")[0]) for stem in stems]
    assert kinds == sorted(kinds, key=TYPE_ORDER.index)
    assert stems.index("resolution-9004-2030.en") < stems.index("resolution-9005-2030.en")


def test_a_selector_by_dates_and_types(tmp_path: Path) -> None:
    text = GOOD.split("texts")[0] + 'from = 2031-01-01\nto = 2031-12-31\ntypes = ["resolution"]\n'
    assert selected(tmp_path, text) == (["resolution-9008-2031.en", "resolution-9010-2031.en"], [])


def test_a_missing_text_and_one_in_another_language(tmp_path: Path) -> None:
    text = GOOD.replace(
        '  "order-9011-2031.en",\n',
        '  "order-9011-2031.en",\n  "resolution-9005-2031.en",\n  "recommendation-9013-2032.fr",\n',
    )
    stems, problems = selected(tmp_path, text)
    assert stems == []
    assert problems[0].startswith("8:1: error: no source named resolution-9005-2031.en.md among the sources given")
    assert problems[1] == (
        "9:1: error: recommendation-9013-2032.fr is in fr, the volume in en (list the version in the volume's language)"
    )


def test_a_range_that_selects_nothing(tmp_path: Path) -> None:
    text = GOOD.split("texts")[0] + "from = 1990-01-01\nto = 1990-12-31\n"
    stems, problems = selected(tmp_path, text)
    assert stems == []
    assert problems == [
        "4:1: error: no text in 'en' was adopted between 1990-01-01 and 1990-12-31 "
        "(check the dates and the sources given)"
    ]


def test_a_text_with_errors_fails_its_volume(tmp_path: Path) -> None:
    sources = tmp_path / "texts"
    shutil.copytree(FIXTURE_TEXTS, sources)
    broken = sources / "order-9011-2031.en.md"
    broken.write_text(broken.read_text(encoding="utf-8").replace("type: order", "type: ordre"), encoding="utf-8")
    declaration, _ = declared(tmp_path, GOOD)
    assert declaration is not None
    volume, problems = select(declaration, find_sources([sources]), lambda source: read(source, Config()))
    assert volume is None
    assert any(str(p).startswith(str(broken)) for p in problems)
    assert any("7:1: error: the text order-9011-2031.en has errors" in str(p) for p in problems)


def test_the_command_refuses_a_bad_volume_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    volume = tmp_path / "bad.en.toml"
    volume.write_text(GOOD.replace("texts", "txets"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(FIXTURE_TEXTS), str(volume), "--out", str(out), "--format", "pdf"]) == 1
    errors = capsys.readouterr().err
    assert f"{volume}:4:1: error: unknown key 'txets' (did you mean 'texts'?)" in errors
    assert "0 of 1 volumes built, 0 files written; 1 failed" in errors
    assert not list(out.glob("bad.en.*"))  # the texts are built; nothing of the volume is written


def test_volumes_given_are_recorded_rebuilt_only_when_stale_and_packaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pipeline build SOURCES VOLUME.toml` brings the texts and that volume up to date in the
    build state, as the project build does: a second build writes nothing, a changed volume file
    rebuilds that volume alone, and `pipeline package` bags the folder."""
    volume = tmp_path / "v.en.toml"
    volume.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    command = ["build", str(FIXTURE_TEXTS), str(volume), "--out", str(out), "--format", "epub"]
    assert main(command) == 0
    assert "1 of 1 volumes built, 1 files written; 0 failed" in capsys.readouterr().err
    first = (out / "v.en.epub").read_bytes()
    assert main(command) == 0
    errors = capsys.readouterr().err
    assert "1 of 1 volumes built (1 up to date), 0 files written; 0 failed" in errors
    assert "0 to build" in errors
    volume.write_text(GOOD.replace('status = "provisional"', 'status = "final"'), encoding="utf-8")
    assert main(command) == 0
    errors = capsys.readouterr().err
    assert "built volume" in errors and "0 to build" in errors  # the volume again, no text
    assert (out / "v.en.epub").read_bytes() != first
    bag = tmp_path / "bag"
    packed = ["package", str(FIXTURE_TEXTS), str(volume), "--editions", str(out), "--out", str(bag), "--format", "epub"]
    assert main(packed) == 0
    assert (bag / "data" / "editions" / "v.en.epub").read_bytes() == (out / "v.en.epub").read_bytes()
    assert (bag / "data" / "volumes" / "v.en.toml").is_file()


def test_a_volume_without_a_volume_format_is_said_not_built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    volume = tmp_path / "v.en.toml"
    volume.write_text(GOOD, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(FIXTURE_TEXTS), str(volume), "--out", str(out), "--format", "html"]) == 0
    assert "no volume format among html: the volumes are not built" in capsys.readouterr().err
    assert not list(out.glob("v.en.*"))


def test_a_final_volume_holding_a_provisional_text_is_warned_at_its_status(tmp_path: Path) -> None:
    text = GOOD.replace('status = "provisional"', 'status = "final"').replace(
        '  "order-9011-2031.en",\n', '  "order-9011-2031.en",\n  "resolution-9005-2030.en",\n'
    )
    stems, problems = selected(tmp_path, text)
    assert "resolution-9005-2030.en" in stems  # still built: the warning tells, the staff decide
    assert problems == [
        "3:1: warning: the volume is final but holds provisional texts: resolution-9005-2030.en "
        "(publish their final versions first, or make the volume provisional)"
    ]
    provisional = GOOD.replace('  "order-9011-2031.en",\n', '  "order-9011-2031.en",\n  "resolution-9005-2030.en",\n')
    assert selected(tmp_path, provisional)[1] == []


def test_a_name_without_its_language_is_matched_in_the_volumes_language(tmp_path: Path) -> None:
    sources = tmp_path / "texts"
    shutil.copytree(FIXTURE_TEXTS, sources)
    french = sources / "resolution-9004-2030.fr.md"
    french.write_text((sources / "resolution-9004-2030.en.md").read_text(encoding="utf-8"), encoding="utf-8")
    declaration, _ = declared(tmp_path, GOOD.replace('"resolution-9004-2030.en"', '"resolution-9004-2030"'))
    assert declaration is not None
    _, problems = select(declaration, find_sources([sources]), lambda source: read(source, Config()))
    assert "did you mean 'resolution-9004-2030.en'?" in str(problems[0]), problems
