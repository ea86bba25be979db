"""The words of the raw seed, to compare with the text of each edition."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

RAW_SEED = Path(__file__).parent / "data" / "seed-raw.txt"
RUNNING_HEADER = "Recommendation 1607 (2003)"
TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class RawSeed:
    """The raw extraction split into what belongs to the body and to the title footnote."""

    body: list[str]
    footnote: list[str]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def raw_seed() -> RawSeed:
    """Undo the extraction's artefacts only: Markdown link syntax, bullets, ¹, the header."""
    lines = RAW_SEED.read_text(encoding="utf-8").splitlines()
    first_header = next(i for i, line in enumerate(lines) if line.strip().startswith(RUNNING_HEADER))
    body, footnote = [], []
    for index, line in enumerate(lines):
        text = line.strip()
        if index != first_header and text == RUNNING_HEADER:
            continue  # the running header repeated on page 2
        text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text).replace("\\(", "(").replace("\\)", ")")
        text = text.replace("¹", "")
        if text.startswith("1. Assembly debate"):
            footnote.append(text.removeprefix("1. "))
            continue
        body.append(text.removeprefix("- "))
    return RawSeed(tokens(" ".join(body)), tokens(" ".join(footnote)))
