"""The EPUB 3 edition of the seed: validity, accessibility, metadata, notes, every word."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from pipeline import build
from tests.conftest import SEED
from tests.wordcheck import raw_seed, tokens

STEM = "recommendation-1607-2003.en"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"


@pytest.fixture(scope="module")
def epub(editions: Path) -> Path:
    return editions / f"{STEM}.epub"


def part(epub: Path, name: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(zipfile.ZipFile(epub).read(name))


def chapter(epub: Path) -> lxml.etree._Element:
    return part(epub, "EPUB/text/ch001.xhtml")


def test_every_word_of_the_seed_in_order(epub: Path) -> None:
    seed = raw_seed()
    body = chapter(epub)
    for call in body.xpath("//x:a[@epub:type='noteref']", namespaces=NS):
        for number in call:
            call.remove(number)  # the call's number (<sup>) is not a word of the text
    [text] = body.xpath("//x:section[@id='text']", namespaces=NS)
    [heading] = body.xpath("//x:h1", namespaces=NS)
    [issuer] = body.xpath("//x:div[@class='issued-by']", namespaces=NS)
    words = tokens(" ".join("".join(e.itertext()) for e in (heading, issuer, text)))
    assert words == seed.body  # exactly: nothing lost, added or duplicated
    [note] = body.xpath("//x:aside[@id='fn1']", namespaces=NS)
    for number in note.xpath(".//x:span[@class='note-number']", namespaces=NS):
        number.text = ""  # the note's number is not a word of the note
    for back in note.xpath(".//x:a[@class='note-back']", namespaces=NS):
        back.getparent().remove(back)
    assert tokens("".join(note.itertext())) == seed.footnote


def test_package_metadata(epub: Path) -> None:
    opf = part(epub, "EPUB/content.opf")

    def dc(name: str) -> list[str]:
        return [str(e.text) for e in opf.xpath(f"//dc:{name}", namespaces=NS)]

    assert dc("identifier") == [  # its own, then the Akoma Ntoso work and expression (tests/test_identity.py)
        "tag:coe.int,2026:pace/adopted-texts/recommendation-1607-2003/en",
        "/akn/coe/statement/deliberation/pace/2003/rec-1607",
        "/akn/coe/statement/deliberation/pace/2003/rec-1607/eng@2003-06-24",
    ]
    assert dc("title") == [
        "Recommendation 1607 (2003): Activities of the International Organization for Migration (IOM), 1998-2002"
    ]
    assert dc("language") == ["en"]
    assert dc("date") == ["2003-06-24"]
    assert dc("publisher") == dc("creator") == ["Parliamentary Assembly"]
    assert dc("rights") == ["© Council of Europe"]
    meta: dict[str, list[str]] = {}
    for element in opf.xpath("//opf:meta[@property]", namespaces=NS):
        meta.setdefault(element.get("property"), []).append(element.text)
    assert meta["dcterms:modified"] == ["2003-06-24T00:00:00Z"]
    assert meta["schema:accessMode"] == meta["schema:accessModeSufficient"] == ["textual"]
    assert "structuralNavigation" in meta["schema:accessibilityFeature"]
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["schema:accessibilitySummary"][0].startswith("A text-only publication")


def test_navigation_document(epub: Path) -> None:
    nav = part(epub, "EPUB/nav.xhtml")
    [toc] = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    [entry] = toc.xpath(".//x:a", namespaces=NS)
    assert entry.get("href") == "text/ch001.xhtml#title"
    assert "Activities of the International Organization" in "".join(entry.itertext())


def test_notes_are_epub_footnotes_with_back_links(epub: Path) -> None:
    body = chapter(epub)
    [call] = body.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert (call.get("href"), call.get("id")) == ("#fn1", "fnref1")
    [note] = body.xpath("//x:aside[@epub:type='footnote']", namespaces=NS)
    assert note.get("id") == "fn1"
    [back] = note.xpath(".//x:a[@class='note-back']", namespaces=NS)
    assert back.get("href") == "#fnref1"


def test_paragraph_ids_as_in_the_web_edition(epub: Path, editions: Path) -> None:
    web = lxml.html.fromstring((editions / f"{STEM}.html").read_bytes())
    web_ids = web.xpath("//div[contains(@class,'paragraph')]/@id")
    assert chapter(epub).xpath("//x:div[contains(@class,'paragraph')]/@id", namespaces=NS) == web_ids


def test_stylesheet_is_the_house_style(epub: Path) -> None:
    css = zipfile.ZipFile(epub).read("EPUB/styles/stylesheet1.css").decode()
    assert css.startswith("/* House style of the EPUB edition")


def test_two_builds_are_byte_identical(tmp_path: Path, epub: Path) -> None:
    outcomes = build([SEED.parent], ["epub"], tmp_path)  # with its French version, as in `editions`
    assert not [o for o in outcomes if o.failed]
    assert (tmp_path / epub.name).read_bytes() == epub.read_bytes()


def test_an_appendix_is_named_by_its_heading(tmp_path: Path) -> None:
    """pandoc moved the heading's id onto a section wrapped around the appendix, so its
    `aria-labelledby` gave the region the whole appendix's text as its name."""
    from tests.test_hostile import body

    source = tmp_path / "resolution-1234-2001.en.md"
    source.write_bytes(body("1. Text.\n\n## Appendix\n\nTerms of reference.\n\n1. First point.")())
    [outcome] = build([source], ["epub"], tmp_path / "out")
    assert not outcome.failed, outcome.failure
    with zipfile.ZipFile(tmp_path / "out" / "resolution-1234-2001.en.epub") as package:
        root = lxml.etree.fromstring(package.read("EPUB/text/ch001.xhtml"))
        navigation = package.read("EPUB/nav.xhtml").decode()
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    [appendix] = root.xpath("//x:section[@class='appendix']", namespaces=ns)
    [named] = root.xpath("//*[@id=$label]", namespaces=ns, label=appendix.get("aria-labelledby"))
    assert lxml.etree.QName(named).localname == "h2" and "".join(named.itertext()) == "Appendix"
    assert f'href="text/ch001.xhtml#{appendix.get("aria-labelledby")}"' in navigation


def test_the_ncx_names_the_text_by_citation_and_title(epub: Path) -> None:
    """pandoc's EPUB 2 navigation ran the title block's two lines together, "Recommendation 1607
    (2003) Activities of …": older reading systems listed that."""
    ncx = zipfile.ZipFile(epub).read("EPUB/toc.ncx").decode()
    title = re.search(r"<docTitle>\s*<text>([^<]*)</text>", ncx)
    first = re.search(r"<navPoint [^>]*>\s*<navLabel>\s*<text>([^<]*)</text>", ncx)
    assert title and first and first[1] == title[1]
    assert first[1].startswith("Recommendation 1607 (2003): "), first[1]
