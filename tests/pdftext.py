"""Reading a PDF as a reader would: poppler's words, in reading order, with their position.

`pdftotext -tsv` is used rather than plain text: plain text joins words that end a line with a
hyphen-minus ("co-" + "operation" -> "cooperation"), which would hide a changed word, and it
reads hanging paragraph numbers as a column of their own. Lines are put in reading order here:
top to bottom, then left to right (the editions are set in one column).
"""

from __future__ import annotations

import csv
import subprocess
from dataclasses import dataclass
from pathlib import Path

PAGE_HEIGHT_PT = 841.89  # A4
MARGIN_BAND_PT = 60  # the running header and the footer live in the top and bottom 60 pt
ADDED_HYPHEN = "\u00ad"  # the hyphens line breaking adds are soft hyphens in the text layer (renderers/pdfa.py)


@dataclass(frozen=True)
class Word:
    page: int
    top: float
    text: str


def words(pdf: Path) -> list[Word]:
    output = subprocess.run(["pdftotext", "-tsv", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    rows = csv.DictReader(output.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    lines: dict[tuple[str, ...], list[dict[str, str]]] = {}
    for row in rows:
        if row["level"] == "5":
            lines.setdefault(tuple(row[k] for k in ("page_num", "par_num", "block_num", "line_num")), []).append(row)

    def position(line: list[dict[str, str]]) -> tuple[int, int, float]:
        return int(line[0]["page_num"]), round(min(float(w["top"]) for w in line)), float(line[0]["left"])

    return [
        Word(int(w["page_num"]), float(w["top"]), w["text"])
        for line in sorted(lines.values(), key=position)
        for w in line
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
