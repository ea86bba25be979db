"""Markdown body -> sections of numbered paragraphs, quotes, tables and footnotes.

markdown-it-py is the parser: it is pure Python, fast, CommonMark-exact, and keeps the source
line of every block, which is what lets every problem be reported as file:line. The reader
walks its syntax tree (`SyntaxTreeNode`) with one `visit_<type>` method per block type; a type
without a method is refused with its line, so nothing of a source can pass unread.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.footnote import footnote_plugin

from .config import LinkPatterns
from .errors import Problems
from .inlines import InlineBuilder
from .languages import quotation_marks
from .model import TITLE_NOTE_NUMBER, Footnote, Inline, Quote, Section, Table, Text
from .numbering import ParagraphTree
from .references import link_references
from .safety import MAX_NUMBER_DEPTH, MAX_PARAGRAPHS
from .typography import spacing_for

PARAGRAPH_NUMBER = re.compile(r"^(?P<number>(?:\d{1,3}\.)+|[a-z]\.)(?:[ \u00a0]+|$)")
GLUED_NUMBER = re.compile(r"^(?:\d{1,3}\.)+(?=[^\W\d_])")
HEADING_SLUG = re.compile(r"[^a-z0-9]+")
ALIGNMENT = re.compile(r"text-align:\s*(left|center|right)")
# A space between digit groups ("3 200 000"): in a table cell it must never break the number.
DIGIT_GROUP_SPACE = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")
NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:", re.MULTILINE)  # "[^label]:" opening a line
# Ids the templates use themselves: an appendix heading must not take one.
RESERVED_IDS = frozenset({"main", "text", "title", "title-block", "notes", "notes-heading", "footnotes", "toc"})
# Every id generated for a block or a note ends in one of these tails: "p-6-1", "quote-2",
# "fn-3" in the main text, "<section>-p-1", "<section>-para-2" and the heading's
# "<section>-heading" in an appendix. A section id never ends so (see _section_id), which keeps
# the two namespaces apart whatever the headings say.
GENERATED_TAIL = re.compile(r"(?:^|-)(?:p(?:-(?:\d+|[a-z]))+|(?:para|quote|table|fn|fnref)-\d+)$|-heading$")
# The AKN edition's own eIds, which share one document with the section ids.
AKN_IDS = re.compile(
    r"^(?:(?:debate|committee|rapporteur|debate-event)-\d+|adoption|adoption-event|pace|standing-committee"
    r"|version-[a-z]{2,3}(?:-[a-z]{4})?(?:-(?:[a-z]{2}|\d{3}))?)$"
)
SECTION_SUFFIX = "-section"  # what a slug that looks generated is given: "## P 1" is "p-1-section"


@functools.lru_cache(maxsize=16)  # a parser per language; sources cannot make it grow
def markdown(language: str) -> MarkdownIt:
    """The parser for sources in `language`: its smart quotes are that language's marks.

    Smart quotes work across emphasis and links ("*x*" gets the right closing mark), which a
    pass over each piece of text could not. No other typographer replacement is on.
    """
    options = {"html": False, "typographer": True, "quotes": quotation_marks(language)}
    parser = MarkdownIt("commonmark", options).use(footnote_plugin)
    parser.validateLink = lambda url: True  # type: ignore[method-assign]  # see every link: InlineBuilder refuses all but https
    # Lists are off: "1." must stay the literal official number, never a renumbered list item.
    # Reference definitions ("[r]: …" lines) are off too: they would vanish from the text.
    return parser.disable(["list", "html_block", "html_inline", "reference"]).enable(["table", "smartquotes"])


class TooLong(Exception):
    """More paragraphs than any adopted text has: reading stops (the error is reported)."""


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
    sections: list[Section] = field(default_factory=list)
    heading: tuple[Inline, ...] | None = None
    section_id: str = ""
    tree: ParagraphTree = field(init=False)
    used_ids: set[str] = field(default_factory=lambda: set(RESERVED_IDS))
    body: str = ""
    lines: list[str] = field(default_factory=list)  # the body's lines, split once for every table

    def __post_init__(self) -> None:
        self.tree = ParagraphTree(self.problems, prefix="")

    def parse(self, body: str) -> tuple[tuple[Section, ...], tuple[Footnote, ...]]:
        env: dict[str, Any] = {}
        self.body = body
        self.lines = body.split("\n")
        root = SyntaxTreeNode(markdown(self.language).parse(body, env))
        try:
            for node in root.children:
                self.visit(node)
        except TooLong:
            pass
        self.sections.append(Section(self.heading, self.section_id, self.tree.blocks()))
        self._check_unused_definitions(body, env)
        self._check_definitions_given_once(body)
        return tuple(s for s in self.sections if s.blocks or s.heading), tuple(
            sorted(self.footnotes.values(), key=lambda f: f.number)
        )

    def visit(self, node: SyntaxTreeNode) -> None:
        getattr(self, f"visit_{node.type}", self.visit_refused)(node)

    def visit_refused(self, node: SyntaxTreeNode) -> None:
        self.problems.error(
            self.line_of(node),
            f"'{node.type}' is not allowed in an adopted text",
            "use numbered paragraphs, quotes ('> ') and tables only",
        )

    def visit_heading(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        if node.markup in ("-", "="):
            self.problems.error(
                line + 1,
                "a line of '-' or '=' under a paragraph turns it into a heading",
                "delete that line; start an appendix with '## '",
            )
            return
        if node.tag != "h2":
            self.problems.error(
                line,
                f"heading level {node.tag[1]} is not used in adopted texts",
                "start an appendix with '## ' ; the title belongs in the front matter",
            )
        heading = self.inline_node(node.children[0], line)
        if not _visible(heading):  # it would open an appendix no reader could name
            self.problems.error(line, "this appendix heading is empty", "write the appendix's title after '## '")
        self.sections.append(Section(self.heading, self.section_id, self.tree.blocks()))
        self.heading = heading
        self.section_id = _section_id(_slug(self.heading), self.used_ids)
        self.tree = ParagraphTree(self.problems, prefix=f"{self.section_id}-")

    def visit_paragraph(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        self.paragraphs += 1
        if self.paragraphs > MAX_PARAGRAPHS:
            self.problems.error(
                line, f"the text has more than {MAX_PARAGRAPHS} paragraphs", "split it: no adopted text is this long"
            )
            raise TooLong
        run = node.children[0]
        source = run.content
        match = PARAGRAPH_NUMBER.match(source)
        if GLUED_NUMBER.match(source):
            self.problems.error(line, "the paragraph number is glued to its text", "put a space after the number")
        content = self.inline_node(run, line)
        number = match.group("number") if match else None
        if number and number.count(".") > MAX_NUMBER_DEPTH:
            self.problems.error(
                line,
                f"paragraph {number} nests {number.count('.')} levels deep",
                f"at most {MAX_NUMBER_DEPTH} levels are allowed",
            )
            number = None
        if number and match:
            content = _drop_prefix(content, len(match.group(0)))
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
        self.tree.add(number, content, line)

    def visit_blockquote(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        paragraphs = tuple(self.inline_node(run, line) for run in self._plain_paragraphs(node, line, "a quotation"))
        self.tree.attach(Quote(self.tree.next_id("quote"), paragraphs, line))

    def visit_table(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        self._check_row_widths(node, line)
        header: tuple[tuple[Inline, ...], ...] = ()
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        alignments: tuple[str, ...] = ()
        for part in node.children:  # thead, tbody
            for row in part.children:
                cells = tuple(self._cell(cell, line) for cell in row.children)
                alignments = alignments or tuple(_alignment(cell) for cell in row.children)
                if part.type == "thead":
                    header = cells
                else:
                    rows.append(cells)
        self.tree.attach(Table(self.tree.next_id("table"), header, tuple(rows), line, alignments))

    def visit_footnote_block(self, node: SyntaxTreeNode) -> None:
        for note in node.children:
            # The note's own node has no map: its line is its first mapped block's (a quote too).
            first = next((child for child in note.children if child.map), None)
            line = self.line_of(first) if first else self.offset
            kept = self._plain_paragraphs(note, line, "a footnote")
            if len(kept) != 1:
                self.problems.error(line, f"footnote [^{note.meta['label']}] must be one paragraph")
            number = note.meta["id"] + TITLE_NOTE_NUMBER + 1
            content = tuple(item for run in kept for item in self.inline_node(run, line, calls_allowed=False))
            self.footnotes[number] = Footnote(number, content, line)

    def _plain_paragraphs(self, node: SyntaxTreeNode, line: int, where: str) -> list[SyntaxTreeNode]:
        """The inline runs of the paragraphs in a quotation or a note (quotes nested in a quote
        are read as its paragraphs); anything else would be lost, so it is an error."""
        runs: list[SyntaxTreeNode] = []
        for child in node.children:
            if child.type == "paragraph":
                runs.extend(_runs(child))
            elif child.type == "blockquote":
                runs.extend(self._plain_paragraphs(child, line, where))
            elif child.type != "footnote_anchor":
                at = self.line_of(child) if child.map else line
                self.problems.error(at, f"'{child.type}' is not allowed in {where}", "write plain paragraphs")
                break
        return runs

    def _cell(self, cell: SyntaxTreeNode, line: int) -> tuple[Inline, ...]:
        content = self.inline_node(cell.children[0], line) if cell.children else ()
        return tuple(_unbreakable_numbers(item) for item in content)

    def _check_row_widths(self, table: SyntaxTreeNode, line: int) -> None:
        """markdown-it drops the cells a row has beyond its header: refuse such rows instead."""
        if not table.map:
            return
        rows = self.lines[table.map[0] : table.map[1]]  # the table's own lines, not a split per table
        width = len(_cells(rows[0]))
        for offset, row in enumerate(rows[2:], start=2):
            if len(_cells(row)) > width:
                self.problems.error(
                    line + offset,
                    f"this table row has {len(_cells(row))} cells, the header has {width}",
                    "add a header cell or merge the extra cells",
                )

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

    def _check_definitions_given_once(self, body: str) -> None:
        """markdown-it keeps the last of two definitions of one note: the first one's words
        would be lost from every edition without a word."""
        first_at: dict[str, int] = {}
        for match in NOTE_DEFINITION.finditer(body):
            line = self.offset + 1 + body.count("\n", 0, match.start())
            label = match[1]
            if label in first_at:
                self.problems.error(
                    line,
                    f"footnote [^{label}] is defined twice (first at line {first_at[label]})",
                    "keep one definition, or give this note a label of its own and call it",
                )
            else:
                first_at[label] = line

    def line_of(self, node: SyntaxTreeNode) -> int:
        return self.offset + (node.map[0] + 1 if node.map else 0)

    def inline(self, token: Token, line: int) -> tuple[Inline, ...]:
        """The model of one inline token (as `parseInline` gives), references recognised."""
        return self.inline_node(SyntaxTreeNode([token]).children[0], line)

    def inline_node(self, run: SyntaxTreeNode, line: int, calls_allowed: bool = True) -> tuple[Inline, ...]:
        """The model of one inline run of the tree, with references recognised in its text."""
        marks = quotation_marks(self.language)
        builder = InlineBuilder(self.problems, line, marks, self.linked, calls_allowed=calls_allowed)
        return builder.build(run)

    def linked(self, text: str) -> list[Inline]:
        return list(link_references(spacing_for(self.language)(text), self.language, self.links, self.cited))


def _runs(paragraph: SyntaxTreeNode) -> list[SyntaxTreeNode]:
    """A paragraph's inline run (in a note it is followed by the note's back-link anchor)."""
    return [child for child in paragraph.children if child.type == "inline"]


def _alignment(cell: SyntaxTreeNode) -> str:
    match = ALIGNMENT.search(str(cell.attrs.get("style", "")))
    return match.group(1) if match else ""


def _unbreakable_numbers(item: Inline) -> Inline:
    return Text(DIGIT_GROUP_SPACE.sub("\u00a0", item.text)) if isinstance(item, Text) else item


def _cells(row: str) -> list[str]:
    """The cells of a pipe-table row ("\\|" is a literal bar, not a separator)."""
    inner = row.strip().removeprefix("|").removesuffix("|")
    return re.split(r"(?<!\\)\|", inner)


def _drop_prefix(content: tuple[Inline, ...], length: int) -> tuple[Inline, ...]:
    first = content[0]
    if isinstance(first, Text) and len(first.text) >= length:
        rest = first.text[length:]
        return ((Text(rest),) if rest else ()) + content[1:]
    return content


def _visible(content: tuple[Inline, ...]) -> bool:
    return any(not isinstance(item, Text) or item.text.strip() for item in content)


def _slug(heading: tuple[Inline, ...]) -> str:
    text = "".join(i.text for i in heading if isinstance(i, Text))
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return HEADING_SLUG.sub("-", ascii_text).strip("-")


def _section_id(slug: str, used: set[str]) -> str:
    """The id of an appendix: its heading's slug, made unique, and never one a block, a note,
    a template or the AKN edition generates ("## P 1" would be the id of paragraph 1)."""
    base = slug or "section"
    candidate, counter = base, 1
    while candidate in used or _generated(candidate):
        if _generated(candidate):  # "p-1", or "appendix-p" made "appendix-p-2" by the counter
            base, counter = f"{base}{SECTION_SUFFIX}", 1
            candidate = base  # ends in "section": neither it nor "<it>-<n>" can look generated
        else:
            counter += 1
            candidate = f"{base}-{counter}"
    used.add(candidate)
    return candidate


def _generated(candidate: str) -> bool:
    return bool(GENERATED_TAIL.search(candidate) or AKN_IDS.match(candidate))
