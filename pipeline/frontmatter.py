"""Split a source into YAML front matter and Markdown body, and read the YAML safely."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

import msgspec
import yaml

FENCE = "---"


class PlainSafeLoader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1's surprises: only decimal integers and null are converted.

    Dates stay text (a bad date is our message, not a crash); "No" stays "No" (not False);
    "010" and "12:30" are not octal or base-60 numbers; "1.5" is not a float.
    """


# At most 18 digits: a longer number is no sitting or year, and stays text for a clear message
# (Python refuses to read integers of more than 4,300 digits).
_DECIMAL = re.compile(r"^[-+]?(?:0|[1-9][0-9]{0,17})$")
MAX_DEPTH = 16  # nesting of mappings and lists; the metadata uses four
_CONVERTED = {"tag:yaml.org,2002:null"}
PlainSafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag in _CONVERTED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "-+0123456789":
    PlainSafeLoader.add_implicit_resolver("tag:yaml.org,2002:int", _DECIMAL, [_first])

Path_ = tuple[str | int, ...]


class FrontMatter(msgspec.Struct, frozen=True):
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
        node, data = _read(yaml_text)
    except yaml.MarkedYAMLError as exc:
        line = 2 + (exc.problem_mark.line if exc.problem_mark is not None else 0)
        raise FrontMatterError(line, f"invalid YAML: {exc.problem}", "check indentation and quoting") from exc
    except yaml.YAMLError as exc:  # unmarked: the reader's own errors (e.g. a character it refuses)
        raise FrontMatterError(2, f"invalid YAML: {exc}", "check indentation and quoting") from exc
    positions: dict[Path_, int] = {}
    if node is not None:
        _record_lines(node, (), positions, offset=2)
    return FrontMatter(data, positions, "\n".join(lines[index + 1 :]), index + 1)


def _read(yaml_text: str) -> tuple[yaml.Node | None, Any]:
    """Parsed once into events, checked (no aliases, bounded nesting), then composed from those
    events: the node tree gives the lines of the keys, and the data is constructed from it.

    Not libyaml, although it is many times faster: it admits what PyYAML's Python reader refuses
    (a tab or a "?" inside a plain scalar) and reads "key: !" as "" where the Python reader reads
    null, so a source would be valid, or mean something else, on a machine whose PyYAML has it."""
    loader = _ReplayingLoader(_checked_events(yaml_text))
    try:
        node = loader.get_single_node()
        return node, None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


class _ReplayingLoader(PlainSafeLoader):
    """The loader, composing from events already parsed rather than parsing the text again."""

    def __init__(self, events: list[yaml.Event]) -> None:
        super().__init__("")
        self._events = deque(events)

    def check_event(self, *choices: Any) -> bool:
        return bool(self._events) and (not choices or isinstance(self._events[0], choices))

    def peek_event(self) -> yaml.Event | None:
        return self._events[0] if self._events else None

    def get_event(self) -> yaml.Event | None:
        return self._events.popleft() if self._events else None


def _checked_events(yaml_text: str) -> list[yaml.Event]:
    """The event stream, with aliases and deep nesting refused before anything recursive runs."""
    depth = 0
    events = []
    for event in yaml.parse(yaml_text, Loader=PlainSafeLoader):
        events.append(event)
        line = 2 + (event.start_mark.line if event.start_mark is not None else 0)
        if isinstance(event, yaml.AliasEvent):  # aliases allow "billion laughs" bombs
            raise FrontMatterError(line, "YAML aliases are not allowed", "write the value out in full")
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(
                    line, f"the front matter nests more than {MAX_DEPTH} levels deep", "the metadata uses four"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return events


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
