"""`pipeline compare`: alignment by provision, word changes, HTML and DOCX with tracked changes.

The pair: the seed made provisional (old), and the seed final with one word changed in
paragraph 3 and a sub-paragraph inserted as 6.2, so that 6.2-6.7 become 6.3-6.8 (new).
"""

from __future__ import annotations

import io
import random
import re
import shutil
import subprocess
import tempfile
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings

from pipeline.cli import main
from pipeline.compare import compare
from pipeline.compare.docx import render_docx
from pipeline.compare.html import render_html
from pipeline.compare.summary import summary
from pipeline.config import Config
from pipeline.model import Document, Emphasis, Inline, Link, Paragraph, Reference, Strong, Text
from pipeline.source import load
from pipeline.templating import citation

from .parity.generate import GeneratedSource, sources
from .sources import FRONT, NAME
from .validators import convert_with_libreoffice

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "source" / "recommendation-1607-2003.en.md"
TEAM_TEXTS = sorted([*(ROOT / "tests" / "fixtures" / "texts").glob("*.md"), SEED])
INSERTED = "the protection of migrants' personal data in the exchange of information between states;"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SUMMARY = "paragraph 3 changed; paragraph 6.2 added; 6.2–6.7 renumbered 6.3–6.8; status provisional → final"


def pair(folder: Path) -> tuple[Path, Path]:
    seed = SEED.read_text(encoding="utf-8")
    old = seed.replace("status: final", "status: provisional")
    new = re.sub(r"\n6\.([2-7])\. ", lambda m: f"\n6.{int(m.group(1)) + 1}. ", seed)
    new = new.replace("has profoundly changed", "has fundamentally changed")
    new = new.replace("\n6.3. the development", f"\n6.2. {INSERTED}\n\n6.3. the development")
    paths = []
    for name, text in (("old", old), ("new", new)):
        (folder / name).mkdir(parents=True, exist_ok=True)
        path = folder / name / SEED.name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


@pytest.fixture
def documents(tmp_path: Path) -> tuple[Document, Document]:
    old, new = pair(tmp_path)
    return load(old, Config()), load(new, Config())


def test_changes_are_aligned_by_provision_and_renumbering_is_a_move(documents: tuple[Document, Document]) -> None:
    comparison = compare(*documents)
    touched = [
        (c.old.number if c.old else None, c.new.number if c.new else None, c.status)
        for c in comparison.changes
        if c.touched
    ]
    assert touched == [
        ("3.", "3.", "changed"),
        (None, "6.2.", "added"),
        *[(f"6.{n}.", f"6.{n + 1}.", "unchanged") for n in range(2, 8)],
    ]
    changed = next(c for c in comparison.changes if c.status == "changed")
    assert [(s.operation, s.text) for s in changed.words if s.operation != "same"] == [
        ("delete", "profoundly"),
        ("insert", "fundamentally"),
    ]
    assert [(m.name, m.old, m.new) for m in comparison.metadata] == [("status", "provisional", "final")]


def test_a_text_compared_with_itself_has_no_change(documents: tuple[Document, Document]) -> None:
    for document in documents:
        comparison = compare(document, document)
        assert comparison.identical
        assert all(s.operation == "same" for c in comparison.changes for s in c.words)


