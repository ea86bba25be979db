"""Nothing of a text may be set off the PDF page: a word longer than the measure or a table
wider than it would be clipped there (pdftotext, like a reader, keeps to the page box).

After layout, every box of the page tree is measured against the page's content box, and every
text box in a table cell against the cell's. What runs off is laid out again with
`overflow-wrap: anywhere` for just the blocks concerned, so texts that fit keep exactly the
layout they had; what still runs off is an error naming its source line.

A number in digit groups ("3 200 000") is never broken inside a group in that refit: a table's
grouped numbers may break only between their groups (typeset.breakable_figures). A group wider
than its column then runs out of its cell, over the next one, and fails the text.

A footnote is never split across pages (WeasyPrint 70): one taller than a page's note area is
set above the page's top, or below its bottom with a `max-height`. No CSS can set it whole, so
it is found here, by its note area's boxes against the page's content box, and fails the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from xml.etree.ElementTree import Element

from ..model import Document, Paragraph, Quote, Table
from ..typeset import breakable_figures

TOLERANCE = 0.5  # CSS px: rounding in the layout, far below any visible loss
TITLE_BLOCK = "title-block"  # the print template's header, which has no id of its own


@dataclass(frozen=True)
class Overflow:
    """A box set off the page, by the block it belongs to."""

    selector: str  # of the nearest element with an id (or the title block), for the refit
    block: str  # that element's id ("" for the title block and the body)
    table: bool  # that element is a table
    line: int  # its source line (1: the front matter's title block)
    text: str  # the start of the text that runs off, for the message
    cell: bool = False  # the text runs out of its table cell (over the next one), not off the page


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
        for box, cell in _boxes(page_box):
            off_page = box.position_x < left or box.position_x + box.margin_width() > right
            if not off_page and (cell is None or _within(box, cell)):
                continue
            element = getattr(box, "element", None)
            if element is None:
                continue
            if parents is None:
                parents = {child: parent for parent in root.iter() for child in parent} if root is not None else {}
            overflow = _located(element, parents, lines, str(getattr(box, "text", "") or ""), cell=not off_page)
            found.setdefault(overflow.selector, overflow)
    return list(found.values())


@dataclass(frozen=True)
class LongNote:
    """A footnote set partly off its page: taller than the page's note area can be."""

    number: str  # as the reader sees it (its id is fn-<number>)
    block: str  # the id in `lines` it was found under: its own, or the block that calls it
    line: int  # that id's source line (1: the title note, from the front matter)


def long_notes(laid_out: Any, document: Document) -> list[LongNote]:
    """The notes of a laid-out text set off their page, each once."""
    return long_notes_at(laid_out, block_lines(document))


def long_notes_at(laid_out: Any, lines: dict[str, int]) -> list[LongNote]:
    """The same, for a page of several texts: `lines` gives the source line of each block id.

    Only each page's few note boxes are measured: a text whose notes fit pays nothing more.
    """
    found: dict[Element, LongNote] = {}
    parents: dict[Element, Element] | None = None
    for page in laid_out.pages:
        page_box = page._page_box
        top = page_box.content_box_y() - TOLERANCE
        bottom = page_box.content_box_y() + page_box.height + TOLERANCE
        for area in page_box.children:
            if type(area).__name__ != "FootnoteAreaBox":
                continue
            for box in area.children:  # a note's block (or, displayed inline, its lines)
                # border boxes: the last note's bottom margin may run past the page, harmlessly
                if top <= box.border_box_y() and box.border_box_y() + box.border_height() <= bottom:
                    continue
                element = _first_element(box)
                if element is None or element in found:
                    continue
                if parents is None:
                    root = page_box.children[0].element
                    parents = {child: parent for parent in root.iter() for child in parent}
                where = _located(element, parents, lines, "")
                number = element.get("id", "").rpartition("fn-")[2] or "?"  # fn-N, or <text>-fn-N in a volume
                found[element] = LongNote(number, where.selector.removeprefix('[id="').removesuffix('"]'), where.line)
    return list(found.values())


def long_notes_message(where: list[str]) -> str:
    """What a RenderError says of notes, each `where` naming one: WeasyPrint cannot split them."""
    verb = "is" if len(where) == 1 else "are"
    return (
        f"{'; '.join(where)} {verb} longer than a page's note area (a note is never split across pages, "
        "so it would be set off the page): shorten it or move its text into the body"
    )


