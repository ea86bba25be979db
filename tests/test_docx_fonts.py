"""The house faces travel inside the DOCX (Word's obfuscated font embedding, ECMA-376 Part 1
§17.8.1), and LibreOffice sets the text in them on a machine where no Noto font is installed."""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
import tomllib
import zipfile
from pathlib import Path

import lxml.etree
import pytest

from pipeline.renderers.docx import DOCX_ASSETS
from tests.validators import convert_with_libreoffice

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R, "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
SEED = "recommendation-1607-2003.en"
SCRIPTS = "resolution-9008-2031.en"  # Greek, Armenian, Georgian and Cyrillic words
FACES = tomllib.loads((DOCX_ASSETS / "fonts.toml").read_text(encoding="utf-8"))["face"]
FACE_ELEMENT = {(400, "normal"): "embedRegular", (700, "normal"): "embedBold",
                (400, "italic"): "embedItalic", (700, "italic"): "embedBoldItalic"}  # fmt: skip


def part(package: zipfile.ZipFile, name: str) -> lxml.etree._Element:
    return lxml.etree.fromstring(package.read(name))


def deobfuscated(data: bytes, key: str) -> bytes:
    """§17.8.1 read as written: the GUID's hexadecimal digits taken two by two from its end give
    the 16 bytes that were XORed, twice over, into the font's first 32 bytes."""
    digits = re.sub(r"[{}-]", "", key)
    mask = [int(digits[index : index + 2], 16) for index in range(30, -1, -2)]
    return bytes(byte ^ mask[index % 16] for index, byte in enumerate(data[:32])) + data[32:]


def embedded(docx: Path) -> dict[tuple[str, str], bytes]:
    """(family, embedRegular | embedBold | …) -> the font file, de-obfuscated."""
    with zipfile.ZipFile(docx) as package:
        targets = {
            str(r.get("Id")): str(r.get("Target"))
            for r in part(package, "word/_rels/fontTable.xml.rels").iterfind("rel:Relationship", NS)
        }
        faces = {}
        for font in part(package, "word/fontTable.xml").iterfind("w:font", NS):
            for reference in font:
                name = lxml.etree.QName(reference).localname
                if name.startswith("embed"):
                    data = package.read(f"word/{targets[reference.get(f'{{{R}}}id')]}")
                    faces[(font.get(f"{{{W}}}name"), name)] = deobfuscated(data, reference.get(f"{{{W}}}fontKey"))
    return faces


def expected(families: set[str]) -> dict[tuple[str, str], str]:
    return {
        (face["family"], FACE_ELEMENT[(face["weight"], face["style"])]): face["sha256"]
        for face in FACES
        if face["family"] in families
    }


def test_the_house_faces_are_the_print_editions() -> None:
    """Word then sets the same face, from the same files, as the PDF."""
    print_faces = tomllib.loads((DOCX_ASSETS.parent / "print" / "fonts.toml").read_text(encoding="utf-8"))["face"]
    assert print_faces == FACES


def test_the_four_faces_of_the_house_family_are_embedded_whole(editions: Path) -> None:
    faces = embedded(editions / f"{SEED}.docx")
    assert {name: hashlib.sha256(data).hexdigest() for name, data in faces.items()} == expected({"Noto Serif"})


def test_a_script_face_is_embedded_where_the_text_uses_it(editions: Path) -> None:
    faces = embedded(editions / f"{SCRIPTS}.docx")
    families = {"Noto Serif", "Noto Serif Armenian", "Noto Serif Georgian"}
    assert {name: hashlib.sha256(data).hexdigest() for name, data in faces.items()} == expected(families)


def test_embedded_fonts_are_obfuscated_declared_and_kept_on_save(editions: Path) -> None:
    with zipfile.ZipFile(editions / f"{SEED}.docx") as package:
        fonts = [name for name in package.namelist() if name.startswith("word/fonts/")]
        assert fonts and all(name.endswith(".odttf") for name in fonts)
        for name in fonts:  # not a font file as it stands: the sfnt header is scrambled
            assert package.read(name)[:4] not in (b"\x00\x01\x00\x00", b"OTTO", b"true")
        types = part(package, "[Content_Types].xml")
        assert types.xpath("//*[@Extension='odttf']/@ContentType") == [
            "application/vnd.openxmlformats-officedocument.obfuscatedFont"
        ]
        assert part(package, "word/settings.xml").find("w:embedTrueTypeFonts", NS) is not None
        keys = part(package, "word/fontTable.xml").xpath("//@w:fontKey", namespaces=NS)
    assert all(re.fullmatch(r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", key) for key in keys)
    assert len(set(keys)) == len(keys)


def test_a_face_has_the_same_key_in_every_edition(editions: Path) -> None:
    """The key comes from the font's bytes, not from chance: editions stay byte-identical."""
    keys: dict[str, set[str]] = {}
    for docx in editions.glob("*.docx"):
        with zipfile.ZipFile(docx) as package:
            table = part(package, "word/fontTable.xml")
        for reference in table.xpath("//w:font/*[@w:fontKey]", namespaces=NS):
            face = f"{reference.getparent().get(f'{{{W}}}name')} {lxml.etree.QName(reference).localname}"
            keys.setdefault(face, set()).add(str(reference.get(f"{{{W}}}fontKey")))
    assert keys and all(len(found) == 1 for found in keys.values()), keys


def without_embedded_fonts(docx: Path, target: Path) -> Path:
    """The same DOCX with its font parts and their references taken out."""
    with zipfile.ZipFile(docx) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.startswith("word/fonts/") or entry.filename == "word/_rels/fontTable.xml.rels":
                continue
            if entry.filename == "word/fontTable.xml":
                data = re.sub(rb"<w:embed\w+ [^>]*/>", b"", data)
            copy.writestr(entry, data)
    return target


def pdf_fonts(pdf: Path) -> set[str]:
    listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0].partition("+")[2] for line in listing.splitlines()[2:]}


def convert(files: list[Path], config: Path, out: Path) -> None:
    """PDFs of `files` by LibreOffice, in a process of its own (fonts a document embeds are
    registered for the rest of the process), with only the fonts `config` names."""
    with tempfile.TemporaryDirectory() as home:
        environment = {"PATH": "/usr/bin:/bin", "HOME": home, "FONTCONFIG_FILE": str(config)}
        convert_with_libreoffice(files, out, env=environment, timeout=300).check_returncode()


@pytest.mark.slow
def test_libreoffice_sets_the_text_in_the_embedded_faces_where_no_noto_is_installed(
    editions: Path, tmp_path: Path
) -> None:
    """LibreOffice converts the DOCX with a font configuration that sees only DejaVu: the PDF it
    writes uses the embedded Noto faces and nothing else. The same files without their fonts,
    converted alike, come out in DejaVu: the configuration really hides the installed Noto."""
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd"><fontconfig>'
        f"<dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    stems = (SEED, SCRIPTS)
    convert(
        [without_embedded_fonts(editions / f"{s}.docx", tmp_path / f"{s}.bare.docx") for s in stems], config, tmp_path
    )
    convert([editions / f"{stem}.docx" for stem in stems], config, tmp_path)
    for stem in stems:
        substitutes = pdf_fonts(tmp_path / f"{stem}.bare.pdf")
        assert substitutes and not any(name.startswith("Noto") for name in substitutes), substitutes
    assert pdf_fonts(tmp_path / f"{SEED}.pdf") == {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic"}
    assert pdf_fonts(tmp_path / f"{SCRIPTS}.pdf") == {
        "NotoSerif-Regular", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSerifArmenian-Regular",
        "NotoSerifGeorgian-Regular",
    }  # fmt: skip
