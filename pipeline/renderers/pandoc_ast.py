"""The HTML our templates write for pandoc, as the document pandoc's HTML reader makes of it.

pandoc's HTML reader is a third of a DOCX or EPUB (about 1.3 µs a byte of HTML); its JSON reader
reads the same document in a fifth of the time. The DOCX and EPUB templates write a small
vocabulary of elements; for it, `pandoc_json` gives exactly the document the HTML reader gives
(pandoc 3.9, extensions auto_identifiers, native_divs, native_spans, line_blocks): text split
at spaces, pandoc's merging of neighbouring inlines, spaces moved out of emphasis and links, notes
moved to their calls, tables laid out as its table reader lays them out. tests/test_pandoc_ast.py
compares the two on generated texts in both editions. Anything outside that vocabulary (an
image, a spanning cell, a character whose reading was not checked) gives None, and pandoc reads
the HTML itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import lxml.etree
import lxml.html
import msgspec

Node = dict[str, Any]  # a pandoc element as its JSON: {"t": type, "c": contents}
Attr = list[Any]  # [identifier, [classes], [[key, value], ...]]

SPACE: Node = {"t": "Space"}
SOFT_BREAK: Node = {"t": "SoftBreak"}
LINE_BREAK: Node = {"t": "LineBreak"}
_SPACES = frozenset(" \t\n")
_WORDS = re.compile(r"[ \t\n]+|[^ \t\n]+")
# Characters whose reading was not checked against pandoc: other spaces and controls (pandoc
# splits words at some), C1 controls (it maps them to Windows-1252), a carriage return.
_UNCHECKED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\x85\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]")
# What pandoc escapes in a link target (Text.Pandoc.URI.escapeURI): such a target is left to it.
_ESCAPED_IN_URLS = re.compile(r"[\s<>|\"{}\[\]^`]")
_CELL_ALIGNMENT = re.compile(r"text-align: (left|right|center)")
_INLINE_WRAPPERS = {"em": "Emph", "i": "Emph", "strong": "Strong", "b": "Strong", "sup": "Superscript"}
_INLINE_WRAPPERS |= {"sub": "Subscript"}
_MERGED = frozenset(_INLINE_WRAPPERS.values())  # what pandoc's Builder joins when two are neighbours
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_DIV_CLASSES = {"div": None, "section": "section"}
_KNOWN_ATTRIBUTES = frozenset(
    {"id", "class", "lang", "xml:lang", "href", "title", "role", "aria-label", "aria-labelledby"}
    | {"hreflang", "data-custom-style", "tabindex", "scope"}
)


# Checked on the HTML as written, before libxml2 decodes or repairs it as pandoc's tagsoup does
# not: a character reference other than those markupsafe writes (libxml2 reads "&amp" and "&#x80;"
# otherwise), a tab (pandoc expands tabs by column, in attributes too), a title anywhere.
_REFERENCE = re.compile(r"&(?!(?:amp|lt|gt|quot|#34|#39);)")
_TITLE = re.compile(r"<title\b", re.IGNORECASE)
_START_TAG = re.compile(r"<[A-Za-z][^<>]*>")
_QUOTED = re.compile(r""""[^"]*"|'[^']*'""")
_ATTRIBUTE_NAME = re.compile(r"""\s([^\s"'<>/=]+)(?=\s*=|\s|/?>)""")
LONGEST = 5_000_000  # characters: far below libxml2's limit on a text node (10,000,000)


class Unread(Exception):
    """The HTML holds something this module does not read as pandoc does."""


def pandoc_json(html: str, touch: Callable[[Node], Node] | None = None) -> str | None:
    """`html` as pandoc's JSON document (without its API version: the server adds its own), or
    None when pandoc must read the HTML itself; `touch` changes the document before it is written
    out (a filter's work, done while the tree is Python's)."""
    try:
        document = _Reader().document(html)
    except Unread:
        return None
    if touch is not None:
        document = touch(document)
    return msgspec.json.encode(document).decode("utf-8")  # json.dumps's bytes, in a tenth of the time