def _first_element(box: Any) -> Element | None:
    """The element of a box or of its first descendant that has one (line boxes have none)."""
    stack = [box]
    while stack:
        current = stack.pop()
        element = getattr(current, "element", None)
        if element is not None:
            return element  # type: ignore[no-any-return]
        stack.extend(reversed(getattr(current, "children", ())))
    return None


def refit_css(found: list[Overflow]) -> str:
    """Lines may break anywhere in the blocks that ran off (the ids are generated, [a-z0-9-]).

    WeasyPrint's automatic table layout ignores `overflow-wrap` in a cell's minimum width: a
    table that ran off gets the page's width in equal columns, set smaller, instead. Its grouped
    numbers (in figure spans, see `refit_html`) break only at their gaps.
    """
    rules = []
    for overflow in found:
        rules.append(f"{overflow.selector} {{ overflow-wrap: anywhere; }}")
        if overflow.table:
            rules.append(f"{overflow.selector} {{ table-layout: fixed; width: 100%; font-size: 7.5pt; }}")
            rules.append(f"{overflow.selector} th, {overflow.selector} td {{ padding: 1pt 2pt; }}")
            rules.append(f"{overflow.selector} .figure {{ overflow-wrap: normal; }}")
            # Noto Serif's word space is 0.26 em, its narrow no-break space 0.166 em (fonts.toml pins the face).
            rules.append(f"{overflow.selector} .figure.narrow {{ word-spacing: -0.094em; }}")
    return "\n".join(rules)


def refit_html(html: str, found: list[Overflow]) -> str:
    """The print HTML with the grouped numbers of the tables that ran off in figure spans, which
    may break between their digit groups and nowhere else (typeset.breakable_figures)."""
    for overflow in found:
        if not overflow.table:
            continue
        start = html.find(f'<table id="{overflow.block}">')  # as templates/base/macros.html.j2 writes it
        end = html.find("</table>", start)
        if start != -1 and end != -1:
            table = str(breakable_figures(html[start:end]))  # a str: Markup would escape the page around it
            html = html[:start] + table + html[end:]
    return html


def refit_failure(left: list[Overflow], where: Callable[[Overflow], str]) -> str:
    """What a RenderError says of the blocks that still do not fit once laid out again, `where`
    naming the place of each."""
    off_page = "; ".join(where(overflow) for overflow in left if not overflow.cell)
    in_cells = "; ".join(where(overflow) for overflow in left if overflow.cell)
    said = []
    if off_page:
        said.append(f"text runs off the page even when broken anywhere ({off_page}): split the table or the word")
    if in_cells:
        said.append(
            "text runs out of its table column even broken anywhere, a number between its digit groups only"
            f" ({in_cells}): split the table or drop columns"
        )
    return "; ".join(said)


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


def _boxes(page_box: Any) -> Iterator[tuple[Any, Any]]:
    """The boxes of a page but its margin boxes (the running header and footer, set by us), each
    with the table cell it is in (or None)."""
    stack: list[tuple[Any, Any]] = [(child, None) for child in page_box.children if type(child).__name__ != "MarginBox"]
    while stack:
        box, cell = stack.pop()
        yield box, cell
        inner = box if type(box).__name__ == "TableCellBox" else cell
        stack.extend((child, inner) for child in getattr(box, "children", ()))


def _within(box: Any, cell: Any) -> bool:
    """Whether `box`, if it is text, is set inside the content box of its table `cell`."""
    if getattr(box, "text", None) is None:
        return True  # its text boxes are measured themselves
    left, right = cell.content_box_x() - TOLERANCE, cell.content_box_x() + cell.width + TOLERANCE
    return bool(left <= box.position_x and box.position_x + box.margin_width() <= right)


def _located(
    element: Element, parents: dict[Element, Element], lines: dict[str, int], text: str, cell: bool = False
) -> Overflow:
    current: Element | None = element
    while current is not None:
        block = current.get("id", "")
        if block in lines:
            return Overflow(f'[id="{block}"]', block, current.tag == "table", lines[block], text, cell)
        if TITLE_BLOCK in current.get("class", "").split():
            return Overflow(f".{TITLE_BLOCK}", "", False, 1, text, cell)
        current = parents.get(current)
    return Overflow("body", "", False, 1, text, cell)
