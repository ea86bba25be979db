"""Split a source into YAML front matter and Markdown body, and read the YAML safely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

FENCE = "---"


class PlainSafeLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's surprises: only decimal integers and null are converted.

    Dates stay text (a bad date is our message, not a crash); "No" stays "No" (not False);
    "010" and "12:30" are not octal or base-60 numbers; "1.5" is not a float.
    """


_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_CONVERTED = {"tag:yaml.org,2002:null"}
PlainSafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag in _CONVERTED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+0123456789":
    PlainSafeLoader.add_implicit_resolver("tag:yaml.org,2002:int", _DECIMAL, [_first])

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class FrontMatter:
    data: Any
    lines: dict[Path_, int]  # 1-based line of each key path, for messages
    body: str
    body_offset: int  # lines before the body starts


class FrontMatterError(ValueError):
    def __init__(self, line: int, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.line = line
        self.hint = hint


def split(text: str) -> FrontMatter:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontMatterError(
            1,
            "the source does not start with front matter",
            "begin the file with a line '---', the metadata, then '---'",
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() in (FENCE, "..."):
            break
    else:
        raise FrontMatterError(1, "the front matter is not closed", "end the metadata with a line '---'")
    yaml_text = "\n".join(lines[1:index])
    try:
        for event in yaml.parse(yaml_text, Loader=PlainSafeLoader):
            if isinstance(event, yaml.AliasEvent):  # aliases allow "billion laughs" bombs
                line = 2 + (event.start_mark.line if event.start_mark is not None else 0)
                raise FrontMatterError(line, "YAML aliases are not allowed", "write the value out in full")
        node = yaml.compose(yaml_text, Loader=PlainSafeLoader)
        data = yaml.load(yaml_text, Loader=PlainSafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = 2 + (exc.problem_mark.line if exc.problem_mark is not None else 0)
        raise FrontMatterError(line, f"invalid YAML: {exc.problem}", "check indentation and quoting") from exc
    positions: dict[Path_, int] = {}
    if node is not None:
        _record_lines(node, (), positions, offset=2)
    return FrontMatter(data, positions, "\n".join(lines[index + 1 :]), index + 1)


def _record_lines(node: yaml.Node, path: Path_, positions: dict[Path_, int], offset: int) -> None:
    positions[path] = node.start_mark.line + offset
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            key_path = (*path, str(key.value))
            if key_path in positions:  # YAML lets the last one win: the author meant one of them
                raise FrontMatterError(
                    key.start_mark.line + offset, f"the key '{key.value}' is given twice", "keep only one"
                )
            _record_lines(value, key_path, positions, offset)
            positions[key_path] = key.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*path, index), positions, offset)