class _Reader:
    def __init__(self) -> None:
        self.notes: dict[str, list[Node]] = {}
        self.calls: list[tuple[Node, str]] = []  # each note call's node, and the note's identifier

    def document(self, html: str) -> dict[str, Any]:
        _check_as_written(html)
        parser = lxml.html.HTMLParser()
        try:
            root = lxml.html.document_fromstring(html, parser=parser)
        except (lxml.etree.ParserError, ValueError) as exc:  # empty, or declaring its encoding
            raise Unread(str(exc)) from None
        if len(parser.error_log):  # repaired (mis-nested), cut (too deep), an identifier twice: left to pandoc
            raise Unread(parser.error_log[0].message)
        body, head = root.find("body"), root.find("head")
        if body is None or _meaningful_text(body.text):
            raise Unread("no body")
        meta: dict[str, Any] = {}
        for element in (root, body):  # the body's language wins, as in pandoc
            language = element.get("lang", element.get("xml:lang"))
            if language is not None:
                meta["lang"] = {"t": "MetaInlines", "c": _text(language)}
        if head is not None and any(element.tag != "meta" or element.get("name") for element in head):
            raise Unread("a head pandoc reads metadata from")
        mains = [child for child in body if child.tag == "main"]
        if len(mains) != 1 or len(body) != 1 or body[0].attrib or _meaningful_text(mains[0].tail):
            raise Unread("the body is not one <main>")
        blocks = self.blocks(mains[0])
        for call, identifier in self.calls:
            if identifier not in self.notes:
                raise Unread(f"a call of a note that is not there ({identifier})")
            call["c"] = self.notes[identifier]
        return {"meta": meta, "blocks": blocks}

    # Blocks ------------------------------------------------------------------------------------

    def blocks(self, container: lxml.html.HtmlElement) -> list[Node]:
        if _meaningful_text(container.text):
            raise Unread(f"text directly in <{container.tag}>")
        blocks: list[Node] = []
        for element in container:
            if _meaningful_text(element.tail):
                raise Unread(f"text directly in <{container.tag}>")
            blocks.extend(self.block(element))
        return blocks

    def block(self, element: lxml.html.HtmlElement) -> list[Node]:
        tag = element.tag
        if not isinstance(tag, str):
            raise Unread("a comment or processing instruction")
        if element.get("role") == "doc-endnotes":
            return self.endnotes(element)
        if tag == "p":
            content = _trimmed(self.inlines(element))
            return [{"t": "Para", "c": content}] if content else []
        if tag in _HEADINGS:
            attr = _attr(element)
            if not attr[0]:
                raise Unread("a heading pandoc would give an identifier")
            return [{"t": "Header", "c": [_HEADINGS[tag], attr, _trimmed(self.inlines(element))]}]
        if tag in _DIV_CLASSES:
            return [self.division(element)]
        if tag == "table":
            return [self.table(element)]
        if tag == "blockquote":  # its blocks are paragraphs (loose text is refused): nothing to fix
            return [{"t": "BlockQuote", "c": self.blocks(element)}]
        raise Unread(f"a <{tag}> block")

    def division(self, element: lxml.html.HtmlElement) -> Node:
        identifier, classes, pairs = _attr(element)
        if element.tag == "div" and "line-block" in classes:
            raise Unread("a line block")
        extra = _DIV_CLASSES[element.tag]
        if extra:
            classes = [extra, *classes]
        # (pandoc drops a first heading's identifier when it is the division's: an identifier
        # given twice, which libxml2 reports, and the document is left to pandoc)
        blocks = self.blocks(element)
        return {"t": "Div", "c": [[identifier, classes, pairs], blocks]}

    def endnotes(self, element: lxml.html.HtmlElement) -> list[Node]:
        """A notes section: its list's items become the notes of their calls, and it vanishes."""
        if len(element) != 1 or element[0].tag != "ol" or _meaningful_text(element.text):
            raise Unread("a notes section that is not one list")
        listing = element[0]
        if _meaningful_text(listing.text) or _meaningful_text(listing.tail):
            raise Unread("text in the notes")
        calls = len(self.calls)
        for item in listing:
            if item.tag != "li" or _meaningful_text(item.tail):
                raise Unread("a notes list with more than items")
            # pandoc looks a note up in a list it adds to at the front: the last of an id wins
            self.notes[item.get("id", "")] = self.blocks(item)
        if len(self.calls) != calls:
            raise Unread("a note calling a note (pandoc leaves the inner call unread)")
        return []

    def table(self, element: lxml.html.HtmlElement) -> Node:
        """A table of the templates: a head row of <th> in <thead>, then a <tbody> of <td> rows
        (HTML/Table.hs): columns aligned as the first body row's cells, of default widths unless
        a cell breaks a line (then of equal widths)."""
        parts = self.children(element, ("thead", "tbody"))
        if [part.tag for part in parts] not in (["thead", "tbody"], ["tbody"]) or any(p.attrib for p in parts):
            raise Unread("a table other than the templates' head and body")
        head = [self.row(row, "th") for row in self.children(parts[0], ("tr",))] if len(parts) == 2 else []
        body = [self.row(row, "td") for row in self.children(parts[-1], ("tr",))]
        rows = head + body
        if not body:
            raise Unread("a table without body rows")
        columns = max(len(cells) for _, cells in rows)
        aligned = [cell[1] for cell in body[0][1]] + [{"t": "AlignDefault"}] * columns
        for _, cells in rows:  # pandoc-types' tableWith fills a short row with empty cells
            cells.extend([["", [], []], {"t": "AlignDefault"}, 1, 1, []] for _ in range(columns - len(cells)))
        # pandoc reads a table before it puts the notes in: a line broken in a note does not count
        simple = not any(_breaks_a_line(cell[4]) for _, cells in rows for cell in cells)
        width: Node = {"t": "ColWidthDefault"} if simple else {"t": "ColWidth", "c": 1 / columns}
        nothing: Attr = ["", [], []]
        return {
            "t": "Table",
            "c": [
                _attr(element),
                [None, []],
                [[alignment, width] for alignment in aligned[:columns]],
                [nothing, head],
                [[nothing, 0, [], body]],
                [nothing, []],
            ],
        }

    def row(self, element: lxml.html.HtmlElement, cell_tag: str) -> list[Any]:
        if element.attrib:
            raise Unread("a table row with attributes")
        cells = []
        if not len(element):
            raise Unread("a row without cells (pandoc may read it as a head row)")
        for cell in self.children(element, (cell_tag,)):
            style = cell.get("style")
            alignment = "AlignDefault"
            if style is not None:
                found = _CELL_ALIGNMENT.fullmatch(style)
                if found is None:
                    raise Unread("a cell styled other than aligned")
                alignment = "Align" + found[1].capitalize()
            attr = _attr(cell, without=("style",))
            content = _trimmed(self.inlines(cell))
            cells.append([attr, {"t": alignment}, 1, 1, [{"t": "Plain", "c": content}] if content else []])
        return [["", [], []], cells]

    def children(self, element: lxml.html.HtmlElement, tags: tuple[str, ...]) -> list[lxml.html.HtmlElement]:
        """The child elements of `element`, each one of `tags`, with nothing but spaces between."""
        if _meaningful_text(element.text) or any(_meaningful_text(child.tail) for child in element):
            raise Unread(f"text directly in <{element.tag}>")
        if any(child.tag not in tags for child in element):
            raise Unread(f"an unexpected element in <{element.tag}>")
        return list(element)

    # Inlines -----------------------------------------------------------------------------------

    def inlines(self, element: lxml.html.HtmlElement) -> list[Node]:
        result: list[Node] = []
        if element.text:
            _extend(result, _text(element.text))
        for child in element:
            _extend(result, self.inline(child))
            if child.tail:
                _extend(result, _text(child.tail))
        return result

    def inline(self, element: lxml.html.HtmlElement) -> list[Node]:
        tag = element.tag
        if not isinstance(tag, str):
            raise Unread("a comment or processing instruction")
        if tag == "br":
            if element.attrib or len(element) or element.text:
                raise Unread("a <br> with content")
            return [LINE_BREAK]
        if tag in _INLINE_WRAPPERS:
            if element.attrib:
                raise Unread(f"a <{tag}> with attributes")
            return _spaces_outside(_INLINE_WRAPPERS[tag], self.inlines(element))
        if tag == "span":
            attr = _attr(element)
            if "smallcaps" in attr[1] or element.get("style") is not None:
                raise Unread("a span pandoc may read as small capitals")
            return [{"t": "Span", "c": [attr, self.inlines(element)]}]
        if tag == "a":
            return self.anchor(element)
        raise Unread(f"a <{tag}> inline")

    def anchor(self, element: lxml.html.HtmlElement) -> list[Node]:
        href = element.get("href")
        if href is None or _ESCAPED_IN_URLS.search(href):
            raise Unread("a link without a target, or one pandoc escapes")
        if element.get("role") == "doc-noteref":
            if not href.startswith("#"):
                raise Unread("a note call to another document")
            # Its content is the note's, known once the notes are read (they come after).
            call: Node = {"t": "Note", "c": []}
            self.calls.append((call, href[1:]))
            return [call]
        if element.get("role") is not None:
            raise Unread("a link with a role")
        identifier, classes, pairs = _attr(element)
        pairs = [pair for pair in pairs if pair[0] not in ("title", "href")]
        target = [href, element.get("title", "")]
        return _spaces_outside("Link", self.inlines(element), [identifier, classes, pairs], target)


