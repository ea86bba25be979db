"""libyaml reads front matter for speed; what it gives must be what the Python reader gives."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import frontmatter
from pipeline.frontmatter import FastLoader, FrontMatterError, PlainSafeLoader, split
from pipeline.testing.corpus import generate

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(FastLoader is None, reason="PyYAML without libyaml")

TRICKY = [
    "date: 2003-06-24\nanswer: No\ncode: 010\ntime: 12:30\nratio: 1.5\nnothing: ~\nempty:",
    "title: 'It''s «quoted»'\nlong: >\n  folded\n  text\nkept: |\n  one\n  two\n",
    "number: 1234567890123456789\nneg: -4\nplus: +7\nzero: 0\nhex: 0x1F\n",
    "list:\n  - a\n  - {b: 1, c: [2, 3]}\n  - - nested\nunicode: Ἀθῆναι Երևան თბილისი Київ",
    "key: value # a comment\n'quoted key': \"tab\\there\"\n? complex\n: mapped\n",
]


def lines_of(node: yaml.Node | None) -> dict[tuple[str | int, ...], int]:
    positions: dict[tuple[str | int, ...], int] = {}
    if node is not None:
        frontmatter._record_lines(node, (), positions, offset=2)
    return positions


def both(text: str) -> tuple[object, object]:
    assert FastLoader is not None
    fast_node, fast_data = frontmatter._read(text, FastLoader)
    slow_node, slow_data = frontmatter._read(text, PlainSafeLoader)
    return (fast_data, lines_of(fast_node)), (slow_data, lines_of(slow_node))


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_yaml_reads_the_same(text: str) -> None:
    fast, slow = both(text)
    assert fast == slow


def test_every_generated_and_real_source_reads_the_same(tmp_path: Path) -> None:
    sources = generate(tmp_path, 40, seed=5) + sorted((ROOT / "source").glob("*.*.md"))
    for path in sources:
        text = path.read_text(encoding="utf-8")
        yaml_text = text.split("\n---\n", 1)[0].removeprefix("---\n")
        fast, slow = both(yaml_text)
        assert fast == slow, path.name


scalars = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.integers(),
    st.none(),
    st.booleans(),
)
documents = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(documents, st.sampled_from([True, False]))
def test_any_dumped_document_reads_the_same_or_is_refused_the_same(value: object, flow: bool) -> None:
    text = yaml.safe_dump({"root": value}, allow_unicode=True, default_flow_style=flow)
    try:
        node, data = frontmatter._read(text, PlainSafeLoader)
    except yaml.YAMLError:  # the Python reader refuses it: split must too, with its message
        with pytest.raises(FrontMatterError):
            split(f"---\n{text}---\n")
        return
    read = split(f"---\n{text}---\n")
    assert (read.data, read.lines) == (data, lines_of(node))


def test_a_refused_text_has_the_python_readers_message() -> None:
    with pytest.raises(FrontMatterError, match="mapping values are not allowed here") as caught:
        split("---\ntitle: a: b\n---\n")
    assert caught.value.line == 2


def test_aliases_are_refused_by_the_fast_reader_too() -> None:
    with pytest.raises(FrontMatterError, match="aliases are not allowed"):
        split("---\na: &x [1]\nb: *x\n---\n")
