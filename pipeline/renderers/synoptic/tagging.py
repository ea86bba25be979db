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
    """Set /Lang and /Scope on the synoptic table's cells; how many cells were given a language.

    In every row the first cell is the number and the others the versions in order; a cell
    that spans the whole row (an appendix heading) holds one block per version, in order.
    """
    tagged = 0
    for table in _top_tables(pdf, _object(pdf, pdf.catalog["StructTreeRoot"])):
        for group in _children(pdf, table):
            for row in _children(pdf, group):
                cells = [cell for cell in _children(pdf, row) if cell["S"] in CELLS]
                tagged += _tag_row(pdf, cells, languages, header=group["S"] == "/THead")
    return tagged


def _tag_row(pdf: Any, cells: list[Any], languages: tuple[str, ...], header: bool) -> int:
    if len(cells) == 1 and "ColSpan" in cells[0]["A"]:
        blocks = _children(pdf, cells[0])
        for block, language in zip(blocks, languages, strict=False):
            block["Lang"] = pydyf.String(language)
        return len(blocks)
    for index, cell in enumerate(cells):
        if cell["S"] == "/TH":
            cell["A"]["Scope"] = "/Column" if header else "/Row"
        if 0 < index <= len(languages):
            cell["Lang"] = pydyf.String(languages[index - 1])
    return max(0, min(len(cells) - 1, len(languages)))


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
