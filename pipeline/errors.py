"""Typed errors. Only the CLI formats them for people."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source, located to the line (1-based) and column."""

    path: Path
    line: int
    message: str
    hint: str = ""
    column: int = 1
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class PipelineError(Exception):
    """Base of every error the pipeline reports without a traceback."""


class UsageError(PipelineError):
    """The command line asked for something that does not exist."""


class SourceError(PipelineError):
    """A source cannot be turned into a document; carries every problem found at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class RenderError(PipelineError):
    """A rendering engine failed on a valid document."""

    def __init__(self, stem: str, format_name: str, detail: str) -> None:
        self.stem = stem
        self.format_name = format_name
        super().__init__(f"{stem}: {format_name}: {detail}")


class Problems:
    """Collects the problems of one source so that all are reported at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[Problem] = []

    def error(self, line: int, message: str, hint: str = "", column: int = 1) -> None:
        self.items.append(Problem(self.path, line, message, hint, column))

    def warning(self, line: int, message: str, hint: str = "", column: int = 1) -> None:
        self.items.append(Problem(self.path, line, message, hint, column, Severity.WARNING))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]
