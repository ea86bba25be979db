"""Issue 17: the print edition's structure tree, as a screen reader walks it.

Over every fixture and source text: numbered paragraphs are nested lists (L › LI › Lbl +
LBody), never a P inside a P, no NonStruct; the citation and the title are the first headings
(H1, H2) and headings never skip a level; notes are Note › Lbl after the text; header cells have
a scope; the containment rules of ISO 32000-1 14.8.4 that pdfua does not check (Matterhorn
09-004, 09-005, 09-007). And the tag tree reads as the source: the same paragraphs, numbers,
levels, words and note calls in the same order as the model.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import build, load
from tests.conftest import TEXTS
from tests.parity.generate import GeneratedSource, sources
from tests.parity.reading import Entry, model_notes, model_reading, words_of
from tests.pdfstructure import Element, structure_tree

# Which elements may hold which (ISO 32000-1, 14.8.4.3: lists and tables).
ALLOWED_KIDS = {
    "L": {"LI", "Caption"},
    "LI": {"Lbl", "LBody"},
    "Table": {"THead", "TBody", "TFoot", "TR", "Caption"},
    "THead": {"TR"},
    "TBody": {"TR"},
    "TFoot": {"TR"},
    "TR": {"TH", "TD"},
}
REQUIRED_PARENT = {"LI": {"L"}, "LBody": {"LI"}, "TR": {"Table", "THead", "TBody", "TFoot"}, "TH": {"TR"}, "TD": {"TR"}}
HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")


@pytest.fixture(scope="module", params=[path.name.removesuffix(".md") for path in TEXTS])
def text(request: pytest.FixtureRequest, editions: Path) -> tuple[Path, Element]:
    stem = request.param
    return next(path for path in TEXTS if path.name == f"{stem}.md"), structure_tree(
        (editions / f"{stem}.pdf").read_bytes()
    )


def test_lists_and_tables_hold_only_what_they_may(text: tuple[Path, Element]) -> None:
    _, tree = text
    for element, ancestors in tree.walk():
        allowed = ALLOWED_KIDS.get(element.tag)
        if allowed is not None:
            assert {kid.tag for kid in element.elements} <= allowed, (element.tag, [k.tag for k in element.elements])
        required = REQUIRED_PARENT.get(element.tag)
        if required is not None:
            assert ancestors and ancestors[-1].tag in required, (element.tag, ancestors[-1].tag if ancestors else None)
        if element.tag == "Lbl":
            assert ancestors[-1].tag in ("LI", "Note")


def test_never_a_paragraph_in_a_paragraph_nor_a_non_structure_element(text: tuple[Path, Element]) -> None:
    _, tree = text
    for element, ancestors in tree.walk():
        assert element.tag != "NonStruct"
        if element.tag == "P":
            assert "P" not in {a.tag for a in ancestors}


def test_citation_and_title_open_the_headings_which_never_skip_a_level(text: tuple[Path, Element]) -> None:
    source, tree = text
    document = load(source)
    headings = [element for element, _ in tree.walk() if element.tag in HEADINGS]
    assert [h.tag for h in headings[:2]] == ["H1", "H2"]
    citation, title = (words_of(h.text(skip=frozenset({"Reference"}))) for h in headings[:2])
    meta = document.metadata
    assert citation[-2:] == [str(meta.number), str(meta.year)]  # "Resolution 9020 (2032)", its call aside
    assert title == words_of(meta.title)
    levels = [HEADINGS.index(h.tag) + 1 for h in headings]
    assert all(later <= earlier + 1 for earlier, later in pairwise(levels))


def test_notes_follow_the_text_each_with_its_number(text: tuple[Path, Element]) -> None:
    source, tree = text
    [document] = tree.elements
    notes = [kid for kid in document.elements if kid.tag == "Note"]
    assert document.elements[len(document.elements) - len(notes) :] == notes  # after the text
    for note in notes:
        assert note.elements[0].tag == "Lbl"
    numbers = [int(note.elements[0].text()) for note in notes]
    assert numbers == list(range(1, len(numbers) + 1))
    body_notes = model_notes(load(source))
    assert len(numbers) == len(body_notes) + 1  # the title note, then the body's
    for note, number in zip(notes[1:], numbers[1:], strict=True):
        assert words_of(note.text(skip=frozenset({"Lbl"}))) == list(body_notes[number])


def test_header_cells_have_a_scope(text: tuple[Path, Element]) -> None:
    _, tree = text
    for element, ancestors in tree.walk():
        if element.tag == "TH":
            expected = "/Column" if "THead" in {a.tag for a in ancestors} else "/Row"
            assert element.attributes.get("Scope") == expected


def test_the_tag_tree_reads_as_the_source(text: tuple[Path, Element]) -> None:
    """Paragraphs with their numbers and levels, quotations, cells and appendix headings, their
    words and note calls, in the model's order."""
    source, tree = text
    expected = [_comparable(entry) for entry in model_reading(load(source))]
    assert _reading(tree) == expected


