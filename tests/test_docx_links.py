"""What is clickable in the DOCX: note calls always (Word footnotes, each bound to its note);
cross-references and language versions only where their target is known, that is with a
publication URL; without one, nothing links out of the file."""

from __future__ import annotations

import zipfile
from pathlib import Path

import lxml.etree
import msgspec

from pipeline import load
from pipeline.config import Config
from pipeline.renderers.docx import DocxRenderer
from pipeline.source import all_language_versions
from tests.conftest import SEED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
HYPERLINK = f"{R}/hyperlink"
PUBLISHED = "https://example.int/texts/"


def part(package: zipfile.ZipFile, name: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(package.read(name))


def hyperlinks(package: zipfile.ZipFile) -> dict[str, str]:
    """Linked text -> its target, for every hyperlink of the document and its notes."""
    links = {}
    for name in ("document", "footnotes"):
        targets = {
            str(r.get("Id")): str(r.get("Target"))
            for r in part(package, f"word/_rels/{name}.xml.rels").iterfind("rel:Relationship", NS)
            if r.get("Type") == HYPERLINK
        }
        for link in part(package, f"word/{name}.xml").iterfind(".//w:hyperlink", NS):
            text = "".join(link.itertext()).replace("\xa0", " ")  # references keep their words together
            links[text] = targets.get(str(link.get(f"{{{R}}}id")), f"#{link.get(f'{{{W}}}anchor')}")
    return links


def test_without_a_publication_url_nothing_links_out_of_any_edition(editions: Path) -> None:
    for docx in sorted(editions.glob("*.docx")):
        with zipfile.ZipFile(docx) as package:
            assert hyperlinks(package) == {}, docx.name
            relationships = [n for n in package.namelist() if n.endswith(".rels")]
            for name in relationships:
                assert not part(package, name).xpath(f"//rel:Relationship[@Type='{HYPERLINK}']", namespaces=NS)


def test_every_note_call_is_a_footnote_bound_to_its_note(editions: Path) -> None:
    for docx in sorted(editions.glob("*.docx")):
        with zipfile.ZipFile(docx) as package:
            calls = part(package, "word/document.xml").xpath("//w:footnoteReference/@w:id", namespaces=NS)
            notes = part(package, "word/footnotes.xml").xpath(
                "//w:footnote[not(@w:type)][normalize-space(.) != '']/@w:id", namespaces=NS
            )
        assert calls and sorted(calls) == sorted(notes), docx.name  # each note called once, none left over


def test_with_a_publication_url_references_and_versions_link_to_the_published_editions(tmp_path: Path) -> None:
    document = load(SEED)
    french = SEED.with_name(SEED.name.replace(".en.md", ".fr.md"))
    document = msgspec.structs.replace(document, versions=all_language_versions([SEED, french])[SEED])
    docx = tmp_path / "seed.docx"
    docx.write_bytes(DocxRenderer(Config(publication_url=PUBLISHED)).render(document))
    with zipfile.ZipFile(docx) as package:
        links = hyperlinks(package)
    assert links == {
        "Français": f"{PUBLISHED}recommendation-1607-2003.fr.docx",
        "Recommendation 1253 (1994)": f"{PUBLISHED}recommendation-1253-1994.en.html",
        "Recommendation 1370 (1998)": f"{PUBLISHED}recommendation-1370-1998.en.html",
        "Recommendation 1370": f"{PUBLISHED}recommendation-1370-1998.en.html",
    }
