"""`pipeline ingest`: raw PDF text extractions become canonical sources that pass `pipeline check`."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import lxml.html
import msgspec
import pytest
from babel.dates import get_month_names

from pipeline import build, load
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.ingest import MAX_RAW_BYTES, ingest, ingest_all
from pipeline.ingest_adoption import DocumentEntry, parse_adoption
from pipeline.ingest_body import HEADING
from pipeline.ingest_lines import CITATION
from pipeline.ingest_numbers import numbered, undotted
from pipeline.model import AdoptingBody, Document, NoteCall, Paragraph, Quote, Sitting, Table, Text
from pipeline.outcome import Outcome
from tests.conftest import ROOT, SEED

RAW = ROOT / "tests" / "data" / "raw"
EXPECTED = RAW / "expected"
SEED_RAW = ROOT / "tests" / "data" / "seed-raw.txt"

# Each fixture, the source it gives (reviewed by hand, in expected/), and its warnings: (raw line, message).
FIXTURES: dict[str, tuple[str, list[tuple[int, str]]]] = {
    "french-typography.txt": ("resolution-1702-2009.fr.md", []),
    "standing-committee.txt": ("resolution-1655-2009.en.md", []),
    "two-days.txt": ("recommendation-1780-2007.en.md", []),
    "page-split.txt": ("resolution-1620-2008.en.md", []),
    "deep-numbering.txt": ("recommendation-1833-2008.en.md", []),
    "appendix.txt": ("resolution-1691-2009.en.md", []),
    "ambiguous.txt": (
        "recommendation-1864-2009.en.md",
        [
            (10, "the adoption formula was not recognised: kept verbatim as adoption.note, adopted on 2009-04-29"),
            (16, "the line at the top of the page is taken as the rest of paragraph 2."),
        ],
    ),
}


def run_ingest(raw: Path, out: Path) -> Outcome:
    return ingest(raw, out, Config())


def ingested(name: str, out: Path) -> Document:
    outcome = run_ingest(RAW / name, out)
    [written] = outcome.written
    return load(written)


def walk(blocks: tuple[object, ...]) -> Iterator[Paragraph]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block
            yield from walk(block.children)


def numbers(document: Document) -> list[str | None]:
    return [p.number for section in document.sections for p in walk(section.blocks)]


def paragraph(document: Document, number: str, section: int = 0) -> Paragraph:
    return next(p for p in walk(document.sections[section].blocks) if p.number == number)


def plain(paragraph: Paragraph) -> str:
    return "".join(getattr(node, "text", "") for node in paragraph.content)


# The seed -----------------------------------------------------------------------------------


def test_the_seed_gives_the_model_of_the_hand_made_source(tmp_path: Path) -> None:
    outcome = run_ingest(SEED_RAW, tmp_path)
    assert outcome.problems == []
    [written] = outcome.written
    assert written.name == SEED.name
    mine, hand_made = load(written), load(SEED)
    assert mine.stem == hand_made.stem
    assert mine.metadata == msgspec.structs.replace(hand_made.metadata, keywords=())
    assert mine.sections == hand_made.sections
    assert mine.footnotes == hand_made.footnotes


# Fixtures: expected source, `pipeline check`, every word kept --------------------------------


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_each_fixture_gives_its_expected_source(tmp_path: Path, name: str) -> None:
    expected_name, expected_warnings = FIXTURES[name]
    outcome = run_ingest(RAW / name, tmp_path)
    assert [(p.line, p.message) for p in outcome.problems if p.severity is Severity.ERROR] == []
    found = [(p.line, p.message) for p in outcome.problems]
    assert found == expected_warnings
    assert [p.name for p in outcome.written] == [expected_name]
    assert outcome.written[0].read_text(encoding="utf-8") == (EXPECTED / expected_name).read_text(encoding="utf-8")


def test_every_ingested_source_passes_check(tmp_path: Path) -> None:
    raws = [str(SEED_RAW), *(str(RAW / name) for name in FIXTURES)]
    assert pipeline("ingest", *raws, "-o", str(tmp_path)).returncode == 0
    result = pipeline("check", str(tmp_path))
    assert (result.returncode, result.stderr.strip()) == (
        0,
        f"{len(raws)} of {len(raws)} texts checked; 0 failed, 0 warnings",
    )


MONTHS = {name.lower() for locale in ("en", "fr") for name in get_month_names("wide", locale=locale).values()}
# The words of the adoption formulae: the metadata holds their values, the templates their wording.
FORMULA_WORDS = {
    *("assembly", "debate", "on", "sitting", "sittings", "see", "doc", "report", "opinion", "of", "the"),
    *("rapporteur", "text", "adopted", "by", "and", "standing", "committee", "acting", "behalf"),
    *("discussion", "par", "l", "assemblée", "le", "les", "séance", "séances", "voir", "rapport", "avis"),
    *("de", "la", "du", "commission", "texte", "adopté", "et", "permanente", "agissant", "au", "nom"),
}
TOKEN = re.compile(r"[^\W_]+")
ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|er|re|e)$")


def words(text: str) -> set[str]:
    """Lower-case words, with numbers and ordinals as plain numbers ("06" and "6th" -> "6")."""
    found = set()
    for token in TOKEN.findall(text.lower()):
        ordinal = ORDINAL.match(token)
        found.add(str(int(ordinal.group(1))) if ordinal else str(int(token)) if token.isdecimal() else token)
    return found


def raw_words(raw: Path) -> set[str]:
    """The words of a raw file but its citation line (type, number, year: the front matter and the
    file name have them), the running headers repeating it, and the superscript calls."""
    lines = raw.read_text(encoding="utf-8").splitlines()
    citation = next(i for i, line in enumerate(lines) if CITATION.match(line.strip()))
    header = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+$", "", lines[citation].strip())
    kept = [line for line in lines if line.strip() not in (header, lines[citation].strip())]
    return words(re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", " ", "\n".join(kept)))


@pytest.mark.parametrize("raw", [SEED_RAW, *(RAW / name for name in sorted(FIXTURES))], ids=lambda p: p.name)
def test_every_word_of_the_raw_text_is_in_the_source(tmp_path: Path, raw: Path) -> None:
    [written] = run_ingest(raw, tmp_path).written
    missing = raw_words(raw) - words(written.read_text(encoding="utf-8")) - FORMULA_WORDS - MONTHS
    assert missing == set()


@pytest.mark.parametrize(
    "name", ["seed-raw.txt", "standing-committee.txt", "two-days.txt", "page-split.txt", "deep-numbering.txt"]
)
def test_the_title_footnote_is_generated_back_word_for_word(tmp_path: Path, name: str) -> None:
    raw = SEED_RAW if name == "seed-raw.txt" else RAW / name
    text = raw.read_text(encoding="utf-8")
    note = next(line for line in text.splitlines() if re.match(r"1\. (Assembly debate|Text adopted)", line))
    expected = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", note.removeprefix("1. "))
    [written] = run_ingest(raw, tmp_path / "source").written
    [outcome] = build([written], ["html"], tmp_path / "html")
    page = lxml.html.fromstring(outcome.written[0].read_bytes())
    [item] = page.xpath("//li[@id='fn-1']")
    item.xpath("./a[@class='back']")[0].drop_tree()
    assert " ".join(str(item.text_content()).split()) == expected


# What each fixture shows ----------------------------------------------------------------------


def test_french_typography_is_kept_exactly(tmp_path: Path) -> None:
    document = ingested("french-typography.txt", tmp_path)
    meta = document.metadata
    assert (meta.language, meta.issuing_body) == ("fr", "Assemblée parlementaire")
    assert meta.title == "Les langues régionales face au numérique\u00a0: un patrimoine à protéger"
    assert "européen\u202f; elle" in plain(paragraph(document, "1."))
    assert "«\u00a0Charte européenne des langues régionales ou minoritaires\u00a0»" in plain(paragraph(document, "1."))
    assert "5\u00a0%" in plain(paragraph(document, "2."))
    adoption = meta.adoption
    assert adoption.debates == (Sitting(dt.date(2009, 10, 1), 25),)  # "le 1er octobre 2009 (25e séance)"
    assert (adoption.date, adoption.sitting) == (dt.date(2009, 10, 2), 27)  # adopted at another sitting
    [report] = adoption.documents
    assert (report.committee, report.rapporteur) == (
        "commission de la culture, de la science et de l’éducation",
        "M.\u00a0Lefèvre",
    )


def test_standing_committee_adoption(tmp_path: Path) -> None:
    adoption = ingested("standing-committee.txt", tmp_path).metadata.adoption
    assert (adoption.by, adoption.date, adoption.sitting, adoption.debates) == (
        AdoptingBody.STANDING_COMMITTEE,
        dt.date(2009, 3, 27),
        None,
        (),
    )
    assert [d.number for d in adoption.documents] == ["11842"]


def test_two_debate_days_and_an_opinion(tmp_path: Path) -> None:
    adoption = ingested("two-days.txt", tmp_path).metadata.adoption
    assert adoption.debates == (Sitting(dt.date(2007, 10, 3), 31), Sitting(dt.date(2007, 10, 4), 33))
    assert [(d.number, d.kind, d.rapporteur) for d in adoption.documents] == [
        ("11377", "report", "Mr\u00a0Kovács"),  # the model keeps a title with its name
        ("11391", "opinion", "Ms\u00a0Lindqvist"),
    ]


def test_footnotes_at_the_foot_of_a_page_go_back_to_their_calls(tmp_path: Path) -> None:
    document = ingested("page-split.txt", tmp_path)
    assert numbers(document) == ["1.", "2.", "3.", "4.", "4.1.", "4.2.", "4.3."]
    # The paragraph cut by the page break, with the footnotes printed between its halves, is whole.
    assert plain(paragraph(document, "3.")).endswith(
        "compelled to disclose the identity of their informants at the mere request of a public prosecutor."
    )
    assert NoteCall(2) in paragraph(document, "2.").content  # superscript ² call
    assert paragraph(document, "4.2.").content[-1] == NoteCall(3)  # digit call "Ministers.3"
    assert [(f.number, "".join(getattr(n, "text", "") for n in f.content)[:24]) for f in document.footnotes] == [
        (2, "See the survey of defama"),
        (3, "Recommendation No. R (20"),
    ]


def test_numbering_at_any_depth_and_lettered_items(tmp_path: Path) -> None:
    document = ingested("deep-numbering.txt", tmp_path)
    assert numbers(document) == [
        *("1.", "2.", "3.", "3.1.", "3.1.1.", "3.1.2.", "a.", "b.", "c.", "3.1.3.", "3.2.", "4."),
    ]
    assert paragraph(document, "a.").id == "p-3-1-2-a"
    assert plain(paragraph(document, "1.")).startswith("The Parliamentary Assembly")  # from "1.The"


def test_appendix_quote_and_table(tmp_path: Path) -> None:
    document = ingested("appendix.txt", tmp_path)
    _main, appendix = document.sections
    assert (appendix.heading, appendix.id) == ((Text("Appendix"),), "appendix")
    assert [p.id for p in walk(appendix.blocks)] == ["appendix-para-1", "appendix-p-1", "appendix-p-2"]
    [quote] = paragraph(document, "2.").inserts
    assert isinstance(quote, Quote)
    [table] = paragraph(document, "1.", section=1).inserts
    assert isinstance(table, Table)
    assert [cell for cell in table.header] == [(Text("Indicator"),), (Text("Target"),), (Text("Deadline"),)]
    assert [cell[0] for cell in table.rows[0]] == [Text("Birth registration"), Text("95%"), Text("2012")]


# Errors and warnings --------------------------------------------------------------------------


def test_a_file_without_a_citation_line_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    raw = RAW / "unparseable.txt"
    outcome = run_ingest(raw, tmp_path)
    assert [str(p) for p in outcome.problems] == [
        f"{raw}:1:1: error: no citation line such as 'Recommendation 1607 (2003)' was found "
        "(an adopted text starts with its type, number and year; nothing was written)"
    ]
    assert list(tmp_path.iterdir()) == []


def test_ambiguous_input_warns_with_file_and_line(tmp_path: Path) -> None:
    raw = RAW / "ambiguous.txt"
    result = pipeline("ingest", str(raw), "-o", str(tmp_path))
    assert result.returncode == 0
    assert f"{raw}:10:1: warning: the adoption formula was not recognised" in result.stderr
    assert f"{raw}:16:1: warning: the line at the top of the page is taken as the rest of paragraph 2." in result.stderr
    assert "1 of 1 texts ingested; 0 failed, 2 warnings" in result.stderr


FORM_FEED_RAW = (
    "Resolution 1801 (2011)¹\n\nFair trials in absentia\n\nParliamentary Assembly\n\n"
    "1. The Assembly notes that trials in the absence of the accused are still common³ in several\n"
    "member states, where they are not always followed by a retrial.\n"
    "2. It recalls the principles set by the European Court of Human Rights in its case law.2\n\n"
    "1. Text adopted by the Standing Committee, acting on behalf of the Assembly, on 4 March 2011 (see Doc. 12500, "
    "report of the Committee on Legal Affairs and Human Rights, rapporteur: Mr Sørensen).\n"
    "2. Notably Sejdovic v. Italy, 2006.\n"
    "\f3. The Assembly therefore invites member states:\n"
    "3.1 to guarantee a retrial on request;\n"
    "3.2. to inform the accused of the trial in a language they understand.\n"
)


def test_form_feeds_wrapped_lines_and_doubtful_numbers(tmp_path: Path) -> None:
    raw = tmp_path / "form-feed.txt"
    raw.write_text(FORM_FEED_RAW, encoding="utf-8")
    outcome = run_ingest(raw, tmp_path)
    assert [(p.line, p.severity.value, p.message) for p in outcome.problems] == [
        (7, "warning", "superscript ³ has no footnote text at the foot of a page"),
        (8, "warning", "1 wrapped line joined to the paragraph above (line 8)"),
        (14, "warning", "number 3.1 has no final dot; taken as paragraph 3.1."),
    ]
    document = load(outcome.written[0])
    assert numbers(document) == ["1.", "2.", "3.", "3.1.", "3.2."]
    assert plain(paragraph(document, "1.")).endswith(
        "common³ in several member states, where they are not always followed by a retrial."
    )
    assert paragraph(document, "2.").content[-1] == NoteCall(2)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1. The Assembly", ("1.", "The Assembly")),
        ("1.The Assembly", ("1.", "The Assembly")),
        ("- 6.1. the elaboration", ("6.1.", "the elaboration")),
        ("– 7.1.1. to map", ("7.1.1.", "to map")),
        ("b. pesticides", ("b.", "pesticides")),
        ("2.\u00a0L’Assemblée", ("2.", "L’Assemblée")),
        ("e.g. in 2005", None),
        ("i.e. the states", None),
        ("6.1 the elaboration", None),  # no final dot: see undotted()
        ("2005 was a year", None),
    ],
)
def test_paragraph_numbers(line: str, expected: tuple[str, str] | None) -> None:
    assert numbered(line) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("1 The Assembly", ("1", "The Assembly")),
        ("3.1 bring the law", ("3.1", "bring the law")),
        ("a adopt a law", ("a", "adopt a law")),
        ("- 6.1 the elaboration", ("6.1", "the elaboration")),
        ("2 000 people were displaced", None),
        ("5 % of the budget", None),
        ("3 per cent of the budget", None),
        ("1 January 2005 saw", None),
        ("1. The Assembly", None),  # dotted: see numbered()
        ("a 2005 report", None),
    ],
)
def test_numbers_without_a_final_dot(line: str, expected: tuple[str, str] | None) -> None:
    assert undotted(line) == expected


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Appendix", True),
        ("Appendix II", True),
        ("Annexe", True),
        ("Appendix I – Draft guidelines", True),
        ("Appendix I lists the member states concerned.", False),
    ],
)
def test_appendix_headings(line: str, heading: bool) -> None:
    assert bool(HEADING.match(line)) is heading


def test_a_source_with_errors_is_not_written(tmp_path: Path) -> None:
    raw = tmp_path / "gap.txt"
    lines = SEED_RAW.read_text(encoding="utf-8").splitlines()
    gap = next(i for i, line in enumerate(lines) if "6.3. the production" in line)
    raw.write_text("\n".join(lines[:gap] + lines[gap + 1 :]) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    outcome = run_ingest(raw, out)
    assert outcome.written == [] and not out.exists()
    [error] = [p for p in outcome.problems if p.severity is Severity.ERROR]
    assert (error.path, error.line) == (raw, gap + 1)  # the raw line of 6.4., now where 6.3. was
    assert error.message.endswith("paragraph numbering jumps from 6.2. to 6.4.")


def test_a_text_without_paragraphs_is_an_error(tmp_path: Path) -> None:
    raw = tmp_path / "empty.txt"
    raw.write_text(
        "Resolution 1800 (2011)¹\n\nA title\n\nParliamentary Assembly\n\n"
        "1. Text adopted by the Standing Committee, acting on behalf of the Assembly, on 4 March 2011.\n",
        encoding="utf-8",
    )
    outcome = run_ingest(raw, tmp_path)
    assert [(p.line, p.message) for p in outcome.problems] == [(1, "the text has no paragraphs")]
    assert outcome.written == []


def test_an_existing_source_is_never_overwritten(tmp_path: Path) -> None:
    existing = tmp_path / SEED.name
    existing.write_text("hand-edited", encoding="utf-8")
    outcome = run_ingest(SEED_RAW, tmp_path)
    assert outcome.failed and outcome.written == []
    assert existing.read_text(encoding="utf-8") == "hand-edited"


# The adoption formulae ------------------------------------------------------------------------

REPORT = DocumentEntry("10200", "report", "Political Affairs Committee", "Mrs Durrieu")


@pytest.mark.parametrize(
    ("text", "by", "date", "sitting", "debates", "documents"),
    [
        (
            "Assembly debate on 22 and 23 June 2004 (19th and 20th Sittings) (see Doc. 10200, report of the "
            "Political Affairs Committee, rapporteur: Mrs Durrieu; and Doc. 10215, opinion of the Committee on "
            "Legal Affairs and Human Rights, rapporteur: Mr Jurgens). Text adopted by the Assembly on "
            "23 June 2004 (20th Sitting).",
            AdoptingBody.ASSEMBLY,
            dt.date(2004, 6, 23),
            20,
            (Sitting(dt.date(2004, 6, 22), 19), Sitting(dt.date(2004, 6, 23), 20)),
            (REPORT, DocumentEntry("10215", "opinion", "Committee on Legal Affairs and Human Rights", "Mr Jurgens")),
        ),
        (
            "Discussion par l’Assemblée les 22 et 23 juin 2004 (19e et 20e séances) (voir Doc. 10200, rapport de "
            "la commission des questions politiques, rapporteur\u00a0: Mme Durrieu\u202f; et Doc. 10215, avis de la "
            "commission des questions juridiques, rapporteur\u00a0: M. Jurgens). Texte adopté par l’Assemblée le "
            "23 juin 2004 (20e séance).",
            AdoptingBody.ASSEMBLY,
            dt.date(2004, 6, 23),
            20,
            (Sitting(dt.date(2004, 6, 22), 19), Sitting(dt.date(2004, 6, 23), 20)),
            (
                DocumentEntry("10200", "report", "commission des questions politiques", "Mme Durrieu"),
                DocumentEntry("10215", "opinion", "commission des questions juridiques", "M. Jurgens"),
            ),
        ),
        (
            "Texte adopté par la Commission permanente, agissant au nom de l'Assemblée, le 1er mars 2004 (voir "
            "Doc. 10100, rapport de la commission de la culture, rapporteur : M. de Puig).",
            AdoptingBody.STANDING_COMMITTEE,
            dt.date(2004, 3, 1),
            None,
            (),
            (DocumentEntry("10100", "report", "commission de la culture", "M. de Puig"),),
        ),
        (
            "Texte adopté par la Commission Permanente, agissant au nom de l’Assemblée, le 17 mars 2005 (voir "
            "Doc.10451, rapport de la commission des questions politiques, rapporteur\u00a0: M. Gross).",
            AdoptingBody.STANDING_COMMITTEE,
            dt.date(2005, 3, 17),
            None,
            (),
            (DocumentEntry("10451", "report", "commission des questions politiques", "M. Gross"),),
        ),
        (
            "Discussion par l'Assemblée le 30 septembre et le 1er octobre 2004 (1re et 2e séances). "
            "Texte adopté par l'Assemblée le 1er octobre 2004 (2e séance).",
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Assembly debate on 30 September and 1 October 2004 (31st and 33rd Sittings). "
            "Text adopted by the Assembly on 1 October 2004.",
            AdoptingBody.ASSEMBLY,
            dt.date(2004, 10, 1),
            None,
            (Sitting(dt.date(2004, 9, 30), 31), Sitting(dt.date(2004, 10, 1), 33)),
            (),
        ),
    ],
)
def test_adoption_formulae(
    text: str,
    by: AdoptingBody | None,
    date: dt.date | None,
    sitting: int | None,
    debates: tuple[Sitting, ...] | None,
    documents: tuple[DocumentEntry, ...] | None,
) -> None:
    adoption = parse_adoption(text)
    if by is None:
        assert adoption is None
        return
    assert adoption is not None
    assert (adoption.by, adoption.date, adoption.sitting, adoption.debates, adoption.documents) == (
        by,
        date,
        sitting,
        debates,
        documents,
    )


@pytest.mark.parametrize(
    "text",
    [
        # Two sittings on one day: the metadata cannot say it, the note must keep it.
        "Assembly debate on 24 June 2003 (19th and 20th Sittings). Text adopted by the Assembly on 24 June 2003.",
        # More than the formula says: kept verbatim.
        "Assembly debate on 29 April 2009 (16th Sitting) (see Doc. 11867 and addendum, report of the Social, "
        "Health and Family Affairs Committee, rapporteur: Mrs Ostrowska). Text adopted by the Assembly on "
        "29 April 2009 (16th Sitting).",
        "Text adopted by the Assembly on 31 February 2004.",
    ],
)
def test_formulae_that_are_not_parsed(text: str) -> None:
    assert parse_adoption(text) is None


# The command ----------------------------------------------------------------------------------


def pipeline(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_cli_ingests_the_seed(tmp_path: Path) -> None:
    result = pipeline("ingest", "tests/data/seed-raw.txt", "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["recommendation-1607-2003.en.md"]
    assert result.stderr.strip() == "1 of 1 texts ingested; 0 failed, 0 warnings"


def test_cli_goes_on_after_a_bad_file_and_exits_1(tmp_path: Path) -> None:
    result = pipeline("ingest", str(RAW / "unparseable.txt"), str(SEED_RAW), "-o", str(tmp_path))
    assert result.returncode == 1
    assert [p.name for p in tmp_path.iterdir()] == ["recommendation-1607-2003.en.md"]
    assert "1 of 2 texts ingested; 1 failed, 0 warnings" in result.stderr


def test_cli_usage_error_exits_2(tmp_path: Path) -> None:
    result = pipeline("ingest", "no-such-file.txt", "-o", str(tmp_path))
    assert (result.returncode, result.stderr.strip()) == (2, "pipeline: error: no such file: no-such-file.txt")


# Hostile raw files (issue 15): checked and size-limited before anything is read ---------------


def test_a_raw_file_over_the_limit_is_refused_before_reading(tmp_path: Path) -> None:
    raw = tmp_path / "huge.txt"
    with raw.open("wb") as stream:
        stream.truncate(MAX_RAW_BYTES + 1)  # sparse: nothing to read, only its size says no
    [outcome] = ingest_all(raw, tmp_path / "out", Config())
    [error] = outcome.problems
    assert error.message.startswith(f"the file is {MAX_RAW_BYTES + 1:,} bytes, more than the {MAX_RAW_BYTES:,}")
    assert outcome.written == []


def test_a_fifo_is_refused_without_being_opened(tmp_path: Path) -> None:
    raw = tmp_path / "pipe.txt"
    os.mkfifo(raw)
    [outcome] = ingest_all(raw, tmp_path / "out", Config())  # opening it would wait for a writer
    assert [p.message for p in outcome.problems] == ["not a regular file"]


# Footnotes numbered like paragraphs: a lost note's text, a note carried over a page -----------

ADOPTED = (
    "1. Assembly debate on 26 April 2001 (12th Sitting) (see Doc. 9000, report of the Political Affairs "
    "Committee, rapporteur: Mr Smith). Text adopted by the Assembly on 26 April 2001 (12th Sitting).\n"
)
HEAD = "Resolution 1241 (2001)¹\n\nNotes at the foot of pages\n\nParliamentary Assembly\n\n"  # lines 1–6
RECALLS = "1. The Assembly recalls the rights of migrants².\n"  # line 7
CALLS = "2. The Assembly calls on member states to act.\n"
LOST_NOTE: dict[str, tuple[str, list[str | None]]] = {
    # Note 2's text is missing: paragraph 2, then the title note without a blank between them.
    "one page": (HEAD + RECALLS + "\n" + CALLS + ADOPTED, ["1.", "2."]),
    "numbering on the next page": (
        HEAD + RECALLS + "\n" + CALLS + ADOPTED + "Resolution 1241 (2001)\n\n3. It resolves to follow the matter.\n",
        ["1.", "2.", "3."],
    ),
}


def written_raw(tmp_path: Path, text: str) -> tuple[Path, Outcome]:
    raw = tmp_path / "raw.txt"
    raw.write_text(text, encoding="utf-8")
    return raw, run_ingest(raw, tmp_path / "out")


def notes_text(document: Document) -> list[tuple[int, str]]:
    return [(f.number, "".join(getattr(n, "text", "") for n in f.content)) for f in document.footnotes]


def assert_every_word_kept(raw: Path, outcome: Outcome) -> None:
    [written] = outcome.written
    source = re.sub(r"[⁰¹²³⁴⁵⁶⁷⁸⁹]+", " ", written.read_text(encoding="utf-8"))  # a call left as it is
    assert raw_words(raw) - words(source) - FORMULA_WORDS - MONTHS == set()


@pytest.mark.parametrize("case", sorted(LOST_NOTE))
def test_a_paragraph_in_sequence_is_never_a_lost_footnote(tmp_path: Path, case: str) -> None:
    text, expected_numbers = LOST_NOTE[case]
    raw, outcome = written_raw(tmp_path, text)
    assert [(p.line, p.severity.value, p.message) for p in outcome.problems] == [
        (7, "warning", "superscript ² has no footnote text at the foot of a page"),
    ]
    document = load(outcome.written[0])
    assert numbers(document) == expected_numbers
    assert plain(paragraph(document, "2.")) == "The Assembly calls on member states to act."
    assert notes_text(document) == []
    assert_every_word_kept(raw, outcome)


def test_a_paragraph_at_the_foot_of_a_later_page_is_not_its_lost_note(tmp_path: Path) -> None:
    """No title note on the page to tell them apart: the body's numbering over the pages does."""
    text = (
        HEAD + RECALLS + "\n" + ADOPTED + "2. See the European Convention on Human Rights.\n"  # lines 7–10
        "\f2. The Assembly notes the report of the committee³.\n\n"  # line 11, after the form feed
        "3. The Assembly calls on member states to act.\n"
        "\f4. It resolves to follow the matter.\n"
    )
    raw, outcome = written_raw(tmp_path, text)
    assert [(p.line, p.message) for p in outcome.problems] == [
        (11, "superscript ³ has no footnote text at the foot of a page"),
    ]
    document = load(outcome.written[0])
    assert numbers(document) == ["1.", "2.", "3.", "4."]
    assert plain(paragraph(document, "3.")) == "The Assembly calls on member states to act."
    assert notes_text(document) == [(2, "See the European Convention on Human Rights.")]
    assert_every_word_kept(raw, outcome)


