"""Ingest scaling (issue 15, class 5): doubling the raw input must at most about double the time.

Writes raw extractions of growing size, in the shapes that cost the most: one long text, hard
wrapped, with a footnote on every page and words hyphenated at line ends; and a compilation of
many such texts. Times the conversion (`pipeline.ingest.convert`, everything but reading the
source back) and the whole `ingest_all` (the source read back as `pipeline check` does), and
prints the ratio of each time to the one before it. Exit code 1 when a ratio exceeds 2.2. Above
2 MB a text is refused by `check` (the source limit) before it is read back: the second column
then stops growing with the input.

    .venv/bin/python -m bench.ingest_scaling [--sizes 250000,500000,1000000,2000000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from pipeline.config import Config
from pipeline.errors import Problems
from pipeline.ingest import convert, ingest_all
from pipeline.ingest_lines import read_lines
from pipeline.ingest_split import split

LIMIT = 2.2
TITLE_NOTE = (
    "1. Assembly debate on 28 April 2010 (16th Sitting) (see Doc. 12185, report of the Committee on Culture, "
    "Science and Education, rapporteur: Mrs Lindgren). Text adopted by the Assembly on 28 April 2010 (16th Sitting)."
)
SENTENCE = "member states should co-operate more closely on the protection of rural schools and libraries"


def raw_text(size: int, texts: int = 1) -> str:
    """About `size` characters of raw extraction holding `texts` texts, each page with a note."""
    per_text = size // texts
    return "\f".join(_one_text(2000 + number, per_text) for number in range(texts))


def _one_text(number: int, size: int) -> str:
    header = f"Resolution {number} (2010)"
    lines = [f"{header}¹", "", "A long text for the benchmark", "", "Parliamentary Assembly", ""]
    paragraph, note, length, page = 0, 1, 0, 0
    while length < size:
        paragraph += 1
        page_ends = (paragraph % 8) == 0  # eight paragraphs a page, each page with a footnote
        call = f" as reported.{note + 1}" if page_ends else ""
        text = f"{paragraph}. The Assembly notes, in paragraph {paragraph}, that {' '.join([SENTENCE] * 3)}{call}"
        wrapped = _wrap(text + ". The discus- sion goes on.")
        lines += wrapped
        length += sum(len(line) + 1 for line in wrapped)
        if page_ends or length >= size:
            page += 1
            notes = [TITLE_NOTE] if page == 1 else []
            if page_ends:
                note += 1
                notes.append(f"{note}. A note of the benchmark, number {note}.")
            lines += ["", *notes, f"\f{header}", ""]
    return "\n".join(lines) + "\n"


def _wrap(text: str, width: int = 88) -> list[str]:
    lines, current = [], ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current.replace("- ", "-\n")] if "- " in current else [*lines, current]


def timed(action: Callable[[], object]) -> float:
    """The best of three runs, in CPU seconds: the machine's other work does not count."""
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def measure(sizes: list[int], texts: int, folder: Path) -> list[tuple[int, float, float]]:
    rows = []
    for size in sizes:
        raw = folder / f"raw-{size}-{texts}.txt"
        raw.write_text(raw_text(size, texts), encoding="utf-8")

        def conversion(path: Path = raw) -> None:
            problems = Problems(path)
            lines = read_lines(path.read_bytes(), problems, []) or []
            for span in split(lines):
                convert(lines[span.start : span.end], span.citation.index - span.start, [], problems)

        def whole(path: Path = raw, size: int = size) -> None:
            with tempfile.TemporaryDirectory(dir=folder) as out:
                ingest_all(path, Path(out), Config())

        rows.append((raw.stat().st_size, timed(conversion), timed(whole)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="250000,500000,1000000,2000000", help="raw sizes in characters")
    parser.add_argument("--texts", type=int, default=1, help="texts in each raw file (a compilation if > 1)")
    arguments = parser.parse_args(argv)
    sizes = [int(size) for size in arguments.sizes.split(",")]
    worst = 0.0
    with tempfile.TemporaryDirectory() as folder:
        rows = measure(sizes, arguments.texts, Path(folder))
    print(f"| raw bytes ({arguments.texts} text(s)) | convert | ratio | ingest (with check) | ratio |")
    print("|---|---|---|---|---|")
    for index, (size, conversion, whole) in enumerate(rows):
        if index:
            ratios = (conversion / rows[index - 1][1], whole / rows[index - 1][2])
            worst = max(worst, *ratios)
            shown = [f"{ratio:.2f}x" for ratio in ratios]
        else:
            shown = ["", ""]
        print(f"| {size:,} | {conversion:.3f} s | {shown[0]} | {whole:.3f} s | {shown[1]} |")
    print(f"worst ratio when the input doubles: {worst:.2f} (limit {LIMIT})")
    return 1 if worst > LIMIT else 0


if __name__ == "__main__":
    sys.exit(main())
