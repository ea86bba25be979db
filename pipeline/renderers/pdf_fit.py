"""Nothing of a text may be set off the PDF page: a word longer than the measure or a table
wider than it would be clipped there (pdftotext, like a reader, keeps to the page box).

After layout, every box of the page tree is measured against the page's content box. What runs
off is laid out again with `overflow-wrap: anywhere` for just the blocks concerned, so texts that
fit keep exactly the layout they had; what still runs off is an error naming its source line.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from ..model import Document, Paragraph, Quote, Table

TOLERANCE = 0.5  # CSS px: rounding in the layout, far below any visible loss
TITLE_BLOCK = "title-block"  # the print template's header, which has no id of its own


@dataclass(frozen=True)
class Overflow:
    """A box set off the page, by the block it belongs to."""

    selector: str  # of the nearest element with an id (or the title block), for the refit
    table: bool  # that element is a table
    line: int  # its source line (1: the front matter's title block)
    text: str  # the start of the text that runs off, for the message


def overflows(laid_out: Any, document: Document) -> list[Overflow]:
    """The blocks of a laid-out WeasyPrint document that run off a page, each once."""
    return overflows_at(laid_out, block_lines(document))


def overflows_at(laid_out: Any, lines: dict[str, int]) -> list[Overflow]:
    """The same, for a page of several texts: `lines` gives the source line of each block id."""
    found: dict[str, Overflow] = {}
    parents: dict[Element, Element] | None = None  # every page has the same root: mapped once, when needed
    for page in laid_out.pages:
        page_box = page._page_box  # WeasyPrint 70: the page's box tree (no public accessor)
        left = page_box.content_box_x() - TOLERANCE
        right = page_box.content_box_x() + page_box.width + TOLERANCE
        root = page_box.children[0].element if page_box.children else None
        for box in _boxes(page_box):
            if box.position_x >= left and box.position_x + box.margin_width() <= right:
                continue
            element = getattr(box, "element", None)
            if element is None:
                continue
            if parents is None:
                parents = {child: parent for parent in root.iter() for child in parent} if root is not None else {}
            overflow = _located(element, parents, lines, str(getattr(box, "text", "") or ""))
            found.setdefault(overflow.selector, overflow)
    return list(found.values())


def refit_css(found: list[Overflow]) -> str:
    """Lines may break anywhere in the blocks that ran off (the ids are generated, [a-z0-9-]).

    WeasyPrint's automatic table layout ignores `overflow-wrap` in a cell's minimum width: a
    table that ran off gets the page's width in equal columns, set smaller, instead.
    """
    rules = []
    for overflow in found:
        rules.append(f"{overflow.selector} {{ overflow-wrap: anywhere; }}")
        if overflow.table:
            rules.append(f"{overflow.selector} {{ table-layout: fixed; width: 100%; font-size: 7.5pt; }}")
            rules.append(f"{overflow.selector} th, {overflow.selector} td {{ padding: 1pt 2pt; }}")
    return "\n".join(rules)


def block_lines(document: Document) -> dict[str, int]:
    """The source line of every block and note id the templates print."""
    lines = {note.id: note.line for note in document.footnotes}
    for section in document.sections:
        for block in _blocks(section.blocks):
            lines[block.id] = block.line
    return lines


def _blocks(blocks: tuple[Paragraph | Quote | Table, ...]) -> Iterator[Paragraph | Quote | Table]:
    for block in blocks:
        yield block
        if isinstance(block, Paragraph):
            yield from _blocks(block.inserts)
            yield from _blocks(block.children)


def _boxes(page_box: Any) -> Iterator[Any]:
    """The boxes of a page but its margin boxes (the running header and footer, set by us)."""
    stack = [child for child in page_box.children if type(child).__name__ != "MarginBox"]
    while stack:
        box = stack.pop()
        yield box
        stack.extend(getattr(box, "children", ()))


def _located(element: Element, parents: dict[Element, Element], lines: dict[str, int], text: str) -> Overflow:
    current: Element | None = element
    while current is not None:
        block = current.get("id", "")
        if block in lines:
            return Overflow(f'[id="{block}"]', current.tag == "table", lines[block], text)
        if TITLE_BLOCK in current.get("class", "").split():
            return Overflow(f".{TITLE_BLOCK}", False, 1, text)
        current = parents.get(current)
    return Overflow("body", False, 1, text)
