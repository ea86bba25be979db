"""Synthetic corpora for tests and benchmarks: realistic adopted texts, deterministic from a seed.

Text `i` of seed `s` is the same whatever the corpus size, so a corpus of 10 is the start of one
of 1,000. Each text has an English source and, mostly, a French one with the same structure
(numbering, notes, quotes, tables, appendix) and its own wording. Lengths run from one page to
about fifteen, skewed towards short texts as in the real corpus. Every source passes
`pipeline check` without errors or warnings.

    python -m pipeline.testing.corpus --count 100 --seed 7 --out /tmp/corpus
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.dates import get_month_names

from ..i18n import type_name
from ..model import TextType
from ..textname import TextName

WORDS_PER_PAGE = 380  # body words on an A4 page of the print edition, after its title block and notes
PAGE_WEIGHTS = {1: 18, 2: 22, 3: 18, 4: 12, 5: 8, 6: 6, 7: 4, 8: 3, 9: 2, 10: 2, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1}
TYPE_WEIGHTS = {"resolution": 55, "recommendation": 35, "opinion": 5, "order": 5}
FRENCH_SHARE = 0.9  # most texts are published in both official languages
FIRST_NUMBER = 1000
CORPUS_CITATIONS = 0.5  # of the references, those citing another text of the corpus
WORDS_PER_SENTENCE = 16  # measured on the generated wording
WORDS_PER_ITEM = 14

# Wording -------------------------------------------------------------------------------------
# Sentences are assembled from these parts; the French parts are translations, not word for word.

EN: dict[str, Any] = {
    "subject": [
        "The Assembly",
        "The Parliamentary Assembly",
        "The Committee of Ministers",
        "Member States",
        "National parliaments",
        "Local and regional authorities",
        "Civil society organisations",
        "The European Court of Human Rights",
    ],
    "verb": [
        "recalls",
        "notes",
        "considers",
        "welcomes",
        "regrets",
        "underlines",
        "stresses",
        "acknowledges",
    ],
    "object": [
        "the protection of human rights",
        "the rule of law",
        "the independence of the judiciary",
        "freedom of expression and of the media",
        "the rights of migrants and refugees",
        "equality between women and men",
        "the fight against corruption",
        "the transparency of public decision making",
        "access to justice for vulnerable groups",
        "the protection of personal data",
        "the right to a healthy environment",
        "the participation of young people in public life",
        "the integration of persons with disabilities",
        "the prevention of torture and ill-treatment",
        "co-operation with the European Union",
        "the execution of the judgments of the Court",
    ],
    "qualifier": [
        "in all member States",
        "at national and local level",
        "without undue delay",
        "in line with the standards of the Council of Europe",
        "on the basis of reliable data",
        "in close co-operation with civil society",
        "within the available resources",
        "as a matter of priority",
    ],
    "that": [
        "is essential to democratic security",
        "requires sustained political commitment",
        "cannot be achieved without adequate funding",
        "remains uneven across Europe",
        "has improved in recent years",
        "calls for a co-ordinated response",
        "deserves closer parliamentary scrutiny",
    ],
    "connector": ["In particular,", "At the same time,", "Furthermore,", "In this respect,", "Moreover,", "However,"],
    "lead": [
        "The Assembly therefore recommends that the Committee of Ministers:",
        "The Assembly accordingly calls on member States to:",
        "In the light of these considerations, the Assembly invites the governments of member States to:",
        "The Assembly resolves to:",
    ],
    "item_verb": ["ensure", "promote", "strengthen", "review", "support", "monitor", "guarantee", "develop"],
    "note": [
        "See the report of the committee, paragraphs {a} to {b}.",
        "Assembly debate of {date}; see also Doc. {doc}.",
        "Data supplied by the national delegations in {year}.",
        "As defined in Article {a} of the Convention.",
    ],
    "quote": [
        "Everyone has the right to respect for his private and family life, his home and his correspondence.",
        "No one shall be subjected to torture or to inhuman or degrading treatment or punishment.",
        "Everyone has the right to freedom of expression.",
    ],
    "table_head": ["Member State", "Reports received", "Share implemented"],
    "countries": ["Austria", "Belgium", "Croatia", "Denmark", "Estonia", "Finland", "Greece", "Iceland", "Latvia"],
    "appendix": "Appendix",
    "appendix_intro": "Terms of reference for the follow-up to this text",
    "issued_by": "Parliamentary Assembly",
    "committee": [
        "Committee on Legal Affairs and Human Rights",
        "Committee on Political Affairs and Democracy",
        "Committee on Migration, Refugees and Displaced Persons",
        "Committee on Social Affairs, Health and Sustainable Development",
        "Committee on Culture, Science, Education and Media",
        "Committee on Equality and Non-Discrimination",
    ],
    "title": [
        "Strengthening {object}",
        "Progress in {object}",
        "{Object} in times of crisis",
        "The role of parliaments in {object}",
    ],
    "rapporteur": ["Mr", "Ms"],
}

FR: dict[str, Any] = {
    "subject": [
        "L’Assemblée",
        "L’Assemblée parlementaire",
        "Le Comité des Ministres",
        "Les États membres",
        "Les parlements nationaux",
        "Les collectivités locales et régionales",
        "Les organisations de la société civile",
        "La Cour européenne des droits de l’homme",
    ],
    "verb": ["rappelle", "note", "considère", "salue", "regrette", "souligne", "insiste sur", "reconnaît"],
    "object": [
        "la protection des droits de l’homme",
        "l’État de droit",
        "l’indépendance du pouvoir judiciaire",
        "la liberté d’expression et des médias",
        "les droits des migrants et des réfugiés",
        "l’égalité entre les femmes et les hommes",
        "la lutte contre la corruption",
        "la transparence de la décision publique",
        "l’accès à la justice des groupes vulnérables",
        "la protection des données à caractère personnel",
        "le droit à un environnement sain",
        "la participation des jeunes à la vie publique",
        "l’intégration des personnes handicapées",
        "la prévention de la torture et des mauvais traitements",
        "la coopération avec l’Union européenne",
        "l’exécution des arrêts de la Cour",
    ],
    "qualifier": [
        "dans tous les États membres",
        "aux niveaux national et local",
        "sans retard excessif",
        "conformément aux normes du Conseil de l’Europe",
        "sur la base de données fiables",
        "en étroite coopération avec la société civile",
        "dans la limite des ressources disponibles",
        "en priorité",
    ],
    "that": [
        "est essentielle à la sécurité démocratique",
        "exige un engagement politique durable",
        "ne peut être assurée sans un financement suffisant",
        "reste inégale en Europe",
        "s’est améliorée ces dernières années",
        "appelle une réponse coordonnée",
        "mérite un contrôle parlementaire plus étroit",
    ],
    "connector": ["En particulier,", "Dans le même temps,", "En outre,", "À cet égard,", "De plus,", "Cependant,"],
    "lead": [
        "L’Assemblée recommande donc au Comité des Ministres :",
        "L’Assemblée appelle en conséquence les États membres :",
        "À la lumière de ces considérations, l’Assemblée invite les gouvernements des États membres :",
        "L’Assemblée décide :",
    ],
    "item_verb": ["de garantir", "de promouvoir", "de renforcer", "de réexaminer", "de soutenir", "de suivre"],
    "note": [
        "Voir le rapport de la commission, paragraphes {a} à {b}.",
        "Discussion par l’Assemblée du {date} ; voir aussi le Doc. {doc}.",
        "Données fournies par les délégations nationales en {year}.",
        "Au sens de l’article {a} de la Convention.",
    ],
    "quote": [
        "Toute personne a droit au respect de sa vie privée et familiale, de son domicile et de sa correspondance.",
        "Nul ne peut être soumis à la torture ni à des peines ou traitements inhumains ou dégradants.",
        "Toute personne a droit à la liberté d’expression.",
    ],
    "table_head": ["État membre", "Rapports reçus", "Part mise en œuvre"],
    "countries": ["Autriche", "Belgique", "Croatie", "Danemark", "Estonie", "Finlande", "Grèce", "Islande", "Lettonie"],
    "appendix": "Annexe",
    "appendix_intro": "Mandat pour le suivi du présent texte",
    "issued_by": "Assemblée parlementaire",
    "committee": [
        "Commission des questions juridiques et des droits de l’homme",
        "Commission des questions politiques et de la démocratie",
        "Commission des migrations, des réfugiés et des personnes déplacées",
        "Commission des questions sociales, de la santé et du développement durable",
        "Commission de la culture, de la science, de l’éducation et des médias",
        "Commission sur l’égalité et la non-discrimination",
    ],
    "title": [
        "Renforcer {object}",
        "Les progrès dans {object}",
        "{Object} en temps de crise",
        "Le rôle des parlements dans {object}",
    ],
    "rapporteur": ["M.", "Mme"],
}

WORDING: dict[str, dict[str, Any]] = {"en": EN, "fr": FR}
SURNAMES = ["Andersen", "Bellandi", "Costa", "Dalsgaard", "Eriksen", "Fischer", "Horvat", "Kowalski", "Novak"]


# Structure: drawn once per text, shared by its language versions ------------------------------


@dataclass
class Item:
    """One paragraph of the skeleton: its official number, length, and what hangs on it."""

    number: str | None
    sentences: int
    lead: bool = False  # ends with a colon, introducing the sub-paragraphs after it
    note: bool = False
    quote: bool = False
    table: bool = False


@dataclass
class Skeleton:
    index: int
    type: str
    number: int
    year: int
    adoption: dt.date
    by: str
    sitting: int
    doc: int
    committee: int
    rapporteur: tuple[int, int]
    topic: int
    title: int
    keywords: tuple[int, ...]
    pages: int  # the length aimed at, in pages of the print edition
    main: list[Item] = field(default_factory=list)
    appendix: list[Item] = field(default_factory=list)
    languages: tuple[str, ...] = ("en", "fr")
    seed: int = 1  # of the corpus it belongs to: its citations of earlier texts depend on it

    def name(self, language: str) -> TextName:
        return TextName(TextType(self.type), self.number, self.year, language)


def _type_and_year(rng: random.Random) -> tuple[str, int]:
    """The first draws of a text: what another text needs to cite it."""
    text_type = rng.choices(list(TYPE_WEIGHTS), weights=list(TYPE_WEIGHTS.values()))[0]
    return text_type, rng.randint(1995, 2025)


def citation_of(seed: int, index: int) -> tuple[TextType, int, int]:
    """The type, number and year of text `index`, without drawing the rest of it."""
    text_type, year = _type_and_year(random.Random(f"corpus:{seed}:{index}"))
    return TextType(text_type), FIRST_NUMBER + index, year


def skeleton(seed: int, index: int) -> Skeleton:
    """The structure of text `index`: a pure function of (seed, index)."""
    rng = random.Random(f"corpus:{seed}:{index}")
    text_type, year = _type_and_year(rng)
    adoption = dt.date(year, rng.choice([1, 4, 6, 10]), rng.randint(1, 28))
    pages = rng.choices(list(PAGE_WEIGHTS), weights=list(PAGE_WEIGHTS.values()))[0]
    languages = ("en", "fr") if rng.random() < FRENCH_SHARE else ("en",)
    text = Skeleton(
        index=index,
        type=text_type,
        number=FIRST_NUMBER + index,  # unique per index, so slugs never collide
        year=year,
        adoption=adoption,
        by="standing-committee" if rng.random() < 0.15 else "assembly",
        sitting=rng.randint(1, 36),
        doc=10000 + rng.randint(0, 89999),
        committee=rng.randrange(len(EN["committee"])),
        rapporteur=(rng.randrange(2), rng.randrange(len(SURNAMES))),
        topic=rng.randrange(len(EN["object"])),
        title=rng.randrange(len(EN["title"])),
        keywords=tuple(rng.sample(range(len(EN["object"])), 3)),
        pages=pages,
        languages=languages,
        seed=seed,
    )
    budget = pages * WORDS_PER_PAGE
    with_appendix = pages >= 4 and rng.random() < 0.3
    text.main = _paragraphs(rng, budget * 3 // 4 if with_appendix else budget, pages)
    if with_appendix:
        text.appendix = _paragraphs(rng, budget // 4, 1)
    return text


def _paragraphs(rng: random.Random, words: int, pages: int) -> list[Item]:
    """Numbered paragraphs up to about `words` words: some lead into sub-paragraphs or items."""
    items: list[Item] = []
    used = 0
    top = 0
    notes_left = max(1, pages // 2) if rng.random() < 0.8 else 0
    quotes_left = 1 if rng.random() < 0.15 else 0
    tables_left = 1 if pages >= 3 and rng.random() < 0.2 else 0
    while used < words or top < 2:
        top += 1
        kind = rng.random()
        if kind < 0.2 and used > 0:  # a paragraph introducing sub-paragraphs 6.1., 6.2., …
            before = len(items)
            items.append(Item(f"{top}.", 1, lead=True))
            for sub in range(1, rng.randint(2, 6) + 1):
                nested = rng.random() < 0.15
                items.append(Item(f"{top}.{sub}.", 1, lead=nested))
                if nested:
                    items.extend(Item(f"{top}.{sub}.{leaf}.", 1) for leaf in range(1, rng.randint(2, 3) + 1))
            used += WORDS_PER_ITEM * (len(items) - before)
        elif kind < 0.3 and used > 0:  # lettered items a., b., … under a numbered paragraph
            items.append(Item(f"{top}.", 1, lead=True))
            items.extend(Item(f"{letter}.", 1) for letter in "abcdef"[: rng.randint(2, 5)])
            used += WORDS_PER_ITEM * 4
        else:
            item = Item(f"{top}.", rng.randint(2, 6))
            if notes_left and rng.random() < 0.3:
                item.note, notes_left = True, notes_left - 1
            if quotes_left and rng.random() < 0.2:
                item.quote, quotes_left = True, quotes_left - 1
            elif tables_left and rng.random() < 0.2:
                item.table, tables_left = True, tables_left - 1
            items.append(item)
            used += item.sentences * WORDS_PER_SENTENCE
    return items


# Wording of one language version ------------------------------------------------------------------


def source_text(text: Skeleton, language: str, seed: int) -> str:
    """The Markdown source of `text` in `language`."""
    words = WORDING[language]
    rng = random.Random(f"corpus:{seed}:{text.index}:{language}")
    topic = words["object"][text.topic]
    title = words["title"][text.title].format(object=topic, Object=topic[0].upper() + topic[1:])
    lines = [
        "---",
        f"type: {text.type}",
        f"number: {text.number}",
        f"year: {text.year}",
        f"language: {language}",
        f'title: "{title}"',
        f"issued_by: {words['issued_by']}",
        f"keywords: [{', '.join(words['object'][k] for k in text.keywords)}]",
        "adoption:",
        f"  by: {text.by}",
    ]
    if text.by == "assembly":
        lines += ["  debates:", f"    - date: {text.adoption.isoformat()}", f"      sitting: {text.sitting}"]
    title_rapporteur = words["rapporteur"][text.rapporteur[0]]
    lines += [
        "  documents:",
        f"    - doc: {text.doc}",
        "      kind: report",
        f"      committee: {words['committee'][text.committee]}",
        f"      rapporteur: {title_rapporteur} {SURNAMES[text.rapporteur[1]]}",
        f"  date: {text.adoption.isoformat()}",
    ]
    if text.by == "assembly":
        lines.append(f"  sitting: {text.sitting}")
    lines += ["---", ""]
    writer = _Writer(rng, words, language, text)
    lines += writer.section(text.main)
    if text.appendix:
        lines += [f"## {words['appendix']}", "", words["appendix_intro"], ""]
        lines += writer.section(text.appendix)
    return "\n".join(lines)


class _Writer:
    def __init__(self, rng: random.Random, words: dict[str, Any], language: str, text: Skeleton) -> None:
        self.rng = rng
        self.words = words
        self.language = language
        self.text = text
        self.notes = 0

    def pick(self, key: str) -> str:
        return str(self.rng.choice(self.words[key]))

    def sentence(self) -> str:
        shape = self.rng.random()
        if shape < 0.4:
            body = f"{self.pick('subject')} {self.pick('verb')} {self.pick('object')} {self.pick('qualifier')}."
        elif shape < 0.7:
            subject = self.pick("object")
            body = f"{subject[0].upper()}{subject[1:]} {self.pick('that')}."
        elif shape < 0.85:
            body = f"{self.pick('connector')} {self.pick('object')} {self.pick('that')} {self.pick('qualifier')}."
        else:
            body = self.reference()
        return body

    def reference(self) -> str:
        """A sentence citing an earlier text: recognised and linked by the pipeline. Some cite a
        text of the corpus (an earlier index: it exists in any corpus this text is in), the
        others a text that is not in it."""
        kind, number, year = self._cited()
        name = type_name(kind, self.language)
        if self.language == "fr":
            return f"L’Assemblée rappelle sa {name} {number} ({year}) sur {self.pick('object')}."
        return f"The Assembly recalls its {name} {number} ({year}) on {self.pick('object')}."

    def _cited(self) -> tuple[TextType, int, int]:
        if self.text.index and self.rng.random() < CORPUS_CITATIONS:
            kind, number, year = citation_of(self.text.seed, self.rng.randrange(self.text.index))
            if kind in (TextType.RESOLUTION, TextType.RECOMMENDATION):  # "sa Résolution": feminine names
                return kind, number, year
        kind = self.rng.choice([TextType.RESOLUTION, TextType.RECOMMENDATION])
        # Numbers of no generated text: 3000 and up is beyond any corpus of less than 2,000 texts.
        return kind, self.rng.randint(3000, 4400), self.rng.randint(1990, self.text.year)

    def emphasised(self, text: str) -> str:
        """Now and then one word in italics, as the official texts do for foreign words and titles."""
        words = text.split(" ")
        index = self.rng.randrange(1, len(words) - 1) if len(words) > 2 else 0
        if index and self.rng.random() < 0.1 and words[index].isalpha():
            words[index] = f"*{words[index]}*"
        return " ".join(words)

    def item_text(self) -> str:
        return f"{self.pick('item_verb')} {self.pick('object')} {self.pick('qualifier')};"

    def section(self, items: list[Item]) -> list[str]:
        lines: list[str] = []
        for item in items:
            if item.lead and item.number and item.number.count(".") == 1 and item.number[0].isdigit():
                text = self.pick("lead")
            elif item.lead:
                text = f"{self.item_text()[:-1]}, {'notamment :' if self.language == 'fr' else 'in particular:'}"
            elif item.number and (item.number.count(".") > 1 or not item.number[0].isdigit()):
                text = self.item_text()
            else:
                text = self.emphasised(" ".join(self.sentence() for _ in range(item.sentences)))
            label = ""
            if item.note:
                self.notes += 1
                label = f"n{self.notes}"
                text = text[:-1] + f"[^{label}]" + text[-1]
            lines += [f"{item.number} {text}" if item.number else text, ""]
            if item.quote:
                lines += [f"> {self.pick('quote')}", ""]
            if item.table:
                lines += self.table()
            if label:
                lines += [f"[^{label}]: {self.note()}", ""]
        return lines

    def note(self) -> str:
        a = self.rng.randint(3, 40)
        date = self.text.adoption
        month = get_month_names("wide", locale=self.language)[date.month]  # Babel's: "June", "juin"
        day = "1er" if self.language == "fr" and date.day == 1 else str(date.day)
        spoken = f"{day} {month} {date.year}"
        return self.pick("note").format(
            a=a, b=a + self.rng.randint(2, 9), date=spoken, doc=self.text.doc, year=date.year
        )

    def table(self) -> list[str]:
        head = self.words["table_head"]
        rows = [f"| {' | '.join(head)} |", "|---|---|---|"]
        countries = self.words["countries"]
        for country in self.rng.sample(countries, self.rng.randint(3, 6)):
            rows.append(f"| {country} | {self.rng.randint(1, 40)} | {self.rng.randint(5, 100)}% |")
        return [*rows, ""]


def generate(out: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` sources (language versions of about count/1.9 texts) into `out`; their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    index = 0
    while len(written) < count:
        text = skeleton(seed, index)
        for language in text.languages[: count - len(written)]:
            path = out / text.name(language).source_name
            path.write_text(source_text(text, language, seed), encoding="utf-8")
            written.append(path)
        index += 1
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.testing.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20, help="number of sources to write (default: 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed: the same seed gives the same corpus")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the sources into")
    arguments = parser.parse_args(argv)
    generate(arguments.out, arguments.count, arguments.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