def test_a_note_numbered_as_the_next_paragraph_on_the_last_page_is_reported(tmp_path: Path) -> None:
    """Nothing after it: paragraph 3 or the note called ³, the page cannot tell. Kept as the note."""
    text = (
        HEAD + RECALLS + "\n" + ADOPTED + "2. See the European Convention on Human Rights.\n"
        "\f2. The Assembly notes the report of the committee³.\n\n"
        "3. The Assembly calls on member states to act.\n"  # line 13
    )
    raw, outcome = written_raw(tmp_path, text)
    assert [(p.line, p.message) for p in outcome.problems] == [
        (
            13,
            "footnote 3 is numbered as the next paragraph after 2., and no paragraph after it tells which it is: "
            "taken as a footnote",
        ),
    ]
    assert notes_text(load(outcome.written[0]))[-1] == (3, "The Assembly calls on member states to act.")
    assert_every_word_kept(raw, outcome)


def test_a_note_numbered_as_the_next_paragraph_stays_a_note(tmp_path: Path) -> None:
    """Paragraph 2 opens the next page: the "2." at the foot of the first one is its note."""
    text = HEAD + RECALLS + "\n" + ADOPTED + "2. See the European Convention on Human Rights.\n\f" + CALLS
    raw, outcome = written_raw(tmp_path, text)
    assert outcome.problems == []
    document = load(outcome.written[0])
    assert numbers(document) == ["1.", "2."]
    assert notes_text(document) == [(2, "See the European Convention on Human Rights.")]
    assert_every_word_kept(raw, outcome)


