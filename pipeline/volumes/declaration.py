"""A volume file (`volumes/<stem>.toml`): which texts one part-session volume holds, decoded into
typed values with every problem located to its line.

    title = ["Texts adopted by the Assembly", "2003 Ordinary Session", "Third part, 23-27 June 2003"]
    language = "en"
    status = "provisional"          # or "final"
    from = 2003-06-23               # adoption dates, inclusive (or texts = ["resolution-1336-2003.en", …])
    to = 2003-06-27
    types = ["resolution", "recommendation"]   # optional, with from/to: only these types
    recto = true                    # optional: each text starts on a right-hand page
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import msgspec

from ..config import TOML_POSITION, TomlLocator, validation_problem
from ..errors import Problem, Problems, shown
from ..languages import is_language
from ..model import Status, TextType
from ..safety import forbidden_characters
from ..typography import typography_for
from . import VOLUME_SUFFIX as VOLUME_SUFFIX
from . import VOLUMES_FOLDER as VOLUMES_FOLDER
from . import find_volumes as find_volumes

MAX_VOLUME_BYTES = 256 * 1024
SAFE_VOLUME_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")  # the editions are named after it


@dataclass(frozen=True)
class _Fields:
    """The keys of a volume file as TOML gives them; `from` is a Python keyword, hence `start`."""

    title: list[str]
    language: str
    status: Literal["provisional", "final"]
    texts: list[str] = dataclasses.field(default_factory=list)
    start: dt.date | None = None
    to: dt.date | None = None
    types: list[TextType] = dataclasses.field(default_factory=list)
    recto: bool = False


KEYS = {"title", "language", "status", "texts", "from", "to", "types", "recto"}
REQUIRED = ("title", "language", "status")


@dataclass(frozen=True)
class Declaration:
    """A volume as declared: what to select; `pipeline.volumes.selection` finds the texts."""

    path: Path
    stem: str  # the editions are <stem>.pdf, .docx, .epub
    title: tuple[str, ...]
    language: str
    status: Status
    texts: tuple[str, ...] = ()  # by name, in any order (the volume orders them)
    start: dt.date | None = None
    end: dt.date | None = None
    types: tuple[TextType, ...] = ()
    recto: bool = False
    source: bytes = b""  # the file as read
    lines: dict[tuple[str, ...], int] = dataclasses.field(default_factory=dict, compare=False)

    def line(self, key: str, item: str | None = None) -> int:
        """Where `key` (or one of its list's items) is written, for messages."""
        return self.lines.get((key, item) if item is not None else (key,), self.lines.get((key,), 1))


def read_declaration(path: Path) -> tuple[Declaration | None, list[Problem]]:
    """The volume declared in `path`, or None with every problem found in it."""
    problems = Problems(path)
    stem = path.name.removesuffix(VOLUME_SUFFIX)
    if not SAFE_VOLUME_STEM.match(stem) or ".." in stem:
        problems.error(1, f"the file name {shown(path.name)} cannot name an edition", "e.g. 2003-3.en.toml")
        return None, problems.items
    try:
        if path.stat().st_size > MAX_VOLUME_BYTES:
            problems.error(1, f"the volume file is over {MAX_VOLUME_BYTES // 1024} kB", "list fewer texts")
            return None, problems.items
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.error(1, f"cannot read the volume file: {exc}", "save it as UTF-8 text")
        return None, problems.items
    return decode_declaration(text, path, stem, problems), problems.items


def decode_declaration(text: str, path: Path, stem: str, problems: Problems) -> Declaration | None:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = TOML_POSITION.search(str(exc))
        problems.error(
            int(position.group("line")) if position else 1, f"invalid TOML: {TOML_POSITION.sub('', str(exc)).strip()}"
        )
        return None
    locate = TomlLocator(text)
    for key in sorted(set(data) - KEYS):
        close = difflib.get_close_matches(key, sorted(KEYS), n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"known keys: {', '.join(sorted(KEYS))}"
        problems.error(locate((key,)), f"unknown key {shown(key)}", hint)
    for key in REQUIRED:
        if key not in data:
            problems.error(1, f"the volume has no {key!r}", _REQUIRED_HINTS[key])
    if problems.errors:
        return None
    renamed = {("start" if key == "from" else key): value for key, value in data.items()}
    try:
        fields = msgspec.convert(renamed, type=_Fields)
    except msgspec.ValidationError as exc:
        where, message = validation_problem(str(exc).replace("$.start", "$.from"))
        problems.error(locate(where[:1]), message, _hint_for(where))
        return None
    lines: dict[tuple[str, ...], int] = {(key,): locate((key,)) for key in data}
    lines.update({("texts", name): _item_line(text, lines.get(("texts",), 1), name) for name in fields.texts})
    declaration = Declaration(
        path=path,
        stem=stem,
        title=_typeset(fields.title, fields.language),
        language=fields.language,
        status=Status(fields.status),
        texts=tuple(fields.texts),
        start=fields.start,
        end=fields.to,
        types=tuple(fields.types),
        recto=fields.recto,
        source=text.encode("utf-8"),
        lines=lines,
    )
    _check(declaration, problems)
    return None if problems.errors else declaration


def _typeset(title: list[str], language: str) -> tuple[str, ...]:
    """The title's lines with the language's apostrophes, quotation marks and spacing, as a
    text's metadata has them ("l'Assemblée" is printed "l’Assemblée")."""
    if not is_language(language):  # reported by _check
        return tuple(title)
    typeset = typography_for(language)
    return tuple(typeset(part) for part in title)


_REQUIRED_HINTS = {
    "title": 'add title = ["Texts adopted by the Assembly", "2003 Ordinary Session", "Third part"]',
    "language": 'add language = "en" (every text of the volume is in this language)',
    "status": 'add status = "provisional" or status = "final"',
}


def _hint_for(where: tuple[str, ...]) -> str:
    key = where[0] if where else ""
    return {
        "title": 'a list of lines, e.g. title = ["Texts adopted by the Assembly", "2003 Ordinary Session"]',
        "status": 'write "provisional" or "final"',
        "texts": 'a list of text names, e.g. texts = ["resolution-1336-2003.en"]',
        "from": "an ISO date, e.g. from = 2003-06-23",
        "to": "an ISO date, e.g. to = 2003-06-27",
        "types": f"a list of types among {', '.join(t.value for t in TextType)}",
        "recto": "true or false",
    }.get(key, "")


def _check(declaration: Declaration, problems: Problems) -> None:
    """What the types alone cannot say: one way of choosing texts, dates in order, text lines."""
    line = declaration.line
    if not declaration.title or not all(part.strip() for part in declaration.title):
        problems.error(line("title"), "the title needs at least one line, and no empty line", _hint_for(("title",)))
    for part in declaration.title:
        bad = [character for _, character in forbidden_characters(part)] + [c for c in part if c in "\n\t\r"]
        if bad:
            problems.error(line("title"), f"a title line holds the forbidden character U+{ord(bad[0]):04X}")
    if not is_language(declaration.language):
        problems.error(line("language"), f"{shown(declaration.language)} is not a language tag", "e.g. en, fr")
    by_list = bool(declaration.texts)
    by_dates = declaration.start is not None or declaration.end is not None
    if by_list and (by_dates or declaration.types):
        key = "types" if declaration.types and not by_dates else ("from" if declaration.start else "to")
        problems.error(line(key), "give either 'texts' or 'from' and 'to', not both", "keep one way of choosing")
    elif not by_list and not by_dates:
        problems.error(1, "the volume chooses no text", "add texts = [...] or from = YYYY-MM-DD and to = YYYY-MM-DD")
    elif by_dates and (declaration.start is None or declaration.end is None):
        missing = "to" if declaration.end is None else "from"
        problems.error(line("from" if missing == "to" else "to"), f"'{missing}' is missing", "give both dates")
    elif declaration.start and declaration.end and declaration.start > declaration.end:
        problems.error(line("to"), f"'to' ({declaration.end}) is before 'from' ({declaration.start})")
    if ("types",) in declaration.lines and not declaration.types:  # written, but empty: not "every type"
        problems.error(line("types"), "'types' is empty", "list the types to choose, or leave 'types' out for all")
    repeated = sorted({name for name in declaration.texts if declaration.texts.count(name) > 1})
    for name in repeated:
        problems.error(line("texts", name), f"{shown(name)} is listed twice", "list each text once")


def _item_line(text: str, key_line: int, name: str) -> int:
    """The line of the list item `name` (the first line after the key's that quotes it)."""
    lines = text.split("\n")
    for number in range(key_line, len(lines) + 1):
        if re.search(rf"[\"']{re.escape(name)}[\"']", lines[number - 1]):
            return number
    return key_line
