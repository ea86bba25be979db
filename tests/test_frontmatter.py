"""Front matter is composed once and its data constructed from that tree: what it reads, and what
it refuses, must be what composing and loading it separately (as before) gave, for any text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import frontmatter
from pipeline.frontmatter import FrontMatterError, PlainSafeLoader, split
from pipeline.testing.corpus import generate

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted((ROOT / "source").glob("*.*.md"))

# The shapes where libyaml and PyYAML's Python reader disagree (a reason to keep the latter), and
# YAML 1.1's surprises the loader turns off.
TRICKY = [
    "title: a\tb",  # the Python reader refuses a tab in a plain scalar
    "keywords: [one, two?three]",  # and a "?" inside a flow sequence's plain scalar
    "sitting: !",  # null, where libyaml reads ""
    "date: 2003-06-24\nanswer: No\ncode: 010\ntime: 12:30\nratio: 1.5\nnothing: ~\nempty:",
    "title: 'It''s «quoted»'\nlong: >\n  folded\n  text\nkept: |\n  one\n  two\n",
    "list:\n  - a\n  - {b: 1, c: [2, 3]}\n  - - nested\nunicode: Ἀθῆναι Երևան თბილისი Київ",
    "a: 1\n---\nb: 2",  # two documents
    "",
]


def lines_of(node: yaml.Node | None) -> dict[tuple[str | int, ...], int]:
    positions: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        frontmatter._record_lines(node, (), positions, offset=2)
    return positions


def separately(yaml_text: str) -> tuple[str, Any]:
    """What the reader gave before: compose for the lines, load again for the data."""
    try:
        frontmatter._checked_events(yaml_text)
        node = yaml.compose(yaml_text, Loader=PlainSafeLoader)
        data = yaml.load(yaml_text, Loader=PlainSafeLoader)
        positions = lines_of(node)
    except yaml.YAMLError as exc:
        return "refused", str(exc)
    except FrontMatterError as exc:  # a key given twice is refused from the lines, too
        return "refused", str(exc)
    return "read", (data, positions)


def now(yaml_text: str) -> tuple[str, Any]:
    try:
        node, data = frontmatter._read(yaml_text)
        positions = lines_of(node)
    except yaml.YAMLError as exc:
        return "refused", str(exc)
    except FrontMatterError as exc:
        return "refused", str(exc)
    return "read", (data, positions)


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_yaml_reads_as_before(text: str) -> None:
    assert now(text) == separately(text)


def test_the_python_readers_verdicts_stand() -> None:
    assert now("title: a\tb")[0] == "refused"
    assert now("keywords: [one, two?three]")[0] == "refused"
    assert now("sitting: !") == ("read", ({"sitting": None}, {(): 2, ("sitting",): 2}))


def front_of(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[0].removeprefix("---\n")


def test_every_generated_and_real_source_reads_as_before(tmp_path: Path) -> None:
    for path in generate(tmp_path, 40, seed=5) + REAL:
        assert now(front_of(path)) == separately(front_of(path)), path.name


EDITS = st.sampled_from(["", ":", " ", "\n", "\t", "'", '"', "-", "[", "{", "#", "&", "*", "!", "?", "|", ">", "%"])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REAL), st.lists(st.tuples(st.floats(0, 1, exclude_max=True), EDITS), min_size=1, max_size=5))
def test_an_edited_real_front_matter_reads_or_is_refused_as_before(path: Path, edits: list[tuple[float, str]]) -> None:
    text = list(front_of(path))
    for where, character in edits:
        text[int(where * len(text))] = character
    edited = "".join(text)
    assert now(edited) == separately(edited)


def test_a_key_given_twice_is_refused_the_same_way() -> None:
    # Found by the test above: an edit that turns a value into a repeated key.
    text = "adoption:\n  sitting: 19\n  by: Assembly\n  sitting: 20"
    assert now(text) == separately(text)
    assert now(text)[0] == "refused" and "given twice" in now(text)[1]


def test_split_keeps_the_messages_and_lines() -> None:
    with pytest.raises(FrontMatterError, match="mapping values are not allowed here") as caught:
        split("---\ntitle: a: b\n---\n")
    assert caught.value.line == 2
    with pytest.raises(FrontMatterError, match="aliases are not allowed"):
        split("---\na: &x [1]\nb: *x\n---\n")
