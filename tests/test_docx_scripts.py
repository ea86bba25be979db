"""Words in Greek, Cyrillic, Armenian and Georgian script carry their language in the DOCX
(w:lang: Word checks their spelling as such, a screen reader switches voice); Armenian and
Georgian ones a face that has their letters. The quotation marks and other punctuation around
them stay outside, in the text's own face and language."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path

import lxml.etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
STEM = "resolution-9008-2031.en"
# The languages each script may be tagged with: Cyrillic serves several.
LANGUAGES = {"GREEK": {"el"}, "ARMENIAN": {"hy"}, "GEORGIAN": {"ka"}, "CYRILLIC": {"ru", "uk", "bg", "sr", "mk", "be"}}
STYLES = {"ARMENIAN": "ArmenianText", "GEORGIAN": "GeorgianText"}


def script(character: str) -> str | None:
    """The script of a letter, as the Unicode character database names it."""
    first = unicodedata.name(character, "").split(" ")[0]
    return first if first in LANGUAGES and unicodedata.category(character).startswith("L") else None


def runs(docx: Path) -> list[tuple[str, str | None, str | None]]:
    """(text, w:lang, character style) of every text run of the document and its notes."""
    found = []
    with zipfile.ZipFile(docx) as package:
        for name in ("word/document.xml", "word/footnotes.xml"):
            root = lxml.etree.fromstring(package.read(name))
            for run in root.iterfind(".//w:r", NS):
                text = "".join(t.text or "" for t in run.iterfind("w:t", NS))
                if text:
                    lang = run.find("w:rPr/w:lang", NS)
                    style = run.find("w:rPr/w:rStyle", NS)
                    found.append((
                        text,
                        None if lang is None else lang.get(f"{{{W}}}val"),
                        None if style is None else style.get(f"{{{W}}}val"),
                    ))  # fmt: skip
    return found


def test_every_script_run_carries_its_language_and_nothing_else(editions: Path) -> None:
    """Over every DOCX edition: a run with a Greek, Cyrillic, Armenian or Georgian letter is
    tagged with a language of that script, holds that script's words only (no quotation mark,
    comma or Latin letter at either end) and, for Armenian and Georgian, the face that has them."""
    checked = 0
    for docx in sorted(editions.glob("*.docx")):
        for text, lang, style in runs(docx):
            scripts = {script(character) for character in text} - {None}
            if not scripts:
                assert style not in STYLES.values(), (docx.name, text)
                continue
            checked += 1
            [name] = scripts  # one script per run
            assert lang is not None and lang.split("-")[0] in LANGUAGES[str(name)], (docx.name, text, lang)
            assert script(text[0]) == name and script(text[-1]) == name, (docx.name, text)
            assert style == STYLES.get(str(name)), (docx.name, text, style)
    assert checked >= 8


def test_each_phrase_has_the_language_its_letters_tell(editions: Path) -> None:
    tagged = {text: lang for text, lang, _ in runs(editions / f"{STEM}.docx") if lang}
    assert tagged == {
        "Βουλή των Ελλήνων": "el-GR",
        "Ազգային ժողով": "hy-AM",
        "საქართველოს პარლამენტი": "ka-GE",
        "Верховна Рада України": "uk-UA",
        "Βουλή των Αντιπροσώπων": "el-GR",
        "Парламент Республики Молдова": "ru-RU",
        "Народно събрание": "bg-BG",
        "Кожен має право знати свої права": "uk-UA",
    }


def test_quotation_marks_stay_in_the_texts_face(editions: Path) -> None:
    for text, lang, style in runs(editions / f"{STEM}.docx"):
        if any(mark in text for mark in "“”"):
            assert lang is None and style is None, text
