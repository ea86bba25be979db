"""The lines around the citation -> title, issuing body and status; the language; the front matter."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass

import yaml

from .errors import Problems
from .frontmatter import PlainSafeLoader
from .ingest_adoption import AdoptionInfo, formula_language
from .ingest_body import HEADING
from .ingest_lines import Citation, Line
from .ingest_markdown import Origin
from .ingest_numbers import numbered, undotted
from .ingest_words import Vocabulary
from .model import Status

# The Assembly was the "Consultative Assembly" until 1974, and its texts say so.
ISSUERS = {
    "Parliamentary Assembly": "en",
    "Assemblée parlementaire": "fr",
    "Consultative Assembly": "en",
    "Assemblée consultative": "fr",
}
DEFAULT_ISSUER = {"en": "Parliamentary Assembly", "fr": "Assemblée parlementaire"}
CONSULTATIVE = {"en": "Consultative Assembly", "fr": "Assemblée consultative"}
RENAMED = 1974  # the year the Consultative Assembly began to call itself the Parliamentary Assembly
PROVISIONAL = re.compile(r"^(?:Provisional (?:edition|version)|(?:Édition|Version) provisoire)$", re.IGNORECASE)
WORD = re.compile(r"[^\W\d_]+")
# Earlier eras print the title as the rest of a sentence ("Recommendation 880 (1979) on the conservation
# of …"); the Assembly's own lists name the text without the linking words ("Conservation of …").
LINKING_WORDS = re.compile(
    r"^(?:(?:on|concerning|regarding)\s+(?:the\s+)?"
    r"|(?:sur|concernant|relati(?:f|ve)s?)\s+(?:à\s+(?:la\s+|l['’])?|aux?\s+|(?:la|le|les)\s+|l['’])?)"
    r"(?=[^\W\d_])"
)
# "The Assembly," opening the body of earlier eras' texts, on the line under the title.
PREAMBLE = re.compile(
    r"^(?:The (?:Parliamentary |Consultative )?Assembly|L['’]Assemblée(?: parlementaire| consultative)?),$"
)
# Frequent words of each language, a tie-breaker between the citation and the formula.
FUNCTION_WORDS = {
    "en": {"the", "of", "and", "to", "in", "on", "its", "with"},
    "fr": {"le", "la", "les", "des", "et", "du", "de", "au", "aux"},
}


@dataclass(frozen=True)
class Heading:
    title: str
    title_line: int
    issued_by: str
    issued_line: int
    status: Status
    linking: str = ""  # "on the": printed before the title, left out of it


def detect_language(citation: Citation, note: str, lines: list[Line], problems: Problems) -> str:
    """English or French, by vote of the citation word, the adoption formula and the common words."""
    votes = [citation.language]
    formula = formula_language(note)
    if formula:
        votes.append(formula)
    words = Counter(w.lower() for line in lines for w in WORD.findall(line.text))
    counts = {language: sum(words[w] for w in common) for language, common in FUNCTION_WORDS.items()}
    if counts["en"] != counts["fr"]:
        votes.append(max(counts, key=lambda language: counts[language]))
    language = Counter(votes).most_common(1)[0][0]  # on a tie, the citation word (first vote) wins
    if len(set(votes)) > 1:
        problems.warning(
            citation.line,
            f"the language is unclear; taken as '{language}'",
            f"the citation word, the adoption formula and the wording disagree ({', '.join(votes)})",
        )
    return language


def read_heading(
    before: list[Line],
    after: list[Line],
    citation: Citation,
    language: str,
    problems: Problems,
    vocabulary: Vocabulary,
) -> tuple[Heading, list[Line]] | None:
    """The title block after the citation line, and the lines of the body that follow it; a word cut
    at the end of a title line is rejoined as in the body."""
    end = next((i for i, line in enumerate(after) if _opens_body(line.text)), None)
    front = after[: len(after) if end is None else end]
    # The one under the title first: a compilation's cover names the Assembly above the first text.
    issuer = next((line for line in front + before if _plain(line) in ISSUERS), None)
    provisional = citation.provisional or any(PROVISIONAL.match(_plain(line)) for line in before + front)
    status = Status.PROVISIONAL if provisional else Status.FINAL
    issuer_follows = any(line is issuer for line in front)
    # The title printed on the citation line (earlier eras) goes on over the lines below it.
    title: list[Line] = [Line(citation.line, citation.title)] if citation.title else []
    body_start = len(front)
    for index, line in enumerate(front):
        if line is issuer:
            body_start = index + 1
            break
        if not line.text or PROVISIONAL.match(_plain(line)):
            continue
        if title and not issuer_follows and line.number > title[-1].number + 1:
            body_start = index  # without an issuing body line, the title is the first run of lines
            break
        title.append(line)
    if not title:
        problems.error(citation.line, "no title after the citation line", "the title comes on the line after it")
        return None
    if title[-1].number - title[0].number + 1 > len(title):
        problems.warning(
            title[0].number,
            f"the title is joined from the lines {', '.join(str(line.number) for line in title)}",
            "check that each of them belongs to the title",
        )
    default = (CONSULTATIVE if citation.year < RENAMED else DEFAULT_ISSUER)[language]
    if issuer is None:
        problems.warning(
            citation.line, f"no line naming the issuing body; issued_by set to '{default}'", "check the extraction"
        )
    named, linking = _named(_joined(title, vocabulary, problems), title[0].number, problems)
    heading = Heading(
        named,
        title[0].number,
        _plain(issuer) if issuer else default,
        issuer.number if issuer else citation.line,
        status,
        linking,
    )
    return heading, after[body_start:]


def _joined(title: list[Line], vocabulary: Vocabulary, problems: Problems) -> str:
    """The title's lines as one, a word cut at a line end rejoined as in the body (a doubt reported)."""
    text = title[0].text
    for line in title[1:]:
        decision = vocabulary.decide(text[-80:], line.text)
        if decision.doubt:
            problems.warning(line.number, f"hyphen at the end of the line above: {decision.doubt}", "check the word")
        text = (text[: -decision.drop] if decision.drop else text) + decision.separator + line.text
    return text


