"""What a build shows while it runs and when it ends.

On a terminal: a progress bar (count, rate, elapsed, time left), drawn with rich. Elsewhere
(CI logs, pipes, the editor's loop): one plain line per finished text, written as it is (rich
is not even loaded: a fifth of a cold one-text build's start). Either way each problem is
printed as it arrives, as one `file:line:col: severity: message` line, and the build ends with
a summary table and the one-line summary `N of M texts built…`.
"""

from __future__ import annotations

import sys
from collections import Counter
from typing import TYPE_CHECKING, Any, TextIO

from .errors import Severity, printable
from .incremental import Summary
from .outcome import Outcome
from .textname import file_stem

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID

MAX_FAILED_ROWS = 20  # the table names this many failed texts; every problem line is above it anyway


class Display:
    """Progress and problems of one build; `interactive` is decided from the stream by default."""

    def __init__(self, stream: TextIO | None = None, interactive: bool | None = None) -> None:
        stream = stream or sys.stderr  # looked up now: a test or a caller may have replaced it
        self.stream = stream
        self.interactive = stream.isatty() if interactive is None else interactive
        self.console: Console | None = None
        if self.interactive:
            from rich.console import Console

            # No emoji codes: a file name with ":smile:" in it stays what it is (and their table is not loaded).
            self.console = Console(file=stream, force_terminal=True, highlight=False, soft_wrap=True, emoji=False)
        self.progress: Progress | None = None
        self.task: TaskID | None = None
        self.total = 0
        self.done = 0

    def start(self, to_build: int, up_to_date: int) -> None:
        self.total = to_build
        if self.console is None:
            self.line(f"pipeline: {to_build} to build, {up_to_date} up to date")
            return
        from .progress_bar import progress_bar  # on a terminal only: a log or a pipe shows lines

        self.progress = progress_bar(self.console)
        self.progress.start()
        self.task = self.progress.add_task("build", total=to_build)

    def outcome(self, outcome: Outcome, reasons: dict[str, str]) -> None:
        for problem in outcome.problems:
            self.line(str(problem))
        if outcome.failure:
            self.line(f"{outcome.source}: error: {outcome.failure}")
        self.done += 1
        if self.done > self.total:  # a text rendered again, to link past one that failed
            self.total = self.done
            if self.progress is not None and self.task is not None:
                self.progress.update(self.task, total=self.total)
        if self.progress is not None and self.task is not None:
            self.progress.advance(self.task)
            return
        stem = file_stem(outcome.source)
        if outcome.failed:
            self.line(f"[{self.done}/{self.total}] failed {stem}")
        else:
            formats = ", ".join(edition.format for edition in outcome.editions)
            why = "; ".join(sorted(set(reasons.values())))
            self.line(f"[{self.done}/{self.total}] built {stem} ({formats}) in {outcome.seconds:.2f} s: {why}")

    def volume(self, outcome: Outcome, reasons: dict[str, str]) -> None:
        """A volume's problems, then one line: volumes are few, each is named even on a terminal."""
        for problem in outcome.problems:
            self.line(str(problem))
        if outcome.failure:
            self.line(f"{outcome.source}: error: {outcome.failure}")
        if outcome.failed:
            self.line(f"failed volume {outcome.source}")
            return
        formats = ", ".join(edition.format for edition in outcome.editions)
        why = "; ".join(sorted(set(reasons.values())))
        self.line(f"built volume {outcome.source} ({formats}) in {outcome.seconds:.2f} s: {why}")

    def line(self, text: str) -> None:
        """One line, never wrapped or styled: problem lines are read by people and by scripts."""
        if self.console is None:
            self.stream.write(printable(text) + "\n")
            self.stream.flush()
            return
        self.console.print(printable(text), markup=False, emoji=False, highlight=False, overflow="ignore", crop=False)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None


