"""The print edition's structure tree as assistive technology reads it.

WeasyPrint 70 builds the tag tree page by page from the boxes, naming each element after its
HTML tag. For the adopted texts that gives a screen reader neither the numbering nor the
nesting: a numbered paragraph is a Div holding a P within a P (the hanging number is an
absolute box), a paragraph cut by a page is two elements, the title block is NonStruct and the
notes sit in a NonStruct per page. The finisher rewrites the tree from the HTML each element
came from (recorded while WeasyPrint builds it, see `record_html_elements`):

- the pieces of one HTML element that pages cut apart are one element again;
- a numbered paragraph is a list item: `LI` › `Lbl` (its number) + `LBody` (its text, inserts
  and sub-paragraphs), consecutive items in an `L`, sub-paragraphs a nested `L`; never P in P;
- the citation and the title are headings in order (H1, H2), the appendix headings under them
  (H3); the title block is a plain Div;
- the notes (`Note` › `Lbl`) follow the text, each once, without the per-page NonStruct;
- a header cell has its /Scope (Column for the head row, Row for a header in a row);
- a superscript is a `Sup`, role-mapped to `Span` (`declare_roles`);
- an element of an HTML element with its own `lang` (words in another script, see
  pipeline/scripts.py) has it as /Lang (`tag_languages`: WeasyPrint writes only the catalogue's).

Marked content and the parent tree are untouched: only the elements above the text move.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer

# HTML classes of the print template (templates/print/, templates/base/macros.html.j2).
PARAGRAPH, UNNUMBERED, NUMBER = "paragraph", "unnumbered", "number"
HEADINGS = {("p", "citation"): "H1", ("h1", "title"): "H2", ("h2", None): "H3"}
SCOPES = {"col": "/Column", "row": "/Row"}


def record_html_elements(tags: Any) -> None:
    """Wrap WeasyPrint's tree builder (weasyprint.pdf.tags, a private function: the renderer
    checks the version first) so that each structure element it yields remembers the HTML
    element of its box, as a Python attribute that is never written to the file."""
    original = tags._build_box_tree
    if getattr(original, "records_html", False):
        return

    def build(box: Any, *args: Any) -> Iterator[Any]:
        for element in original(box, *args):
            if not hasattr(element, "html"):
                element.html = box.element
            yield element

    build.records_html = True  # type: ignore[attr-defined]
    tags._build_box_tree = build


class Tree:
    """The structure elements of a finished pydyf PDF, by reference."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.objects = {obj.reference: obj for obj in pdf.objects[1:] if isinstance(obj, pydyf.Dictionary)}

    def kids(self, element: Any) -> list[Any]:
        """The structure elements among `element`'s kids (marked content and annotations aside)."""
        found = []
        for kid in element.get("K", ()):
            child = self.objects.get(kid) if isinstance(kid, bytes) else None
            if child is not None and child.get("Type") == "/StructElem":
                found.append(child)
        return found

    def set_kids(self, element: Any, kids: list[Any]) -> None:
        """`element`'s structure kids replaced by `kids`. Its other kids (marked content, link
        annotations) follow them: the elements rewritten here hold either kind, not both."""
        others = [kid for kid in element["K"] if not (isinstance(kid, bytes) and _is_element(self.objects.get(kid)))]
        element["K"] = pydyf.Array([*(kid.reference for kid in kids), *others])
        for kid in kids:
            kid["P"] = element.reference

    def new(self, tag: str, parent: Any, kids: list[Any]) -> Any:
        element = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{tag}", "K": pydyf.Array(), "P": parent.reference})
        self.pdf.add_object(element)
        self.objects[element.reference] = element
        element.html = None
        self.set_kids(element, kids)
        return element

    def discard(self, element: Any) -> None:
        """An element no longer in the tree: emptied, so that nothing points into the tree from it."""
        element.clear()
        self.objects.pop(element.reference, None)


def _is_element(obj: Any) -> bool:
    return isinstance(obj, dict) and obj.get("Type") == "/StructElem"


def _html(element: Any) -> Any:
    return getattr(element, "html", None)


def _classes(element: Any) -> set[str]:
    html = _html(element)
    return set((html.get("class") or "").split()) if html is not None else set()


def _tag(element: Any) -> str:
    return str(element["S"])[1:]


def restructure(pdf: Any) -> None:
    """The finisher's pass over the print edition's structure tree (see the module's docstring)."""
    tree = Tree(pdf)
    root = tree.objects[pdf.catalog["StructTreeRoot"]]
    [document] = tree.kids(root)
    notes = [note for area in tree.kids(document) for note in _notes(tree, area)]
    text = [kid for kid in tree.kids(document) if not _is_note_area(tree, kid)]
    for area in tree.kids(document):
        if _is_note_area(tree, area):
            tree.discard(area)
    text = _merged(tree, text)
    tree.set_kids(document, [*text, *notes])
    _rewrite(tree, document)


