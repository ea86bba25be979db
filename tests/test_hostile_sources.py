"""Hostile sources, round two (issue 15): the reproductions, then variants of each class.

Classes 1–4 and 13: characters made by YAML escapes and character references, forged problem
lines, invisible characters that hide structure, YAML that used to crash the reader, language
tags in file names. Each case names its first error ("line: message"), or SAFE.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pipeline import build
from pipeline.cli import main
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.source import read
from tests.sources import FRONT, NAME
from tests.test_hostile import BODY_LINE, SAFE, Case, assert_harmless, body, first_error, front

ROOT = Path(__file__).resolve().parent.parent
TITLE_LINE = 6
INVISIBLE_HINT = "an invisible character can hide a number or make an empty field look filled"


def titled(yaml_value: str) -> Case:
    """A case whose title is `yaml_value` as written in the YAML file."""
    return Case(yaml_value, front(FRONT.replace("title: A test text", f"title: {yaml_value}")), "")


def with_title(name: str, yaml_value: str, expected: str) -> Case:
    return Case(name, front(FRONT.replace("title: A test text", f"title: {yaml_value}")), expected)


def with_line(name: str, line: str, expected: str) -> Case:
    """`line` added to the front matter after the title (so on line 7)."""
    return Case(name, front(FRONT.replace("title: A test text", f"title: A test text\n{line}")), expected)


def forbidden(where: str, code: str, name: str, at: int, line: int = TITLE_LINE) -> str:
    return f"{line}: {where} holds a forbidden character U+{code} ({name}) at character {at}"


def huge_number() -> bytes:
    return front(FRONT.replace("number: 1234", "number: " + "9" * 4301))()


def deep_flow() -> bytes:
    return front(FRONT.replace("title: A test text", "title: A\nextra: " + "[" * 1000 + "]" * 1000))()


def deep_block() -> bytes:
    nested = "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(40)) + "  " * 40 + "v: 1"
    return front(FRONT.replace("title: A test text", "title: A\n" + nested))()


CASES = [
    # 1. The character policy applies to what YAML escapes decode.
    with_title(
        "bidi override by escape", r'"Pay \u202Eredro\u202C"', forbidden("'title'", "202E", "right-to-left override", 5)
    ),
    with_title("NUL by escape", r'"A\0B"', forbidden("'title'", "0000", "control character", 2)),
    with_title("vertical tab by escape", r'"A\vB"', forbidden("'title'", "000B", "control character", 2)),
    with_title("terminal escape by escape", r'"\e[31mRED"', forbidden("'title'", "001B", "control character", 1)),
    with_title("lone surrogate by escape", r'"A\uD800B"', forbidden("'title'", "D800", "lone surrogate", 2)),
    with_line("escape in a keyword", r'keywords: ["\e"]', forbidden("'keywords.0'", "001B", "control character", 1, 7)),
    # … variants: other fields, other escapes, other characters, keys.
    with_title("next line (C1) by escape", r'"A\NB"', forbidden("'title'", "0085", "control character", 2)),
    with_title("line separator by escape", r'"A\LB"', forbidden("'title'", "2028", "line separator", 2)),
    with_title("non-character by escape", r'"A\uFFFEB"', forbidden("'title'", "FFFE", "non-character", 2)),
    with_title(
        "bidi isolate by 8-digit escape", r'"A\U00002067B"', forbidden("'title'", "2067", "right-to-left isolate", 2)
    ),
    with_title(
        "tag character by escape", r'"A\U000E0041B"', forbidden("'title'", "E0041", "tag latin capital letter a", 2)
    ),
    Case(
        "byte order mark inside the issuing body",
        front(FRONT.replace("issued_by: Parliamentary Assembly", r'issued_by: "Parliamentary\uFEFF Assembly"')),
        forbidden("'issued_by'", "FEFF", "zero width no-break space", 14, 7),
    ),
    Case(
        "escape in a nested date",
        front(FRONT.replace("    - date: 2001-01-25", r'    - date: "2001-01-25\u200B"')),
        forbidden("'adoption.debates.0.date'", "200B", "zero width space", 11, 11),
    ),
    Case(
        "escape in the adoption note",
        front(FRONT.replace("  sitting: 5\n---", '  sitting: 5\n  note: "Adopted \\u202Eon\\u202C 1 May"\n---')),
        forbidden("'adoption.note'", "202E", "right-to-left override", 9, 15),
    ),
    with_line(
        "bidi override in a key",
        r'"\u202Ekey": 1',
        "7: the key '\\u202ekey' holds a forbidden character U+202E (right-to-left override) at character 1",
    ),
    # 3. Invisible characters where they hide structure.
    with_title("title of one zero-width space", r'"\u200b"', forbidden("'title'", "200B", "zero width space", 1)),
    with_title("title of a Hangul filler", '"\u3164"', f"{TITLE_LINE}: forbidden character U+3164 (hangul filler)"),
    with_title(
        "title of a braille blank", '"\u2800"', f"{TITLE_LINE}: forbidden character U+2800 (braille pattern blank)"
    ),
    with_title("title of a lone joiner", r'"\u200d"', forbidden("'title'", "200D", "zero width joiner", 1)),
    with_title("title of no-break spaces", r'"\u00a0\u2003"', f"{TITLE_LINE}: 'title' must be a non-empty text"),
    with_title("soft hyphen inside a word", r'"Migra\u00adtion"', SAFE),
    with_title("joiner between letters", r'"Ab\u200dcd"', SAFE),
    Case(
        "zero-width space after a paragraph number",
        body("1. One.\n\n2. Two.\n\n5.\u200b Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: forbidden character U+200B (zero width space)",
    ),
    Case(
        "word joiner after a paragraph number",
        body("1. One.\n\n2. Two.\n\n5.\u2060 Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: forbidden character U+2060 (word joiner)",
    ),
    Case(
        "zero-width space before a paragraph number",
        body("1. One.\n\n2. Two.\n\n\u200b5. Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: forbidden character U+200B (zero width space)",
    ),
    Case(
        "zero-width space by numeric reference",
        body("1. One.\n\n2. Two.\n\n5.&#8203; Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: the character reference '&#8203;' makes a forbidden character U+200B (zero width space)",
    ),
    Case(
        "zero-width space by named reference",
        body("1. One.\n\n2. Two.\n\n5.&ZeroWidthSpace; Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: the character reference '&ZeroWidthSpace;' makes a forbidden character "
        "U+200B (zero width space)",
    ),
    Case(
        "bidi override by hexadecimal reference",
        body("1. The sum is &#x202E;0001&#x202C; euros."),
        f"{BODY_LINE}: the character reference '&#x202E;' makes a forbidden character U+202E (right-to-left override)",
    ),
    Case("escape character by reference: the parser keeps it as text", body("1. Text &#27;[31mred."), SAFE),
    Case(
        "form feed by reference",
        body("1. Text &#12;here."),
        f"{BODY_LINE}: the character reference '&#12;' makes a forbidden character U+000C (control character)",
    ),
    Case(
        "left-to-right mark by named reference",
        body("1. Text &lrm;here."),
        f"{BODY_LINE}: the character reference '&lrm;' makes a forbidden character U+200E (left-to-right mark)",
    ),
    Case(
        "em space after a paragraph number",
        body("1. One.\n\n2. Two.\n\n5.\u2003Five.\n\n3. Three."),
        f"{BODY_LINE + 4}: the paragraph number is followed by U+2003 (em space), not a space",
    ),
    Case(
        "ideographic space after a sub-paragraph number in a quotation",
        body("1. One.\n\n> 1.1.\u3000Quoted."),
        f"{BODY_LINE + 2}: the paragraph number is followed by U+3000 (ideographic space), not a space",
    ),
    Case(
        "zero-width space in an appendix heading",
        body("1. One.\n\n## Appen\u200bdix\n\n1. A."),
        f"{BODY_LINE + 2}: forbidden character U+200B (zero width space)",
    ),
    # Found by attacking the reader: words lost without a message, a build failing after check passed.
    Case(
        "a note defined twice (markdown-it keeps the last: the first one's words were lost)",
        body("1. A call[^n] here.\n\n[^n]: First definition.\n\n[^n]: Second definition."),
        f"{BODY_LINE + 4}: footnote [^n] is defined twice (first at line {BODY_LINE + 2})",
    ),
    Case(
        "an empty appendix heading (check passed it; the PDF failed on a duplicate anchor)",
        body("1. One.\n\n##\n\n1. After."),
        f"{BODY_LINE + 2}: this appendix heading is empty",
    ),
    Case(
        "an empty title, told at its own line",
        front(FRONT.replace("title: A test text", "title:")),
        "6: 'title' is empty",
    ),
    Case(
        "a quoted number",
        front(FRONT.replace("number: 1234", 'number: "1234"')),
        "3: 'number' must be a positive whole number, not '1234'",
    ),
    Case(
        "a note call inside a link's text (the link broke: its brackets and address printed as text)",
        body("1. See [the text[^in]](https://www.coe.int) now.\n\n[^in]: A note."),
        f"{BODY_LINE}: footnote [^in] is called inside a link's text",
    ),
    Case(
        "a note call right after a link stays allowed",
        body("1. See [the text](https://www.coe.int)[^after] now.\n\n[^after]: A note."),
        SAFE,
    ),
    Case("escaped reference stays text", body("1. Write \\&#x202E; to mean nothing."), SAFE),
    Case("plain references stay allowed", body("1. Fish &amp; chips &eacute;t&eacute; &#233;."), SAFE),
    # 4. YAML that used to end in a traceback.
    Case(
        "4,301-digit integer",
        huge_number,
        f"3: 'number' must be a positive whole number, not '{'9' * 58}…",
    ),
    Case("1,000-deep flow nesting", deep_flow, "7: the front matter nests more than 16 levels deep"),
    Case("40-deep block nesting", deep_block, "23: the front matter nests more than 16 levels deep"),
    Case(
        "19-digit year",
        front(FRONT.replace("year: 2001", "year: 1234567890123456789")),
        "4: 'year' must be a positive whole number, not '1234567890123456789'",
    ),
    # 5. Every kind of block counts against a limit, checked before the body reader runs.
    Case(
        "6,001 tables",
        body("1. Votes.\n\n" + "\n\n".join("| a | b |\n|---|---|\n| 1 | 2 |" for _ in range(6000))),
        f"{BODY_LINE + 2 + 4 * 5999}: the text has more than 6000 blocks",
    ),
    Case(
        "6,001 appendix headings",
        body("1. Text.\n\n" + "\n".join("## Appendix" for _ in range(6000))),
        f"{BODY_LINE + 6001}: the text has more than 6000 blocks",
    ),
    Case(
        "6,001 notes without blank lines",
        body("1. Text.\n\n" + "\n".join(f"[^{i}]: Note." for i in range(6000))),
        f"{BODY_LINE + 6001}: the text has more than 6000 blocks",
    ),
    # 13. Language tags with a region: the file name carries the tag in lower case.
    Case(
        "en-GB in an en-gb file",
        front(FRONT.replace("language: en", "language: en-GB")),
        SAFE,
        file_name="resolution-1234-2001.en-gb.md",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_source(case: Case, tmp_path: Path) -> None:
    source = tmp_path / "source" / case.file_name
    source.parent.mkdir()
    source.write_bytes(case.source())
    found = first_error(source)
    assert found == case.expected if case.expected == SAFE else found.startswith(case.expected), found
    out = tmp_path / "out"
    [outcome] = build([source], ["html", "pdf", "docx", "epub"], out)
    if case.expected != SAFE:
        assert outcome.failed and not outcome.failure, outcome.failure  # refused on reading, never a crash
        assert not out.exists() or not any(out.iterdir()), "a refused text wrote something"
        return
    assert not outcome.failed, outcome.failure or [str(p) for p in outcome.problems]
    if case.file_name == NAME:
        assert_harmless(out)
    else:
        assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".epub", ".html", ".pdf"]


def test_a_forged_problem_line_stays_on_its_own_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Class 2: a key holding an escape sequence and a newline cannot print a second problem."""
    source = tmp_path / NAME
    key = r'"\e[31mx\nsrc/other.md:1:1: error: FORGED"'
    source.write_bytes(front(FRONT.replace("title: A test text", f"title: A test text\n{key}: 1"))())
    assert main(["check", str(source)]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert not [line for line in lines if line.startswith("src/other.md")], lines
    assert all("\x1b" not in line and line.isprintable() for line in lines)
    assert lines[0].startswith(f"{source}:7:1: ")


@pytest.mark.parametrize(
    "key",
    [
        r'"a\rsrc/x.md:1:1: error: FORGED"',  # carriage return: a terminal goes back to the start
        r'"a\u2028src/x.md:1:1: error: FORGED"',  # line separator: some viewers break the line
        r'"a\u0085src/x.md:1:1: error: FORGED"',  # next line (C1)
        r'"\u001b]0;title\u0007x"',  # an OSC sequence that retitles the terminal
    ],
)
def test_no_key_breaks_or_drives_the_terminal(key: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / NAME
    source.write_bytes(front(FRONT.replace("title: A test text", f"title: A test text\n{key}: 1"))())
    main(["check", str(source)])
    lines = capsys.readouterr().err.splitlines()
    assert all(line.isprintable() for line in lines), lines
    assert not [line for line in lines if "FORGED" in line and not line.startswith(str(source))]


def test_a_very_long_key_is_shown_short(tmp_path: Path) -> None:
    source = tmp_path / NAME
    source.write_bytes(front(FRONT.replace("title: A test text", "title: A test text\n" + "k" * 1_000 + ": 1"))())
    [warning] = [p for p in read(source, Config()).problems if p.severity is Severity.WARNING]
    assert len(str(warning)) < 300 and "unknown metadata key 'kkkk" in str(warning)


def test_two_sources_linked_to_each_other_are_one_line_each(tmp_path: Path) -> None:
    """Class 4: a symbolic link loop."""
    sources = tmp_path / "source"
    sources.mkdir()
    (sources / "resolution-1-2001.en.md").symlink_to(sources / "resolution-2-2001.en.md")
    (sources / "resolution-2-2001.en.md").symlink_to(sources / "resolution-1-2001.en.md")
    for source in sources.iterdir():
        assert first_error(source) == "1: the source cannot be read: Too many levels of symbolic links"
    outcomes = build([sources], ["html"], tmp_path / "out")
    assert [o.failed and not o.failure for o in outcomes] == [True, True]
    result = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", str(sources), "--format", "html", "--out", str(tmp_path / "o")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_file_named_with_the_tag_as_written_is_told_the_lower_case_name(tmp_path: Path) -> None:
    source = tmp_path / "resolution-1234-2001.en-GB.md"
    source.write_bytes(front(FRONT.replace("language: en", "language: en-GB"))())
    [problem] = [p for p in read(source, Config()).problems if p.severity is Severity.ERROR]
    assert problem.hint == "use lower-case letters, digits, '-' and '.', e.g. resolution-1234-2001.en.md"
    wrong = tmp_path / "resolution-1234-2001.en.md"
    os.rename(source, wrong)
    [problem] = [p for p in read(wrong, Config()).problems if p.severity is Severity.ERROR]
    assert problem.hint == "rename it resolution-1234-2001.en-gb.md"


def test_a_regional_version_is_linked_with_its_tag(tmp_path: Path) -> None:
    (tmp_path / "resolution-1234-2001.en-gb.md").write_bytes(front(FRONT.replace("language: en", "language: en-GB"))())
    (tmp_path / NAME).write_bytes(body("1. Text.")())
    outcomes = build([tmp_path], ["html"], tmp_path / "out")
    assert not [o for o in outcomes if o.failed]
    page = (tmp_path / "out" / "resolution-1234-2001.en.html").read_text()
    assert 'hreflang="en-GB"' in page and 'href="resolution-1234-2001.en-gb.html"' in page


def test_a_pasted_ligature_is_read_as_its_letters_with_a_warning(tmp_path: Path) -> None:
    """A PDF's text layer maps a glyph to one text: with a pasted "ﬁ" in the source, every "fi"
    the fonts joined read back as U+FB01, and "final" was no longer found in the file."""
    source = tmp_path / NAME
    source.write_bytes(body("1. A pasted ligature: \ufb01 and \ufb02.\n\n2. The final figure of the file.")())
    reading = read(source, Config())
    assert reading.document is not None
    warnings = [p for p in reading.problems if p.severity is Severity.WARNING and "ligature" in p.message]
    assert [(p.line, p.column) for p in warnings] == [(BODY_LINE, 23)]
    assert "U+FB01" in warnings[0].message and "'fi'" in warnings[0].message
    [outcome] = build([source], ["pdf"], tmp_path / "out")
    assert not outcome.failed, outcome.failure
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "out" / source.with_suffix(".pdf").name), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "\ufb01" not in text and "\ufb02" not in text
    assert "fi and fl." in text and "The final figure of the file." in text


def test_two_note_calls_in_a_row_are_parted_by_a_raised_comma_in_every_edition(tmp_path: Path) -> None:
    """ "row.[^a][^b]" printed "row.²³", which reads as note 23: print sets "²,³"."""
    source = tmp_path / NAME
    source.write_bytes(body("1. Two notes in a row.[^a][^b] Then text.\n\n[^a]: Note a.\n\n[^b]: Note b.")())
    out = tmp_path / "out"
    [outcome] = build([source], ["html", "pdf", "docx", "epub"], out)
    assert not outcome.failed, outcome.failure
    stem = source.name.removesuffix(".md")
    page = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert re.search(r'<sup>2</sup></a><sup>,</sup><a [^>]*href="#fn-3"', page)
    pdf = subprocess.run(["pdftotext", str(out / f"{stem}.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "Two notes in a row.2,3 Then text." in pdf.stdout
    with zipfile.ZipFile(out / f"{stem}.docx") as docx:
        document = docx.read("word/document.xml").decode()
    assert re.search(
        r'<w:footnoteReference w:id="\d+"/></w:r><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        r'<w:t xml:space="preserve">,</w:t></w:r><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
        r"<w:footnoteReference",
        document,
    )
    with zipfile.ZipFile(out / f"{stem}.epub") as epub:
        chapter = epub.read("EPUB/text/ch001.xhtml").decode()
    assert re.search(r'<sup>2</sup></a><sup>,</sup><a href="#fn3"', chapter)
