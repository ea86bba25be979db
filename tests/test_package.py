"""`pipeline package`: a valid, complete, deterministic BagIt bag, refused over a stale build."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import bagit  # type: ignore[import-untyped]
import pytest

from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.incremental import build_corpus
from pipeline.legacy_manifest import LEGACY_NAME
from pipeline.package import package
from pipeline.site import is_site_file
from pipeline.testing.corpus import generate
from tests.conftest import ROOT

FORMATS = ["html", "pdf", "docx", "epub"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    sources = tmp_path_factory.mktemp("sources")
    generate(sources, 3, seed=21)
    out = tmp_path_factory.mktemp("out")
    summary = build_corpus([sources], FORMATS, out, Config(), workers=2)
    assert not [o for o in summary.outcomes if o.failed]
    return sources, out


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_bag_is_valid_and_holds_every_edition_and_source(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, out = built
    packed = package([sources], out, tmp_path / "bag", FORMATS, Config())
    bag = bagit.Bag(str(packed.bag))
    bag.validate()  # raises BagValidationError on any missing, extra or altered file
    assert sorted(bag.algorithms) == ["sha256", "sha512"]
    payload = set(bag.payload_files())
    assert {f"data/sources/{p.name}" for p in sources.iterdir()} <= payload
    editions = {p.name for p in out.iterdir() if p.suffix.lstrip(".") in FORMATS and not is_site_file(p.name)}
    assert {f"data/editions/{name}" for name in editions} <= payload
    assert payload == {f"data/sources/{p.name}" for p in sources.iterdir()} | {
        f"data/editions/{name}" for name in [*editions, "index.html"]
    }
    assert (packed.bag / "bagit.txt").read_text(encoding="utf-8").startswith("BagIt-Version: 1.0\n")
    for name in editions:
        assert (packed.bag / "data" / "editions" / name).read_bytes() == (out / name).read_bytes()


def test_bag_info_names_the_organisation_and_counts_without_reading_the_clock(
    built: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources, out = built
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    info = bagit.Bag(str(package([sources], out, tmp_path / "bag", FORMATS, Config()).bag)).info
    newest = max(line.split(":", 1)[1].strip() for p in sources.iterdir() for line in _adoption_dates(p))
    assert info["Bagging-Date"] == newest
    assert info["Source-Organization"] == "Council of Europe, Parliamentary Assembly"
    count = len(list(sources.iterdir()))
    assert (info["Source-Count"], info["Edition-Count"]) == (str(count), str(count * len(FORMATS)))
    assert info["Payload-Oxum"].endswith(f".{count * (len(FORMATS) + 1) + 1}")

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    info = bagit.Bag(str(package([sources], out, tmp_path / "bag", FORMATS, Config()).bag)).info
    assert info["Bagging-Date"] == dt.date(2026, 1, 1).isoformat()


def test_a_bag_of_some_formats_counts_only_the_editions_it_holds(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, out = built
    packed = package([sources], out, tmp_path / "bag", ["html", "pdf"], Config())
    bag = bagit.Bag(str(packed.bag))
    bag.validate()
    held = [name for name in bag.payload_files() if name.startswith("data/editions/") and "index.html" not in name]
    count = len(list(sources.iterdir()))
    assert len(held) == count * 2
    assert bag.info["Edition-Count"] == str(len(held))
    assert packed.editions == len(held)


def _adoption_dates(source: Path) -> list[str]:
    return [line for line in source.read_text(encoding="utf-8").splitlines() if line.startswith("  date: ")]


def test_two_packages_of_the_same_build_are_identical(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, out = built
    first = package([sources], out, tmp_path / "first", FORMATS, Config()).bag
    second = package([sources], out, tmp_path / "second", FORMATS, Config()).bag
    assert files(first) == files(second)
    again = package([sources], out, first, FORMATS, Config()).bag  # replacing an old bag in place
    assert files(again) == files(second)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_stale_build_or_a_foreign_folder_is_refused(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, out = built
    stale = tmp_path / "sources"
    stale.mkdir()
    for source in sources.iterdir():
        (stale / source.name).write_bytes(source.read_bytes())
    changed = sorted(stale.iterdir())[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA new paragraph.\n", encoding="utf-8")
    with pytest.raises(UsageError, match=rf"1 of 3 texts .* {changed.name} \(source changed\).*pipeline build"):
        package([stale], out, tmp_path / "bag", FORMATS, Config())
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError, match="is not a bag"):
        package([sources], out, foreign, FORMATS, Config())
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_the_package_command(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, out = built
    command = [sys.executable, "-m", "pipeline", "package", str(sources), "--editions", str(out)]
    command += ["--format", ",".join(FORMATS)]  # the formats `built` made
    result = subprocess.run(
        [*command, "--out", str(tmp_path / "bag")], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith(f"{tmp_path / 'bag'}: bag of 2 texts, 3 sources, 0 volumes and 12 editions")
    bagit.Bag(str(tmp_path / "bag")).validate()


def test_a_folder_built_by_an_earlier_version_asks_for_one_build(built: tuple[Path, Path], tmp_path: Path) -> None:
    sources, _ = built
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / LEGACY_NAME).write_text('{"version": 1, "texts": {}}', encoding="utf-8")  # only the JSON manifest
    with pytest.raises(UsageError, match=rf"earlier version .*{LEGACY_NAME}.*pipeline build"):
        package([sources], earlier, tmp_path / "bag", FORMATS, Config())
    assert [p.name for p in earlier.iterdir()] == [LEGACY_NAME]  # package changes nothing there