CHARTER = "2. See the European Social Charter, in particular Articles 18 and 19, which\n"  # line 10
CONTINUED = "See the European Social Charter, in particular Articles 18 and 19, which concern migrant workers"
CARRIED_OVER: dict[str, tuple[str, list[str | None], list[tuple[int, str]]]] = {
    # The repro: the rest of note 2 at the foot of page 2, under paragraph 2.
    "alone": (
        CALLS + "\nconcern migrant workers and their families.\n",
        ["1.", "2."],
        [(2, f"{CONTINUED} and their families.")],
    ),
    # Over two lines, then the page's own note.
    "before the page's own note": (
        CALLS.replace("act.", "act³.")
        + "3. It resolves to follow the matter.\n\nconcern migrant workers\nand their families.\n\n"
        + "3. See the Revised Charter.\n",
        ["1.", "2.", "3."],
        [(2, f"{CONTINUED} and their families."), (3, "See the Revised Charter.")],
    ),
    # Then the page's own note with no blank line before it: before, the foot was not taken at all.
    "right above the page's own note": (
        CALLS.replace("act.", "act³.")
        + "3. It resolves to follow the matter.\n\nconcern migrant workers and their families.\n"
        + "3. See the Revised Charter.\n",
        ["1.", "2.", "3."],
        [(2, f"{CONTINUED} and their families."), (3, "See the Revised Charter.")],
    ),
}


