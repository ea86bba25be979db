"""Valid canonical sources drawn from the whole grammar of the source format, with what a reader
must read in them, in source order.

    from tests.parity.generate import sources
    @given(sources())
    def test_x(text: GeneratedSource) -> None: text.write(folder) ...

Every construct of source/README.md is drawn: numbered paragraphs to the deepest level,
lettered items under any level, unnumbered paragraphs before, between and after sub-items,
quotations of several paragraphs, notes called in paragraphs, items, cells, quotations and
appendices, appendices whose numbering restarts, tables with alignment and spaced numbers,
emphasis, links, references, quotation marks (also across paragraphs), English and French.
`GeneratedSource.expected` is the reading order the generator wrote, independent of the
pipeline's model: the model and every edition must read the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from tests.parity.reading import Entry, words_of

# How the tests that compare a second reading with the reference one (pandoc's, tinyhtml5's) draw
# their texts: PARITY_EXAMPLES of them, the same on every run.
EVERY_GENERATED_TEXT = settings(
    max_examples=int(os.environ.get("PARITY_EXAMPLES", "50")),
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _vocabulary(words: str) -> tuple[str, ...]:
    return tuple(words.split())


MAX_DEPTH = 5  # numbers "1.1.1.1.1.": the deepest the source format allows
WORDS = {
    "en": _vocabulary(
        "assembly member states rights protection democracy committee report human cooperation "
        "parliament policy migration measures public access justice freedom minorities education "
        "health environment framework implementation dialogue principles ensure consider invites "
        "calls urges recalls notes welcomes national european international legislation monitoring"
    ),
    "fr": _vocabulary(
        "assemblée états membres droits protection démocratie commission rapport coopération "
        "parlement politique migrations mesures public accès justice liberté minorités éducation "
        "santé environnement cadre œuvre dialogue principes invite appelle rappelle salue "
        "nationale européenne législation suivi élèves société"
    ),
}
REFERENCES = {
    "en": ("Recommendation 1253 (1994)", "Resolution 1234 (2001)", "Opinion 242 (2003)", "Doc. 9814"),
    "fr": ("Recommandation 1253 (1994)", "Résolution 1234 (2001)", "Avis 242 (2003)", "Doc. 9814"),
}
APPENDIX = {"en": ("Appendix", "Appendix II", "Appendix III"), "fr": ("Annexe", "Annexe II", "Annexe III")}
TYPES = ("recommendation", "resolution", "opinion", "order", "decision")
CELL_NUMBERS = ("45", "3 200", "12 500 000", "640 000", "7")


@dataclass(frozen=True)
class GeneratedSource:
    """One generated text: its file name and source, and what it says in reading order."""

    name: str
    text: str
    language: str
    expected: tuple[Entry, ...]  # the body, in source order
    notes: dict[int, tuple[str, ...]]  # body notes: printed number -> words
    constructs: frozenset[str]

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / self.name
        path.write_text(self.text, encoding="utf-8")
        return path


@dataclass
class _Writer:
    """Accumulates the body as it is drawn: source lines, expected entries, notes, constructs."""

    draw: Callable[[st.SearchStrategy[Any]], Any]
    language: str
    lines: list[str] = field(default_factory=list)
    expected: list[Entry] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    notes: dict[int, tuple[str, ...]] = field(default_factory=dict)
    constructs: set[str] = field(default_factory=set)
    open_quote: bool = False  # a quotation opened in one paragraph, closed in a later one
    last_level: int = 0  # level of the last numbered paragraph of the section (0: none yet)
    budget: int = 14  # numbered paragraphs left: texts stay short, so that many can be rendered

    def words(self, low: int, high: int) -> list[str]:
        return self.draw(st.lists(st.sampled_from(WORDS[self.language]), min_size=low, max_size=high))  # type: ignore[no-any-return]

    def call(self, where: str) -> tuple[str, str]:
        """A note call (markup, its token) and its definition, numbered in order of call."""
        number = len(self.notes) + 2  # note 1 is the title note
        note = " ".join(self.words(2, 8)).capitalize()
        self.notes[number] = tuple(words_of(note))
        self.definitions.append(f"[^n{number}]: {note}.")
        self.constructs.add(f"note in {where}")
        return f"[^n{number}]", f"^{number}"

    def phrase(self, where: str, *, calls: bool = True, quotes: bool = True) -> tuple[str, list[str]]:
        """A run of text with inline constructs: its markup and its tokens."""
        markup: list[str] = []
        tokens: list[str] = []
        for _ in range(self.draw(st.integers(1, 4))):
            piece = self.words(1, 5)
            kind = self.draw(st.sampled_from(("plain", "plain", "em", "strong", "link", "reference", "quoted")))
            if kind == "quoted" and not quotes:
                kind = "plain"
            text = " ".join(piece)
            if kind == "em":
                text = f"*{text}*"
            elif kind == "strong":
                text = f"**{text}**"
            elif kind == "link":
                text = f"[{text}](https://example.org/{piece[0]})"
            elif kind == "reference":
                reference = self.draw(st.sampled_from(REFERENCES[self.language]))
                text, piece = f"{text} {reference}", [*piece, *words_of(reference)]
            elif kind == "quoted":
                text = f'"{text}"'
            self.constructs.add(kind)
            markup.append(text)
            tokens += words_of(" ".join(piece))
            if calls and self.draw(st.integers(0, 5)) == 0:
                call, token = self.call(where)
                markup[-1] += call
                tokens.append(token)
        return " ".join(markup), tokens

    def paragraph(self, number: str | None, where: str, level: int = 0) -> int:
        """A paragraph; an unnumbered one continues the last numbered one (README: Body)."""
        level = level if number else self.last_level + 1
        text, tokens = self.phrase(where)
        if number is None and self.draw(st.integers(0, 3)) == 0 and not self.open_quote:
            text, self.open_quote = f'"{text}', True  # closed by a later paragraph
            self.constructs.add("quotation across paragraphs")
        elif self.open_quote and number is not None:
            text, self.open_quote = f'{text}."', False
        self.lines.append(f"{number} {text}" if number else text)
        self.expected.append(Entry("paragraph", level, number, tuple(tokens)))
        self.constructs.add(f"{'unnumbered' if number is None else 'numbered'} paragraph at level {level}")
        if number:
            self.last_level = level
        return level

    def quote(self, level: int) -> None:
        for index in range(self.draw(st.integers(1, 3))):
            if index:
                self.lines.append(">")
            text, tokens = self.phrase("quotation", quotes=False)
            self.lines.append(f"> {text}")
            self.expected.append(Entry("quote", level, None, tuple(tokens)))
        self.constructs.add("quotation")

    def table(self, level: int) -> None:
        columns = self.draw(st.integers(2, 3))
        alignments = [self.draw(st.sampled_from(("---", "---:", ":---:", ":---"))) for _ in range(columns)]
        # One word a cell: the PDF is read by position, and a cell wrapped over two lines
        # interleaves with its neighbours' lines (its tags keep the order; a page does not).
        header = [" ".join(self.words(1, 1)).capitalize() for _ in range(columns)]
        rows = [[self._cell() for _ in range(columns)] for _ in range(self.draw(st.integers(1, 3)))]
        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append("|" + "|".join(alignments) + "|")
        for cell in header:
            self.expected.append(Entry("cell", level, None, tuple(words_of(cell))))
        for row in rows:
            self.lines.append("| " + " | ".join(markup for markup, _ in row) + " |")
            self.expected += [Entry("cell", level, None, tuple(tokens)) for _, tokens in row]
        self.constructs |= {"table", *(f"aligned {a}" for a in alignments)}

    def _cell(self) -> tuple[str, list[str]]:
        if self.draw(st.booleans()):
            number = self.draw(st.sampled_from(CELL_NUMBERS))
            self.constructs.add("number in a cell")
            markup, tokens = number, words_of(number)
        else:
            word = self.words(1, 1)
            markup, tokens = " ".join(word), words_of(" ".join(word))
        if self.draw(st.integers(0, 4)) == 0:
            call, token = self.call("table cell")
            markup, tokens = markup + call, [*tokens, token]
        return markup, tokens

    def blank(self) -> None:
        self.lines.append("")

    def inserts(self, level: int) -> None:
        """Quotations and tables after a paragraph (or at the start of a section)."""
        for _ in range(self.draw(st.integers(0, 6)) // 5):  # one time in seven
            self.blank()
            (self.quote if self.draw(st.booleans()) else self.table)(level)

    def numbered(self, number: str, level: int, where: str) -> None:
        """A numbered paragraph and everything under it."""
        self.blank()
        self.paragraph(number, where, level)
        self.inserts(level)
        if self.draw(st.integers(0, 2)) == 0:  # a lead-in before the sub-items
            self.blank()
            self.inserts(self.paragraph(None, where))
        self.budget -= 1
        kinds = ("none", "numbered", "lettered") if level < MAX_DEPTH and self.budget > 0 else ("none", "lettered")
        kind = self.draw(st.sampled_from(kinds if self.budget > 0 else ("none",)))
        for index in range(self.draw(st.integers(1, 3 if level < 3 else 2)) if kind != "none" else 0):
            if kind == "lettered":
                self.blank()
                self.paragraph(f"{chr(ord('a') + index)}.", where, level + 1)
                self.constructs.add(f"lettered item at level {level + 1}")
                self.inserts(level + 1)
            else:
                self.numbered(f"{number}{index + 1}.", level + 1, where)
            if self.draw(st.integers(0, 3)) == 0:  # a continuation between or after sub-items
                self.blank()
                self.paragraph(None, where)
        self._close_quote(where)

    def _close_quote(self, where: str) -> None:
        if self.open_quote:  # the quotation ends at the latest where its sub-items do
            self.blank()
            text, tokens = self.phrase(where, quotes=False)
            self.lines.append(f'{text}."')
            self.expected.append(Entry("paragraph", self.last_level + 1, None, tuple(tokens)))
            self.open_quote = False

    def section(self, where: str) -> None:
        self.last_level = 0  # numbering restarts
        leading = self.draw(st.integers(0, 3)) == 0
        if leading:
            self.blank()
            self.paragraph(None, where)
        if self.draw(st.integers(0, 4)) == 0:
            self.inserts(1 if leading else 0)  # after a leading paragraph they belong to it
        for index in range(self.draw(st.integers(1, 3))):
            self.numbered(f"{index + 1}.", 1, where)
        self._close_quote(where)


@st.composite
def sources(
    draw: Callable[[st.SearchStrategy[Any]], Any], languages: tuple[str, ...] = ("en", "fr")
) -> GeneratedSource:
    """A valid source and what it says, in either language."""
    language = draw(st.sampled_from(languages))
    kind = draw(st.sampled_from(TYPES))
    number = draw(st.integers(1000, 9999))
    year = draw(st.integers(1990, 2030))
    writer = _Writer(draw, language)
    writer.section("paragraph")
    for appendix in APPENDIX[language][: draw(st.integers(0, 2))]:
        writer.blank()
        writer.lines.append(f"## {appendix}")
        writer.expected.append(Entry("heading", 0, None, tuple(words_of(appendix))))
        writer.section("appendix")
        writer.constructs.add("appendix")
    writer.constructs.add(f"language {language}")
    title = " ".join(writer.words(3, 8)).capitalize()
    front = FRONT.format(type=kind, number=number, year=year, language=language, title=title)
    body = "\n".join([*writer.lines, "", *writer.definitions])
    return GeneratedSource(
        name=f"{kind}-{number}-{year}.{language}.md",
        text=front + body + "\n",
        language=language,
        expected=tuple(writer.expected),
        notes=dict(writer.notes),
        constructs=frozenset(writer.constructs),
    )


FRONT = """---
type: {type}
number: {number}
year: {year}
language: {language}
title: {title}
issued_by: Parliamentary Assembly
adoption:
  by: assembly
  debates:
    - date: {year}-06-24
      sitting: 19
  documents:
    - doc: 9814
      committee: Committee on Migration, Refugees and Demography
      rapporteur: Mr Wilkinson
  date: {year}-06-24
  sitting: 19
keywords: []
---
"""
