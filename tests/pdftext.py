"""Reading a PDF as a reader would: poppler's words, in reading order, with their position.

`pdftotext -tsv` is used rather than plain text: plain text joins words that end a line with a
hyphen-minus ("co-" + "operation" -> "cooperation"), which would hide a changed word, and it
reads hanging paragraph numbers as a column of their own. Lines are put in reading order here:
top to bottom, then left to right (the editions are set in one column).
"""

from __future__ import annotations

import csv
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

PAGE_HEIGHT_PT = 841.89  # A4
MARGIN_BAND_PT = 60  # the running header and the footer live in the top and bottom 60 pt
ADDED_HYPHEN = "\u00ad"  # the hyphens line breaking adds are soft hyphens in the text layer (renderers/pdfa.py)


@dataclass(frozen=True)
class Word:
    page: int
    top: float
    text: str


def tsv(pdf: Path) -> str:
    """`pdftotext -tsv` of `pdf` as its fonts' ToUnicode maps give the text: each layout hyphen's
    ActualText "-" (renderers/pdfa.py: what makes poppler's plain text join the word again) is
    left out, so that a hyphen the line breaking added is read as its soft hyphen and a source's
    own hyphen at a line's end stays "-"."""
    with pikepdf.open(pdf) as document, tempfile.TemporaryDirectory() as folder:
        for page in document.pages:
            page.Contents = document.make_stream(_without_hyphen_text(page))
            for form in page.Resources.get("/XObject", {}).values():
                if form.get("/Subtype") == "/Form":
                    form.write(_without_hyphen_text(form))
        plain = Path(folder) / "plain.pdf"
        document.save(plain)
        return subprocess.run(["pdftotext", "-tsv", str(plain), "-"], capture_output=True, text=True, check=True).stdout


def _without_hyphen_text(content: Any) -> bytes:
    """A page's or form's content stream without the ActualText spans of layout hyphens."""
    kept, dropped, depth = [], [], 0
    for instruction in pikepdf.parse_content_stream(content):
        operator = str(instruction.operator)
        if operator in ("BDC", "BMC"):
            depth += 1
            operands = instruction.operands
            if (
                operator == "BDC"
                and isinstance(operands[1], pikepdf.Dictionary)
                and operands[1].get("/ActualText") == "-"
            ):
                dropped.append(depth)
                continue
        elif operator == "EMC":
            depth -= 1
            if dropped and dropped[-1] == depth + 1:
                dropped.pop()
                continue
        kept.append(instruction)
    return pikepdf.unparse_content_stream(kept)


def words(pdf: Path) -> list[Word]:
    output = tsv(pdf)
    rows = csv.DictReader(output.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in rows:
        if row["level"] == "5":
            lines.setdefault(tuple(row[k] for k in ("page_num", "par_num", "block_num", "line_num")), []).append(row)

    def position(line: list[dict[str, str]]) -> tuple[int, int, float]:
        # the line's middle top: a raised superscript ("1er") does not move its line up
        return int(line[0]["page_num"]), round(statistics.median(float(w["top"]) for w in line)), float(line[0]["left"])

    return [word for line in sorted(lines.values(), key=position) for word in _with_superscripts(line)]


def _with_superscripts(line: list[dict[str, str]]) -> list[Word]:
    """The line's words, a raised word touching the one before it (a superscript: "1" + "er",
    which poppler's words split at the baseline change) joined to it."""
    found: list[Word] = []
    right = top = -1.0
    for w in line:
        left, raised = float(w["left"]), float(w["top"]) < top - 1
        if found and raised and abs(left - right) < 0.5:
            found[-1] = Word(found[-1].page, found[-1].top, found[-1].text + w["text"])
        else:
            found.append(Word(int(w["page_num"]), float(w["top"]), w["text"]))
            top = float(w["top"])
        right = left + float(w["width"])
    return found


@dataclass(frozen=True)
class PlacedWord:
    """A word and its box on its page (PDF points from the page's top left corner)."""

    page: int
    left: float
    right: float
    top: float
    text: str


def placed_words(pdf: Path) -> list[PlacedWord]:
    """Every word of `pdf` with its box, in poppler's order."""
    rows = csv.DictReader(tsv(pdf).splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [
        PlacedWord(int(r["page_num"]), left, left + float(r["width"]), float(r["top"]), r["text"])
        for r in rows
        if r["level"] == "5"
        for left in [float(r["left"])]
    ]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def joined(selected: list[Word]) -> str:
    """The words as text, with the words hyphenation split at line ends made whole again."""
    parts: list[str] = []
    for word in selected:
        if parts and parts[-1].endswith(ADDED_HYPHEN):
            parts[-1] = parts[-1].removesuffix(ADDED_HYPHEN) + word.text
        else:
            parts.append(word.text)
    return " ".join(parts)


def page_text(pdf: Path, page: int) -> str:
    return joined([w for w in words(pdf) if w.page == page])


def header_text(pdf: Path, page: int) -> str:
    return joined([w for w in words(pdf) if w.page == page and w.top < MARGIN_BAND_PT])


def footer_text(pdf: Path, page: int) -> str:
    return joined([w for w in words(pdf) if w.page == page and w.top > PAGE_HEIGHT_PT - MARGIN_BAND_PT])


def body_text(pdf: Path, page: int) -> str:
    return joined(
        [w for w in words(pdf) if w.page == page and MARGIN_BAND_PT <= w.top <= PAGE_HEIGHT_PT - MARGIN_BAND_PT]
    )
