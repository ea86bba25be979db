"""The blocks read from a raw body -> canonical Markdown lines, each with the raw line it comes from."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .body import PARAGRAPH_NUMBER
from .ingest_notes import Note

CALL_LABEL = re.compile(r"\[\^(\d+)\]")

Origin = tuple[str, int]  # a line of the generated source, and the raw line it comes from


@dataclass
class Block:
    kind: str  # paragraph | heading | quote | table | markdown (pipe table written as such)
    line: int
    number: str | None = None
    # A paragraph's text, a quote's paragraphs: each as the pieces of the lines joined (joined once,
    # at the end, so that a paragraph of many lines costs its length, not its length squared).
    parts: list[list[str]] = field(default_factory=list)
    rows: list[tuple[int, list[str]]] = field(default_factory=list)
    last_line: str = ""  # the last raw line taken into the block, to measure where lines wrap

    def tail(self, size: int = 120) -> str:
        """The end of the last part, enough to see how it ends."""
        pieces = self.parts[-1] if self.parts else []
        end = ""
        for piece in reversed(pieces):
            end = piece + end
            if len(end) >= size:
                break
        return end

    def extend(self, separator: str, text: str, drop: int = 0) -> None:
        """Continue the last part with `text`, dropping `drop` characters of its end (a hyphen)."""
        pieces = self.parts[-1]
        if drop:
            pieces[-1] = pieces[-1][:-drop]
        pieces += [separator, text]

    def text(self, index: int = 0) -> str:
        return "".join(self.parts[index])


def markdown(blocks: list[Block], notes: list[Note]) -> list[Origin]:
    """The blocks as Markdown lines, each note written after the block that first calls it."""
    pending = {note.number: note for note in notes}
    out: list[Origin] = []
    for block in blocks:
        if out:
            out.append(("", block.line))
        written = _block_lines(block)
        out.extend(written)
        for label in CALL_LABEL.findall(" ".join(text for text, _ in written)):
            note = pending.pop(int(label), None)
            if note is not None:
                out += [("", note.line), (f"[^{note.number}]: {note.text}", note.line)]
    return out


def _block_lines(block: Block) -> list[Origin]:
    if block.kind == "heading":
        return [(f"## {block.text()}", block.line)]
    if block.kind == "quote":
        quoted = [f"> {''.join(part)}" for part in block.parts]
        return [(text, block.line) for text in "\n>\n".join(quoted).split("\n")]
    if block.kind == "markdown":
        return [(block.text(offset), block.line + offset) for offset in range(len(block.parts))]
    if block.kind == "table":
        (first, header), *rows = block.rows
        delimiter = "| " + " | ".join("---" for _ in header) + " |"
        return [(_row(header), first), (delimiter, first), *((_row(cells), number) for number, cells in rows)]
    text = block.text()
    if block.number is not None:
        return [(f"{block.number} {text}".rstrip(), block.line)]
    if mark := PARAGRAPH_NUMBER.match(text):  # "i. to ratify": a mark the source would read as a number
        text = mark.group("number")[:-1] + "\\." + text[mark.end("number") :]
    return [("\\" + text if text.startswith("#") else text, block.line)]


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"