class Marks(HTMLParser):
    """The text of each <del> and <ins> of the text section, without the screen-reader labels."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.marks: list[tuple[str, str]] = []
        self.announced: list[str] = []
        self.in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "section" and ("aria-labelledby", "text-heading") in attrs:
            self.in_text = True
        if self.in_text and tag in ("del", "ins"):
            self.marks.append((tag, ""))
        self.open.append(f"{tag}.{dict(attrs).get('class', '')}")

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "span.sr":
            self.announced.append(data)
        elif self.in_text and any(o.startswith(("del.", "ins.")) for o in self.open) and self.marks:
            tag, text = self.marks[-1]
            self.marks[-1] = (tag, text + data)


def test_the_html_marks_exactly_the_changes_and_announces_them(documents: tuple[Document, Document]) -> None:
    page = render_html(compare(*documents), "old.md", "new.md").decode("utf-8")
    assert f"<p>{SUMMARY}.</p>" in page
    marks = Marks()
    marks.feed(page)
    expected = [("del", "profoundly"), ("ins", "fundamentally"), ("ins", INSERTED.replace("'", "’"))]
    for n in range(2, 8):
        expected += [("del", f"6.{n}."), ("ins", f"6.{n + 1}.")]
    assert marks.marks == expected
    assert marks.announced.count("[deleted: ") == 1 and marks.announced.count("[inserted: ") == 2
    assert marks.announced.count("[number was ") == 6


def test_what_a_source_says_is_text_in_the_comparison(tmp_path: Path) -> None:
    texts = []
    for name, body in (("old", "1. Plain words.\n"), ("new", "1. Plain <script>alert(1)</script> words.\n")):
        (tmp_path / name).mkdir()
        (tmp_path / name / NAME).write_text(FRONT + "\n" + body, encoding="utf-8")
        texts.append(load(tmp_path / name / NAME, Config()))
    page = render_html(compare(texts[0], texts[1]), "<b>old</b>", "new").decode("utf-8")
    assert "<script>" not in page and "<b>old</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def words_of(inlines: tuple[Inline, ...]) -> str:
    """The words of inline content, read from the model here rather than by the comparison."""
    parts: list[str] = []
    for inline in inlines:
        if isinstance(inline, (Text, Reference)):
            parts.append(inline.text)
        elif isinstance(inline, (Emphasis, Strong, Link)):
            parts.append(words_of(inline.children))
    return " ".join(re.split(r"[ \t\r\n]+", "".join(parts).strip()))  # no-break spaces stay, as in the editions


def edition_lines(document: Document) -> list[str]:
    """Citation, title, the provisional line, then each paragraph as "number text"."""
    meta = document.metadata
    lines = [citation(meta), meta.title] + (["Provisional version"] if meta.status.value == "provisional" else [])

    def walk(paragraph: Paragraph) -> None:
        lines.append(f"{paragraph.number} {words_of(paragraph.content)}".strip())
        for child in paragraph.children:
            walk(child)

    for section in document.sections:
        for block in section.blocks:
            assert isinstance(block, Paragraph)  # the seed has paragraphs only
            walk(block)
    return lines


def resolved(docx: bytes, accept: bool) -> list[str]:
    """The text of each paragraph once every tracked change is accepted (or rejected): the XML is
    transformed as Word does it, the rejected side removed and the kept side unwrapped."""
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    dropped, kept = (f"{W}del", f"{W}ins") if accept else (f"{W}ins", f"{W}del")
    body = root.find(f"{W}body")
    assert body is not None
    for paragraph in list(body):
        mark = paragraph.find(f"{W}pPr/{W}rPr")
        if mark is not None and mark.find(dropped) is not None:  # the paragraph itself goes
            body.remove(paragraph)
            assert paragraph.find(f".//{kept}") is None
    for parent in list(root.iter()):
        for index, child in reversed(list(enumerate(parent))):
            if child.tag == dropped:
                parent.remove(child)
            elif child.tag == kept:  # its runs take its place
                parent.remove(child)
                for offset, run in enumerate(child):
                    parent.insert(index + offset, run)
    for deleted in root.iter(f"{W}delText"):
        deleted.tag = f"{W}t"
    return ["".join(t.text or "" for t in p.iter(f"{W}t")).strip() for p in body.findall(f"{W}p")]


def test_docx_tracked_changes_accept_to_the_new_text_and_reject_to_the_old(
    documents: tuple[Document, Document],
) -> None:
    old, new = documents
    docx = render_docx(compare(old, new), author="Table Office")
    assert resolved(docx, accept=True) == edition_lines(new)
    assert resolved(docx, accept=False) == edition_lines(old)
    root = ET.fromstring(zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml"))
    revisions = [e for e in root.iter() if e.tag in (f"{W}ins", f"{W}del")]
    assert {(e.get(f"{W}author"), e.get(f"{W}date")) for e in revisions} == {("Table Office", "2003-06-24T00:00:00Z")}
    assert len({e.get(f"{W}id") for e in revisions}) == len(revisions)


def test_the_docx_is_the_same_bytes_every_time(documents: tuple[Document, Document]) -> None:
    assert render_docx(compare(*documents)) == render_docx(compare(*documents))


@pytest.mark.slow
def test_libreoffice_lists_the_tracked_changes(documents: tuple[Document, Document], tmp_path: Path) -> None:
    docx = tmp_path / "compare.docx"
    docx.write_bytes(render_docx(compare(*documents), author="Table Office"))
    convert_with_libreoffice([docx], tmp_path, target="fodt", timeout=180).check_returncode()
    flat = (tmp_path / "compare.fodt").read_text(encoding="utf-8")
    regions = re.findall(r"<text:changed-region.*?</text:changed-region>", flat, re.S)
    kinds = [re.search(r"<text:(insertion|deletion|format-change)>", region).group(1) for region in regions]  # type: ignore[union-attr]
    # provisional line, "profoundly" and six old numbers deleted; "fundamentally", 6.2 and six new numbers inserted
    assert sorted(kinds) == ["deletion"] * 8 + ["insertion"] * 8
    assert set(re.findall(r"<dc:creator>([^<]*)</dc:creator>", flat)) == {"Table Office"}


def test_pipeline_compare_two_sources_writes_both_editions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = pair(tmp_path)
    out = tmp_path / "out"
    assert main(["compare", str(old), str(new), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0] == f"{old} → {new}: {SUMMARY}"
    assert "[-profoundly-]{+fundamentally+}" in printed
    assert sorted(p.name for p in out.iterdir()) == [f"{SEED.stem}.compare.docx", f"{SEED.stem}.compare.html"]


def test_pipeline_compare_reads_git_revisions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    old, new = pair(tmp_path)
    repository = tmp_path / "repository"
    source = repository / "source" / SEED.name
    source.parent.mkdir(parents=True)
    git = ["git", "-C", str(repository), "-c", "user.name=Test", "-c", "user.email=test@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    for version in (old, new):
        shutil.copy(version, source)
        subprocess.run([*git, "add", "source"], check=True)
        subprocess.run([*git, "commit", "-q", "-m", version.parent.name], check=True)
    assert main(["compare", str(source), "--from", "HEAD~1", "--to", "HEAD"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{source}@HEAD~1 → {source}@HEAD: {SUMMARY}"
    assert main(["compare", str(source), "--from", "HEAD"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == f"{source}@HEAD → {source}: no changes"
    assert main(["compare", str(source), "--from", "no-such-revision"]) == 2


def test_every_pair_of_team_texts_accepts_to_the_new_and_rejects_to_the_old() -> None:
    """Texts with quotations, tables, notes, appendices and lettered items, compared across:
    accepting all must give what the new text compared with itself gives, rejecting all the old."""
    texts = [load(path, Config()) for path in TEAM_TEXTS]
    alone = {id(text): resolved(render_docx(compare(text, text)), accept=True) for text in texts}
    for text in texts:
        assert compare(text, text).identical, text.stem
    for old, new in zip(texts, [*texts[1:], texts[0]], strict=True):
        docx = render_docx(compare(old, new))
        assert resolved(docx, accept=True) == alone[id(new)], (old.stem, new.stem)
        assert resolved(docx, accept=False) == alone[id(old)], (old.stem, new.stem)


VOCABULARY = [
    "assembly",
    "states",
    "rights",
    "committee",
    "report",
    "migrants",
    "protection",
    "urges",
    "welcomes",
    "national",
]


def mutated(seed: str, chance: random.Random) -> tuple[str, int]:
    """The seed with random word edits, maybe a sub-paragraph inserted in 6 (renumbering those
    after it) and maybe the last one of 7 deleted; and how many paragraphs were touched."""
    lines = seed.split("\n")
    numbered = [i for i, line in enumerate(lines) if re.match(r"^\d+(\.\d+)*\. ", line)]
    touched = chance.sample(numbered, chance.randint(0, 3))
    for index in touched:
        number, _, text = lines[index].partition(" ")
        words = text.split(" ")
        at = chance.randrange(len(words))
        edit = chance.choice(("replace", "delete", "insert"))
        if edit == "replace" or (edit == "delete" and len(words) == 1):
            words[at] = chance.choice(VOCABULARY)
        elif edit == "delete":
            del words[at]
        else:
            words.insert(at, chance.choice(VOCABULARY))
        lines[index] = f"{number} {' '.join(words)}"
    text = "\n".join(lines)
    inserted = 0
    if chance.random() < 0.5:
        at = chance.randint(1, 8)  # the new 6.<at>; those from it on move up by one
        text = re.sub(r"\n6\.(\d)\. ", lambda m: f"\n6.{int(m.group(1)) + (int(m.group(1)) >= at)}. ", text)
        new = f"\n6.{at}. the {' '.join(chance.choices(VOCABULARY, k=6))};\n"
        anchor = f"\n6.{at + 1}. " if at < 8 else "\n7. "
        text = text.replace(anchor, new + anchor, 1)
        inserted = 1
    if chance.random() < 0.3:
        text = re.sub(r"\n\n7\.3\. [^\n]*", "", text)
        inserted += 1
    return text, len(touched) + inserted


def test_random_edits_of_the_seed_resolve_both_ways_and_keep_untouched_paragraphs(tmp_path: Path) -> None:
    """A property over 120 seeded random edits: accepting gives the new, rejecting the old, and
    every paragraph not edited is found again (kept, or renumbered), not deleted and added."""
    seed = SEED.read_text(encoding="utf-8")
    old = load(SEED, Config())
    old_alone = resolved(render_docx(compare(old, old)), accept=True)
    chance = random.Random(21)
    for case in range(120):
        text, edited = mutated(seed, chance)
        path = tmp_path / str(case) / SEED.name
        path.parent.mkdir()
        path.write_text(text, encoding="utf-8")
        new = load(path, Config())
        comparison = compare(old, new)
        docx = render_docx(comparison)
        assert resolved(docx, accept=True) == resolved(render_docx(compare(new, new)), accept=True), case
        assert resolved(docx, accept=False) == old_alone, case
        unchanged = sum(1 for change in comparison.changes if change.status == "unchanged")
        assert unchanged >= len(comparison.changes) - 2 * edited, (case, text)


@pytest.mark.slow
def test_the_comparison_page_passes_the_html_checker_and_axe(
    documents: tuple[Document, Document], tmp_path: Path
) -> None:
    from .validators import axe, nu_html_checker

    page = tmp_path / "compare.html"
    page.write_bytes(render_html(compare(*documents), "old.md", "new.md"))
    assert [str(f) for f in nu_html_checker([page]) + axe([page])] == []


def test_paragraphs_swapped_are_a_move_and_a_renumbering(tmp_path: Path) -> None:
    seed = SEED.read_text(encoding="utf-8")
    fourth = re.search(r"\n4\. ([^\n]*)", seed)
    fifth = re.search(r"\n5\. ([^\n]*)", seed)
    assert fourth and fifth
    swapped = seed.replace(fourth.group(0), "\n4. @@").replace(fifth.group(0), f"\n5. {fourth.group(1)}")
    path = tmp_path / SEED.name
    path.write_text(swapped.replace("@@", fifth.group(1)), encoding="utf-8")
    old, new = load(SEED, Config()), load(path, Config())
    comparison = compare(old, new)
    assert summary(comparison) == "5 moved to 4; 4 renumbered 5"
    docx = render_docx(comparison)
    assert resolved(docx, accept=True) == edition_lines(new)
    assert resolved(docx, accept=False) == edition_lines(old)


@pytest.mark.slow
@settings(max_examples=30, derandomize=True, database=None, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=sources(), new=sources())
def test_generated_sources_compare_to_themselves_unchanged_and_resolve_both_ways(
    old: GeneratedSource, new: GeneratedSource
) -> None:
    """Issue 13's generator draws every construct of the source format (notes, quotations,
    tables, appendices, lettered items, unnumbered text): any two texts compared must accept to
    the new and reject to the old, and a text compared with itself must show no change."""
    with tempfile.TemporaryDirectory() as folder:
        documents = [load(text.write(Path(folder) / side), Config()) for side, text in (("old", old), ("new", new))]
    before, after = documents
    for document in documents:
        assert compare(document, document).identical
    docx = render_docx(compare(before, after))
    assert resolved(docx, accept=True) == resolved(render_docx(compare(after, after)), accept=True)
    assert resolved(docx, accept=False) == resolved(render_docx(compare(before, before)), accept=True)