# Helpers -------------------------------------------------------------------------------------


def _check_as_written(html: str) -> None:
    if len(html) > LONGEST or "\t" in html or _UNCHECKED.search(html) or _REFERENCE.search(html) or _TITLE.search(html):
        raise Unread("a character, reference or title not read here")
    for tag in _START_TAG.finditer(html):
        names = _ATTRIBUTE_NAME.findall(_QUOTED.sub('""', tag.group()))
        if len(names) != len(set(names)) or ("lang" in names and "xml:lang" in names):
            raise Unread("an attribute given twice (libxml2 keeps the first, pandoc the last)")


def _meaningful_text(text: str | None) -> bool:
    return bool(text) and not set(text) <= _SPACES  # type: ignore[arg-type]


def _text(text: str) -> list[Node]:
    """pandoc's reading of a text: words and the spaces between them (a newline: SoftBreak).
    Its characters were checked as written (_check_as_written): the only references allowed
    there decode to & < > " and '."""
    return [
        (SOFT_BREAK if "\n" in token else SPACE) if token[0] in _SPACES else {"t": "Str", "c": token}
        for token in _WORDS.findall(text)
    ]


def _attr(element: lxml.html.HtmlElement, without: tuple[str, ...] = ()) -> Attr:
    """pandoc's identifier, classes and key-value pairs of an element (HTML/Parsing.toAttr),
    leaving out the attributes `without` (read otherwise)."""
    pairs: list[list[str]] = []
    identifier, classes = "", []
    for name, value in element.attrib.items():
        if name in without:
            continue
        if name not in _KNOWN_ATTRIBUTES:
            raise Unread(f"an attribute not checked ({name})")
        if name == "id":
            identifier = value
        elif name == "class":
            classes = value.split()
        else:
            pairs.append([{"xml:lang": "lang", "data-custom-style": "custom-style"}.get(name, name), value])
    return [identifier, classes, pairs]


