"""Markdown body -> sections of numbered paragraphs, quotes, tables and footnotes.

markdown-it-py is the parser: it is pure Python, fast, CommonMark-exact, and keeps the source
line of every block, which is what lets every problem be reported as file:line.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from .config import LinkPatterns
from .errors import Problems
from .i18n import base_language
from .model import (
    TITLE_NOTE_NUMBER,
    Emphasis,
    Footnote,
    Inline,
    LineBreak,
    Link,
    NoteCall,
    Quote,
    Section,
    Strong,
    Table,
    Text,
)
from .numbering import ParagraphTree
from .references import link_references
from .safety import MAX_NUMBER_DEPTH, MAX_PARAGRAPHS
from .typography import spacing_for

PARAGRAPH_NUMBER = re.compile(r"^(?P<number>(?:\d{1,3}\.)+|[a-z]\.)(?:[ \u00a0]+|$)")
GLUED_NUMBER = re.compile(r"^(?:\d{1,3}\.)+(?=[^\W\d_])")
UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")
HEADING_SLUG = re.compile(r"[^a-z0-9]+")
# Ids the templates use themselves: an appendix heading must not take one.
RESERVED_IDS = frozenset({"main", "text", "title", "notes", "notes-heading", "footnotes", "toc"})


@functools.lru_cache(maxsize=16)  # a parser per language; sources cannot make it grow
def markdown(language: str) -> MarkdownIt:
    """The parser for sources in `language`: its smart quotes are that language's marks.

    Smart quotes work across emphasis and links ("*x*" gets the right closing mark), which a
    pass over each piece of text could not. No other typographer replacement is on.
    """
    options = {"html": False, "typographer": True, "quotes": QUOTES.get(base_language(language), QUOTES["en"])}
    parser = MarkdownIt("commonmark", options).use(footnote_plugin)
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link: InlineBuilder refuses all but https
    # Lists are off: "1." must stay the literal official number, never a renumbered list item.
    # Reference definitions ("[r]: …" lines) are off too: they would vanish from the text.
    return parser.disable(["list", "html_block", "html_inline", "reference"]).enable(["table", "smartquotes"])


# Double then single marks; the closing single mark is also the apostrophe.
QUOTES = {"en": "“”‘’", "fr": "«»‘’"}


@dataclass
class BodyParser:
    """Turns one source's body into model blocks, collecting problems as it goes."""

    problems: Problems
    links: LinkPatterns
    language: str
    offset: int  # lines of front matter before the body
    footnotes: dict[int, Footnote] = field(default_factory=dict)
    cited: dict[tuple[str, str], int] = field(default_factory=dict)  # (type, number) -> year
    paragraphs: int = 0

    def parse(self, body: str) -> tuple[tuple[Section, ...], tuple[Footnote, ...]]:
        env: dict[str, Any] = {}
        tokens = markdown(self.language).parse(body, env)
        sections: list[Section] = []
        heading: tuple[Inline, ...] | None = None
        section_id = ""
        tree = ParagraphTree(self.problems, prefix="")
        used_ids: set[str] = set(RESERVED_IDS)
        index = 0
        while index < len(tokens):
            token = tokens[index]
            line = self.offset + (token.map[0] + 1 if token.map else 0)
            if token.type == "heading_open" and token.markup in ("-", "="):
                self.problems.error(
                    line + 1,
                    "a line of '-' or '=' under a paragraph turns it into a heading",
                    "delete that line; start an appendix with '## '",
                )
                index += 3
            elif token.type == "heading_open":
                if token.tag != "h2":
                    self.problems.error(
                        line,
                        f"heading level {token.tag[1]} is not used in adopted texts",
                        "start an appendix with '## ' ; the title belongs in the front matter",
                    )
                sections.append(Section(heading, section_id, tree.blocks()))
                heading = self.inline(tokens[index + 1], line)
                section_id = _unique(_slug(heading) or "section", used_ids)
                tree = ParagraphTree(self.problems, prefix=f"{section_id}-")
                index += 3
            elif token.type == "paragraph_open":
                self.paragraphs += 1
                if self.paragraphs > MAX_PARAGRAPHS:
                    self.problems.error(
                        line,
                        f"the text has more than {MAX_PARAGRAPHS} paragraphs",
                        "split it: no adopted text is this long",
                    )
                    break
                self._paragraph(tokens[index + 1], line, tree)
                index += 3
            elif token.type == "blockquote_open":
                end = _closing(tokens, index)
                self._only_paragraphs(tokens[index + 1 : end], line, "a quotation")
                paragraphs = tuple(self.inline(t, line) for t in tokens[index:end] if t.type == "inline")
                tree.attach(Quote(tree.next_id("quote"), paragraphs, line))
                index = end + 1
            elif token.type == "table_open":
                end = _closing(tokens, index)
                self._check_row_widths(body, token, line)
                tree.attach(self._table(tokens[index:end], line, tree.next_id("table")))
                index = end + 1
            elif token.type == "footnote_block_open":
                index = self._footnotes(tokens, index + 1)
            else:
                self.problems.error(
                    line,
                    f"'{token.type.removesuffix('_open')}' is not allowed in an adopted text",
                    "use numbered paragraphs, quotes ('> ') and tables only",
                )
                index = _closing(tokens, index) + 1 if token.nesting == 1 else index + 1
        sections.append(Section(heading, section_id, tree.blocks()))
        self._check_unused_definitions(body, env)
        return tuple(s for s in sections if s.blocks or s.heading), tuple(
            sorted(self.footnotes.values(), key=lambda f: f.number)
        )

    def _only_paragraphs(self, tokens: list[Token], line: int, where: str) -> None:
        """Quotations and footnotes hold paragraphs of text: anything else would be lost."""
        allowed = {
            "paragraph_open",
            "paragraph_close",
            "inline",
            "blockquote_open",
            "blockquote_close",
            "footnote_anchor",
        }
        for token in tokens:
            if token.type not in allowed:
                at = self.offset + (token.map[0] + 1 if token.map else 0) or line
                self.problems.error(
                    at, f"'{token.type.removesuffix('_open')}' is not allowed in {where}", "write plain paragraphs"
                )
                return

    def _paragraph(self, token: Token, line: int, tree: ParagraphTree) -> None:
        source = token.content
        match = PARAGRAPH_NUMBER.match(source)
        if GLUED_NUMBER.match(source):
            self.problems.error(line, "the paragraph number is glued to its text", "put a space after the number")
        content = self.inline(token, line)
        number = match.group("number") if match else None
        if number and number.count(".") > MAX_NUMBER_DEPTH:
            self.problems.error(
                line,
                f"paragraph {number} nests {number.count('.')} levels deep",
                f"at most {MAX_NUMBER_DEPTH} levels are allowed",
            )
            number = None
        if number:
            content = _drop_prefix(content, len(match.group(0)) if match else 0)
        if not _visible(content):
            self.problems.error(
                line, f"paragraph {number or ''} is empty".replace("  ", " "), "write its text or remove it"
            )
        for offset, text_line in enumerate(source.split("\n")[1:], start=1):
            if PARAGRAPH_NUMBER.match(text_line):
                self.problems.error(
                    line + offset,
                    "a numbered paragraph starts on a continuation line",
                    "separate paragraphs with a blank line",
                )
        tree.add(number, content, line)

    def _check_row_widths(self, body: str, table: Token, line: int) -> None:
        """markdown-it drops the cells a row has beyond its header: refuse such rows instead."""
        if not table.map:
            return
        rows = body.split("\n")[table.map[0] : table.map[1]]
        width = len(_cells(rows[0]))
        for offset, row in enumerate(rows[2:], start=2):
            if len(_cells(row)) > width:
                self.problems.error(
                    line + offset,
                    f"this table row has {len(_cells(row))} cells, the header has {width}",
                    "add a header cell or merge the extra cells",
                )

    def _table(self, tokens: list[Token], line: int, table_id: str) -> Table:
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        header: tuple[tuple[Inline, ...], ...] = ()
        cells: list[tuple[Inline, ...]] = []
        for token in tokens:
            if token.type == "inline":
                cells.append(self.inline(token, line))
            elif token.type == "tr_close":
                if not header and not rows and any(t.type == "thead_open" for t in tokens):
                    header = tuple(cells)
                else:
                    rows.append(tuple(cells))
                cells = []
        return Table(table_id, header, tuple(rows), line)

    def _footnotes(self, tokens: list[Token], index: int) -> int:
        while tokens[index].type != "footnote_block_close":
            token = tokens[index]
            if token.type == "footnote_open":
                end = _closing(tokens, index)
                inlines = [t for t in tokens[index:end] if t.type == "inline"]
                line = self.offset + (inlines[0].map[0] + 1 if inlines and inlines[0].map else 0)
                self._only_paragraphs(tokens[index + 1 : end], line, "a footnote")
                if len(inlines) != 1:
                    self.problems.error(line, f"footnote [^{token.meta['label']}] must be one paragraph")
                number = token.meta["id"] + TITLE_NOTE_NUMBER + 1
                content = tuple(c for t in inlines for c in self.inline(t, line))
                self.footnotes[number] = Footnote(number, content)
                index = end
            index += 1
        return index + 1

    def _check_unused_definitions(self, body: str, env: dict[str, Any]) -> None:
        for label, ref_id in env.get("footnotes", {}).get("refs", {}).items():
            if ref_id == -1:
                name = label.removeprefix(":")
                match = re.search(rf"^\[\^{re.escape(name)}\]:", body, re.MULTILINE)
                line = self.offset + 1 + (body[: match.start()].count("\n") if match else 0)
                self.problems.error(
                    line,
                    f"footnote [^{name}] is never called",
                    f"add [^{name}] where the note applies, or delete the note",
                )

    def inline(self, token: Token, line: int) -> tuple[Inline, ...]:
        """The model of one inline run, with references recognised in its plain text."""
        return InlineBuilder(self, line).build(token.children or [])

    def linked(self, text: str) -> list[Inline]:
        return list(link_references(spacing_for(self.language)(text), self.language, self.links, self.cited))


