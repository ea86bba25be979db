"""Read a canonical source (UTF-8 Markdown with YAML front matter) into a Document."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .body import MARKDOWN, BodyParser
from .config import Config
from .errors import Problem, Problems, SourceError
from .frontmatter import FrontMatterError, split
from .metadata import read_metadata
from .model import Document, Inline

SOURCE_SUFFIX = ".md"


@dataclass(frozen=True)
class Reading:
    """A source read as far as possible: the document (None if any error) and all problems."""

    document: Document | None
    problems: list[Problem]


def read(path: Path, config: Config) -> Reading:
    problems = Problems(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        problems.error(line, "the file is not valid UTF-8", "save it as UTF-8")
        return Reading(None, problems.items)
    try:
        front = split(text)
    except FrontMatterError as exc:
        problems.error(exc.line, str(exc), exc.hint)
        return Reading(None, problems.items)

    language = front.data.get("language", "en") if isinstance(front.data, dict) else "en"
    body_parser = BodyParser(problems, config.links, str(language), front.body_offset)

    def parse_inline(text: str, line: int) -> tuple[Inline, ...]:
        tokens = MARKDOWN.parseInline(text)
        return body_parser.inline(tokens[0], line) if tokens else ()

    metadata = read_metadata(front, problems, config.links, parse_inline)
    sections, footnotes = body_parser.parse(front.body)
    if not any(section.blocks for section in sections):
        problems.error(front.body_offset + 1, "the text has no paragraphs", "write the body after the front matter")
    stem = path.name.removesuffix(SOURCE_SUFFIX)
    if metadata is not None and stem != f"{metadata.slug}.{metadata.language}":
        problems.warning(
            1,
            f"file name {path.name!r} does not follow the naming convention",
            f"rename it {metadata.slug}.{metadata.language}{SOURCE_SUFFIX}",
        )
    found = sorted(problems.items, key=lambda p: (p.line, p.column))
    if problems.errors or metadata is None:
        return Reading(None, found)
    return Reading(Document(stem, metadata, sections, footnotes, raw), found)


def load(path: Path, config: Config) -> Document:
    """The document in `path`; raises SourceError listing every problem if it has any error."""
    reading = read(path, config)
    if reading.document is None:
        raise SourceError(reading.problems)
    return reading.document


def find_sources(paths: list[Path]) -> list[Path]:
    """Source files named by `paths` (files, or folders searched recursively), sorted."""
    found: set[Path] = set()
    for path in paths:
        if path.is_dir():
            found.update(p for p in path.rglob(f"*{SOURCE_SUFFIX}") if p.name != "README.md")
        else:
            found.add(path)
    return sorted(found)
