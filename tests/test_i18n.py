"""English and French editions, localised end to end; every European script set with real glyphs."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.etree
import lxml.html
import pikepdf
import pytest
from babel.messages.pofile import read_po
from fontTools.ttLib import TTFont
from pdfminer.high_level import extract_text

from pipeline.i18n import LOCALES
from pipeline.renderers.fonts import pinned_faces
from pipeline.templating import TEMPLATES, day_list, long_date, ordinal
from pipeline.typography import typography_for
from tests.conftest import ROOT
from tests.pdftext import footer_text, header_text, page_count, page_text
from tests.sources import FRONT

FRENCH = "recommendation-1607-2003.fr"
ENGLISH = "recommendation-1607-2003.en"
SCRIPTS = "resolution-9008-2031.en"
FRENCH_NOTE = (
    "Discussion par l’Assemblée le 24 juin 2003 (19e séance) (voir Doc. 9814, rapport de la commission des "
    "migrations, des réfugiés et de la population, rapporteur\u00a0: M. Wilkinson). Texte adopté par l’Assemblée "
    "le 24 juin 2003 (19e séance)."
)


def catalogues() -> list[Path]:
    return sorted(LOCALES.glob("*/LC_MESSAGES/messages.po"))


@pytest.mark.parametrize("po_file", catalogues(), ids=lambda p: p.parent.parent.name)
def test_every_string_is_translated(po_file: Path) -> None:
    with (LOCALES / "messages.pot").open("rb") as stream:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(stream) if m.id}
    with po_file.open("rb") as stream:
        catalogue = read_po(stream)
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        translated = bool(message.string) if isinstance(message.string, str) else all(message.string or ())
        if not translated or message.fuzzy:
            missing.append(message.id)
    present = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue if m.id}
    assert missing == [] and wanted <= present, f"untranslated: {missing + sorted(wanted - present)}"


def test_the_catalogue_template_holds_every_string_of_the_templates(tmp_path: Path) -> None:
    extracted = tmp_path / "messages.pot"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "pybabel"),
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--no-location",
            "--sort-output",
            "--omit-header",
            "-o",
            str(extracted),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )

    def ids(path: Path) -> set[object]:
        with path.open("rb") as stream:
            return {m.id if isinstance(m.id, str) else tuple(m.id) for m in read_po(stream) if m.id}

    assert ids(extracted) == ids(LOCALES / "messages.pot"), "run `make messages`, then translate"


def test_dates_and_ordinals() -> None:
    assert long_date(dt.date(2003, 10, 1), "fr") == "1er\u00a0octobre\u00a02003"
    assert long_date(dt.date(2003, 6, 24), "en") == "24\u00a0June\u00a02003"  # on one line
    assert day_list([dt.date(2004, 6, 22), dt.date(2004, 6, 23)], "fr") == "22 et 23\u00a0juin\u00a02004"
    assert [ordinal(n, "en") for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "112th",
    ]
    assert [ordinal(n, "fr") for n in (1, 2, 19)] == ["1re", "2e", "19e"]


def test_french_web_edition(editions: Path) -> None:
    page = lxml.html.fromstring((editions / f"{FRENCH}.html").read_bytes())
    assert page.get("lang") == "fr"
    assert page.xpath("string(//p[@class='citation'])").startswith("Recommandation 1607 (2003)")
    assert page.xpath("string(//p[@class='translation-notice'])") == "Traduction non officielle"
    assert page.xpath("string(//p[@class='versions'])") == "Autres versions linguistiques\u00a0: English"
    assert page.xpath("//link[@rel='alternate']/@hreflang") == ["en"]
    note = page.xpath("//li[@id='fn-1']")[0]
    note.xpath("./a[@class='back']")[0].drop_tree()
    assert note.text_content().replace("\u00a0", " ").strip() == FRENCH_NOTE.replace("\u00a0", " ")
    assert page.xpath("string(//section[@class='notes']/h2)") == "Notes"
    assert page.xpath("string(//a[@class='skip-link'])") == "Aller au texte"
    data = json.loads(page.xpath("string(//script[@type='application/ld+json'])"))
    assert (data["legislationType"], data["inLanguage"]) == ("Recommandation", "fr")
    assert data["translationOfWork"] == ["tag:coe.int,2026:pace/adopted-texts/recommendation-1607-2003/en"]


def test_english_edition_links_to_the_french_one(editions: Path) -> None:
    page = lxml.html.fromstring((editions / f"{ENGLISH}.html").read_bytes())
    assert page.xpath("//link[@rel='alternate'][@hreflang]/@href") == [f"{FRENCH}.html"]  # the AKN edition's has none
    assert page.xpath("//p[@class='versions']/a/@href") == [f"{FRENCH}.html"]
    assert page.xpath("//p[@class='translation-notice']") == []


def test_french_print_edition(editions: Path) -> None:
    pdf = editions / f"{FRENCH}.pdf"
    total = page_count(pdf)
    assert [footer_text(pdf, n) for n in range(1, total + 1)] == [f"Page {n} sur {total}" for n in range(1, total + 1)]
    assert header_text(pdf, 2) == "Recommandation 1607 (2003)"
    first = page_text(pdf, 1)
    assert "TRADUCTION NON OFFICIELLE" in first and "Autres versions linguistiques" in first
    assert FRENCH_NOTE.replace("\u00a0", " ") in first.replace("\u00a0", " ")
    with pikepdf.open(pdf) as document:
        assert str(document.Root.Lang) == "fr"
        assert document.open_metadata()["dc:language"] == {"fr"}
        assert str(document.docinfo["/Title"]).startswith("Recommandation 1607 (2003)\u00a0: Activités")


def test_french_spacing_in_the_french_pdf(editions: Path) -> None:
    # pdfminer keeps the characters the PDF's ToUnicode maps give; poppler turns both into spaces.
    text = extract_text(editions / f"{FRENCH}.pdf")
    assert "suivants\u00a0:" in text, "no-break space before a colon"
    assert "migrations\u202f;" in text, "narrow no-break space before a semicolon"
    assert "rapporteur\u00a0:" in text, "the generated formula is spaced too"
    assert " ;" not in text and " :" not in text


def test_french_docx_and_epub(editions: Path) -> None:
    with zipfile.ZipFile(editions / f"{FRENCH}.docx") as docx:
        core = docx.read("docProps/core.xml").decode()
        footers = b"".join(docx.read(n) for n in docx.namelist() if n.startswith("word/footer")).decode()
        headers = b"".join(docx.read(n) for n in docx.namelist() if n.startswith("word/header")).decode()
        notes = docx.read("word/footnotes.xml").decode()
        document = docx.read("word/document.xml").decode()
    assert "<dc:language>fr</dc:language>" in core and "<dc:title>Recommandation 1607 (2003)" in core
    assert " sur " in footers and "Recommandation 1607 (2003)" in headers
    assert "Discussion par l’Assemblée le 24\u00a0juin\u00a02003" in notes
    assert "Traduction non officielle" in document
    assert re.search(r'<w:lang [^>]*w:val="fr-FR"', docx_styles(editions / f"{FRENCH}.docx"))  # regional: spelling
    with zipfile.ZipFile(editions / f"{FRENCH}.epub") as epub:
        opf = epub.read("EPUB/content.opf").decode()
        chapter = epub.read("EPUB/text/ch001.xhtml").decode()
    assert "<dc:language>fr</dc:language>" in opf and 'xml:lang="fr"' in chapter
    assert "Traduction non officielle" in chapter and "Discussion par l’Assemblée" in chapter


def docx_styles(path: Path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/styles.xml").decode()


FACES = pinned_faces(TEMPLATES / "print" / "fonts.toml", "pdf")


def test_no_pdf_lacks_a_glyph(editions: Path) -> None:
    covered: set[int] = set()
    for face in FACES:
        covered |= set(TTFont(face.file).getBestCmap())
    for pdf in sorted(editions.glob("*.pdf")):
        text = "".join(page_text(pdf, n) for n in range(1, page_count(pdf) + 1))
        assert {c for c in text if not c.isspace() and ord(c) not in covered} == set(), pdf.name


def test_the_multi_script_text_in_every_format(editions: Path) -> None:
    samples = {"Cyrillic": "Верховна", "Greek": "Βουλή", "Armenian": "Ազգային", "Georgian": "საქართველოს"}
    page = (editions / f"{SCRIPTS}.html").read_text(encoding="utf-8")
    pdf_text = " ".join(page_text(editions / f"{SCRIPTS}.pdf", n) for n in (1, 2))
    with zipfile.ZipFile(editions / f"{SCRIPTS}.epub") as epub:
        chapter = epub.read("EPUB/text/ch001.xhtml").decode()
        css = epub.read("EPUB/styles/stylesheet1.css").decode()
    with zipfile.ZipFile(editions / f"{SCRIPTS}.docx") as docx:
        document = docx.read("word/document.xml").decode()
    for script, word in samples.items():
        assert word in page and word in pdf_text and word in chapter and word in document, script
    assert '"Noto Serif Armenian", "Noto Serif Georgian"' in css
    root = lxml.etree.fromstring(document.encode())
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for style, word in (("ArmenianText", samples["Armenian"]), ("GeorgianText", samples["Georgian"])):
        runs = [r for r in root.iter(f"{w}r") if word in "".join(t.text or "" for t in r.iter(f"{w}t"))]
        assert runs and all(r.find(f"{w}rPr/{w}rStyle").get(f"{w}val") == style for r in runs), style
    fonts = subprocess.run(
        ["pdffonts", str(editions / f"{SCRIPTS}.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert "Noto-Serif-Armenian" in fonts and "Noto-Serif-Georgian" in fonts


def test_make_builds_both_languages() -> None:
    languages = {p.name.split(".")[-2] for p in (ROOT / "source").glob("recommendation-1607-2003.*.md")}
    assert languages == {"en", "fr"}


@pytest.mark.parametrize(
    ("language", "typed", "set_as"),
    [
        ("en", 'the "right to know" of the Ministers\' Deputies', "the “right to know” of the Ministers’ Deputies"),
        ("en", "'quoted' text", "‘quoted’ text"),
        ("fr", 'l\'Assemblée a dit "non"', "l’Assemblée a dit «\u00a0non\u00a0»"),
        (
            "fr",
            "Pourquoi ? Parce que ; enfin ! Voici : « texte »",
            "Pourquoi\u202f? Parce que\u202f; enfin\u202f! Voici\u00a0: «\u00a0texte\u00a0»",
        ),
        ("fr", "Quoi? Non!", "Quoi\u202f? Non\u202f!"),
        ("fr", "à 10:30, voir https://example.org", "à 10:30, voir https://example.org"),
    ],
)
def test_typography_per_language(language: str, typed: str, set_as: str) -> None:
    assert typography_for(language)(typed) == set_as


def test_smart_quotes_see_across_emphasis(tmp_path: Path) -> None:
    from pipeline.config import Config
    from pipeline.model import Paragraph, Text
    from pipeline.source import read

    source = tmp_path / "resolution-1234-2001.fr.md"
    english = FRONT
    source.write_text(
        english.replace("language: en", "language: fr") + '\n1. Le "*droit*" et l\'*IOM*.\n', encoding="utf-8"
    )
    (tmp_path / "resolution-1234-2001.en.md").write_text(
        english + '\n1. The "*right*" and *IOM*\'s role.\n', encoding="utf-8"
    )

    def text_of(path: Path) -> str:
        document = read(path, Config()).document
        assert document is not None
        [paragraph] = document.sections[0].blocks
        assert isinstance(paragraph, Paragraph)
        return "".join(
            n.text if isinstance(n, Text) else "".join(c.text for c in n.children)  # type: ignore[union-attr]
            for n in paragraph.content
        )

    assert text_of(source) == "Le «\u00a0droit\u00a0» et l’IOM."
    assert text_of(tmp_path / "resolution-1234-2001.en.md") == "The “right” and IOM’s role."


def test_each_edition_names_the_other_language_version(editions: Path) -> None:
    french = "tag:coe.int,2026:pace/adopted-texts/recommendation-1607-2003/fr"
    with zipfile.ZipFile(editions / f"{ENGLISH}.epub") as epub:
        assert f"<dc:relation>{french}</dc:relation>" in epub.read("EPUB/content.opf").decode()
    with pikepdf.open(editions / f"{ENGLISH}.pdf") as pdf:
        assert pdf.open_metadata()["dc:relation"] == {french}
    page = lxml.html.fromstring((editions / f"{ENGLISH}.html").read_bytes())
    assert page.xpath("//meta[@name='dcterms.hasVersion']/@content") == [french]
    with zipfile.ZipFile(editions / f"{ENGLISH}.docx") as docx:
        assert f"{FRENCH}.docx" not in docx.read("word/document.xml").decode()  # no link without a site
        assert "Français" in docx.read("word/document.xml").decode()


def test_a_catalogue_compiled_once_is_read_from_the_cache_as_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import i18n

    monkeypatch.setenv("PIPELINE_CACHE_DIR", str(tmp_path))
    with (LOCALES / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as stream:
        catalog = read_po(stream, locale="fr")
    expected = {message.id: message.string for message in catalog if message.id and isinstance(message.id, str)}
    readings = []
    for _ in range(2):  # compiled and kept, then read from the cache
        i18n.translations.cache_clear()
        readings.append(i18n.translations("fr"))
    i18n.translations.cache_clear()
    (kept,) = (tmp_path / "catalogues").iterdir()
    assert kept.name.startswith("fr-") and kept.suffix == ".mo"
    for reading in readings:
        assert {key: reading.gettext(key) for key in expected} == expected
    kept.write_bytes(b"not a catalogue")  # a damaged cache is compiled again
    assert i18n.translations("fr").gettext("Notes") == expected["Notes"]
    i18n.translations.cache_clear()
