"""The structure tree of a tagged PDF, as assistive technology reads it: each element with its
tag and the text of its marked content (decoded by pdfminer through the fonts' ToUnicode maps)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pikepdf
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage


@dataclass
class Element:
    tag: str  # "P", "LI", ... without the slash
    kids: list[Element | str] = field(default_factory=list)  # elements and texts, in order
    attributes: dict[str, str] = field(default_factory=dict)  # /A entries (Scope, ...)
    lang: str | None = None

    def walk(self) -> Iterator[tuple[Element, tuple[Element, ...]]]:
        """Every element below and including this one, with its ancestors (nearest last)."""
        yield from self._walk(())

    def _walk(self, ancestors: tuple[Element, ...]) -> Iterator[tuple[Element, tuple[Element, ...]]]:
        yield self, ancestors
        for kid in self.kids:
            if isinstance(kid, Element):
                yield from kid._walk((*ancestors, self))

    @property
    def elements(self) -> list[Element]:
        return [kid for kid in self.kids if isinstance(kid, Element)]

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        """The text of the marked content below, marked contents joined by a space (a soft
        hyphen at the end of one joins its word to the next without it)."""
        pieces: list[str] = []
        for kid in self.kids:
            if isinstance(kid, str):
                pieces.append(kid)
            elif kid.tag == "Sup" and pieces:  # a superscript continues its word ("1" + "er")
                pieces[-1] += kid.text(skip)
            elif kid.tag not in skip:
                pieces.append(kid.text(skip))
        joined = ""
        for piece in pieces:
            if joined.endswith("\u00ad"):
                joined = joined[:-1] + piece.lstrip()
            else:
                joined = f"{joined} {piece}" if joined else piece
        return joined


class _MarkedText(PDFDevice):
    """Collects the text drawn inside each marked-content sequence with an MCID, per page."""

    def __init__(self, resources: PDFResourceManager) -> None:
        super().__init__(resources)
        self.page = -1
        self.texts: dict[tuple[int, int], str] = {}
        self._stack: list[int | None] = []

    def begin_page(self, page: Any, ctm: Any) -> None:
        self.page += 1

    def begin_tag(self, tag: Any, props: Any = None) -> None:
        mcid = props.get("MCID") if isinstance(props, dict) else None
        self._stack.append(mcid if isinstance(mcid, int) else (self._stack[-1] if self._stack else None))

    def end_tag(self) -> None:
        if self._stack:
            self._stack.pop()

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        mcid = self._stack[-1] if self._stack else None
        if mcid is None:
            return
        font = textstate.font
        text = ""
        for item in seq:
            if isinstance(item, bytes):
                for cid in font.decode(item):
                    try:
                        text += font.to_unichr(cid)
                    except Exception:  # a glyph without Unicode: nothing a reader hears
                        continue
        key = (self.page, mcid)
        self.texts[key] = self.texts.get(key, "") + text


def marked_texts(data: bytes) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text drawn in that marked content."""
    resources = PDFResourceManager()
    device = _MarkedText(resources)
    interpreter = PDFPageInterpreter(resources, device)
    for page in PDFPage.get_pages(io.BytesIO(data)):
        interpreter.process_page(page)
    return device.texts


def structure_tree(data: bytes) -> Element:
    """The document's structure tree, its marked content resolved to text."""
    texts = marked_texts(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        root = pdf.Root.StructTreeRoot
        tree = Element("StructTreeRoot")
        for kid in _array(root.get("/K")):
            tree.kids.append(_element(kid, None, pages, texts))
        return tree


def _array(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


def _element(obj: Any, page: int | None, pages: dict[Any, int], texts: dict[tuple[int, int], str]) -> Element:
    if "/Pg" in obj:
        page = pages.get(obj.Pg.objgen, page)
    attributes = {str(k)[1:]: str(v) for k, v in obj.get("/A", {}).items()} if "/A" in obj else {}
    element = Element(str(obj.S)[1:], attributes=attributes, lang=str(obj.Lang) if "/Lang" in obj else None)
    for kid in _array(obj.get("/K")):
        if isinstance(kid, int):
            element.kids.append(texts.get((page if page is not None else -1, kid), ""))
        elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
            kid_page = pages.get(kid.Pg.objgen, page) if "/Pg" in kid else page
            element.kids.append(texts.get((kid_page if kid_page is not None else -1, int(kid.MCID)), ""))
        elif isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            element.kids.append(_element(kid, page, pages, texts))
    return element
