"""French ordinals are superscript in every edition, with each format's own markup, and never
Unicode modifier letters; a French title is joined to its citation with a no-break space before
the colon in every title and metadata field ("Recommandation 1607 (2003) : Activités")."""

from __future__ import annotations

import itertools
import json
import re
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pikepdf
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from pipeline.typeset import FRENCH_ORDINAL, superscript_ordinals, typeset

FRENCH = ("recommendation-1607-2003.fr", "recommendation-9013-2032.fr")
ENGLISH = "recommendation-1607-2003.en"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MODIFIER_LETTERS = re.compile("[ᵉʳˢᵈ]")
# what the sources and the adoption formula hold: "19e séance" (the seed), "1er" (the fixture)
EXPECTED = {"recommendation-1607-2003.fr": {"e"}, "recommendation-9013-2032.fr": {"er"}}
COLON = {"fr": "(2003)\u00a0: ", "en": "(2003): "}


def _plain_ordinals(root: lxml.etree._Element) -> list[str]:
    """Ordinals written as plain text: in a text node that is not inside a <sup>."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag.endswith("sup"):
            continue
        for text in (element.text, *(child.tail for child in element)):
            found += [m.group() for m in FRENCH_ORDINAL.finditer(text or "")]
    return found


def _superscripts(root: lxml.etree._Element) -> set[str]:
    return {"".join(e.itertext()) for e in root.iter() if isinstance(e.tag, str) and e.tag.endswith("sup")}


def test_html_and_epub_set_french_ordinals_in_sup(editions: Path) -> None:
    for stem in FRENCH:
        body = lxml.html.fromstring((editions / f"{stem}.html").read_bytes()).find(".//main")
        assert _plain_ordinals(body) == [], stem
        assert EXPECTED[stem] <= _superscripts(body), stem
        with zipfile.ZipFile(editions / f"{stem}.epub") as epub:
            chapter = lxml.etree.fromstring(epub.read("EPUB/text/ch001.xhtml"))
        assert _plain_ordinals(chapter) == [], stem
        assert EXPECTED[stem] <= _superscripts(chapter), stem


def test_docx_sets_them_with_vertalign_superscript(editions: Path) -> None:
    for stem in FRENCH:
        superscript, plain = set(), []
        with zipfile.ZipFile(editions / f"{stem}.docx") as package:
            for name in ("word/document.xml", "word/footnotes.xml"):
                for run in lxml.etree.fromstring(package.read(name)).iter(f"{{{W}}}r"):
                    text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
                    align = run.find(f"{{{W}}}rPr/{{{W}}}vertAlign")
                    if align is not None and align.get(f"{{{W}}}val") == "superscript":
                        superscript.add(text)
                    else:
                        plain += [m.group() for m in FRENCH_ORDINAL.finditer(text)]
        assert plain == [] and EXPECTED[stem] <= superscript, (stem, plain, superscript)


def test_pdf_draws_the_suffix_smaller_and_raised(editions: Path) -> None:
    for stem in FRENCH:
        chars = [
            c
            for page in extract_pages(editions / f"{stem}.pdf")
            for box in page
            if isinstance(box, LTTextContainer)
            for line in box
            for c in getattr(line, "_objs", ())
            if isinstance(c, LTChar)
        ]
        raised = [
            (number, suffix)
            for number, suffix in itertools.pairwise(chars)
            if number.get_text().isdigit()
            and suffix.get_text() in "er"
            and suffix.size < 0.9 * number.size
            and suffix.y0 > number.y0 + 1
        ]
        assert raised, stem


def test_no_edition_holds_modifier_letters(editions: Path) -> None:
    for stem in FRENCH:
        assert not MODIFIER_LETTERS.search((editions / f"{stem}.html").read_text(encoding="utf-8"))
        for name in ("epub", "docx"):
            with zipfile.ZipFile(editions / f"{stem}.{name}") as package:
                for part in package.namelist():
                    if part.endswith((".xhtml", ".xml", ".opf")):
                        assert not MODIFIER_LETTERS.search(package.read(part).decode("utf-8")), (stem, part)


def test_modifier_letters_and_roman_numerals_become_sup_in_french_only() -> None:
    assert typeset("la 19ᵉ séance du 1ᵉʳ juin", "fr") == "la 19<sup>e</sup> séance du 1<sup>er</sup> juin"
    assert (
        typeset("XXIe siècle, 1re, 2des, Ce Le", "fr")
        == "XXI<sup>e</sup> siècle, 1<sup>re</sup>, 2<sup>des</sup>, Ce Le"
    )
    assert typeset("the 19e", "en") == "the 19e"
    assert superscript_ordinals('<a href="#n-1e">1er juin</a>', "fr") == '<a href="#n-1e">1<sup>er</sup> juin</a>'


def _titles(editions: Path, stem: str) -> dict[str, str]:
    html = lxml.html.fromstring((editions / f"{stem}.html").read_bytes())
    [ld] = html.xpath("//script[@type='application/ld+json']/text()")
    with pikepdf.open(editions / f"{stem}.pdf") as pdf:
        with pdf.open_outline() as outline:
            first = str(outline.root[0].title)
        pdf_titles = {"pdf info": str(pdf.docinfo["/Title"]), "pdf xmp": str(pdf.open_metadata()["dc:title"])}
    with zipfile.ZipFile(editions / f"{stem}.docx") as docx:
        core = lxml.etree.fromstring(docx.read("docProps/core.xml"))
    with zipfile.ZipFile(editions / f"{stem}.epub") as epub:
        opf = lxml.etree.fromstring(epub.read("EPUB/content.opf"))
    dc = "{http://purl.org/dc/elements/1.1/}"
    return {
        "html title": html.findtext(".//title"),
        "html description": html.xpath("//meta[@name='description']/@content")[0],
        "json-ld": json.loads(ld)["alternateName"] + COLON[stem[-2:]][6:] + json.loads(ld)["name"],
        "pdf outline": first,
        **pdf_titles,
        "docx core": core.findtext(f"{dc}title"),
        "epub opf": opf.findtext(f".//{dc}title"),
        "epub description": opf.findtext(f".//{dc}description"),
    }


def test_every_title_field_joins_citation_and_title_as_its_language_does(editions: Path) -> None:
    for stem in (*FRENCH[:1], ENGLISH):
        for field, value in _titles(editions, stem).items():
            assert COLON[stem[-2:]] in value, (stem, field, value)
            assert "(2003) :" not in value.replace("\u00a0", "_"), (stem, field, value)  # never a breaking space
