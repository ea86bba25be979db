"""The title footnote of a raw text -> structured adoption metadata.

The official formulae, in English and French, are matched whole: a formula with anything more
or less than what the metadata can say is not parsed (the caller keeps it as a verbatim note),
so that regenerating the footnote from the metadata can never lose a word.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from babel.dates import get_month_names

from .model import AdoptingBody, Sitting

MONTHS = {
    name.lower(): number for locale in ("en", "fr") for number, name in get_month_names("wide", locale=locale).items()
}
LIST_SEPARATOR = re.compile(r"\s*,\s*|\s+(?:and|et)\s+")
DAY = re.compile(r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?(?:\s+(?P<month>[^\W\d_]+))?(?:\s+(?P<year>\d{4}))?")
ORDINAL = re.compile(r"(?P<number>\d{1,3})(?:st|nd|rd|th|re|er|e|ème)")
SITTING_WORD = re.compile(r"\s*(?:[Ss]ittings?|[Ss]éances?)$")
# "; and Doc. 2", "; Doc. 2" or "and Doc. 2" between two documents.
DOCUMENT_SEPARATOR = re.compile(r"\s*;\s+(?:and\s+|et\s+)?|\s+(?:and|et)\s+(?=Doc\.)")
KINDS = {"report": "report", "opinion": "opinion", "rapport": "report", "avis": "opinion"}


def _formula(text: str) -> re.Pattern[str]:
    """A formula written with single spaces: each matches any run of spaces, no-break ones too."""
    return re.compile("^" + text.replace(" ", r"\s+") + "$")


APOSTROPHE = "[’']"
ASSEMBLY_EN = _formula(
    r"Assembly debate on (?P<days>[^()]+?)(?: \((?P<sittings>[^()]*[Ss]ittings?)\))?(?: \(see (?P<docs>.+)\))?\. "
    r"Text adopted by the Assembly on (?P<date>[^()]+?)(?: \((?P<sitting>[^()]*[Ss]itting)\))?\."
)
ASSEMBLY_FR = _formula(
    rf"Discussion par l{APOSTROPHE}Assemblée les? (?P<days>[^()]+?)(?: \((?P<sittings>[^()]*[Ss]éances?)\))?"
    rf"(?: \(voir (?P<docs>.+)\))?\. Texte adopté par l{APOSTROPHE}Assemblée le (?P<date>[^()]+?)"
    r"(?: \((?P<sitting>[^()]*[Ss]éance)\))?\."
)
STANDING_EN = _formula(
    r"Text adopted by the Standing [Cc]ommittee, acting on behalf of the Assembly, on (?P<date>[^()]+?)"
    r"(?: \(see (?P<docs>.+)\))?\."
)
STANDING_FR = _formula(
    rf"Texte adopté par la [Cc]ommission [Pp]ermanente, agissant au nom de l{APOSTROPHE}Assemblée, le (?P<date>[^()]+?)"
    r"(?: \(voir (?P<docs>.+)\))?\."
)
# "Doc.10423" and "rapporteur :" are the extraction's spacing: the metadata says the same.
DOCUMENT_EN = _formula(
    r"Doc\.\s*(?P<doc>\d+), (?P<kind>report|opinion) of the (?P<committee>.+), rapporteur\s*: (?P<rapporteur>.+)"
)
DOCUMENT_FR = _formula(
    rf"Doc\.\s*(?P<doc>\d+), (?P<kind>rapport|avis) (?:de la |du |de l{APOSTROPHE})(?P<committee>.+), "
    r"rapporteur\s*: (?P<rapporteur>.+)"
)
FORMULAE = (
    (ASSEMBLY_EN, "en", AdoptingBody.ASSEMBLY),
    (ASSEMBLY_FR, "fr", AdoptingBody.ASSEMBLY),
    (STANDING_EN, "en", AdoptingBody.STANDING_COMMITTEE),
    (STANDING_FR, "fr", AdoptingBody.STANDING_COMMITTEE),
)


@dataclass(frozen=True)
class DocumentEntry:
    number: str
    kind: str  # report | opinion
    committee: str
    rapporteur: str


@dataclass(frozen=True)
class AdoptionInfo:
    by: AdoptingBody
    date: dt.date
    sitting: int | None = None
    debates: tuple[Sitting, ...] = ()
    documents: tuple[DocumentEntry, ...] = ()
    note: str = ""  # the footnote verbatim, when its formula could not be parsed


def formula_language(text: str) -> str | None:
    """ "en" or "fr" from the opening words of the title footnote, None if neither."""
    if text.startswith(("Assembly debate", "Text adopted", "This ")):
        return "en"
    if text.startswith(("Discussion par", "Texte adopté", "Cette ", "Cet ", "Ce ", "Le présent", "La présente")):
        return "fr"
    return None


def parse_adoption(text: str) -> AdoptionInfo | None:
    """The adoption described by a title footnote in one of the official formulae, else None."""
    for pattern, language, by in FORMULAE:
        match = pattern.match(text.strip())
        if match:
            return _adoption(match, language, by)
    return None


def _adoption(match: re.Match[str], language: str, by: AdoptingBody) -> AdoptionInfo | None:
    groups = match.groupdict()
    dates = _days(groups["date"])
    documents = _documents(groups["docs"], language) if groups["docs"] else []
    if dates is None or len(dates) != 1 or documents is None:
        return None
    sitting = _ordinals(groups["sitting"]) if groups.get("sitting") else []
    if sitting is None or len(sitting) > 1:
        return None
    if by is AdoptingBody.STANDING_COMMITTEE:
        return AdoptionInfo(by, dates[0], None, (), tuple(documents))
    days = _days(groups["days"])
    sittings = _ordinals(groups["sittings"]) if groups["sittings"] else []
    if days is None or sittings is None or (sittings and len(sittings) != len(days)):
        return None  # e.g. two sittings on one day: the metadata cannot say it
    debates = tuple(Sitting(day, sittings[i] if sittings else None) for i, day in enumerate(days))
    return AdoptionInfo(by, dates[0], sitting[0] if sitting else None, debates, tuple(documents))


def _days(text: str) -> list[dt.date] | None:
    """ "22 and 23 June 2004", "30 septembre et 1er octobre 2004": month and year carry back."""
    items = LIST_SEPARATOR.split(text.strip())
    month: int | None = None
    year: int | None = None
    dates: list[dt.date] = []
    for item in reversed(items):
        match = DAY.fullmatch(item)
        if not match:
            return None
        if match.group("month"):
            month = MONTHS.get(match.group("month").lower())
        if match.group("year"):
            year = int(match.group("year"))
        if month is None or year is None:
            return None
        try:
            dates.append(dt.date(year, month, int(match.group("day"))))
        except ValueError:
            return None
    return dates[::-1]


def _ordinals(text: str) -> list[int] | None:
    """ "19th and 20th Sittings" -> [19, 20]; "1re séance" -> [1]."""
    items = LIST_SEPARATOR.split(SITTING_WORD.sub("", text).strip())
    matches = [ORDINAL.fullmatch(item) for item in items]
    return [int(m.group("number")) for m in matches if m] if all(matches) else None


def _documents(text: str, language: str) -> list[DocumentEntry] | None:
    pattern = DOCUMENT_FR if language == "fr" else DOCUMENT_EN
    documents: list[DocumentEntry] = []
    for item in DOCUMENT_SEPARATOR.split(text.strip()):
        match = pattern.match(item)
        if not match:
            return None
        kind = KINDS[match.group("kind")]
        documents.append(DocumentEntry(match.group("doc"), kind, match.group("committee"), match.group("rapporteur")))
    return documents
