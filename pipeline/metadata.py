"""Front-matter data -> Metadata, checking every field and reporting all problems."""

from __future__ import annotations

import datetime as dt
import difflib
import enum
from collections.abc import Callable
from typing import Any, TypeVar

from .config import LinkPatterns
from .errors import Problems, shown
from .frontmatter import FrontMatter
from .i18n import has_catalogue
from .languages import is_written_tag
from .model import AdoptingBody, Adoption, Inline, Metadata, NoteCall, ReportedDocument, Sitting, Status, TextType
from .safety import FORBIDDEN, check_value, visible
from .typography import no_break_spaces, typography_for

KNOWN_KEYS = {
    "type",
    "number",
    "year",
    "language",
    "title",
    "issued_by",
    "status",
    "keywords",
    "adoption",
    "translation",
    "version_date",
}
TRANSLATION_KINDS = ("official", "unofficial")
ADOPTION_KEYS = {"by", "date", "sitting", "debates", "documents", "note"}
DOCUMENT_KEYS = {"doc", "kind", "committee", "rapporteur"}
E = TypeVar("E", bound=enum.Enum)
InlineParser = Callable[[str, int], tuple[Inline, ...]]


class MetadataReader:
    """Reads one source's front matter; each getter reports its own problem and returns None."""

    def __init__(self, front: FrontMatter, problems: Problems) -> None:
        self.front = front
        self.problems = problems

    def line(self, *path: str | int) -> int:
        while path and path not in self.front.lines:
            path = path[:-1]
        return self.front.lines.get(path, 1)

    def value(self, data: dict[str, Any], *path: str | int, required: bool = True) -> Any:
        key = path[-1]
        if key in data and data[key] is None:  # "title:" with nothing after it: that line is the one to fix
            if required:
                self.problems.error(self.line(*path), f"'{_dotted(path)}' is empty", f"write its value after '{key}:'")
            return None
        if key not in data:
            if required:
                self.problems.error(
                    self.line(*path[:-1]), f"missing metadata '{_dotted(path)}'", f"add '{key}:' to the front matter"
                )
            return None
        return data[key]

    def text(self, data: dict[str, Any], *path: str | int, required: bool = True) -> str | None:
        value = self.value(data, *path, required=required)
        if value is None:
            return None
        if isinstance(value, (dict, list)) or not visible(str(value)):
            self.problems.error(self.line(*path), f"'{_dotted(path)}' must be a non-empty text")
            return None
        if not isinstance(value, (str, int)):
            self.problems.error(self.line(*path), f"'{_dotted(path)}' must be a text", "put it in quotes")
            return None
        return str(value).strip()

    def integer(self, data: dict[str, Any], *path: str | int, required: bool = True) -> int | None:
        value = self.value(data, *path, required=required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            quoted = isinstance(value, str) and value.strip().isdecimal()  # "9401": YAML reads a text
            self.problems.error(
                self.line(*path),
                f"'{_dotted(path)}' must be a positive whole number, not {shown(value)}",
                "write it without quotes" if quoted else "",
            )
            return None
        return value

    def date(self, data: dict[str, Any], *path: str | int) -> dt.date | None:
        value = self.value(data, *path)
        if value is None:
            return None
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.problems.error(
                self.line(*path),
                f"'{_dotted(path)}' is not a valid date: {shown(value)}",
                "write dates as YYYY-MM-DD, e.g. 2003-06-24",
            )
            return None

    def choice(self, data: dict[str, Any], enum_type: type[E], *path: str | int, default: E | None = None) -> E | None:
        value = self.value(data, *path, required=default is None)
        if value is None:
            return default
        try:
            return enum_type(str(value))
        except ValueError:
            allowed = [str(member.value) for member in enum_type]
            close = difflib.get_close_matches(str(value), allowed, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "use one of: " + ", ".join(allowed)
            self.problems.error(self.line(*path), f"unknown {_dotted(path)} {shown(value)}", hint)
            return None

    def mapping(self, data: Any, known: set[str], *path: str | int) -> dict[str, Any]:
        if not isinstance(data, dict):
            self.problems.error(
                self.line(*path), f"'{_dotted(path) or 'front matter'}' must be a mapping of keys to values"
            )
            return {}
        for key in data:
            if str(key) not in known:
                close = difflib.get_close_matches(str(key), sorted(known), n=1)
                hint = f"did you mean '{close[0]}'?" if close else "it is ignored"
                self.problems.warning(
                    self.line(*path, str(key)), f"unknown metadata key {shown(_dotted((*path, key)))}", hint
                )
        return data

    def sequence(self, data: dict[str, Any], *path: str | int) -> list[Any]:
        value = self.value(data, *path, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.error(self.line(*path), f"'{_dotted(path)}' must be a list (items starting with '- ')")
            return []
        return value


def read_metadata(
    front: FrontMatter, problems: Problems, links: LinkPatterns, parse_inline: InlineParser
) -> Metadata | None:
    reader = MetadataReader(front, problems)
    data = reader.mapping(_policed(reader, front.data, ()), KNOWN_KEYS)
    language = reader.text(data, "language")
    if language is not None and not is_written_tag(language):
        problems.error(
            reader.line("language"),
            f"'language' {shown(language)} is not a BCP 47 language tag",
            "use e.g. 'en', 'fr', 'en-GB'",
        )
        language = None
    text_type = reader.choice(data, TextType, "type")
    number = reader.integer(data, "number")
    year = reader.integer(data, "year")
    title = reader.text(data, "title")
    issuing_body = reader.text(data, "issued_by")
    status = reader.choice(data, Status, "status", default=Status.FINAL)
    keywords = _keywords(reader, data)
    translation = reader.text(data, "translation", required=False) or "official"
    if translation not in TRANSLATION_KINDS:
        problems.error(
            reader.line("translation"), f"'translation' must be official or unofficial, not {shown(translation)}"
        )
    adoption = _adoption(reader, data, links, language or "en", parse_inline)
    version_date = reader.date(data, "version_date") if data.get("version_date") is not None else None
    if adoption is not None and version_date is not None and version_date < adoption.date:
        problems.error(
            reader.line("version_date"),
            f"'version_date' {version_date.isoformat()} is before the adoption ({adoption.date.isoformat()})",
            "a version is issued on or after the day the text is adopted",
        )
        version_date = None
    if (
        text_type is None
        or number is None
        or year is None
        or language is None
        or title is None
        or issuing_body is None
        or status is None
        or adoption is None
    ):
        return None
    space = typography_for(language)
    metadata = Metadata(
        text_type,
        number,
        year,
        language,
        space(title),
        space(issuing_body),
        adoption,
        status,
        keywords,
        unofficial_translation=translation == "unofficial",
        version_date=version_date,
    )
    if not has_catalogue(language):
        problems.warning(
            reader.line("language"),
            f"there is no catalogue for {shown(language)}: generated wording (dates aside) will be English",
            f"add pipeline/locale/{language}/LC_MESSAGES/messages.po",
        )
    if metadata.adoption.date.year != metadata.year:
        problems.warning(
            reader.line("year"),
            f"year {metadata.year} differs from the adoption date {metadata.adoption.date.isoformat()}",
            "check both against the official text",
        )
    return metadata


def _adoption(
    reader: MetadataReader, data: dict[str, Any], links: LinkPatterns, language: str, parse_inline: InlineParser
) -> Adoption | None:
    raw = reader.value(data, "adoption")
    if raw is None:
        return None
    adoption = reader.mapping(raw, ADOPTION_KEYS, "adoption")
    by = reader.choice(adoption, AdoptingBody, "adoption", "by", default=AdoptingBody.ASSEMBLY)
    date = reader.date(adoption, "adoption", "date")
    sitting = reader.integer(adoption, "adoption", "sitting", required=False)
    debates = [
        _sitting(reader, item, index) for index, item in enumerate(reader.sequence(adoption, "adoption", "debates"))
    ]
    documents = [
        _document(reader, item, index, links, language)
        for index, item in enumerate(reader.sequence(adoption, "adoption", "documents"))
    ]
    note_text = reader.text(adoption, "adoption", "note", required=False)
    note = parse_inline(note_text, reader.line("adoption", "note")) if note_text else ()
    if any(isinstance(item, NoteCall) for item in note):
        reader.problems.error(
            reader.line("adoption", "note"),
            "the adoption note cannot call a footnote",
            "write the text into the note itself",
        )
    if by is AdoptingBody.ASSEMBLY and not debates and not note:
        reader.problems.error(
            reader.line("adoption"),
            "an Assembly adoption needs 'debates'",
            "list each debate day with its date and sitting, or give a 'note'",
        )
    if by is None or date is None or None in debates or None in documents:
        return None
    return Adoption(by, date, sitting, tuple(d for d in debates if d), tuple(d for d in documents if d), note)


def _sitting(reader: MetadataReader, raw: Any, index: int) -> Sitting | None:
    item = reader.mapping(raw, {"date", "sitting"}, "adoption", "debates", index)
    date = reader.date(item, "adoption", "debates", index, "date")
    number = reader.integer(item, "adoption", "debates", index, "sitting", required=False)
    return Sitting(date, number) if date else None


def _document(
    reader: MetadataReader, raw: Any, index: int, links: LinkPatterns, language: str
) -> ReportedDocument | None:
    path = ("adoption", "documents", index)
    item = reader.mapping(raw, DOCUMENT_KEYS, *path)
    number = reader.text(item, *path, "doc")
    kind = reader.text(item, *path, "kind", required=False) or "report"
    committee = reader.text(item, *path, "committee")
    rapporteur = reader.text(item, *path, "rapporteur")
    if number is not None and not (number.isascii() and number.isdigit()):
        reader.problems.error(
            reader.line(*path, "doc"),
            f"document number {shown(number)} is not a number",
            "write the number only, e.g. doc: 9814",
        )
        return None
    if number is None or committee is None or rapporteur is None:
        return None
    url = links.document.format(number=number, language=language) if links.document else ""
    space = typography_for(language)
    # "Mr Wilkinson" is one unit wherever it is printed: the no-break space is the model's, as in
    # the body, so that an edition read back (DOCX, AKN, raw text) gives the same document.
    return ReportedDocument(number, kind, space(committee), no_break_spaces(space(rapporteur)), url)


def _policed(reader: MetadataReader, value: Any, path: tuple[str | int, ...]) -> Any:
    """`value` with the character policy applied to every key and text it holds, decoded escapes
    included; a refused character is reported and taken out, so the other checks still run."""
    if isinstance(value, str):
        if check_value(value, f"'{_dotted(path) or 'front matter'}'", reader.line(*path), reader.problems):
            return value
        return FORBIDDEN.sub("", value)
    if isinstance(value, list):
        return [_policed(reader, item, (*path, index)) for index, item in enumerate(value)]
    if isinstance(value, dict):
        policed = {}
        for key, item in value.items():
            name = str(key)
            if not check_value(name, f"the key {shown(name)}", reader.line(*path, name), reader.problems):
                name = FORBIDDEN.sub("", name)
                reader.front.lines[(*path, name)] = reader.line(*path, str(key))  # messages keep its line
            policed[name] = _policed(reader, item, (*path, str(key)))
        return policed
    return value


def _keywords(reader: MetadataReader, data: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(k).strip() for k in reader.sequence(data, "keywords") if str(k).strip())


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)
