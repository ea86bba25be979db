"""The EPUB 3 edition of the seed: validity, accessibility, metadata, notes, every word."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from pipeline import build
from pipeline.testing.corpus import generate
from tests.conftest import SEED, TEXTS
from tests.sources import FRONT, NAME
from tests.wordcheck import raw_seed, tokens

STEM = "recommendation-1607-2003.en"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
NCX = {"n": "http://www.daisy.org/z3986/2005/ncx/"}
CONTENT_DOCUMENT = re.compile(r"EPUB/text/ch\d+\.xhtml")
# What belongs to the text or an appendix, never to the title block.
PROVISIONS = ".//x:div[contains(concat(' ', @class, ' '), ' paragraph ')] | .//x:section | .//x:table | .//x:blockquote"
# Two appendices, a note in the text and one in an appendix; the second heading's slug is the title block's id.
TWO_APPENDICES = """1. Text.[^first]

## Appendix

Terms of reference.

1. First point.[^second]

## Title block

1. Other point.

[^first]: A note in the text.
[^second]: A note in an appendix.
"""
# Where pandoc's navigation (EPUB 3, and the NCX of EPUB 2) lists its entries: all, then the top level's.
NAVIGATION = {
    "EPUB/nav.xhtml": ("//x:nav[@epub:type='toc']//x:a/@href", "/x:html/x:body/x:nav/x:ol/x:li/x:a/@href"),
    "EPUB/toc.ncx": ("//n:navMap//n:content/@src", "/n:ncx/n:navMap/n:navPoint/n:content/@src"),
}
GENERATED = 12  # sources of the synthetic corpus, seed 3: two texts with an appendix, in both languages


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


@pytest.fixture(scope="module")
def generated_books(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The EPUB editions of generated texts, and of a text with two appendices and a note in each part."""
    folder = tmp_path_factory.mktemp("epub-generated-texts")
    generate(folder, GENERATED, seed=3)
    (folder / NAME).write_text(FRONT + "\n" + TWO_APPENDICES, encoding="utf-8")
    out = tmp_path_factory.mktemp("epub-generated")
    outcomes = build([folder], ["epub"], out)
    assert not [o for o in outcomes if o.failed], [o.failure for o in outcomes if o.failed]
    return sorted(out.glob("*.epub"))


def test_the_title_block_is_a_section_beside_the_text_and_appendices(
    editions: Path, generated_books: list[Path]
) -> None:
    """pandoc made the title heading's section hold everything after it: for reading systems and
    assistive technology the text and its appendices were part of the title block."""
    books = [*sorted(editions.glob("*.epub")), *generated_books]
    assert len(books) == len(TEXTS) + GENERATED + 1
    problems = [problem for book in books for problem in structure_problems(book)]
    assert problems == [], "\n".join(problems)
    appendices = [len(chapter(book).xpath("//x:section[@class='appendix']", namespaces=NS)) for book in books]
    assert max(appendices) == 2 and appendices.count(1) >= 3  # the property is not vacuous


def structure_problems(book: Path) -> list[str]:
    """What keeps `book` from having its title block as a section of its own, the text and each
    appendix as sections beside it, and every link, label and navigation entry landing."""
    with zipfile.ZipFile(book) as package:
        names = [name for name in package.namelist() if CONTENT_DOCUMENT.fullmatch(name)]
        if names != ["EPUB/text/ch001.xhtml"]:
            return [f"{book.name}: content documents {names}, not ch001.xhtml alone"]
        root = lxml.etree.fromstring(package.read(names[0]))
        navigation = {
            name: [lxml.etree.fromstring(package.read(name)).xpath(path, namespaces=NS | NCX) for path in paths]
            for name, paths in NAVIGATION.items()
        }
    where = f"{book.name}: {names[0]}"
    problems = _section_problems(root, where) + _link_problems(root, where)
    ids = set(root.xpath("//@id"))
    appendices = root.xpath("//x:section[contains(concat(' ', @class, ' '), ' appendix ')]", namespaces=NS)
    expected = ["title", *(appendix.get("aria-labelledby") for appendix in appendices)]
    for name, (entries, top) in navigation.items():
        documents = {document for document, _, _ in (entry.partition("#") for entry in entries)}
        fragments = [entry.partition("#")[2] for entry in entries]
        if documents != {"text/ch001.xhtml"} or not set(fragments) <= ids:
            problems.append(f"{book.name}: {name} links to {entries}, not all into ch001.xhtml")
        if fragments != expected or top != entries:  # side by side, as the sections are
            problems.append(f"{book.name}: {name} lists {entries}, not {expected} side by side")
    return problems


def _section_problems(root: lxml.etree._Element, where: str) -> list[str]:
    problems: list[str] = []
    [title] = root.xpath("//x:section[@id='title']", namespaces=NS)
    [text] = root.xpath("//x:section[@id='text']", namespaces=NS)
    appendices = root.xpath("//x:section[contains(concat(' ', @class, ' '), ' appendix ')]", namespaces=NS)
    [notes] = root.xpath("//x:section[@epub:type='footnotes']", namespaces=NS)
    if not title.xpath(
        "x:h1/x:span[@class='citation'] and x:h1/x:span[@class='title'] and .//x:div[@class='issued-by']", namespaces=NS
    ):
        problems.append(f"{where}: the title block's section lacks its citation, title or issuing body")
    held = [f"<{lxml.etree.QName(e).localname} id={e.get('id')!r}>" for e in title.xpath(PROVISIONS, namespaces=NS)]
    if held:
        problems.append(f"{where}: the title block holds {len(held)} provisions and sections, {held[0]} first")
    parts = [title, text, *appendices, notes]
    problems += [
        f"{where}: section {part.get('id')!r} is inside another section"
        for part in parts
        if part.xpath("ancestor::x:section", namespaces=NS)
    ]
    order = {element: index for index, element in enumerate(root.iter())}
    if sorted(parts, key=order.__getitem__) != parts:
        problems.append(f"{where}: title block, text, appendices and notes are out of order")
    return problems


def _link_problems(root: lxml.etree._Element, where: str) -> list[str]:
    """Ids given once; every label, link and note call landing; notes numbered and linked back."""
    ids = root.xpath("//@id")
    problems = [f"{where}: the id {i!r} is given twice" for i in sorted(set(ids)) if ids.count(i) > 1]
    labels = [label for value in root.xpath("//@aria-labelledby") for label in value.split()]
    fragments = [href[1:] for href in root.xpath("//x:a/@href", namespaces=NS) if href.startswith("#")]
    problems += [f"{where}: #{target} names no element" for target in [*labels, *fragments] if target not in ids]
    calls = root.xpath("//x:a[@role='doc-noteref']", namespaces=NS)
    if [call.xpath("string(.)") for call in calls] != [str(n) for n in range(1, len(calls) + 1)]:
        problems.append(f"{where}: the note calls are not numbered 1 to {len(calls)}")
    for call in calls:
        note = call.get("href", "").removeprefix("#")
        back = root.xpath("//x:aside[@id=$note]//x:a[@class='note-back']/@href", namespaces=NS, note=note)
        if back != [f"#{call.get('id')}"]:
            problems.append(f"{where}: note {note!r} does not link back to its call")
    return problems
