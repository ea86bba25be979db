"""The model of Recommendation 1607 (2003), the first real text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pipeline.model import AdoptingBody, Document, Inline, Paragraph, Reference, TextType
from pipeline.templating import citation


def paragraphs(document: Document) -> Iterator[Paragraph]:
    def walk(items: tuple[Paragraph, ...]) -> Iterator[Paragraph]:
        for item in items:
            yield item
            yield from walk(item.children)

    for section in document.sections:
        yield from walk(tuple(b for b in section.blocks if isinstance(b, Paragraph)))


def references(nodes: tuple[Inline, ...]) -> list[Reference]:
    return [n for n in nodes if isinstance(n, Reference)]


def test_metadata(seed: Document) -> None:
    meta = seed.metadata
    assert (meta.type, meta.number, meta.year, meta.language) == (TextType.RECOMMENDATION, 1607, 2003, "en")
    assert meta.title == "Activities of the International Organization for Migration (IOM), 1998-2002"
    assert meta.issuing_body == "Parliamentary Assembly"
    assert citation(meta) == "Recommendation 1607 (2003)"


def test_adoption_is_structured(seed: Document) -> None:
    adoption = seed.metadata.adoption
    assert adoption.by is AdoptingBody.ASSEMBLY
    assert (adoption.date, adoption.sitting) == (dt.date(2003, 6, 24), 19)
    assert [(d.date, d.number) for d in adoption.debates] == [(dt.date(2003, 6, 24), 19)]
    [document] = adoption.documents
    assert (document.number, document.kind, document.rapporteur) == ("9814", "report", "Mr\u00a0Wilkinson")
    assert document.committee == "Committee on Migration, Refugees and Demography"


def test_every_paragraph_number_in_order(seed: Document) -> None:
    numbers = [p.number for p in paragraphs(seed)]
    assert numbers == [
        "1.",
        "2.",
        "3.",
        "4.",
        "5.",
        "6.",
        "6.1.",
        "6.2.",
        "6.3.",
        "6.4.",
        "6.5.",
        "6.6.",
        "6.7.",
        "7.",
        "7.1.",
        "7.2.",
        "7.3.",
    ]


def test_sub_paragraphs_nest_under_their_parent(seed: Document) -> None:
    by_number = {p.number: p for p in paragraphs(seed)}
    assert [c.number for c in by_number["6."].children] == [f"6.{i}." for i in range(1, 8)]
    assert [c.id for c in by_number["7."].children] == ["p-7-1", "p-7-2", "p-7-3"]


def test_the_only_footnote_is_the_title_note(seed: Document) -> None:
    assert seed.footnotes == ()  # the adoption note is generated from metadata, numbered 1


def test_references_are_recognised_and_linked(seed: Document) -> None:
    by_number = {p.number: p for p in paragraphs(seed)}
    # a citation stays on one line: its spaces are no-break spaces
    found = [
        (r.text.replace("\u00a0", " "), r.kind, r.number, r.year, r.url) for r in references(by_number["2."].content)
    ]
    assert found == [
        ("Recommendation 1253 (1994)", "recommendation", "1253", 1994, "recommendation-1253-1994.en.html"),
        ("Recommendation 1370 (1998)", "recommendation", "1370", 1998, "recommendation-1370-1998.en.html"),
    ]
    # "Since Recommendation 1370," has no year: it takes the one cited in paragraph 2.
    [later] = references(by_number["3."].content)
    assert (later.text, later.url) == ("Recommendation\u00a01370", "recommendation-1370-1998.en.html")
    assert all(not references(p.content) for n, p in by_number.items() if n not in ("2.", "3."))
