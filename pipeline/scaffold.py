"""`pipeline new`: the skeleton of a new source, or a language version of an existing one.

Every value the author must supply is written as a placeholder that `pipeline check` refuses
(an empty text, the date `YYYY-MM-DD`, an empty paragraph 1.), so a skeleton cannot be published
by mistake; each is reported with its line until it is filled.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .config import Config
from .errors import Problems, UsageError
from .frontmatter import split
from .languages import base_language, canonical_tag, is_language
from .model import TextType
from .safety import decode
from .source import load
from .textname import TextName

DATE_PLACEHOLDER = "YYYY-MM-DD"
ISSUING_BODY = {"en": "Parliamentary Assembly", "fr": "Assemblée parlementaire"}  # as the texts print it
PLAIN = re.compile(r"^[^\W\d_][\w ,.()'’«»\-–/]*$")  # safe unquoted in YAML: no ': ', no ' #', no leading sign


def identity(type_name: str, number: int, year: int, language: str) -> TextName:
    """The identity given on the command line, with the checks `check` would make later."""
    try:
        text_type = TextType(type_name)
    except ValueError:
        known = ", ".join(t.value for t in TextType)
        raise UsageError(f"unknown text type {type_name!r}: use one of {known}") from None
    tag = canonical_tag(language)
    if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,4})*", language) or not is_language(tag):
        raise UsageError(f"{language!r} is not a language tag (e.g. en, fr, en-GB)")
    if number < 1 or year < 1:
        raise UsageError("the number and the year must be positive whole numbers")
    return TextName(text_type, number, year, tag)


def skeleton(text: TextName, title: str = "") -> str:
    """A new source: every required key, placeholders where only the author knows the value."""
    front: list[str] = [
        f"type: {text.type.value}",
        f"number: {text.number}",
        f"year: {text.year}",
        f"language: {text.language}",
        f"title: {scalar(title)}" + ("" if title else "  # the title as adopted"),
        f"issued_by: {scalar(ISSUING_BODY.get(base_language(text.language), ''))}",
        "status: provisional  # final once the edition is checked against the adopted text",
        "keywords: []",
        "adoption:",
        "  by: assembly  # or standing-committee",
        "  debates:  # each day of debate",
        f"    - date: {DATE_PLACEHOLDER}",
        "      sitting:",
        "  documents:  # the reports the text was adopted on",
        '    - doc: ""  # the number only, e.g. 9814',
        "      kind: report  # or opinion",
        '      committee: ""',
        '      rapporteur: ""',
        f"  date: {DATE_PLACEHOLDER}  # the adoption date",
        "  sitting:",
    ]
    return _source(front, "1. \n")


def language_version(original: Path, language: str, config: Config, title: str = "") -> tuple[TextName, str]:
    """A new language version of `original`: same numbers and adoption, texts left to translate.

    The body is copied as it is (numbers, notes, quotations, tables kept) for the translator to
    overwrite; what is worded in the language (title, committees, rapporteurs, keywords, a free
    adoption note) becomes a placeholder with the original beside it as a comment.
    """
    document = load(original, config)  # a broken original would be copied broken: refuse it
    meta = document.metadata
    text = identity(meta.type.value, meta.number, meta.year, language)
    if text.language == meta.language:
        raise UsageError(f"{original} is already in {meta.language}: give another --lang")
    front_matter = split(decode(document.source, Problems(original)) or "")  # accepted by load: decodes
    adoption: dict[str, Any] = front_matter.data["adoption"]
    front: list[str] = [
        f"type: {text.type.value}",
        f"number: {text.number}",
        f"year: {text.year}",
        f"language: {text.language}",
        "translation: unofficial  # or official, when this version was adopted as such",
        f"title: {scalar(title)}" + ("" if title else f"  # {_comment(meta.title)}"),
        f"issued_by: {scalar(ISSUING_BODY.get(base_language(text.language), ''))}",
        f"status: {meta.status.value}",
        "keywords: []" + (f"  # {_comment(', '.join(meta.keywords))}" if meta.keywords else ""),
        "adoption:",
        *_adoption(adoption),
    ]
    return text, _source(front, front_matter.body.lstrip("\n"))


def _adoption(adoption: dict[str, Any]) -> Iterator[str]:
    """The adoption block: dates, sittings and numbers kept; wording left to translate."""
    yield f"  by: {adoption.get('by', 'assembly')}"
    if adoption.get("debates"):
        yield "  debates:"
        for debate in adoption["debates"]:
            yield f"    - date: {debate['date']}"
            if debate.get("sitting") is not None:
                yield f"      sitting: {debate['sitting']}"
    if adoption.get("documents"):
        yield "  documents:"
        for document in adoption["documents"]:
            yield f"    - doc: {document['doc']}"
            yield f"      kind: {document.get('kind', 'report')}"
            yield f'      committee: ""  # {_comment(str(document["committee"]))}'
            yield f'      rapporteur: ""  # {_comment(str(document["rapporteur"]))}'
    yield f"  date: {adoption['date']}"
    if adoption.get("sitting") is not None:
        yield f"  sitting: {adoption['sitting']}"
    if adoption.get("note"):
        yield f'  note: ""  # {_comment(str(adoption["note"]))}'


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text`; an existing file is never touched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    except FileExistsError:
        raise UsageError(f"{path} already exists: it is never overwritten (remove it or choose --out)") from None
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
        stream.write(text)


def scalar(text: str) -> str:
    """`text` as a YAML scalar that the reader gives back unchanged: plain when safe, else quoted."""
    return text if PLAIN.match(text) and not text.endswith(":") else json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    """The original wording, kept on one line after '#' for the translator."""
    return "to translate: " + " ".join(text.split())


def _source(front: list[str], body: str) -> str:
    return "---\n" + "\n".join(front) + "\n---\n\n" + body
