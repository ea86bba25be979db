"""Read a canonical source (UTF-8 Markdown with YAML front matter) into a Document."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .body import BodyParser, markdown
from .config import Config
from .errors import Problem, Problems, SourceError
from .frontmatter import FrontMatterError, split
from .metadata import read_metadata
from .model import Document, Inline
from .safety import decode, too_large

SOURCE_SUFFIX = ".md"
SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")  # editions are named after the stem


@dataclass(frozen=True)
class Reading:
    """A source read as far as possible: the document (None if any error) and all problems."""

    document: Document | None
    problems: list[Problem]


def read(path: Path, config: Config) -> Reading:
    problems = Problems(path)
    stem = path.name.removesuffix(SOURCE_SUFFIX)
    if not SAFE_STEM.match(stem) or ".." in stem:
        problems.error(
            1,
            f"the file name {path.name!r} cannot name an edition",
            "use lower-case letters, digits, '-' and '.', e.g. resolution-1234-2001.en.md",
        )
        return Reading(None, problems.items)
    if path.is_symlink() and not path.resolve().is_relative_to(path.parent.resolve()):
        problems.error(1, "the source is a symbolic link to a file outside its folder", "copy the file in instead")
        return Reading(None, problems.items)
    try:
        if too_large(path.stat().st_size, problems):
            return Reading(None, problems.items)
        raw = path.read_bytes()
    except OSError as exc:  # a dangling link, a file removed meanwhile, no permission
        problems.error(1, f"the source cannot be read: {exc.strerror}", "check the file")
        return Reading(None, problems.items)
    text = decode(raw, problems)
    if text is None:
        return Reading(None, problems.items)
    try:
        front = split(text)
    except FrontMatterError as exc:
        problems.error(exc.line, str(exc), exc.hint)
        return Reading(None, problems.items)

    language = front.data.get("language", "en") if isinstance(front.data, dict) else "en"
    body_parser = BodyParser(problems, config.links, str(language), front.body_offset)

    def parse_inline(text: str, line: int) -> tuple[Inline, ...]:
        tokens = markdown(str(language)).parseInline(text)
        return body_parser.inline(tokens[0], line) if tokens else ()

    metadata = read_metadata(front, problems, config.links, parse_inline)
    sections, footnotes = body_parser.parse(front.body)
    if not any(section.blocks for section in sections):
        problems.error(front.body_offset + 1, "the text has no paragraphs", "write the body after the front matter")
    if metadata is not None and stem != f"{metadata.slug}.{metadata.language}":
        # An error, not a warning: language versions are found, and editions named, by file name.
        problems.error(
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
        if not path.is_dir():
            found.add(path)
            continue
        for folder, _, files in os.walk(path):  # does not descend into linked folders
            found.update(Path(folder) / name for name in files if name.endswith(SOURCE_SUFFIX) and name != "README.md")
    return sorted(found)