@pytest.mark.parametrize("case", sorted(CARRIED_OVER))
def test_a_footnote_carried_over_to_the_next_page_is_whole(tmp_path: Path, case: str) -> None:
    page, expected_numbers, expected_notes = CARRIED_OVER[case]
    text = HEAD + RECALLS + "\n" + ADOPTED + CHARTER + "Resolution 1241 (2001)\n\n" + page
    raw, outcome = written_raw(tmp_path, text)
    assert outcome.problems == []
    document = load(outcome.written[0])
    assert numbers(document) == expected_numbers  # no unnumbered paragraph after 2.
    assert plain(paragraph(document, "2.")) == "The Assembly calls on member states to act."
    assert notes_text(document) == expected_notes
    assert_every_word_kept(raw, outcome)


MAY_END = (
    "this line may be the end of footnote 2 (line 10), which stops without final punctuation at the foot "
    "of the page before: kept in the text"
)
MAY_BE_CARRIED: dict[str, tuple[str, list[tuple[int, str]]]] = {
    # No blank line between paragraph 2 and the rest of the note.
    "no blank line": (
        CHARTER + "\f" + CALLS + "concern migrant workers and their families.\n",
        [(12, MAY_END), (12, "1 wrapped line joined to the paragraph above (line 12)")],
    ),
    # The rest of the note opens with a capital, as a paragraph would.
    "a capital": (
        "2. See the report by\n\f" + CALLS + "\nMr Smith on migrant workers.\n",
        [(13, MAY_END)],
    ),
}


