"""The print edition of the seed: text, layout, fonts, metadata, archive and accessibility."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pikepdf
import pytest

from pipeline import build
from pipeline.config import Config
from tests.conftest import FIXTURE_TEXTS, SEED
from tests.pdftext import body_text, footer_text, header_text, page_count
from tests.wordcheck import raw_seed, tokens

STEM = "recommendation-1607-2003.en"


@pytest.fixture(scope="module")
def pdf(editions: Path) -> Path:
    return editions / f"{STEM}.pdf"


def test_the_seed_fits_on_two_pages(pdf: Path) -> None:
    assert page_count(pdf) <= 2


def test_every_word_of_the_seed_exactly(pdf: Path) -> None:
    seed = raw_seed()
    pages = range(1, page_count(pdf) + 1)
    words = tokens(" ".join(body_text(pdf, page) for page in pages))
    # Take away what print adds to the text, each exactly once, where it must be ...
    assert words[:6] == [*tokens("Recommendation 1607 (2003)"), "1"], "the citation and its note call"
    del words[5]
    words = _without(words, ["1", *seed.footnote])  # the note, set at the foot of page 1
    words = _without(words, tokens("Other language versions: Français"))
    # ... and the rest is the seed's text: nothing lost, added or duplicated.
    assert words == seed.body


def test_running_header_from_page_two_only(pdf: Path) -> None:
    assert header_text(pdf, 1) == ""
    for page in range(2, page_count(pdf) + 1):
        assert header_text(pdf, page) == "Recommendation 1607 (2003)"


def test_page_x_of_y_on_every_page(pdf: Path) -> None:
    total = page_count(pdf)
    assert [footer_text(pdf, page) for page in range(1, total + 1)] == [
        f"Page {n} of {total}" for n in range(1, total + 1)
    ]


def test_title_footnote_at_the_foot_of_page_one(pdf: Path) -> None:
    first_page = tokens(body_text(pdf, 1))
    note = tokens("Assembly debate on 24 June 2003 (19th Sitting)")
    last_line_of_text = tokens("on the channels for legal migration;")
    note_at = _find(first_page, note)
    assert note_at > _find(first_page, last_line_of_text), "the note must follow the text on page 1"
    assert first_page[note_at - 1] == "1", "the note starts with its number"
    assert tokens("Recommendation 1607 (2003)1") == first_page[:6], "the citation carries the call"


def test_fonts_are_the_pinned_faces_embedded_without_type3(pdf: Path) -> None:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows, "no font in the PDF"
    for row in rows:
        name, embedded = row[0], row[-5]
        assert "Type 3" not in " ".join(row)
        assert embedded == "yes", f"{name} is not embedded"
        assert name.split("+")[1].startswith("Noto-Serif"), f"{name} is not a pinned face"


def test_document_info_and_xmp(pdf: Path) -> None:
    with pikepdf.open(pdf) as document:
        info = document.docinfo
        title = (
            "Recommendation 1607 (2003): Activities of the International Organization for Migration (IOM), 1998-2002"
        )
        assert str(info["/Title"]) == title
        assert str(info["/Author"]) == "Parliamentary Assembly"
        assert str(info["/Subject"]) == (
            "Recommendation 1607 (2003), adopted by the Parliamentary Assembly on 24\u00a0June\u00a02003"
        )  # the date as printed, on one line
        assert str(info["/Keywords"]).startswith("migration, International Organization for Migration")
        assert str(info["/CreationDate"]) == str(info["/ModDate"]) == "D:20030624000000Z"
        assert str(document.Root.Lang) == "en"
        assert bool(document.Root.MarkInfo.Marked) and bool(document.Root.ViewerPreferences.DisplayDocTitle)
        assert "/StructTreeRoot" in document.Root
        xmp = document.open_metadata()
        assert xmp["pdfaid:part"] == "3" and xmp["pdfaid:conformance"] == "B"
        assert xmp["pdfuaid:part"] == "1"
        assert xmp["dc:title"] == title
        assert xmp["dc:creator"] == ["Parliamentary Assembly"]
        assert xmp["dc:language"] == {"en"}
        assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"] == "2003-06-24T00:00:00Z"


def test_source_and_akoma_ntoso_embedded_once_as_associated_files(pdf: Path) -> None:
    with pikepdf.open(pdf) as document:
        assert sorted(document.attachments) == [f"{STEM}.akn.xml", f"{STEM}.md"]
        embedded = document.attachments[f"{STEM}.md"].get_file()
        assert embedded.read_bytes() == SEED.read_bytes()
        assert embedded.creation_date is not None and embedded.creation_date.isoformat() == "2003-06-24T00:00:00+00:00"
        structure = document.attachments[f"{STEM}.akn.xml"].get_file()
        assert structure.read_bytes() == (pdf.parent / f"{STEM}.akn.xml").read_bytes()  # the AKN edition's bytes
        assert structure.mime_type == "text/xml"
        relationships = sorted((str(af.F), str(af.AFRelationship)) for af in document.Root.AF)
        assert relationships == [(f"{STEM}.akn.xml", "/Alternative"), (f"{STEM}.md", "/Source")]


def test_outline_has_the_citation_and_title_without_note_numbers_and_opens_shown(pdf: Path) -> None:
    with pikepdf.open(pdf) as document, document.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert document.Root.PageMode == "/UseOutlines"
    assert titles == [
        "Recommendation 1607 (2003): Activities of the International Organization for Migration (IOM), 1998-2002"
    ]


def test_an_appendix_outline_entry_carries_its_subtitle(editions: Path) -> None:
    with pikepdf.open(editions / "resolution-9020-2032.en.pdf") as document, document.open_outline() as outline:
        [text] = outline.root
        entries = [(text.title, [item.title for item in text.children])]
    assert entries == [
        (
            "Resolution 9020 (2032): Emergency powers and democratic oversight in an era of recurring climate "
            "disasters",
            [
                "Appendix: Terms of reference of the Committee on Political Affairs and Democracy for the follow-up "
                "to the resolution"
            ],
        )
    ]


def test_references_become_link_annotations_when_published(tmp_path: Path) -> None:
    """A reference to a text of the corpus links to its web edition at publication_url (in the
    language it exists in); one to a text that is not in it stays text: no link to a missing page."""
    config = Config(publication_url="https://texts.example.int/")
    citing, cited = FIXTURE_TEXTS / "recommendation-9013-2032.fr.md", FIXTURE_TEXTS / "opinion-9006-2031.en.md"
    outcomes = build([SEED, citing, cited], ["pdf"], tmp_path, config)
    assert not [o for o in outcomes if o.failed]

    def uris(stem: str) -> list[str]:
        with pikepdf.open(tmp_path / f"{stem}.pdf") as document:
            return [str(a.A.URI) for page in document.pages for a in page.get("/Annots", []) if "/A" in a]

    assert uris("recommendation-9013-2032.fr") == ["https://texts.example.int/opinion-9006-2031.en.html"]
    assert uris(STEM) == []  # Recommendations 1253 (1994) and 1370 (1998) are not among the texts built


def test_two_builds_are_byte_identical(tmp_path: Path, pdf: Path) -> None:
    subprocess.run(
        ["pipeline", "build", str(SEED.parent), "--format", "pdf", "--out", str(tmp_path)],  # with its French version
        check=True,
        capture_output=True,
        env=_path_env(),
    )
    assert (tmp_path / pdf.name).read_bytes() == pdf.read_bytes()


def _path_env() -> dict[str, str]:
    import os
    import sys

    return {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}


def _without(words: list[str], part: list[str]) -> list[str]:
    start = _find(words, part)
    return words[:start] + words[start + len(part) :]


def _find(haystack: list[str], needle: list[str]) -> int:
    for index in range(len(haystack) - len(needle) + 1):
        if haystack[index : index + len(needle)] == needle:
            return index
    raise AssertionError(f"{' '.join(needle)!r} not found")


def test_the_footnote_is_tagged_as_a_note(pdf: Path) -> None:
    """PDF/UA-1 7.9: a Note, with its number as a Lbl; the call in the text is a Reference."""
    with pikepdf.open(pdf) as document:
        elements = [
            o for o in document.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/StructElem"
        ]
        tags = sorted(
            (str(e.S), str(e.P.S))
            for e in elements
            if str(e.S) in ("/Note", "/Reference") or (str(e.S) == "/Lbl" and str(e.P.S) == "/Note")
        )
    # The note follows the text (renderers/pdf_structure.py), not inside the paragraph.
    assert tags == [("/Lbl", "/Note"), ("/Note", "/Document"), ("/Reference", "/H1")]
