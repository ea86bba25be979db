"""Project configuration read from pipeline.toml (every key optional), decoded into typed values.

A wrong type, an unknown key, a pattern with an unknown placeholder or a URL that could point at
a local file is one located line, `pipeline.toml:LINE: error: … (did you mean …)`, and nothing
is rendered.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import string
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import msgspec

from .errors import ConfigError, printable, shown
from .languages import is_written_tag
from .safety import forbidden_characters
from .scripts import DEFAULT_SCRIPT_LANGUAGES, SCRIPT_RANGES

CONFIG_NAME = "pipeline.toml"
MAX_CONFIG_BYTES = 64 * 1024


@dataclass(frozen=True)
class LinkPatterns:
    """URL patterns for recognised references; placeholders are str.format fields.

    text: {type} {number} {year} {language}; document: {number} {language}. An empty pattern
    means "recognise but do not link". A relative URL is resolved against publication_url in
    editions that live outside the website (PDF, DOCX, EPUB), and left as text without one.
    """

    text: str = "{type}-{number}-{year}.{language}.html"
    document: str = ""


@dataclass(frozen=True)
class Config:
    links: LinkPatterns = LinkPatterns()
    # A tag URI (RFC 4151): stable for each language version, needs no server to stay valid.
    identifier: str = "tag:coe.int,2026:pace/adopted-texts/{slug}/{language}"
    rights: str = "© Council of Europe"  # the EPUB's dc:rights
    publication_url: str = ""  # where the web editions are published, e.g. "https://example.int/texts/"
    # The regional language of each language's texts: the print edition's hyphenation patterns,
    # the DOCX spelling language. A language not listed is used as it is.
    regions: dict[str, str] = dataclasses.field(default_factory=lambda: {"en": "en-GB", "fr": "fr-FR"})
    # The language of a run of words in another script (pipeline/scripts.py): a script not listed
    # keeps its default (Greek el-GR, Cyrillic ru-RU, Armenian hy-AM, Georgian ka-GE).
    scripts: dict[str, str] = dataclasses.field(default_factory=lambda: dict(DEFAULT_SCRIPT_LANGUAGES))

    def regional(self, language: str) -> str:
        """ "en" -> "en-GB" (as configured)."""
        return self.regions.get(language, language)


# The placeholders each pattern may use: anything else would fail on the first text.
PLACEHOLDERS = {
    ("links", "text"): {"type", "number", "year", "language"},
    ("links", "document"): {"number", "language"},
    ("identifier",): {"slug", "language"},
}
REGION = re.compile(r"[a-z]{2,3}(?:-[A-Z]{2}|-[0-9]{3})?")
MESSAGE = re.compile(r"^(?P<what>.*) - at `\$(?P<path>[.\w\[\]]*)`$")
TOML_KINDS = {
    "str": "a text",
    "object": "a table",
    "int": "a number",
    "float": "a number",
    "array": "a list",
    "bool": "true or false",
    "datetime": "a date",
    "date": "a date",
    "time": "a time",
}
TOML_POSITION = re.compile(r"\(at line (?P<line>\d+), column \d+\)")


def load_config(directory: Path) -> Config:
    """The configuration of the project in `directory`, or the defaults when it has none."""
    path = directory / CONFIG_NAME
    if not path.is_file():
        return Config()
    shown_path = CONFIG_NAME if os.path.realpath(directory) == os.path.realpath(Path.cwd()) else str(path)
    try:
        if path.stat().st_size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{shown_path}:1: error: the file is over {MAX_CONFIG_BYTES // 1024} kB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(printable(f"{shown_path}:1: error: cannot read the configuration: {exc}")) from None
    return decode_config(text, shown_path)


def decode_config(text: str, name: str = CONFIG_NAME) -> Config:
    """`text` (TOML) as a Config; ConfigError with one line per problem."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        position = TOML_POSITION.search(str(exc))
        line = position.group("line") if position else "1"
        what = TOML_POSITION.sub("", str(exc)).strip()
        raise ConfigError(printable(f"{name}:{line}: error: invalid TOML: {what}")) from None
    locate = TomlLocator(text)
    problems = [f"{name}:{locate(path)}: error: {message}" for path, message in _unknown_keys(data, Config, ())]
    if not problems:
        try:
            config = msgspec.convert(data, type=Config, strict=True)
        except msgspec.ValidationError as exc:
            path, message = validation_problem(str(exc))
            problems.append(f"{name}:{locate(path)}: error: {message}")
        else:
            problems += [f"{name}:{locate(path)}: error: {message}" for path, message in _value_problems(config)]
    if problems:
        raise ConfigError("\n".join(printable(problem) for problem in problems))
    return config


Key = tuple[str, ...]


