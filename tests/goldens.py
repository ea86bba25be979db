"""Editions reduced to readable, reviewable text, and compared with the committed goldens.

Each kind of file (a format's media type) has one reducer: HTML as written; PDF as per-page
text plus page count, document info, XMP, fonts and outline; DOCX as pretty-printed document,
footnotes and core properties plus the styles used; EPUB as OPF, navigation and pretty-printed
XHTML. Outputs are deterministic, so nothing is masked.

Goldens are only written by `make goldens` (PIPELINE_UPDATE_GOLDENS=1); a normal run compares
and fails with a unified diff.
"""

from __future__ import annotations

import difflib
import os
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import lxml.etree
import pikepdf

from pipeline.renderers import renderer_class
from tests.pdftext import page_count, words

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("PIPELINE_UPDATE_GOLDENS") == "1"


def reduce_html(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def reduce_pdf(path: Path) -> str:
    sections = [f"pages: {page_count(path)}"]
    with pikepdf.open(path) as pdf:
        sections.append("info:\n" + "\n".join(f"  {k}: {v}" for k, v in sorted(pdf.docinfo.items())))
        sections.append("xmp:\n" + _pretty_xml(bytes(pdf.Root.Metadata.read_bytes())))
        with pdf.open_outline() as outline:
            sections.append("outline:\n" + "\n".join(_outline(outline.root, 1)))
        sections.append("attachments: " + ", ".join(sorted(pdf.attachments)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    sections.append("fonts:\n" + "\n".join(_font_row(line) for line in fonts.splitlines()[2:]))
    by_page: dict[int, list[str]] = {}
    previous_top: dict[int, float] = {}
    for word in words(path):
        lines = by_page.setdefault(word.page, [""])
        if word.page in previous_top and abs(word.top - previous_top[word.page]) > 2:
            lines.append("")
        lines[-1] = f"{lines[-1]} {word.text}".strip()
        previous_top[word.page] = word.top
    for page, lines in sorted(by_page.items()):
        sections.append(f"--- page {page} ---\n" + "\n".join(lines))
    return "\n\n".join(sections) + "\n"


def reduce_docx(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml")
        styles_used = sorted(
            set(lxml.etree.fromstring(document).xpath("//w:pStyle/@w:val | //w:rStyle/@w:val", namespaces={"w": _W}))
        )
        parts = [f"styles used: {', '.join(styles_used)}"]
        for name in ("word/document.xml", "word/footnotes.xml", "docProps/core.xml"):
            parts.append(f"--- {name} ---\n" + _pretty_xml(package.read(name)))
    return "\n\n".join(parts) + "\n"


def reduce_epub(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        parts = ["files:\n" + "\n".join(f"  {name}" for name in names)]
        for name in ["EPUB/content.opf", "EPUB/nav.xhtml", *sorted(n for n in names if n.startswith("EPUB/text/"))]:
            parts.append(f"--- {name} ---\n" + _pretty_xml(package.read(name)))
    return "\n\n".join(parts) + "\n"


def reduce_akn(path: Path) -> str:
    return _pretty_xml(path.read_bytes())


REDUCERS: dict[str, Callable[[Path], str]] = {  # by media type, as each renderer declares it
    "text/html": reduce_html,
    "application/pdf": reduce_pdf,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": reduce_docx,
    "application/epub+zip": reduce_epub,
    "application/akn+xml": reduce_akn,
}


def edition_path(folder: Path, format_name: str, stem: str) -> Path:
    """Where a text's edition in a format is written: the format says its extension."""
    return folder / f"{stem}.{renderer_class(format_name).extension}"


def golden_path(format_name: str, stem: str) -> Path:
    return GOLDEN / format_name / f"{stem}.txt"


def difference(format_name: str, edition: Path, update: bool = UPDATE) -> str:
    """A unified diff between the golden and `edition` reduced; empty when they agree.

    With `update` (only `make goldens`), the golden is rewritten instead.
    """
    renderer = renderer_class(format_name)
    stem = edition.name.removesuffix(f".{renderer.extension}")
    actual = REDUCERS[renderer.media_type](edition)
    golden = golden_path(format_name, stem)
    if update:  # red when it rewrites: a regenerated golden must be reviewed, never pass by accident
        golden.parent.mkdir(parents=True, exist_ok=True)
        if not golden.exists() or golden.read_text(encoding="utf-8") != actual:
            golden.write_text(actual, encoding="utf-8")
            return f"rewrote {golden.relative_to(GOLDEN.parent.parent)}: review `git diff`, then run `make test`"
        return ""
    expected = golden.read_text(encoding="utf-8") if golden.exists() else ""
    if expected == actual:
        return ""
    hint = "" if golden.exists() else f"no golden yet: run `make goldens` and review {golden}\n"
    return hint + "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=str(golden),
            tofile=f"{edition} (reduced)",
            n=2,
        )
    )


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _pretty_xml(data: bytes) -> str:
    parser = lxml.etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    root = lxml.etree.fromstring(data.strip(), parser)
    return str(lxml.etree.tostring(root, pretty_print=True, encoding="unicode"))


def _outline(items: list[pikepdf.OutlineItem], level: int) -> list[str]:
    lines: list[str] = []
    for item in items:
        lines.append("  " * level + item.title)
        lines += _outline(list(item.children), level + 1)
    return lines


def _font_row(line: str) -> str:
    """A pdffonts row without its object number, which says nothing about the typography."""
    return "  " + " ".join(line.split()[:-2])
