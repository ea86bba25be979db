"""One inline run of markdown-it's syntax tree -> model inlines, one method per node type.

Straight quotes the parser's smart quotes leave alone are set here from their context: the
parser only pairs marks within one paragraph and one level of emphasis, so a quotation that
opens in a lead-in and closes in a lettered item, or a mark just inside `*…*`, stays straight.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import msgspec
from markdown_it.tree import SyntaxTreeNode

from .errors import Problems
from .model import TITLE_NOTE_NUMBER, Emphasis, Inline, LineBreak, Link, NoteCall, Strong, Text
from .typography import STRAIGHT_QUOTE, unpaired_mark

UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")
LINK_TAIL = re.compile(r"[^\[\]]*\]\(")  # what follows a call that stands inside a link's text

Recognise = Callable[[str], list[Inline]]


class InlineBuilder(msgspec.Struct):
    """Builds the model of one inline run; `line` follows the run's soft and hard breaks."""

    problems: Problems
    line: int
    marks: str  # the language's marks: opening and closing double, opening and closing single
    recognise: Recognise  # plain text -> text and recognised references
    previous: str = ""  # the last character seen, for the quotes the parser left straight
    # False in a note: a call there would be a note of a note, which no edition can place alike
    # (DOCX and EPUB have no notes in notes, PDF and HTML would number it differently).
    calls_allowed: bool = True
    lost: list[str] = msgspec.field(default_factory=list)

    def build(self, run: SyntaxTreeNode) -> tuple[Inline, ...]:
        return tuple(self._recognised(self._children(run)))

    def _children(self, node: SyntaxTreeNode) -> list[Inline]:
        content: list[Inline] = []
        for child in node.children:
            content.extend(self._visit(child))
        return content

    def _visit(self, node: SyntaxTreeNode) -> list[Inline]:
        visit = getattr(self, f"visit_{node.type}", None)
        if visit is None:  # a node type this reader does not know: keep its words, never lose them
            return self._children(node) if node.children else [self._text(node.content)]
        result: list[Inline] = visit(node)
        return result

    def visit_text(self, node: SyntaxTreeNode) -> list[Inline]:
        self._check_calls(node.content)
        return [self._text(node.content)]

    def visit_code_inline(self, node: SyntaxTreeNode) -> list[Inline]:
        self._check_calls(node.content)
        self.previous = node.content[-1:] or self.previous
        return [Text(node.content)]

    def visit_softbreak(self, node: SyntaxTreeNode) -> list[Inline]:
        self.line += 1
        return [self._text(" ")]

    def visit_hardbreak(self, node: SyntaxTreeNode) -> list[Inline]:
        self.line += 1
        self.previous = "\n"
        return [LineBreak()]

    def visit_footnote_ref(self, node: SyntaxTreeNode) -> list[Inline]:
        if not self.calls_allowed:
            self.problems.error(
                self.line,
                f"footnote [^{node.meta['label']}] is called inside another footnote",
                "a note cannot have a note: write its text into this note, or call it from the paragraph",
            )
            return []
        following = node.next_sibling
        if following is not None and following.type == "text" and LINK_TAIL.match(following.content):
            # "[the text[^n]](url)": the call breaks the link, whose brackets and URL would print as text
            self.problems.error(
                self.line,
                f"footnote [^{node.meta['label']}] is called inside a link's text",
                "put the call after the link: [the text](address)[^n]",
            )
        if node.meta.get("subId", 0) > 0:  # one note, one call: an id may not appear twice
            self.problems.error(
                self.line,
                f"footnote [^{node.meta['label']}] is called twice",
                "give the second call a note of its own",
            )
        return [NoteCall(node.meta["id"] + TITLE_NOTE_NUMBER + 1)]

    def visit_em(self, node: SyntaxTreeNode) -> list[Inline]:
        return [Emphasis(tuple(self._recognised(self._children(node))))]

    def visit_strong(self, node: SyntaxTreeNode) -> list[Inline]:
        return [Strong(tuple(self._recognised(self._children(node))))]

    def visit_link(self, node: SyntaxTreeNode) -> list[Inline]:
        href = self._href(str(node.attrs.get("href", "")))
        content = _merge(self._children(node))
        if not href:  # "[Recommendation 1370](#)": a link to nowhere is plain, recognisable text
            return content
        return [Link(tuple(content), href)]

    def visit_image(self, node: SyntaxTreeNode) -> list[Inline]:
        self.problems.error(
            self.line,
            "images are not allowed in adopted texts",
            "describe the figure in words or attach it separately",
        )
        return []

    def _text(self, text: str) -> Text:
        if STRAIGHT_QUOTE.search(text):
            text = STRAIGHT_QUOTE.sub(lambda match: unpaired_mark(match, self.previous, self.marks), text)
        self.previous = text[-1:] or self.previous
        return Text(text)

    def _href(self, href: str) -> str:
        if href in ("", "#"):
            return ""
        if not href.startswith("https://"):
            self.problems.error(
                self.line, f"link target {href!r} is not allowed", "only https:// links may appear in an adopted text"
            )
            return ""
        return href

    def _check_calls(self, text: str) -> None:
        for match in UNDEFINED_CALL.finditer(text):
            self.problems.error(
                self.line,
                f"footnote call [^{match.group(1)}] has no footnote text",
                f"add a line '[^{match.group(1)}]: …' after the text",
            )

    def _recognised(self, content: list[Inline]) -> list[Inline]:
        result: list[Inline] = []
        for item in _merge(content):
            result.extend(self.recognise(item.text) if isinstance(item, Text) else [item])
        return result


def _merge(content: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in content:
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
        else:
            merged.append(item)
    return merged