@pytest.mark.parametrize("case", sorted(MAY_BE_CARRIED))
def test_a_line_that_may_end_a_footnote_carried_over_is_reported(tmp_path: Path, case: str) -> None:
    """What cannot be told from the text is kept in the body, and reported."""
    pages, expected = MAY_BE_CARRIED[case]
    raw, outcome = written_raw(tmp_path, HEAD + RECALLS + "\n" + ADOPTED + pages)
    assert [(p.line, p.message) for p in outcome.problems] == expected
    assert_every_word_kept(raw, outcome)


@pytest.mark.parametrize("item", ["b. set up a monitoring body.", "b) set up a monitoring body.", "ii. set up a body."])
def test_a_lettered_item_at_the_foot_of_the_next_page_is_not_a_footnote_carried_over(tmp_path: Path, item: str) -> None:
    """It opens in lower case after a blank line, as the rest of a note would, but with its list mark."""
    page = CALLS + "3. It recommends that the Committee of Ministers:\n\na. draw up a charter;\n\n" + item + "\n"
    raw, outcome = written_raw(
        tmp_path, HEAD + RECALLS + "\n" + ADOPTED + CHARTER + "Resolution 1241 (2001)\n\n" + page
    )
    assert [(p.line, p.message) for p in outcome.problems if p.severity is Severity.ERROR] == []
    written = outcome.written[0].read_text(encoding="utf-8")
    assert f"\n\n{item}\n" in written  # still its own paragraph of the body
    assert notes_text(load(outcome.written[0])) == [(2, CHARTER.removeprefix("2. ").strip())]
    assert_every_word_kept(raw, outcome)