def print_summary(summary: Summary, display: Display) -> None:
    """The table of built, up-to-date and failed texts, then the one-line summary."""
    failed = [o for o in summary.outcomes if o.failed]
    built = [o for o in summary.outcomes if not o.failed]
    why = Counter(
        f"{reason} ({name})" if reason not in _text_wide else reason
        for o in built
        for reason, name in _reasons(summary.reasons.get(o.source, {}))
    )
    rows = [
        ["built", str(len(built)), "; ".join(f"{reason}: {count}" for reason, count in sorted(why.items()))],
        ["up to date", str(len(summary.up_to_date)), ""],
        ["failed", str(len(failed)), ""],
        *(["", "", printable(f"{o.source.name}: {failure_reason(o)}")] for o in failed[:MAX_FAILED_ROWS]),
    ]
    if len(failed) > MAX_FAILED_ROWS:
        rows.append(["", "", f"… and {len(failed) - MAX_FAILED_ROWS} more (see the lines above)"])
    if display.console is None:
        display.stream.write("".join(line + "\n" for line in ascii_table("Summary", SUMMARY_COLUMNS, rows)))
    else:
        display.console.print(_rich_table("Summary", SUMMARY_COLUMNS, rows))
    workers = {o.worker: o.peak_rss_kib for o in summary.outcomes if o.worker}
    if workers:
        peak = max(workers.values()) / 1024
        display.line(f"{len(workers)} worker(s), peak memory per worker {peak:.0f} MiB; {summary.seconds:.1f} s")
    if summary.absent_references:
        display.line(
            f"{summary.absent_references} references to texts not in the corpus "
            "(printed as plain text, or linked to the official site)"
        )
    if summary.stale_parts:
        display.line(f"removed {summary.stale_parts} temporary file(s) left by an interrupted build")
    display.line(summary_line(summary))
    if summary.volumes:
        display.line(volume_summary_line(summary))


SUMMARY_COLUMNS = (("Result", "left"), ("Texts", "right"), ("Why", "left"))


def ascii_table(title: str, columns: tuple[tuple[str, str], ...], rows: list[list[str]]) -> list[str]:
    """The lines of a table boxed in ASCII, for logs: each cell on one line, never wrapped."""
    widths = [max(len(cell) for cell in column) for column in zip(*[[name for name, _ in columns], *rows], strict=True)]

    def line(cells: list[str]) -> str:
        fitted = (
            cell.rjust(width) if side == "right" else cell.ljust(width)
            for cell, width, (_, side) in zip(cells, widths, columns, strict=True)
        )
        return "| " + " | ".join(fitted) + " |"

    rule = "+" + "+".join("-" * (width + 2) for width in widths) + "+"
    return [title, rule, line([name for name, _ in columns]), rule, *(line(row) for row in rows), rule]


def _rich_table(title: str, columns: tuple[tuple[str, str], ...], rows: list[list[str]]) -> Any:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, box=box.SIMPLE, title_justify="left")
    for name, side in columns:
        table.add_column(name, justify="right" if side == "right" else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))  # as written: a file name's [brackets] are not markup
    return table


_text_wide = {"new", "source changed", "language versions changed", "forced"}


def _reasons(by_format: dict[str, str]) -> list[tuple[str, str]]:
    """(reason, formats) pairs: reasons that concern the whole text are counted once."""
    grouped: dict[str, list[str]] = {}
    for name, reason in by_format.items():
        grouped.setdefault(reason, []).append(name)
    return [(reason, ", ".join(names)) for reason, names in sorted(grouped.items())]


def failure_reason(outcome: Outcome) -> str:
    errors = [p for p in outcome.problems if p.severity is Severity.ERROR]
    if outcome.failure:
        return outcome.failure
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"line {errors[0].line}: {errors[0].message}{more}" if errors else "failed"


def summary_line(summary: Summary) -> str:
    failed = sum(1 for o in summary.outcomes if o.failed)
    warnings = sum(1 for o in summary.outcomes for p in o.problems if p.severity is Severity.WARNING)
    files = sum(len(o.written) for o in summary.outcomes)
    skipped = f" ({len(summary.up_to_date)} up to date)" if summary.up_to_date else ""
    return (
        f"{summary.total - failed} of {summary.total} texts built{skipped}, {files} files written; "
        f"{failed} failed, {warnings} warnings"
    )


def volume_summary_line(summary: Summary) -> str:
    failed = sum(1 for o in summary.volume_outcomes if o.failed)
    files = sum(len(o.written) for o in summary.volume_outcomes)
    skipped = f" ({len(summary.volumes_up_to_date)} up to date)" if summary.volumes_up_to_date else ""
    built = f"{summary.volumes - failed} of {summary.volumes} volumes built{skipped}"
    return f"{built}, {files} files written; {failed} failed"
