"""Adoption formulae the house wording cannot regenerate: read for their facts, kept verbatim.

The 1950s "This Recommendation was adopted by the Assembly at its twenty-third Sitting, on 25th
September, 1953 (see Doc. 198, …)", an adoption without a debate clause, "rapporteure", "selon la
procédure d'adoption sans débat": the footnote stays the text's own words (`adoption.note`) and the
date, sitting, debates and documents are still filled in. Only a formula of none of these shapes
is reported.
"""

from __future__ import annotations

import datetime as dt
import re

from .i18n import type_name
from .ingest_adoption import (
    DAY,
    MONTHS,
    AdoptionInfo,
    DocumentEntry,
    _days,
    _ordinals,
    parse_adoption,
)
from .model import AdoptingBody, Sitting, TextType

DATE = re.compile(r"(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+(?P<month>[^\W\d_]+),?\s+(?P<year>\d{4})")
ADOPTED = re.compile(r"\badopt(?:ed|ée?s?)\b", re.IGNORECASE)
STANDING = re.compile(r"Standing Committee|Commission permanente", re.IGNORECASE)
SITTING = re.compile(r"(?P<ordinal>[^\W_]+(?:-[^\W_]+)*(?:\s+et\s+un(?:ième)?)?)\s+(?:[Ss]itting|[Ss]éance)\b")
DEBATE = re.compile(
    r"(?:Assembly debate on|Discussion par l[’']Assemblée les?)\s+(?P<days>[^()]+?)"
    r"(?:\s+\((?P<sittings>[^()]*(?:[Ss]ittings?|[Ss]éances?))\)|(?=\s*[(.]))"
)
DOCUMENT = re.compile(
    r"Doc\.\s*(?P<doc>\d+)(?:,\s*(?P<kind>report|opinion|rapport|avis)\s+(?:of the|de la|du|de l[’'])\s*"
    r"(?P<committee>[^,;()]+(?:,[^,;()]+?)*?),\s*[Rr]apporteure?\s*:\s*(?P<rapporteur>[^;()]+?))?"
    r"\s*(?=;|\)|$|\s+(?:and|et)\s+Doc\.)"
)
KINDS = {"report": "report", "opinion": "opinion", "rapport": "report", "avis": "opinion"}
APOSTROPHE = "[’']"
# The types whose English formula names them ("This Resolution was adopted by …").
ENGLISH_FORMULA_TYPES = "|".join(
    type_name(kind, "en") for kind in (TextType.RECOMMENDATION, TextType.RESOLUTION, TextType.OPINION, TextType.ORDER)
)
# The archive's formulae that the house wording does not regenerate, whole (anything more, such
# as "and addendum" or "after a vote by roll-call", makes a formula unusual, and reported).
KNOWN_SHAPES = tuple(
    re.compile("^" + shape.replace(" ", r"\s+") + "$")
    for shape in (
        r"Text adopted by the (?:Assembly|Standing Committee, acting on behalf of the Assembly,) on [^()]+?"
        r"(?: \(\d+(?:st|nd|rd|th) Sitting\))?(?:, under the procedure without debate)?(?: \(see [^()]+\))?\.",
        rf"Texte adopté par (?:l{APOSTROPHE}Assemblée|la Commission permanente, agissant au nom de "
        rf"l{APOSTROPHE}Assemblée,) le [^()]+?(?: \(\d+e séance\))?(?:,? selon la procédure "
        rf"d{APOSTROPHE}adoption sans débat)?(?: \(voir [^()]+\))?\.",
        rf"This (?:{ENGLISH_FORMULA_TYPES}) was adopted by the (?:Assembly|Standing Committee[^,]*)"
        r"(?: at its [\w-]+ Sitting,)? on [^()]+?(?: \(see [^()]+\))?\.",
        rf"(?:Cette|Cet|Ce|Le présent|La présente) [^\W\d_]+ a été adoptée? par "
        rf"(?:l{APOSTROPHE}Assemblée|la Commission permanente[^,]*),?"
        r"(?: (?:lors de|au cours de) sa [\w-]+ séance,)? le [^()]+?"
        r"(?:,? (?:lors de|au cours de) sa [\w-]+ séance)?(?: \(voir [^()]+\))?\.",
    )
)
# A house formula but for a feminine "rapporteure": the words differ, the facts do not.
FEMININE = re.compile(r"\brapporteure\b")
# "… (29th Sitting). See also Recommendation 2162 (2019).": the companion text, named after the formula
# since the 2010s; the metadata has no place for it, so the note is kept, but its shape is known.
SEE_ALSO = re.compile(r"\s+(?:See also|Voir (?:également|aussi))\s[^()]*(?:\(\d{4}\)[^()]*)*\.$")

UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "premier": 1, "première": 1, "unième": 1, "deuxième": 2, "seconde": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7, "huitième": 8, "neuvième": 9,
    "dixième": 10, "onzième": 11, "douzième": 12, "treizième": 13, "quatorzième": 14, "quinzième": 15,
    "seizième": 16, "dix-septième": 17, "dix-huitième": 18, "dix-neuvième": 19,
}  # fmt: skip
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
}  # fmt: skip
TENTHS = {
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "vingtième": 20, "trentième": 30, "quarantième": 40, "cinquantième": 50, "soixantième": 60,
}  # fmt: skip
NUMERIC_ORDINAL = re.compile(r"^(\d{1,3})(?:st|nd|rd|th|e|re|er|ème)$")


def known_shape(text: str) -> bool:
    text = SEE_ALSO.sub("", text.strip())
    return (
        any(shape.match(text) for shape in KNOWN_SHAPES) or parse_adoption(FEMININE.sub("rapporteur", text)) is not None
    )


def read_facts(text: str) -> AdoptionInfo | None:
    """What a footnote in any wording says of the adoption; the footnote itself is kept as the note."""
    text = text.strip()
    adopted = ADOPTED.search(text)
    after = text[adopted.end() :] if adopted else text
    dates = [d for d in map(_date, DATE.finditer(after)) if d] or [d for d in map(_date, DATE.finditer(text)) if d]
    if not dates:
        return None
    by = AdoptingBody.STANDING_COMMITTEE if STANDING.search(text) else AdoptingBody.ASSEMBLY
    sitting = next((n for n in map(_sitting, SITTING.finditer(after)) if n), None)
    return AdoptionInfo(by, dates[0], sitting, _debates(text), _documents(text), note=text)


def ordinal_value(word: str) -> int | None:
    """ "23rd", "twenty-third", "vingt-troisième", "trente et unième" -> the number."""
    word = word.lower()
    numeric = NUMERIC_ORDINAL.match(word)
    if numeric:
        return int(numeric.group(1))
    if word in UNITS or word in TENTHS:
        return UNITS.get(word) or TENTHS[word]
    tens, _, unit = word.replace(" et ", "-").partition("-")
    if tens in TENS and unit in UNITS and UNITS[unit] < 10:
        return TENS[tens] + UNITS[unit]
    return None


def _sitting(match: re.Match[str]) -> int | None:
    return ordinal_value(match.group("ordinal"))


def _date(match: re.Match[str]) -> dt.date | None:
    month = MONTHS.get(match.group("month").lower())
    try:
        return dt.date(int(match.group("year")), month, int(match.group("day"))) if month else None
    except ValueError:
        return None


def _debates(text: str) -> tuple[Sitting, ...]:
    match = DEBATE.search(text)
    if not match:
        return ()
    days = _days(match.group("days")) if DAY.search(match.group("days")) else None
    sittings = _ordinals(match.group("sittings")) if match.group("sittings") else []
    if days is None or sittings is None or (sittings and len(sittings) != len(days)):
        return ()
    return tuple(Sitting(day, sittings[i] if sittings else None) for i, day in enumerate(days))


def _documents(text: str) -> tuple[DocumentEntry, ...]:
    """Every document cited with its committee and rapporteur (a bare "Doc. 198" cannot be metadata)."""
    found = []
    for match in DOCUMENT.finditer(text):
        if match.group("rapporteur"):
            committee = " ".join(match.group("committee").split())
            found.append(
                DocumentEntry(
                    match.group("doc"), KINDS[match.group("kind")], committee, match.group("rapporteur").strip()
                )
            )
    return tuple(found)
