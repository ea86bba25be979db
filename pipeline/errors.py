"""Typed errors. Only the CLI formats them for people."""

from __future__ import annotations

import enum
import unicodedata
from pathlib import Path

import msgspec

# Categories a message must never carry raw: controls, format (bidi, zero-width), surrogates,
# private use, unassigned, line and paragraph separators. Each is shown as its escape instead.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
SHOWN_LENGTH = 60  # characters of a user's value quoted in a message


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem(msgspec.Struct, frozen=True):
    """One thing wrong with a source, located to the line (1-based) and column."""

    path: Path
    line: int
    message: str
    hint: str = ""
    column: int = 1
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity.value}: {self.message}"
        return printable(f"{text} ({self.hint})" if self.hint else text)


def printable(text: str) -> str:
    """`text` on one line, with no character a terminal or a log reader would act on or hide.

    A problem line is read by people and by scripts: a newline in a user's key must not forge
    a second problem line, nor an escape sequence recolour the terminal.
    """
    if text.isprintable():  # the common case, decided in C
        return text
    return "".join(_escaped(c) if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)


def _escaped(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def shown(value: object) -> str:
    """A user's value quoted for a message: repr'd, escaped, and cut to a readable length."""
    try:
        text = printable(repr(value))
    except ValueError:  # an integer too long to print (Python refuses over 4,300 digits)
        return "a number too long to show"
    return text if len(text) <= SHOWN_LENGTH else text[: SHOWN_LENGTH - 1] + "…"


class PipelineError(Exception):
    """Base of every error the pipeline reports without a traceback."""


class UsageError(PipelineError):
    """The command line asked for something that does not exist."""


class ConfigError(PipelineError):
    """pipeline.toml is not valid; its message is one located line per problem."""


class OutputError(UsageError):
    """The output folder cannot be created, locked or written."""


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