@dataclass
class InlineBuilder:
    parser: BodyParser
    line: int

    def build(self, tokens: list[Token]) -> tuple[Inline, ...]:
        stack: list[tuple[str, str, list[Inline]]] = [("root", "", [])]
        for token in tokens:
            children = stack[-1][2]
            if token.type == "text" or token.type == "code_inline":
                self._check_calls(token.content)
                children.append(Text(token.content))
            elif token.type == "softbreak":
                self.line += 1
                children.append(Text(" "))
            elif token.type == "hardbreak":
                self.line += 1
                children.append(LineBreak())
            elif token.type == "footnote_ref":
                if token.meta.get("subId", 0) > 0:  # one note, one call: an id may not appear twice
                    self.parser.problems.error(
                        self.line,
                        f"footnote [^{token.meta['label']}] is called twice",
                        "give the second call a note of its own",
                    )
                children.append(NoteCall(token.meta["id"] + TITLE_NOTE_NUMBER + 1))
            elif token.type in ("em_open", "strong_open"):
                stack.append((token.type, "", []))
            elif token.type == "link_open":
                stack.append(("link", self._href(token), []))
            elif token.type in ("em_close", "strong_close", "link_close"):
                kind, href, content = stack.pop()
                stack[-1][2].extend(self._close(kind, href, content))
            elif token.type == "image":
                self.parser.problems.error(
                    self.line,
                    "images are not allowed in adopted texts",
                    "describe the figure in words or attach it separately",
                )
            else:
                children.append(Text(token.content))
        return tuple(self._recognise(stack[0][2]))

    def _close(self, kind: str, href: str, content: list[Inline]) -> list[Inline]:
        content = self._recognise(content) if kind != "link" else _merge(content)
        if kind == "em_open":
            return [Emphasis(tuple(content))]
        if kind == "strong_open":
            return [Strong(tuple(content))]
        if not href:  # "[Recommendation 1370](#)": a link to nowhere is plain, recognisable text
            return content
        return [Link(tuple(content), href)]

    def _href(self, token: Token) -> str:
        href = str(token.attrs.get("href", ""))
        if href in ("", "#"):
            return ""
        if not href.startswith("https://"):
            self.parser.problems.error(
                self.line, f"link target {href!r} is not allowed", "only https:// links may appear in an adopted text"
            )
            return ""
        return href

    def _check_calls(self, text: str) -> None:
        for match in UNDEFINED_CALL.finditer(text):
            self.parser.problems.error(
                self.line,
                f"footnote call [^{match.group(1)}] has no footnote text",
                f"add a line '[^{match.group(1)}]: …' after the text",
            )

    def _recognise(self, content: list[Inline]) -> list[Inline]:
        result: list[Inline] = []
        for item in _merge(content):
            result.extend(self.parser.linked(item.text) if isinstance(item, Text) else [item])
        return result


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row ("\\|" is a literal bar, not a separator)."""
    inner = row.strip().removeprefix("|").removesuffix("|")
    return re.split(r"(?<!\\)\|", inner)


def _merge(content: list[Inline]) -> list[Inline]:
    merged: list[Inline] = []
    for item in content:
        if isinstance(item, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + item.text)
        else:
            merged.append(item)
    return merged


def _drop_prefix(content: tuple[Inline, ...], length: int) -> tuple[Inline, ...]:
    first = content[0]
    if isinstance(first, Text) and len(first.text) >= length:
        rest = first.text[length:]
        return ((Text(rest),) if rest else ()) + content[1:]
    return content


def _visible(content: tuple[Inline, ...]) -> bool:
    return any(not isinstance(item, Text) or item.text.strip() for item in content)


def _closing(tokens: list[Token], index: int) -> int:
    depth = 0
    for position in range(index, len(tokens)):
        depth += tokens[position].nesting
        if depth == 0:
            return position
    return len(tokens) - 1


def _slug(heading: tuple[Inline, ...]) -> str:
    text = "".join(i.text for i in heading if isinstance(i, Text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return HEADING_SLUG.sub("-", ascii_text).strip("-")


def _unique(slug: str, used: set[str]) -> str:
    candidate, counter = slug, 2
    while candidate in used:
        candidate, counter = f"{slug}-{counter}", counter + 1
    used.add(candidate)
    return candidate
