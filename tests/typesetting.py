"""The print edition's typesetting, measured: share of hyphenated lines, longest run of
hyphenated lines, and every forbidden break (a date, citation, title and name or digit group
split across lines; a protected word hyphenated), over the fixtures and generated texts.

    .venv/bin/python -m tests.typesetting [SOURCE…]    # prints the report; default: every fixture

tests/test_typesetting.py asserts the house limits on the same report.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.pdf import PdfRenderer
from pipeline.renderers.pdf_lines import ForbiddenBreak, body_lines, forbidden_breaks, runs

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted([*ROOT.glob("source/*.*.md"), *ROOT.glob("tests/fixtures/texts/*.md")])
MAX_HYPHENATED_SHARE = 0.08
MAX_RUN = 2


@dataclass
class TextReport:
    name: str
    lines: int
    hyphenated: int
    longest_run: int
    forbidden: list[ForbiddenBreak] = field(default_factory=list)

    def __str__(self) -> str:
        share = self.hyphenated / self.lines if self.lines else 0.0
        return (
            f"{self.name}: {self.lines} lines, {self.hyphenated} hyphenated ({share:.1%}), "
            f"longest run {self.longest_run}, {len(self.forbidden)} forbidden breaks"
        )


@dataclass
class Report:
    texts: list[TextReport]

    @property
    def lines(self) -> int:
        return sum(text.lines for text in self.texts)

    @property
    def share(self) -> float:
        return sum(text.hyphenated for text in self.texts) / self.lines if self.lines else 0.0

    @property
    def longest_run(self) -> int:
        return max((text.longest_run for text in self.texts), default=0)

    @property
    def forbidden(self) -> list[str]:
        return [f"{text.name}: {problem}" for text in self.texts for problem in text.forbidden]

    def __str__(self) -> str:
        rows = [str(text) for text in self.texts]
        rows += [f"  {problem}" for problem in self.forbidden]
        rows.append(
            f"all {len(self.texts)} texts: {self.lines} lines, {self.share:.1%} hyphenated "
            f"(limit {MAX_HYPHENATED_SHARE:.0%}), longest run {self.longest_run} (limit {MAX_RUN}), "
            f"{len(self.forbidden)} forbidden breaks"
        )
        return "\n".join(rows)


def measure(sources: list[Path], renderer: PdfRenderer | None = None) -> Report:
    """Each source laid out as the print edition renders it, then measured line by line."""
    renderer = renderer or PdfRenderer(Config())
    reports = []
    for source in sources:
        document = load(source)
        lines = body_lines(renderer.lay_out(document, pdf_variant="pdf/a-3b", pdf_tags=True))
        reports.append(
            TextReport(
                source.name,
                len(lines),
                sum(line.hyphenated for line in lines),
                max((len(run) for run in runs(lines)), default=0),
                forbidden_breaks(lines),
            )
        )
    return Report(reports)


def main(argv: list[str]) -> int:
    report = measure([Path(a) for a in argv] or FIXTURES)
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
