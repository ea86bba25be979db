"""templates/docx/number-tab.lua's three touches, made on pandoc's JSON document in Python.

pandoc runs a Lua filter by handing every element it asks for to Lua: 8 ms of a 50 ms DOCX for
a few pages. When the document goes to pandoc as JSON (pandoc_ast.py), the same touches are
made here while the tree is still Python's, and the filter is not run; a document pandoc reads
from HTML still goes through the filter. tests/test_docx_touches.py checks that both give the
same document. The order is the filter's: pandoc walks every Span (children before their
parent) before any Table.
"""

from __future__ import annotations

import re
from typing import Any

Node = dict[str, Any]

# The paragraph number's tab, as the filter writes it; pandoc_server.lua lets exactly this raw
# element through its check for what a writer might read (RAW_TAB there).
TAB: Node = {"t": "RawInline", "c": ["openxml", "<w:r><w:tab/></w:r>"]}
SCRIPT_STYLES = {"hy": "Armenian Text", "ka": "Georgian Text"}
CELL_STYLE = {"head": "Table Heading", "body": "Table Text"}
PRIMARY = re.compile(r"[a-z]+")  # the filter's language:match("^[a-z]+")


def touched(document: Node) -> Node:
    """`document` (pandoc's JSON, as dicts and lists) with the filter's touches, in place.

    The walk follows the element types pandoc_ast.py writes, children first, so that a text's
    words are never visited; a type it does not know is walked whole. A note's blocks are
    touched once, however many calls share them."""
    _Walk().blocks(document["blocks"])
    return document


INLINE_CONTAINERS = frozenset({"Emph", "Strong", "Superscript", "Subscript", "SmallCaps", "Strikeout", "Underline"})
LEAVES = frozenset({"Str", "Space", "SoftBreak", "LineBreak", "RawInline", "Code", "Math"})


class _Walk:
    def __init__(self) -> None:
        self.seen: set[int] = set()  # the notes' block lists touched

    def blocks(self, blocks: list[Node]) -> None:
        for index, block in enumerate(blocks):
            kind = block["t"]
            if kind in ("Para", "Plain"):
                block["c"] = self.inlines(block["c"])
            elif kind == "Header":
                block["c"][2] = self.inlines(block["c"][2])
            elif kind == "Div":
                self.blocks(block["c"][1])
            elif kind == "BlockQuote":
                self.blocks(block["c"])
            elif kind == "Table":
                self.table(block["c"])
            else:
                blocks[index] = _generic(block)

    def inlines(self, inlines: list[Node]) -> list[Node]:
        result: list[Node] = []
        for node in inlines:
            kind = node["t"]
            if kind in LEAVES:
                pass
            elif kind == "Span":
                attr, content = node["c"]
                node["c"][1] = content = self.inlines(content)
                if "paragraph-number" in attr[1]:  # the template writes no space after it: the tab takes its place
                    result.extend([*content, TAB])
                    continue
                _script_style(attr)
            elif kind in INLINE_CONTAINERS:
                node["c"] = self.inlines(node["c"])
            elif kind == "Link":
                node["c"][1] = self.inlines(node["c"][1])
            elif kind == "Note":
                if id(node["c"]) not in self.seen:
                    self.seen.add(id(node["c"]))
                    self.blocks(node["c"])
            else:
                result.extend(_generic([node]))
                continue
            result.append(node)
        return result

    def table(self, table: list[Any]) -> None:
        _attr, _caption, _columns, head, bodies, foot = table
        for rows in (head[1], *(body[2] for body in bodies), *(body[3] for body in bodies), foot[1]):
            for row in rows:
                for cell in row[1]:
                    self.blocks(cell[4])
        _styled_table(table)


def _generic(value: Any) -> Any:
    """Both touches by a walk of everything, for an element type the typed walk does not know."""
    return _tables(_spans(value))


def _spans(value: Any) -> Any:
    """Every Span touched, innermost first; a paragraph number's is replaced by its content and
    the tab, spliced into the list that held it."""
    if isinstance(value, list):
        result = []
        for item in value:
            item = _spans(item)
            if isinstance(item, dict) and item.get("t") == "Span" and "paragraph-number" in item["c"][0][1]:
                result.extend([*item["c"][1], TAB])
            else:
                result.append(item)
        return result
    if isinstance(value, dict):
        if "c" in value:
            value["c"] = _spans(value["c"])
        if value.get("t") == "Span":
            _script_style(value["c"][0])
    return value


def _script_style(attr: list[Any]) -> None:
    pairs = attr[2]
    language = next((value for key, value in pairs if key == "lang"), None)
    primary = None if language is None else PRIMARY.match(language)
    style = None if primary is None else SCRIPT_STYLES.get(primary[0])
    if style and not any(key == "custom-style" for key, _ in pairs):
        pairs.append(["custom-style", style])


def _tables(value: Any) -> Any:
    if isinstance(value, list):
        return [_tables(item) for item in value]
    if isinstance(value, dict) and "c" in value:
        value["c"] = _tables(value["c"])
        if value.get("t") == "Table":
            _styled_table(value["c"])
    return value


def _styled_table(table: list[Any]) -> None:
    _attr, _caption, _columns, head, bodies, foot = table
    _styled_rows(head[1], CELL_STYLE["head"])
    for body in bodies:
        _styled_rows(body[2], CELL_STYLE["head"])
        _styled_rows(body[3], CELL_STYLE["body"])
    _styled_rows(foot[1], CELL_STYLE["body"])


def _styled_rows(rows: list[Any], style: str) -> None:
    for row in rows:
        for cell in row[1]:
            # A cell's text is Plain, which pandoc always sets in "Compact": a paragraph takes the style.
            cell[4] = [{"t": "Div", "c": [["", [], [["custom-style", style]]], _paragraphs(cell[4])]}]


def _paragraphs(value: Any) -> Any:
    """Every Plain anywhere in `value` made a Para (the filter's walk of the cell's blocks)."""
    if isinstance(value, list):
        return [_paragraphs(item) for item in value]
    if isinstance(value, dict):
        if "c" in value:
            value["c"] = _paragraphs(value["c"])
        if value.get("t") == "Plain":
            return {"t": "Para", "c": value["c"]}
    return value