@pytest.mark.slow
@settings(max_examples=1, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(texts=st.lists(sources(), min_size=10, max_size=10))
def test_generated_sources_read_as_their_model_in_the_tag_tree(
    tmp_path_factory: pytest.TempPathFactory, texts: list[GeneratedSource]
) -> None:
    """Every construct the parity generator writes (lettered items to level 5, unnumbered
    paragraphs, quotations, tables, appendices, notes, both languages), as a property."""
    folder = tmp_path_factory.mktemp("generated")
    paths = list(dict.fromkeys(text.write(folder / "source") for text in texts))
    outcomes = build(paths, ["pdf"], folder / "out")
    assert not [o.failure for o in outcomes if o.failed]
    for path in paths:
        tree = structure_tree((folder / "out" / f"{path.name.removesuffix('.md')}.pdf").read_bytes())
        test_lists_and_tables_hold_only_what_they_may((path, tree))
        test_never_a_paragraph_in_a_paragraph_nor_a_non_structure_element((path, tree))
        assert _reading(tree) == [_comparable(entry) for entry in model_reading(load(path))], path.name


def _comparable(entry: Entry) -> Entry:
    level = entry.level if entry.kind == "paragraph" else None
    return Entry(entry.kind, level, entry.number, entry.tokens)


def _reading(tree: Element) -> list[Entry]:
    [document] = tree.elements
    entries: list[Entry] = []
    for kid in document.elements:
        if kid.tag != "Note":
            _read(kid, 0, entries)
    return entries


def _read(element: Element, level: int, entries: list[Entry]) -> None:
    if element.tag == "H3":
        entries.append(Entry("heading", None, None, _tokens(element)))
    elif element.tag == "LI":
        label = element.elements[0] if element.elements[0].tag == "Lbl" else None
        body = element.elements[-1]
        first, *rest = body.elements
        entries.append(Entry("paragraph", level + 1, label.text().strip() if label else None, _tokens(first)))
        for kid in rest:
            _read(kid, level + 1, entries)
    elif element.tag == "L":
        for kid in element.elements:
            _read(kid, level, entries)
    elif element.tag == "Div" and element.elements and element.elements[0].tag == "P":
        # an unnumbered paragraph: its text, then what it holds, one level down
        first, *rest = element.elements
        entries.append(Entry("paragraph", level + 1, None, _tokens(first)))
        for kid in rest:
            _read(kid, level + 1, entries)
    elif element.tag == "BlockQuote":
        for paragraph in element.elements:
            entries.append(Entry("quote", None, None, _tokens(paragraph)))
    elif element.tag in ("TH", "TD"):
        entries.append(Entry("cell", None, None, _tokens(element)))
    elif not _is_title_block(element):
        for kid in element.elements:
            _read(kid, level, entries)


def _is_title_block(element: Element) -> bool:
    return element.tag == "Div" and any(kid.tag == "H1" for kid in element.elements)


def _tokens(element: Element) -> tuple[str, ...]:
    """Words, and "^N" for a note call (a Reference); a word split by a layout hyphen (a soft
    hyphen ending one marked content) is one word."""
    tokens: list[str] = []
    text = ""
    for piece in _pieces(element):
        if isinstance(piece, int):
            tokens += words_of(text)
            tokens.append(f"^{piece}")
            text = ""
        elif text.endswith("\u00ad"):
            text = text[:-1] + piece
        else:
            text = f"{text} {piece}"
    return tuple(tokens + words_of(text))


def _pieces(element: Element) -> list[str | int]:
    pieces: list[str | int] = []
    for kid in element.kids:
        if isinstance(kid, str):
            pieces.append(kid)
        elif kid.tag == "Reference":
            pieces.append(int(kid.text().strip()))
        elif kid.tag == "Sup" and pieces and isinstance(pieces[-1], str):  # "1" + "er": one word
            pieces[-1] += kid.text()
        else:
            pieces += _pieces(kid)
    return pieces