def _unknown_keys(data: dict[str, Any], kind: type[Any], path: Key) -> list[tuple[Key, str]]:
    fields = {field.name: field.type for field in dataclasses.fields(kind)}
    found: list[tuple[Key, str]] = []
    for key, value in data.items():
        if key not in fields:
            close = difflib.get_close_matches(key, sorted(fields), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known keys: {', '.join(sorted(fields))})"
            found.append(((*path, key), f"unknown key {shown('.'.join((*path, key)))}{hint}"))
        elif fields[key] == "LinkPatterns" and isinstance(value, dict):
            found += _unknown_keys(value, LinkPatterns, (*path, key))
    return found


def validation_problem(error: str) -> tuple[Key, str]:
    """msgspec's message as (the TOML key it is about, a sentence naming it): shared with volume files."""
    match = MESSAGE.match(error)
    if not match:
        return (), error
    path = tuple(part for part in re.split(r"[.\[\]]", match.group("path")) if part)
    what = match.group("what").replace("Expected", "expected")
    for kind, words in TOML_KINDS.items():
        what = what.replace(f"`{kind}`", words)
    return path, f"'{'.'.join(path)}': {what.replace('`', '')}"


def _value_problems(config: Config) -> list[tuple[Key, str]]:
    found: list[tuple[Key, str]] = []
    values = {
        ("links", "text"): config.links.text,
        ("links", "document"): config.links.document,
        ("identifier",): config.identifier,
        ("rights",): config.rights,
        ("publication_url",): config.publication_url,
    }
    for path, value in values.items():
        name = ".".join(path)
        bad = [character for _, character in forbidden_characters(value)] + [c for c in value if c in "\n\t"]
        if bad:
            found.append((path, f"'{name}' holds a forbidden character U+{ord(bad[0]):04X}"))
            continue
        if path in PLACEHOLDERS:
            found += [(path, f"'{name}': {problem}") for problem in _pattern_problems(value, PLACEHOLDERS[path])]
    for language, region in config.regions.items():
        if not REGION.fullmatch(region) or not region.lower().startswith(language.lower()):
            found.append(
                (
                    ("regions", language),
                    f"'regions.{language}' must be a regional tag of {shown(language)}, e.g. {language}-XX",
                )
            )
    for script, tag in config.scripts.items():
        if script not in SCRIPT_RANGES:
            known = ", ".join(SCRIPT_RANGES)
            found.append((("scripts", script), f"'scripts.{script}': no such script (one of {known})"))
        elif not is_written_tag(tag):
            problem = f"'scripts.{script}' must be a language tag, e.g. ru-RU, not {shown(tag)}"
            found.append((("scripts", script), problem))
    url = config.publication_url
    if url and not _absolute_https(url):
        found.append(
            (
                ("publication_url",),
                f"'publication_url' must be an absolute https URL, not {shown(url)} "
                "(a relative one would make links point at local files; e.g. https://example.int/texts/)",
            )
        )
    for path in (("links", "text"), ("links", "document")):
        pattern = values[path]
        if urlsplit(pattern.replace("{", "").replace("}", "")).scheme not in ("", "https"):
            found.append((path, f"'{'.'.join(path)}' links with {shown(pattern)}: only https:// or relative links"))
    return found


def _pattern_problems(pattern: str, allowed: set[str]) -> list[str]:
    try:
        fields = [(field, spec, conversion) for _, field, spec, conversion in string.Formatter().parse(pattern)]
    except ValueError as exc:
        return [f"{shown(pattern)} is not a valid pattern: {exc} (write a literal brace as {{{{ or }}}})"]
    problems = []
    for field, spec, conversion in fields:
        if field is None:
            continue
        if field not in allowed:  # also refuses "{type.__class__}" and positional "{}"
            close = difflib.get_close_matches(field, sorted(allowed), n=1)
            hint = (
                f"did you mean '{{{close[0]}}}'?" if close else "use " + ", ".join(f"{{{a}}}" for a in sorted(allowed))
            )
            problems.append(f"unknown placeholder {shown('{' + field + '}')} ({hint})")
        elif spec or conversion:
            problems.append(f"placeholder {{{field}}} cannot take a format or a conversion")
    return problems


def _absolute_https(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and " " not in url


class TomlLocator:
    """The line of a key in a TOML text, for messages (tomllib keeps no positions): shared with volume files."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def __call__(self, path: Key) -> int:
        if not path:
            return 1
        table, key = path[:-1], path[-1]
        current: Key = ()
        header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]")
        for number, line in enumerate(self.lines, start=1):
            found = header.match(line)
            if found:
                current = tuple(part.strip().strip("\"'") for part in found.group(1).split("."))
                if current == path:
                    return number
                continue
            if current == table and re.match(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=", line):
                return number
            if current == () and table and re.match(rf"^\s*{re.escape(table[0])}\s*[.=]", line):
                return number  # an inline table: links = {{ … }}, or a dotted key
        return 1
