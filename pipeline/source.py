"""Read a canonical source (UTF-8 Markdown with YAML front matter) into a Document."""

from __future__ import annotations

import os
import re
import stat
from collections import defaultdict
from pathlib import Path

import msgspec

from .body import BodyParser, markdown
from .config import Config
from .errors import Problem, Problems, SourceError, shown
from .frontmatter import FrontMatterError, split
from .languages import is_language
from .metadata import read_metadata
from .model import Document, Inline, LanguageVersion
from .safety import MAX_SOURCE_BYTES, check_body, decode, too_large
from .textname import SOURCE_SUFFIX as SOURCE_SUFFIX  # where ingest and synoptic find it
from .textname import TextName, TextNameError, file_stem

SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,120}$")  # editions are named after the stem


class Reading(msgspec.Struct, frozen=True):
    """A source read as far as possible: the document (None if any error) and all problems."""

    document: Document | None
    problems: list[Problem]


def read(path: Path, config: Config) -> Reading:
    problems = Problems(path)
    stem = file_stem(path)
    if not SAFE_STEM.match(stem) or ".." in stem:
        problems.error(
            1,
            f"the file name {shown(path.name)} cannot name an edition",
            "use lower-case letters, digits, '-' and '.', e.g. resolution-1234-2001.en.md",
        )
        return Reading(None, problems.items)
    raw = read_source_bytes(path, problems)
    if raw is None:
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
    if not isinstance(language, str) or not is_language(language):
        language = "en"  # reported by the metadata reader; the body is still read, in English
    body_parser = BodyParser(problems, config.links, language, front.body_offset)

    def parse_inline(text: str, line: int) -> tuple[Inline, ...]:
        tokens = markdown(str(language)).parseInline(text)
        return body_parser.inline(tokens[0], line) if tokens else ()

    metadata = read_metadata(front, problems, config.links, parse_inline)
    if not check_body(front.body, front.body_offset + 1, problems):
        return Reading(None, sorted(problems.items, key=lambda p: (p.line, p.column)))
    sections, footnotes = body_parser.parse(front.body)
    if not any(section.blocks for section in sections):
        problems.error(front.body_offset + 1, "the text has no paragraphs", "write the body after the front matter")
    expected = TextName.of(metadata).stem if metadata else stem  # en-GB: x.en-gb.md
    if stem != expected:
        # An error, not a warning: language versions are found, and editions named, by file name.
        problems.error(
            1,
            f"file name {shown(path.name)} does not follow the naming convention",
            f"rename it {expected}{SOURCE_SUFFIX}",
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


def read_source_bytes(path: Path, problems: Problems) -> bytes | None:
    """The bytes of a source, or None with the problem reported. Everything is checked before a
    byte is read: a link must stay in its folder, the file must be a regular one (a FIFO would
    block, /dev/zero never end), and within the size limit, which also bounds the read itself."""
    try:
        if path.is_symlink() and not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(path.parent)):
            problems.error(1, "the source is a symbolic link to a file outside its folder", "copy the file in instead")
            return None
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        try:
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                problems.error(1, "the source is not a regular file (a folder, a FIFO or a device)", "check the file")
                return None
            if too_large(status.st_size, problems):
                return None
            data = _read_at_most(descriptor, MAX_SOURCE_BYTES + 1)  # the file may grow while it is read
        finally:
            os.close(descriptor)
    except OSError as exc:  # a dangling link, a link loop, a file removed meanwhile, no permission
        problems.error(1, f"the source cannot be read: {exc.strerror or exc}", "check the file")
        return None
    return None if too_large(len(data), problems) else data


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks, size = [], 0
    while size < limit:
        chunk = os.read(descriptor, min(1 << 20, limit - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


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


def all_language_versions(sources: list[Path]) -> dict[Path, tuple[LanguageVersion, ...]]:
    """The language versions of every source, grouped by slug in one pass (a corpus has 10,000).

    Pass only the sources that will be built: a refused duplicate is nobody's version.
    """
    by_slug: dict[str, list[tuple[Path, TextName]]] = defaultdict(list)
    for source in sources:
        try:
            name = TextName.of_file(source)
        except TextNameError:  # "x.old.md" is not a language version (and is refused on reading)
            continue
        by_slug[name.slug].append((source, name))
    versions: dict[Path, tuple[LanguageVersion, ...]] = dict.fromkeys(sources, ())
    for group in by_slug.values():
        for source, _ in group:
            versions[source] = tuple(
                LanguageVersion(name.language, file_stem(other)) for other, name in group if other != source
            )
    return versions