def _breaks_a_line(blocks: Any) -> bool:
    """Whether a LineBreak is anywhere in `blocks` but in a note (Shared.onlySimpleTableCells, on
    a table whose notes are not yet read)."""
    if isinstance(blocks, dict):
        return blocks.get("t") == "LineBreak" or (blocks.get("t") != "Note" and _breaks_a_line(blocks.get("c")))
    return isinstance(blocks, list) and any(_breaks_a_line(item) for item in blocks)


def _extend(inlines: list[Node], more: list[Node]) -> None:
    """`inlines <> more` as pandoc's Builder joins them, where they meet (each is joined within
    already): neighbouring words become one, spaces one space (a soft break or line break
    wins), and like emphases one emphasis (whose words stay apart)."""
    if inlines and more:
        joined = _meld(inlines[-1], more[0])
        if joined is not None:
            inlines[-1] = joined
            inlines.extend(more[1:])
            return
    inlines.extend(more)


def _meld(left: Node, right: Node) -> Node | None:
    kinds = left["t"], right["t"]
    if kinds == ("Str", "Str"):
        return {"t": "Str", "c": left["c"] + right["c"]}
    if kinds[0] == kinds[1] and kinds[0] in _MERGED:  # their contents are lists: joined as they are
        return {"t": kinds[0], "c": left["c"] + right["c"]}
    breaks = {"Space", "SoftBreak", "LineBreak"}
    if kinds[0] in breaks and kinds[1] in breaks:
        if "LineBreak" in kinds:
            return LINE_BREAK if kinds != ("LineBreak", "LineBreak") else None
        return SOFT_BREAK if "SoftBreak" in kinds else SPACE
    return None


def _trimmed(inlines: list[Node]) -> list[Node]:
    """Builder.trimInlines: without leading and trailing spaces and soft breaks."""
    start, end = 0, len(inlines)
    while start < end and inlines[start]["t"] in ("Space", "SoftBreak"):
        start += 1
    while end > start and inlines[end - 1]["t"] in ("Space", "SoftBreak"):
        end -= 1
    return inlines[start:end]


def _spaces_outside(kind: str, content: list[Node], before: Any = None, after: Any = None) -> list[Node]:
    """The HTML reader's extractSpaces: a space that opens or closes the content goes outside.
    `before` and `after` are the element's other contents (a link's attributes, its target)."""
    left = [content[0]] if content and content[0]["t"] in ("Space", "SoftBreak") else []
    right = [content[-1]] if content and content[-1]["t"] in ("Space", "SoftBreak") else []
    inner: Any = _trimmed(content)
    if before is not None:
        inner = [before, inner, after]
    return [*left, {"t": kind, "c": inner}, *right]
