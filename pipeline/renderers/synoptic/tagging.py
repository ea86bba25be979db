"""Completing the synoptic table's structure tags: each column's language and header scopes.

WeasyPrint 70 writes no /Lang on structure elements (only the catalogue's), and no /Scope on
header cells. A screen reader must switch voices between the columns, so every cell of a
version's column gets that version's /Lang; the header row's cells get /Scope /Column and the
provision numbers /Scope /Row. The table is found in the finished structure tree: on each page
a /Table directly under the document (a nested table, inside a cell, keeps its cell's language).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

CELLS = ("/TD", "/TH")


def tag_columns(pdf: Any, languages: tuple[str, ...]) -> int:
    """Each column's language on its cells, and every header cell's scope; how many cells were
    given a language (none: the table was not found)."""
    tagged = _tag_languages(pdf, languages)
    _scope_headers(pdf, _object(pdf, pdf.catalog["StructTreeRoot"]), in_head=False)
    return tagged


def _tag_languages(pdf: Any, languages: tuple[str, ...]) -> int:
    """Set /Lang on the synoptic table's cells.

    In every row the first cell is the number and the others the versions in order; a cell
    that spans the whole row (an appendix heading) holds one block per version, in order.
    """
    tagged = 0
    for table in _top_tables(pdf, _object(pdf, pdf.catalog["StructTreeRoot"])):
        for group in _children(pdf, table):
            for row in _children(pdf, group):
                cells = [cell for cell in _children(pdf, row) if cell["S"] in CELLS]
                tagged += _tag_row(pdf, cells, languages)
    return tagged


def _tag_row(pdf: Any, cells: list[Any], languages: tuple[str, ...]) -> int:
    if len(cells) == 1 and "ColSpan" in cells[0]["A"]:
        blocks = _children(pdf, cells[0])
        for block, language in zip(blocks, languages, strict=False):
            block["Lang"] = pydyf.String(language)
        return len(blocks)
    for index, cell in enumerate(cells):
        if 0 < index <= len(languages):
            cell["Lang"] = pydyf.String(languages[index - 1])
    return max(0, min(len(cells) - 1, len(languages)))


def _scope_headers(pdf: Any, element: Any, in_head: bool) -> None:
    """A header cell in a table's head heads its column; one in the body (a number) its row."""
    for child in _children(pdf, element):
        if child["S"] == "/TH" and "Scope" not in child["A"]:
            child["A"]["Scope"] = "/Column" if in_head else "/Row"
        _scope_headers(pdf, child, in_head=child["S"] == "/THead" or (in_head and child["S"] != "/Table"))


def _top_tables(pdf: Any, element: Any) -> Iterator[Any]:
    for child in _children(pdf, element):
        if child.get("S") == "/Table":
            yield child  # not below: a table inside a cell is part of that cell's text
        else:
            yield from _top_tables(pdf, child)


def _children(pdf: Any, element: Any) -> list[Any]:
    """The structure elements among `element`'s kids (marked-content ids and annotations aside)."""
    kids = element.get("K", ())
    found = []
    for kid in kids if isinstance(kids, list) else [kids]:
        if isinstance(kid, bytes | str):
            child = _object(pdf, kid)
            if isinstance(child, dict) and child.get("Type") == "/StructElem":
                found.append(child)
    return found


def _object(pdf: Any, reference: bytes | str) -> Any:
    number = reference.split()[0]
    return pdf.objects[int(number)]