def test_a_footer_above_the_page_number_is_furniture_under_the_notes(tmp_path: Path) -> None:
    """Before, the footer stayed under the title note, which was then "not found"."""
    footer = "\nParliamentary Assembly of the Council of Europe\n{}\n"
    text = (
        HEAD
        + RECALLS
        + "\n"
        + ADOPTED
        + "2. See the European Convention on Human Rights.\n"  # lines 7–10
        + footer.format(1)  # lines 11–13
        + "\f"
        + CALLS
        + footer.format(2)  # lines 14–17
    )
    _, outcome = written_raw(tmp_path, text)
    assert [(p.line, p.message) for p in outcome.problems] == [
        (13, "4 lines of furniture skipped (lines 12–13, 16–17)"),
    ]
    document = load(outcome.written[0])
    assert numbers(document) == ["1.", "2."]
    assert notes_text(document) == [(2, "See the European Convention on Human Rights.")]


UNTAKEN = "this line reads as the title footnote, but the foot of the page was not taken for notes: "
UNTAKEN_FOOT: dict[str, tuple[str, str]] = {
    # The call of note 2 is glued to a year, which is not read as a call ("Article 5(2)" is none).
    "a call glued to a number": (
        "2. The Assembly recalls the convention of 1976(2).\n\n" + ADOPTED + "2. ETS No. 5.\n",
        "footnote 2 (line 11) below it has no call above it",
    ),
    # A compilation's running title copied under the notes, without a form feed.
    "a line under the notes": (
        "2. The Assembly calls on member states to act.\n\n" + ADOPTED + "\nTexts adopted by the Assembly\n",
        "line 12 below it, printed among the notes, is not one",
    ),
}