# Structure types of our own, each mapped to the standard type a reader takes it as (PDF/UA-1
# 7.1: a non-standard type is role-mapped). "Sup" is a superscript ("1er", "19e"), which a reader
# of the tree can join to its word rather than read as a word of its own.
ROLES = {"Sup": "/Span"}


def declare_roles(pdf: Any) -> None:
    root = pdf.objects[int(pdf.catalog["StructTreeRoot"].split()[0])]  # by its object number
    root["RoleMap"] = pydyf.Dictionary(ROLES)


def tag_languages(pdf: Any) -> int:
    """/Lang on every structure element whose HTML element (below the root) names a language;
    how many were tagged."""
    tagged = 0
    for element in pdf.objects[1:]:
        html = _html(element) if _is_element(element) else None
        if html is not None and html.tag != "html" and html.get("lang"):
            element["Lang"] = pydyf.String(html.get("lang"))
            tagged += 1
    return tagged


def _is_note_area(tree: Tree, element: Any) -> bool:
    """The footnote area of a page: an element of no HTML element holding the page's notes."""
    return _html(element) is None and any(_tag(kid) == "Note" for kid in tree.kids(element))


def _notes(tree: Tree, area: Any) -> list[Any]:
    return [kid for kid in tree.kids(area) if _tag(kid) == "Note"] if _is_note_area(tree, area) else []


def _merged(tree: Tree, elements: list[Any]) -> list[Any]:
    """`elements` with each run of pieces of one HTML element made one element, recursively
    (the last kid of a piece and the first of the next may be pieces of one element too)."""
    result: list[Any] = []
    for element in elements:
        previous = result[-1] if result else None
        if previous is not None and _html(element) is not None and _html(previous) is _html(element):
            previous["K"] = pydyf.Array([*previous["K"], *element["K"]])
            for kid in tree.kids(element):
                kid["P"] = previous.reference
            tree.discard(element)
            tree.set_kids(previous, _merged(tree, tree.kids(previous)))
        else:
            result.append(element)
    return result


def _rewrite(tree: Tree, element: Any) -> None:
    for kid in tree.kids(element):
        _rewrite(tree, kid)
    html = _html(element)
    if html is not None:
        classes = _classes(element)
        if html.tag == "div" and PARAGRAPH in classes and UNNUMBERED not in classes:
            _list_item(tree, element)
        elif html.tag == "header":
            element["S"] = "/Div"
        heading = HEADINGS.get((html.tag, next(iter(classes & {"citation", "title"}), None)))
        if heading:
            element["S"] = f"/{heading}"
        if _tag(element) == "TH":
            element["A"]["Scope"] = SCOPES.get(html.get("scope", ""), "/Column")
        if _tag(element) == "P":
            _flatten_paragraph(tree, element)
    _group(tree, element, "LI", "L")


def _flatten_paragraph(tree: Tree, paragraph: Any) -> None:
    """A P whose kid is a piece of the same HTML paragraph (WeasyPrint's anonymous block beside
    an absolutely placed box) gives that kid's elements to its parent: never P inside P."""
    kids: list[Any] = []
    for kid in tree.kids(paragraph):
        inner = tree.kids(kid)
        if _tag(kid) == "P" and _html(kid) is _html(paragraph) and len(inner) == len(kid["K"]):
            kids.extend(inner)
            tree.discard(kid)
        else:
            kids.append(kid)
    tree.set_kids(paragraph, kids)


def _list_item(tree: Tree, item: Any) -> None:
    """A numbered paragraph's element as LI › Lbl + LBody."""
    kids = tree.kids(item)
    label = _take_first(tree, kids[:1], lambda e: NUMBER in _classes(e))
    item["S"] = "/LI"
    if label is not None:
        label["S"] = "/Lbl"
    body = tree.new("LBody", item, tree.kids(item))
    _group(tree, body, "LI", "L")  # its sub-paragraphs: a nested list
    tree.set_kids(item, [label, body] if label is not None else [body])


def _take_first(tree: Tree, elements: list[Any], wanted: Callable[[Any], bool]) -> Any:
    """The first element below `elements` that is `wanted`, taken out of its parent."""
    for element in elements:
        for kid in tree.kids(element):
            if wanted(kid):
                tree.set_kids(element, [k for k in tree.kids(element) if k is not kid])
                return kid
        found = _take_first(tree, tree.kids(element), wanted)
        if found is not None:
            return found
    return None


def _group(tree: Tree, element: Any, item: str, group: str) -> None:
    """Consecutive `item` kids of `element` (not already in a `group`) wrapped in one `group`."""
    if _tag(element) == group:
        return
    kids = tree.kids(element)
    if not any(_tag(kid) == item for kid in kids):
        return
    grouped: list[Any] = []
    run: list[Any] = []
    for kid in [*kids, None]:
        if kid is not None and _tag(kid) == item:
            run.append(kid)
            continue
        if run:
            grouped.append(tree.new(group, element, run))
            run = []
        if kid is not None:
            grouped.append(kid)
    tree.set_kids(element, grouped)
