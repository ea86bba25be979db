"""A text's identity in Akoma Ntoso's naming convention: FRBR work, expression, manifestation.

    work           /akn/coe/statement/deliberation/pace/2003/rec-1607
    expression     /akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24
    manifestation  /akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24/!main.xml

The work's date is the year of the citation, not the adoption day: a mention such as
"Recommendation 1253 (1994)" then names its target's work exactly, which a reference must do
without knowing the day the other text was adopted. The expression's date is the adoption day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from .languages import LANGUAGES_BY_ISO_639_2, canonical_tag, iso_639_2
from .model import Metadata, TextType
from .textname import TextName

PREFIX = "akn"
JURISDICTION = "coe"  # the Council of Europe: an international organisation, not an ISO country
DOCTYPE = "statement"  # AKN's document for deliberations that are not legislation
SUBTYPE = "deliberation"
ACTOR = "pace"  # the Parliamentary Assembly
COMPONENT = "main"
FORMAT = "xml"

# The number part of the work: short type word and the text's number.
TYPE_CODES: dict[TextType, str] = {
    TextType.RECOMMENDATION: "rec",
    TextType.RESOLUTION: "res",
    TextType.OPINION: "opi",
    TextType.ORDER: "ord",
    TextType.DECISION: "dec",
}
TYPES_BY_CODE = {code: kind for kind, code in TYPE_CODES.items()}

NUMBER = re.compile(r"(?P<code>[a-z]+)-(?P<number>[1-9]\d*)")
EXPRESSION = re.compile(r"(?P<language>[a-z]{3})@(?P<date>\d{4}-\d{2}-\d{2})")


class FrbrError(ValueError):
    """A URI that is not one of this scheme's work, expression or manifestation URIs."""

    def __init__(self, uri: str, message: str) -> None:
        super().__init__(f"{uri!r} is not an Akoma Ntoso URI of an adopted text: {message}")
        self.uri = uri


@dataclass(frozen=True)
class FrbrUri:
    """One adopted text's URIs; `language` and `date` are set for an expression or manifestation."""

    type: TextType
    number: int
    year: int
    language: str = ""  # three letters, ISO 639-2/T
    date: dt.date | None = None  # the expression's date: the adoption
    component: str = ""  # "main", or an attachment's name
    format: str = ""  # "xml" for the manifestation

    @classmethod
    def of(cls, name: TextName, date: dt.date | None = None) -> FrbrUri:
        """The work of the text `name` names, or with the adoption `date` its language's expression."""
        if date is None:
            return cls(name.type, name.number, name.year)
        return cls(name.type, name.number, name.year, iso_639_2(name.language), date)

    @classmethod
    def for_text(cls, meta: Metadata) -> FrbrUri:
        """The expression of a language version: its work and its adoption day."""
        return cls.of(TextName.of(meta), meta.adoption.date)

    def in_language(self, tag: str) -> FrbrUri:
        """The same work's expression in another language, adopted the same day."""
        return replace(self, language=iso_639_2(tag))

    def text_name(self, tag: str = "") -> TextName:
        """The name of this expression's language version; `tag` (BCP 47) when the three-letter
        code alone cannot say it ("en-GB")."""
        if not (tag or self.language):
            raise ValueError(f"{self.work} is a work: name its language")
        return TextName(self.type, self.number, self.year, canonical_tag(tag or LANGUAGES_BY_ISO_639_2[self.language]))

    @classmethod
    def parse(cls, uri: str) -> FrbrUri:
        """Read a work, expression or manifestation URI; the error names the part that is wrong."""
        head, _, portion = uri.partition("/!")
        parts = head.split("/")
        fixed = ["", PREFIX, JURISDICTION, DOCTYPE, SUBTYPE, ACTOR]
        for index, expected in enumerate(fixed):
            if index >= len(parts) or parts[index] != expected:
                return _fail(uri, f"it must start with {'/'.join(fixed)}/")
        rest = parts[len(fixed) :]
        if len(rest) not in (2, 3):
            _fail(uri, "expected the year and the number, then optionally language@date")
        if not (len(rest[0]) == 4 and rest[0].isdigit()):
            _fail(uri, f"the work's date must be the year of the text (four digits), not {rest[0]!r}")
        match = NUMBER.fullmatch(rest[1])
        if match is None or match["code"] not in TYPES_BY_CODE:
            codes = ", ".join(f"{code}-N" for code in TYPES_BY_CODE)
            _fail(uri, f"the number must be one of {codes}, not {rest[1]!r}")
        assert match is not None
        found = cls(TYPES_BY_CODE[match["code"]], int(match["number"]), int(rest[0]))
        if len(rest) == 3:
            found = _with_expression(uri, found, rest[2])
        if portion:
            if not found.date:
                _fail(uri, "a component (!main) belongs to an expression: add language@date before it")
            component, dot, extension = portion.partition(".")
            if not component or (dot and not extension):
                _fail(uri, f"the component '!{portion}' must be a name, optionally with a format: !main.xml")
            found = replace(found, component=component, format=extension)
        return found

    @property
    def work(self) -> str:
        return f"/{PREFIX}/{JURISDICTION}/{DOCTYPE}/{SUBTYPE}/{ACTOR}/{self.year}/{TYPE_CODES[self.type]}-{self.number}"

    @property
    def expression(self) -> str:
        if not (self.language and self.date):
            raise ValueError(f"{self.work} is a work: it has no language and date of expression")
        return f"{self.work}/{self.language}@{self.date.isoformat()}"

    @property
    def manifestation(self) -> str:
        """The expression's XML file: its main component in the format `xml`."""
        return f"{self.expression}/!{self.component or COMPONENT}.{self.format or FORMAT}"

    def this(self, level: str, component: str = COMPONENT) -> str:
        """FRBRthis of a component (the main document or an attachment) at `level`."""
        if level == "work":
            return f"{self.work}/!{component}"
        if level == "expression":
            return f"{self.expression}/!{component}"
        return f"{self.expression}/!{component}.{FORMAT}"

    def __str__(self) -> str:
        if self.component or self.format:
            suffix = f".{self.format}" if self.format else ""
            return f"{self.expression}/!{self.component}{suffix}"
        return self.expression if self.date else self.work


def _with_expression(uri: str, work: FrbrUri, part: str) -> FrbrUri:
    match = EXPRESSION.fullmatch(part)
    if match is None:
        _fail(uri, f"the expression must be language@YYYY-MM-DD (e.g. eng@2003-06-24), not {part!r}")
    assert match is not None
    if match["language"] not in LANGUAGES_BY_ISO_639_2:
        _fail(uri, f"unknown language code {match['language']!r}: use ISO 639-2/T, e.g. eng, fra")
    try:
        date = dt.date.fromisoformat(match["date"])
    except ValueError:
        return _fail(uri, f"{match['date']} is not a date")
    return replace(work, language=match["language"], date=date)


def _fail(uri: str, message: str) -> FrbrUri:
    raise FrbrError(uri, message)