@pytest.mark.parametrize("case", sorted(UNTAKEN_FOOT))
def test_a_title_note_not_taken_is_reported_with_its_cause(tmp_path: Path, case: str) -> None:
    """Before, "the title footnote was not found", at the citation line, though it was printed."""
    body, cause = UNTAKEN_FOOT[case]
    _, outcome = written_raw(tmp_path, HEAD + RECALLS.replace("²", "") + body)
    assert [(p.line, p.message) for p in outcome.problems if p.severity is Severity.ERROR] == [(10, UNTAKEN + cause)]
    assert outcome.written == []


@pytest.mark.parametrize("mention", ["Resolution 1437 (2005)² and the work", "Resolution 1437 (2005) on migration²"])
def test_a_mention_opening_a_wrapped_line_is_not_a_citation_line(tmp_path: Path, mention: str) -> None:
    """Its note gives an adoption date, as a text's title note would: the file still holds one text."""
    body = (
        "1. The Assembly recalls its\n" + mention + " of its committee on the matter.\n"
        "2. The Assembly calls on member states to act.\n\n"
    )
    note = "2. Resolution 1437 (2005) was adopted by the Assembly on 27 January 2005.\n"
    raw, outcome = written_raw(tmp_path, HEAD + body + ADOPTED + note)
    assert [p.severity for p in outcome.problems] == [Severity.WARNING]  # the wrapped line joined
    document = load(outcome.written[0])
    assert numbers(document) == ["1.", "2."]
    assert [(n, " ".join(text.split())) for n, text in notes_text(document)] == [(2, note[3:].strip())]
    assert_every_word_kept(raw, outcome)


ITEMS = ["(i) to ratify the convention;", "(ii) to report on its application."]


@pytest.mark.parametrize(
    "items",
    [
        ITEMS,
        ["i. to ratify the convention;", "ii. to report on its application."],
        ["a) à ratifier la convention ;", "b) à faire rapport sur son application."],
    ],
)
def test_an_item_the_source_does_not_number_is_a_paragraph_of_its_own(tmp_path: Path, items: list[str]) -> None:
    """Before, the second item was joined to the first, as a wrapped line, in one paragraph."""
    body = "1. The Assembly recommends that the Committee of Ministers invite member states:\n" + "\n".join(items)
    raw, outcome = written_raw(tmp_path, HEAD + body + "\n\n" + ADOPTED)
    assert [(p.line, p.message) for p in outcome.problems if p.severity is Severity.ERROR] == []
    written = outcome.written[0].read_text(encoding="utf-8")
    assert f"\n\n{items[1]}\n" in written
    assert_every_word_kept(raw, outcome)


def test_a_title_note_called_by_an_asterisk(tmp_path: Path) -> None:
    """Before, "no citation line was found"; a note called after a word's bracket is found too."""
    text = (
        "Resolution 1300 (2002)*\n\nYouth unemployment\n\nParliamentary Assembly\n\n"
        "1. The Assembly welcomes the European Social Charter (revised)(2) and its monitoring.\n\n"
        "* Text adopted by the Assembly on 25 September 2002 (29th Sitting).\n(2) ETS No. 163.\n"
    )
    _, outcome = written_raw(tmp_path, text)
    assert outcome.problems == []
    document = load(outcome.written[0])
    assert document.metadata.adoption.date == dt.date(2002, 9, 25)
    assert [(n, " ".join(t.split())) for n, t in notes_text(document)] == [(2, "ETS No. 163.")]


def test_lettered_items_with_no_numbered_paragraph_above_are_kept_as_text(tmp_path: Path) -> None:
    """Before, `check` refused the source ("lettered item a. has no numbered paragraph above it")."""
    appendix = "\nAppendix\n\na. Observers shall be impartial.\nb. Observers shall report to the Bureau.\n\n"
    raw, outcome = written_raw(tmp_path, HEAD + RECALLS.replace("²", "") + appendix + ADOPTED)
    assert [(p.line, p.message) for p in outcome.problems] == [
        (11, "lettered items with no numbered paragraph above them kept as text (lines 11, 12)"),
    ]
    written = outcome.written[0].read_text(encoding="utf-8")
    assert "\n\na\\. Observers shall be impartial.\n\nb\\. Observers shall report to the Bureau.\n" in written
    assert_every_word_kept(raw, outcome)


