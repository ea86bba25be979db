"""The loader and every validation path: each problem is reported with its line, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import Config
from pipeline.errors import Problem, Severity, SourceError
from pipeline.source import load, read
from tests.sources import FRONT

BODY = "\n1. First.\n\n2. Second.\n"


def problems_of(tmp_path: Path, text: str, name: str = "resolution-1234-2001.en.md") -> list[Problem]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return read(path, Config()).problems


def errors(problems: list[Problem]) -> list[tuple[int, str]]:
    return [(p.line, p.message) for p in problems if p.severity is Severity.ERROR]


def test_a_valid_source_has_no_problem(tmp_path: Path) -> None:
    assert problems_of(tmp_path, FRONT + BODY) == []


@pytest.mark.parametrize(
    ("change", "line", "message"),
    [
        (("type: resolution", "type: resolutoin"), 2, "unknown type 'resolutoin'"),
        (("number: 1234", "number: twelve"), 3, "'number' must be a positive whole number, not 'twelve'"),
        (("number: 1234", "number: -4"), 3, "'number' must be a positive whole number, not -4"),
        (("language: en", "language: english"), 5, "'language' 'english' is not a BCP 47 language tag"),
        (("title: A test text\n", ""), 2, "missing metadata 'title'"),
        (
            ("    - date: 2001-01-25", "    - date: 2001-02-30"),
            11,
            "'adoption.debates.0.date' is not a valid date: '2001-02-30'",
        ),
        (("  date: 2001-01-25", "  date: 25/01/2001"), 13, "'adoption.date' is not a valid date: '25/01/2001'"),
        (("  by: assembly", "  by: senate"), 9, "unknown adoption.by 'senate'"),
    ],
)
def test_invalid_metadata_is_reported_at_its_line(
    tmp_path: Path, change: tuple[str, str], line: int, message: str
) -> None:
    assert errors(problems_of(tmp_path, FRONT.replace(*change) + BODY)) == [(line, message)]


def test_unknown_type_suggests_the_closest(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, FRONT.replace("type: resolution", "type: resolutoin") + BODY)
    assert problem.hint == "did you mean 'resolution'?"
    assert str(problem).startswith(f"{tmp_path / 'resolution-1234-2001.en.md'}:2:1: error: unknown type")


def test_unknown_keys_are_warnings(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, FRONT.replace("title:", "rapporter: x\ntitle:") + BODY)
    assert problem.severity is Severity.WARNING
    assert (problem.line, problem.message) == (6, "unknown metadata key 'rapporter'")


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    text = FRONT.replace("number: 1234", "number: x").replace("language: en", "language: zz-top")
    found = errors(problems_of(tmp_path, text + "\n1. One.\n\n3. Three.[^a]\n"))
    assert [line for line, _ in found] == [3, 5, 19, 19]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("\n1. One.\n\n3. Three.\n", [(19, "paragraph numbering jumps from 1. to 3.")]),
        ("\n1. One.\n\n1. Again.\n", [(19, "paragraph 1. is numbered twice")]),
        ("\n2. Two.\n", [(17, "paragraph numbering jumps from the start to 2.")]),
        ("\n1. One.\n\n2. Two.\n\n1.1. Late.\n", [(21, "paragraph 1.1. is out of order (after 2.)")]),
        ("\n1. One.\n\n2. Two.\n\n3.1. Orphan.\n", [(21, "paragraph 3.1. is not under paragraph 3.")]),
        ("\n1. One.\n\n1.1. A.\n\n1.3. C.\n", [(21, "paragraph numbering jumps from 1.1. to 1.3.")]),
        ("\n1. One.\n\na. A.\n\nc. C.\n", [(21, "paragraph numbering jumps from a. to c.")]),
        ("\na. A.\n", [(17, "lettered item a. has no numbered paragraph above it")]),
        ("\n1. One.\n\n2.\n", [(19, "paragraph 2. is empty")]),
        ("\n1. One.\n2. Two.\n", [(18, "a numbered paragraph starts on a continuation line")]),
        ("\n1.One.\n", [(17, "the paragraph number is glued to its text")]),
        ("\n1. One[^x].\n", [(17, "footnote call [^x] has no footnote text")]),
        ("\n1. One.\n\n[^x]: Orphan.\n", [(19, "footnote [^x] is never called")]),
        ("\n1. One ![map](map.png).\n", [(17, "images are not allowed in adopted texts")]),
        ("\n1. See [this](file:///etc/passwd).\n", [(17, "link target 'file:///etc/passwd' is not allowed")]),
        ("\n# Title\n\n1. One.\n", [(17, "heading level 1 is not used in adopted texts")]),
        ("\n```\ncode\n```\n", [(16, "the text has no paragraphs"), (17, "'fence' is not allowed in an adopted text")]),
    ],
)
def test_body_problems_are_reported_at_their_line(tmp_path: Path, body: str, expected: list[tuple[int, str]]) -> None:
    assert errors(problems_of(tmp_path, FRONT + body)) == expected


def test_out_of_order_names_the_previous_sibling(tmp_path: Path) -> None:
    body = "\n1. One.\n\n1.1. A.\n\n1.2. B.\n\n1.1. A again.\n"
    assert errors(problems_of(tmp_path, FRONT + body)) == [(23, "paragraph 1.1. is out of order (after 1.2.)")]


def test_numbering_restarts_in_an_appendix(tmp_path: Path) -> None:
    body = "\n1. One.\n\n2. Two.\n\n## Appendix\n\n1. First of the appendix.\n\n1.1. Its sub-paragraph.\n"
    path = tmp_path / "resolution-1234-2001.en.md"
    path.write_text(FRONT + body, encoding="utf-8")
    document = load(path, Config())
    main, appendix = document.sections
    assert [b.id for b in main.blocks] == ["p-1", "p-2"]
    assert appendix.id == "appendix"
    first = appendix.blocks[0]
    assert (first.id, [c.id for c in first.children]) == ("appendix-p-1", ["appendix-p-1-1"])  # type: ignore[union-attr]


def test_lettered_items_and_three_levels_nest(tmp_path: Path) -> None:
    body = "\n1. One:\n\n1.1. A:\n\na. first;\n\nb. second;\n\n1.2. B:\n\n1.2.1. deep;\n\n1.2.2. deeper.\n"
    path = tmp_path / "resolution-1234-2001.en.md"
    path.write_text(FRONT + body, encoding="utf-8")
    [one] = load(path, Config()).sections[0].blocks
    first, second = one.children  # type: ignore[union-attr]
    assert [(c.number, c.id) for c in first.children] == [("a.", "p-1-1-a"), ("b.", "p-1-1-b")]
    assert [(c.number, c.id) for c in second.children] == [("1.2.1.", "p-1-2-1"), ("1.2.2.", "p-1-2-2")]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("no front matter\n", 1, "the source does not start with front matter"),
        ("---\ntype: x\n", 1, "the front matter is not closed"),
        ("---\ntitle: [unclosed\n---\n", 2, "invalid YAML: expected ',' or ']', but got '<stream end>'"),
        ("---\na: &x [1]\nb: *x\n---\n", 3, "YAML aliases are not allowed"),
    ],
)
def test_broken_front_matter(tmp_path: Path, text: str, line: int, message: str) -> None:
    assert errors(problems_of(tmp_path, text)) == [(line, message)]


def test_invalid_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "resolution-1234-2001.en.md"
    path.write_bytes((FRONT + "\n1. Caf").encode() + b"\xe9.\n")
    assert errors(read(path, Config()).problems) == [(17, "the file is not valid UTF-8")]


def test_file_name_outside_the_convention_is_an_error(tmp_path: Path) -> None:
    [problem] = problems_of(tmp_path, FRONT + BODY, name="my-text.md")
    assert problem.severity is Severity.ERROR
    assert problem.hint == "rename it resolution-1234-2001.en.md"


def test_load_raises_with_every_error(tmp_path: Path) -> None:
    path = tmp_path / "resolution-1234-2001.en.md"
    path.write_text(FRONT + "\n1. One.\n\n3. Three.[^a]\n", encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        load(path, Config())
    assert len(raised.value.problems) == 2


def test_standing_committee_adoption_needs_no_debate(tmp_path: Path) -> None:
    front = FRONT.replace("  by: assembly", "  by: standing-committee").replace(
        "  debates:\n    - date: 2001-01-25\n      sitting: 5\n", ""
    )
    assert problems_of(tmp_path, front + BODY) == []


def test_assembly_adoption_needs_its_debates(tmp_path: Path) -> None:
    front = FRONT.replace("  debates:\n    - date: 2001-01-25\n      sitting: 5\n", "")
    assert errors(problems_of(tmp_path, front + BODY)) == [(8, "an Assembly adoption needs 'debates'")]
