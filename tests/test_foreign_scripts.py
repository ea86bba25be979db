"""Words in Greek, Cyrillic, Armenian and Georgian script carry the same language in every
edition, decided by one rule (pipeline/scripts.py): HTML `lang`, EPUB `lang` + `xml:lang`, the
PDF's structure element /Lang, DOCX w:lang. Checked on what each format's own reader sees: the
HTML and EPUB trees, the PDF structure tree walked through its marked content, the DOCX runs."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path

import lxml.etree
import lxml.html
import pytest

from pipeline.config import Config, decode_config
from pipeline.errors import ConfigError
from pipeline.scripts import SCRIPT_RANGES, script_runs
from tests.pdfstructure import Element, structure_tree
from tests.validators import nu_html_checker

STEM = "resolution-9008-2031.en"  # parliaments' names in the four scripts
LETTERS = re.compile(f"[{''.join(SCRIPT_RANGES.values())}]+")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

Words = Counter[tuple[str, str | None]]  # (word of another script, base language it is tagged with)


def _base(tag: str | None) -> str | None:
    return tag.split("-")[0] if tag else None


def _words(pieces: list[tuple[str, str | None]]) -> Words:
    """The words of another script in (text, language) pieces in reading order; a piece ending
    with a soft hyphen (the PDF's line-end hyphen) continues in the next."""
    joined: list[tuple[str, str | None]] = []
    for text, lang in pieces:
        if joined and joined[-1][0].endswith("\u00ad"):
            joined[-1] = (joined[-1][0][:-1] + text, joined[-1][1])
        else:
            joined.append((text, lang))
    return Counter((word, _base(lang)) for text, lang in joined for word in LETTERS.findall(text))


def _html_pieces(root: lxml.etree._Element, document_lang: str) -> list[tuple[str, str | None]]:
    pieces: list[tuple[str, str | None]] = []

    def visit(element: lxml.etree._Element, lang: str) -> None:
        own = element.get("lang") or lang
        if element.text:
            pieces.append((element.text, own if own != document_lang else None))
        for child in element:
            if isinstance(child.tag, str):
                visit(child, own)
            if child.tail:
                pieces.append((child.tail, lang if lang != document_lang else None))

    visit(root, document_lang)
    return pieces


def html_words(path: Path) -> Words:
    body = lxml.html.fromstring(path.read_bytes()).find(".//main")
    return _words(_html_pieces(body, "en"))


def epub_words(path: Path) -> Words:
    with zipfile.ZipFile(path) as epub:
        root = lxml.etree.fromstring(epub.read("EPUB/text/ch001.xhtml"))
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("lang"):
            assert element.get(XML_LANG) == element.get("lang"), lxml.etree.tostring(element)
    [body] = root.iterfind("{http://www.w3.org/1999/xhtml}body")
    return _words(_html_pieces(body, "en"))


def pdf_words(path: Path) -> Words:
    pieces: list[tuple[str, str | None]] = []

    def visit(element: Element, lang: str | None) -> None:
        own = element.lang or lang
        for kid in element.kids:
            if isinstance(kid, str):
                pieces.append((kid, own))
            else:
                visit(kid, own)

    visit(structure_tree(path.read_bytes()), None)
    return _words(pieces)


def docx_words(path: Path) -> Words:
    pieces: list[tuple[str, str | None]] = []
    with zipfile.ZipFile(path) as package:
        for name in ("word/document.xml", "word/footnotes.xml"):
            root = lxml.etree.fromstring(package.read(name))
            for run in root.iter(f"{{{W}}}r"):
                lang = run.find(f"{{{W}}}rPr/{{{W}}}lang")
                text = "".join(t.text or "" for t in run.iter(f"{{{W}}}t"))
                pieces.append((text, None if lang is None else lang.get(f"{{{W}}}val")))
    return _words(pieces)


def test_every_format_tags_the_same_words_with_the_same_language(editions: Path) -> None:
    html = html_words(editions / f"{STEM}.html")
    assert len(html) >= 10 and None not in {lang for _, lang in html}, html
    assert {lang for _, lang in html} == {"el", "ru", "uk", "bg", "hy", "ka"}
    for name, found in (
        ("epub", epub_words(editions / f"{STEM}.epub")),
        ("pdf", pdf_words(editions / f"{STEM}.pdf")),
        ("docx", docx_words(editions / f"{STEM}.docx")),
    ):
        assert found == html, (name, found - html, html - found)


def test_the_html_with_its_language_spans_is_valid(editions: Path) -> None:
    assert nu_html_checker([editions / f"{STEM}.html"]) == []


def test_the_rule_takes_a_letter_only_one_language_has_then_the_configured_default() -> None:
    assert list(script_runs("«Слава Україні», he said", "en")) == [
        ("«", None),
        ("Слава Україні", "uk-UA"),
        ("», he said", None),
    ]
    assert list(script_runs("Парламент, Αθήνα", "fr")) == [("Парламент", "ru-RU"), (", ", None), ("Αθήνα", "el-GR")]
    configured = Config(scripts={"cyrillic": "bg-BG"})
    assert list(script_runs("Народно събрание", "en", configured.scripts)) == [("Народно събрание", "bg-BG")]
    assert list(script_runs("Парламент", "en", configured.scripts)) == [("Парламент", "bg-BG")]
    assert list(script_runs("Βουλή των Ελλήνων", "el")) == [("Βουλή των Ελλήνων", None)]  # its own language


@pytest.mark.parametrize(
    ("line", "message"),
    [('scripts = { latin = "en-GB" }', "no such script"), ('scripts = { cyrillic = "russian" }', "a language tag")],
)
def test_a_wrong_script_language_is_refused(line: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        decode_config(line + "\n")