def test_ligature_glyphs_of_the_extraction_are_written_as_letters(tmp_path: Path) -> None:
    """A PDF's "ﬁ" extracts as U+FB01: the source gets "fi", the same source as without them
    (the reader would otherwise warn about each, and every reader of the source see them)."""
    text = SEED_RAW.read_text(encoding="utf-8")
    assert "fi" in text and "fl" in text
    ligatured = tmp_path / "raw" / SEED_RAW.name
    ligatured.parent.mkdir()
    ligatured.write_text(text.replace("fi", "\ufb01").replace("fl", "\ufb02"), encoding="utf-8")
    plain_outcome = run_ingest(SEED_RAW, tmp_path / "plain")
    outcome = run_ingest(ligatured, tmp_path / "ligatured")
    assert not outcome.failed and not [p for p in outcome.problems if "ligature" in p.message]
    [made] = outcome.written
    [expected] = plain_outcome.written
    assert made.read_bytes() == expected.read_bytes()


HEADER = "\nRecommendation 1607 (2003)\n"  # the seed's running header, opening its page 2
# The page's number printed once, where layouts put it: (what is replaced, by what).
PAGE_NUMBER_AT: dict[str, tuple[str, str]] = {
    "above the running header": (HEADER, "\n2\n" + HEADER),
    "under the running header": (HEADER, HEADER + "\n2\n"),
    "at the foot of the last page": ("its tasks.", "its tasks.\n\n2"),
}


@pytest.mark.parametrize("case", sorted(PAGE_NUMBER_AT))
def test_a_page_number_printed_once_is_furniture(tmp_path: Path, case: str) -> None:
    """Before, a "2" alone on its line stayed in the text (as a paragraph "2", or under the notes,
    where the page's notes were then not found)."""
    text = SEED_RAW.read_text(encoding="utf-8").replace(*PAGE_NUMBER_AT[case], 1)
    _, outcome = written_raw(tmp_path, text)
    number = text.split("\n").index("2") + 1
    assert [(p.line, p.message) for p in outcome.problems] == [(number, f"1 line of furniture skipped (line {number})")]
    [expected] = run_ingest(SEED_RAW, tmp_path / "seed").written
    assert outcome.written[0].read_text(encoding="utf-8") == expected.read_text(encoding="utf-8")


WEAK_CALL = "1. The Assembly recalls the Strasbourg Declaration of 20 October 2010.2 It notes its follow-up{}.\n\n"


@pytest.mark.parametrize(("call", "weak"), [("", True), ("²", False)])
def test_a_call_glued_to_a_number_is_taken_when_there_is_no_other_and_reported(
    tmp_path: Path, call: str, weak: bool
) -> None:
    """Extractions print a superscript as a digit: "2010.2 It" is the call of note 2, as "paragraph 5.2
    of" would read. Before, the note had no call and the title note was reported not taken."""
    raw, outcome = written_raw(tmp_path, HEAD + WEAK_CALL.format(call) + ADOPTED + "2. CM(2010)133 final.\n")
    reported = "the call of footnote 2 is taken to be the '2' glued to the number '2010.'"
    assert [(p.line, p.message) for p in outcome.problems] == [(7, reported)] * weak
    document = load(outcome.written[0])
    assert NoteCall(2) in paragraph(document, "1.").content
    # The "2" glued to the year is the call only when the page calls note 2 nowhere else.
    assert plain(paragraph(document, "1.")).endswith(
        "2010. It notes its follow-up." if weak else "2010.2 It notes its follow-up."
    )
    assert notes_text(document) == [(2, "CM(2010)133 final.")]
    assert_every_word_kept(raw, outcome)


SAME_SITTING = (
    "{citation}¹\n\nThe situation of journalists in Europe\n\nParliamentary Assembly\n\n1. {paragraph}\n\n"
    "1. Assembly debate on 23 June 2015 (22nd Sitting) (see Doc. 13664, report of the Committee on Culture, "
    "Science, Education and Media, rapporteur: Mr Ariev). Text adopted\nby the Assembly on 23 June 2015 (22nd "
    "Sitting).\n"
)


def test_title_notes_ending_alike_at_the_foot_of_two_pages_are_not_furniture(tmp_path: Path) -> None:
    """Two texts adopted at one sitting: their title notes end with the same wrapped line at the foot
    of their pages. Before, it was taken for a footer, and both formulae were kept verbatim."""
    text = (
        SAME_SITTING.format(citation="Resolution 2062 (2015)", paragraph="The Assembly is concerned.")
        + "\f"
        + SAME_SITTING.format(citation="Recommendation 2074 (2015)", paragraph="It recommends guidelines.")
    )
    raw = tmp_path / "raw.txt"
    raw.write_text(text, encoding="utf-8")
    outcomes = ingest_all(raw, tmp_path / "out", Config())
    assert [p.message for outcome in outcomes for p in outcome.problems] == []
    for outcome in outcomes:
        adoption = load(outcome.written[0]).metadata.adoption
        assert (adoption.note, adoption.date, adoption.sitting) == ((), dt.date(2015, 6, 23), 22)


def test_an_address_printed_under_a_line_cut_mid_sentence_is_still_furniture(tmp_path: Path) -> None:
    """A browser's footer, under the last line of a page that stops mid-sentence: an address opens
    with no word, so it is not the rest of that sentence."""
    footer = "https://pace.coe.int/en/files/9000/html {}/2\n"
    text = (
        HEAD
        + "1. The Assembly recalls the rights of\n"
        + footer.format(1)
        + "\fmigrants and their families.\n\n"
        + ADOPTED
        + footer.format(2)
    )
    _, outcome = written_raw(tmp_path, text)
    assert [(p.line, p.message) for p in outcome.problems] == [(8, "2 lines of furniture skipped (lines 8, 12)")]
    document = load(outcome.written[0])
    assert plain(paragraph(document, "1.")) == "The Assembly recalls the rights of migrants and their families."
