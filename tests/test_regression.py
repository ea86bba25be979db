"""Every edition of every text guarded: goldens, PDF pixels, reproducibility, and proof it bites."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import build
from pipeline.config import Config
from pipeline.renderers import REGISTRY
from pipeline.source import read
from tests.conftest import FIXTURE_TEXTS, FORMATS, SEED, TEXTS
from tests.goldens import REDUCERS, difference, edition_path
from tests.pixels import page_differences

STEMS = [text.name.removesuffix(".md") for text in TEXTS]


@pytest.mark.parametrize("format_name", FORMATS)
@pytest.mark.parametrize("stem", STEMS)
def test_edition_matches_its_golden(editions: Path, stem: str, format_name: str) -> None:
    diff = difference(format_name, edition_path(editions, format_name, stem))
    assert diff == "", f"\n{diff}"


@pytest.mark.parametrize("stem", STEMS)
def test_pdf_pages_match_their_reference_images(editions: Path, stem: str) -> None:
    problems = page_differences(editions / f"{stem}.pdf")
    assert problems == [], "\n".join(problems)


def test_two_builds_are_byte_identical(editions: Path, tmp_path: Path) -> None:
    outcomes = build(TEXTS, FORMATS, tmp_path)
    assert not [o for o in outcomes if o.failed]
    first = sorted(p.name for p in editions.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == first
    assert [name for name in first if (editions / name).read_bytes() != (tmp_path / name).read_bytes()] == []


# Each mutation must keep the text valid: the comparison, not the checker, has to catch it. The
# marker is what the diff must show changed, so that a diff for any other reason cannot pass.
MUTATIONS = {
    "a word changed": (SEED, "growing economic disparity", "growing economic inequality", "inequality"),
    "a paragraph dropped": (
        SEED,
        "4. The Assembly congratulates the IOM on its flexibility and its efforts to adapt to the changing needs of "
        "migration policies, and on the increase in its membership, now counting 101 states, of which 34 are "
        "Council of Europe member states.\n\n5. Consistent",
        "4. Consistent",
        "congratulates",
    ),
    "a sub-paragraph renumbered": (SEED, "7.3. to urge", "7.2.1. to urge", "7.2.1."),
    "a footnote removed": (
        FIXTURE_TEXTS / "opinion-9006-2031.en.md",
        "heart rate, which may reveal the same information.[^inferred]\n\n[^inferred]: See the hearing of experts "
        "held by the Committee on Legal Affairs and Human Rights in Strasbourg on 6 October 2030.\n",
        "heart rate, which may reveal the same information.\n",
        "hearing of experts",
    ),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_the_goldens_catch_a_mutation_in_every_format(mutation: str, tmp_path: Path) -> None:
    original, old, new, marker = MUTATIONS[mutation]
    text = original.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"the mutation {mutation!r} no longer applies to {original.name}"
    folder = tmp_path / "source"
    folder.mkdir()
    slug = original.name.rsplit(".", 2)[0]
    for sibling in original.parent.glob(f"{slug}.*.md"):  # its language versions, linked from it
        (folder / sibling.name).write_bytes(sibling.read_bytes())
    mutated = folder / original.name
    mutated.write_text(_renumbered_after_drop(text.replace(old, new), mutation), encoding="utf-8")
    reading = read(mutated, Config())
    assert reading.document is not None, [str(p) for p in reading.problems]
    outcomes = build([folder], FORMATS, tmp_path / "out")
    assert not [o for o in outcomes if o.failed]
    for format_name in FORMATS:
        diff = difference(format_name, edition_path(tmp_path / "out", format_name, mutated.stem), update=False)
        changed = [line for line in diff.splitlines()[2:] if line.startswith(("+", "-"))]
        assert any(marker in line for line in changed), f"{format_name}: the goldens did not catch {mutation}"


def _renumbered_after_drop(text: str, mutation: str) -> str:
    """After dropping paragraph 4, number the following ones again, as an editor would."""
    if mutation != "a paragraph dropped":
        return text
    for number in range(5, 8):
        text = text.replace(f"\n{number}.", f"\n{number - 1}.")
    return text


def test_every_format_has_a_reducer() -> None:
    assert {REGISTRY[name].media_type for name in FORMATS} <= set(REDUCERS)