def _named(title: str, line: int, problems: Problems) -> tuple[str, str]:
    """The title as the Assembly's lists give it, and the linking words an earlier era prints before it."""
    linking = LINKING_WORDS.match(title)
    if linking is None:
        if title[:1].islower():
            problems.warning(
                line,
                f"the title starts in lower case: '{title}'",
                "earlier eras print it as the rest of a sentence: write it as the Assembly's lists name the text",
            )
        return title, ""
    rest = title[linking.end() :]
    named, words = rest[:1].upper() + rest[1:], linking.group().strip()
    problems.warning(
        line,
        f"the title is written '{named}', without the linking words '{words}' printed before it",
        "the Assembly's lists name a text so (the source keeps the printed words in a comment): check the title",
    )
    return named, words


def front_matter(
    citation: Citation,
    heading: Heading,
    language: str,
    adoption: AdoptionInfo,
    note: int,
    keywords: list[str] | None = None,
    unofficial: bool = False,
) -> list[Origin]:
    """The YAML front matter, in the order of source/README.md; each line with its raw line."""
    at = citation.line
    lines: list[Origin] = [
        ("---", at),
        (f"type: {citation.type.value}", at),
        (f"number: {citation.number}", at),
        (f"year: {citation.year}", at),
        (f"language: {language}", at),
        (f"title: {scalar(heading.title)}{_printed_after(heading.linking)}", heading.title_line),
        (f"issued_by: {scalar(heading.issued_by)}", heading.issued_line),
        (f"status: {heading.status.value}", at),
        *([("translation: unofficial", at)] if unofficial else []),
        (
            f"keywords: [{', '.join(scalar(k) for k in keywords)}]"
            if keywords
            else "keywords: []  # the raw text has none: add them",
            at,
        ),
        ("adoption:", note),
        (f"  by: {adoption.by.value}", note),
    ]
    if adoption.debates:
        lines.append(("  debates:", note))
    for debate in adoption.debates:
        lines.append((f"    - date: {debate.date.isoformat()}", note))
        if debate.number is not None:
            lines.append((f"      sitting: {debate.number}", note))
    if adoption.documents:
        lines.append(("  documents:", note))
    for document in adoption.documents:
        lines += [
            (f"    - doc: {document.number}", note),
            (f"      kind: {document.kind}", note),
            (f"      committee: {scalar(document.committee)}", note),
            (f"      rapporteur: {scalar(document.rapporteur)}", note),
        ]
    lines.append((f"  date: {adoption.date.isoformat()}", note))
    if adoption.sitting is not None:
        lines.append((f"  sitting: {adoption.sitting}", note))
    if adoption.note:
        lines.append((f"  note: {scalar(adoption.note)}", note))
    return [*lines, ("---", note)]


def _printed_after(linking: str) -> str:
    """A comment keeping the words the title was printed after, for whoever checks the title."""
    return f"  # printed after {json.dumps(linking, ensure_ascii=False)}" if linking else ""


def scalar(value: str) -> str:
    """`value` as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        plain = yaml.load(f"key: {value}", Loader=PlainSafeLoader) == {"key": value}
    except yaml.YAMLError:
        plain = False
    return value if plain else json.dumps(value, ensure_ascii=False)


def skipped_before(before: list[Line], after: list[Line]) -> list[int]:
    """The lines before the citation line that are not its issuing body or status: furniture. The
    issuing body above it is furniture too when the title block under it names one (read_heading
    takes that one)."""
    end = next((i for i, line in enumerate(after) if _opens_body(line.text)), len(after))
    named_after = any(_plain(line) in ISSUERS for line in after[:end])
    return [
        line.number
        for line in before
        if line.text
        and not line.is_break
        and (named_after or _plain(line) not in ISSUERS)
        and not PROVISIONAL.match(_plain(line))
    ]


def _opens_body(text: str) -> bool:
    """The first paragraph ("1.", or "1" as the web pages of some years print it), a heading, or the
    preamble of earlier eras ("The Assembly,")."""
    first = undotted(text)
    return bool(numbered(text) or HEADING.match(text) or PREAMBLE.match(text) or (first and first[0] == "1"))


def _plain(line: Line) -> str:
    return " ".join(line.text.split())
