"""`pipeline ingest`: raw PDF text extractions -> canonical sources that pass `pipeline check`.

The steps, each in its module: clean lines and page breaks (ingest_lines), footnotes at the foot
of pages (ingest_notes), the adoption formula (ingest_adoption), the title block and front
matter (ingest_front), the body (ingest_body). Every problem names the raw file and line; a
source is written only when reading it back gives no error, and never over an existing file.
"""

from __future__ import annotations

import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import Problem, Problems
from .files import write_atomically
from .ingest_adoption import AdoptionInfo, parse_adoption
from .ingest_akn import AKN_SUFFIXES, akn_source
from .ingest_body import BodyBuilder
from .ingest_docx import DocxError, read_docx
from .ingest_docx_source import docx_source
from .ingest_era import known_shape, read_facts
from .ingest_front import detect_language, front_matter, read_heading, skipped_before
from .ingest_lines import Line, citation_at, pages, read_lines
from .ingest_markdown import Origin, markdown
from .ingest_notes import Note, take_notes, why_untaken
from .ingest_split import split
from .ingest_words import Vocabulary, join_lines
from .outcome import Outcome
from .source import read
from .textname import TextName

ZIP_MAGIC = b"PK\x03\x04"  # a DOCX is a zip archive
MAX_RAW_BYTES = 16 * 1024 * 1024  # a part-session's compilation is a few MB; each text then has check's 2 MB


@dataclass(frozen=True)
class Generated:
    """A canonical source, each line with the raw line it comes from (to place every message)."""

    name: str
    lines: list[Origin]

    @property
    def text(self) -> str:
        return "\n".join(text for text, _ in self.lines) + "\n"

    def origin(self, line: int) -> int:
        return self.lines[line - 1][1] if 1 <= line <= len(self.lines) else 1


def ingest_all(raw: Path, out_dir: Path, config: Config) -> list[Outcome]:
    """Convert a raw file into `out_dir`: one outcome for each text found in it, in order."""
    problems = Problems(raw)
    data = read_raw(raw, problems)
    if data is not None and raw.suffix in AKN_SUFFIXES:  # the akn edition, or its copy in a PDF
        found = akn_source(data, problems)
        return [_write(raw, Generated(*found) if found else None, out_dir, config, problems)]
    if data is not None and data.startswith(ZIP_MAGIC):
        return [_write(raw, _from_docx(data, problems), out_dir, config, problems)]
    furniture: list[int] = []
    lines = read_lines(data, problems, furniture) if data is not None else None
    if lines is None:
        return [Outcome(raw, problems=problems.items)]
    spans = split(lines)  # a compilation holds several texts
    if not spans:
        first = next((line.number for line in lines if line.text), 1)
        problems.error(
            first,
            "no citation line such as 'Recommendation 1607 (2003)' was found",
            "an adopted text starts with its type, number and year; nothing was written",
        )
        return [Outcome(raw, problems=problems.items)]
    outcomes = []
    for position, span in enumerate(spans):
        text_problems = problems if position == 0 else Problems(raw)
        marks = [n for n in furniture if lines[span.start].number <= n <= lines[span.end - 1].number]
        generated = convert(lines[span.start : span.end], span.citation.index - span.start, marks, text_problems)
        outcomes.append(_write(raw, generated, out_dir, config, text_problems))
    return outcomes


def ingest(raw: Path, out_dir: Path, config: Config) -> Outcome:
    """Convert a raw file holding one text; a compilation's texts after the first are left out."""
    return ingest_all(raw, out_dir, config)[0]


def read_raw(raw: Path, problems: Problems) -> bytes | None:
    """The bytes of a raw file, its kind and size checked before anything is read."""
    try:
        info = raw.stat()
    except OSError as exc:
        problems.error(1, f"cannot read the file: {exc.strerror}")
        return None
    if not stat.S_ISREG(info.st_mode):
        problems.error(1, "not a regular file", "ingest reads text files only")
        return None
    if info.st_size > MAX_RAW_BYTES:
        problems.error(
            1,
            f"the file is {info.st_size:,} bytes, more than the {MAX_RAW_BYTES:,} an extraction may have",
            "split it into parts of at most 16 MB",
        )
        return None
    with raw.open("rb") as stream:
        return stream.read(MAX_RAW_BYTES + 1)[:MAX_RAW_BYTES]


def _write(raw: Path, generated: Generated | None, out_dir: Path, config: Config, problems: Problems) -> Outcome:
    outcome = Outcome(raw, problems=problems.items)
    if generated is not None and not problems.errors:
        target = out_dir / generated.name
        if target.exists():
            problems.error(
                1, f"{target} already exists", "ingest never overwrites a source: move it away or choose another -o"
            )
        elif _valid(generated, config, problems):
            write_atomically(target, generated.text.encode("utf-8"))
            outcome.written.append(target)
    problems.items.sort(key=lambda problem: (problem.line, problem.column))
    return outcome


def convert(lines: list[Line], at: int, marks: list[int], problems: Problems) -> Generated | None:
    """The canonical source of one text, its citation line at `at`; None after reporting why not."""
    citation = citation_at(lines, at)
    assert citation is not None  # split() found it there
    skipped = skipped_before(lines[:at], lines[at + 1 :]) + marks
    if skipped:
        problems.warning(
            skipped[0],
            f"{_count(len(skipped), 'line')} of furniture skipped ({_ranges(skipped)})",
            "a cover, a banner, the contents, page markers or rules: check that no text is among them",
        )
    notes = take_notes(pages(lines, citation), citation, problems)
    vocabulary = Vocabulary((line.text for line in lines), citation.language)
    for note in ([notes.title] if notes.title else []) + notes.body:
        note.text = join_lines(note.text, vocabulary)
    if notes.title is None:
        untaken = why_untaken(notes.lines, citation)
        if untaken is not None:
            problems.error(
                untaken[0],
                f"this line reads as the title footnote, but the foot of the page was not taken for notes: "
                f"{untaken[1]}",
                "each note needs its call in the text above it (a digit glued to a number, as '1976(2)', is "
                "not one) and only notes may follow them: check the extraction",
            )
            return None
        problems.error(
            citation.line,
            "the title footnote (the adoption formula) was not found",
            "it is the note called on the citation line, printed at the foot of the first page",
        )
        return None
    language = detect_language(citation, notes.title.text, notes.lines, problems)
    adoption = _adoption(notes.title, problems)
    found = read_heading(lines[:at], notes.lines, citation, language, problems, vocabulary)
    if found is None or adoption is None:
        return None
    heading, body_lines = found
    blocks = BodyBuilder(problems, language).build(body_lines)
    if not any(block.kind == "paragraph" for block in blocks):
        problems.error(citation.line, "the text has no paragraphs", "nothing was written")
        return None
    front = front_matter(citation, heading, language, adoption, notes.title.line)
    name = TextName(citation.type, citation.number, citation.year, language).source_name
    return Generated(name, [*front, ("", front[-1][1]), *markdown(blocks, notes.body)])


def _from_docx(data: bytes, problems: Problems) -> Generated | None:
    """A DOCX edition (or a Word file in the house styles) back to its source."""
    try:
        docx = read_docx(data)
    except DocxError as exc:
        problems.error(1, str(exc), "ingest reads raw text extractions and DOCX files in the house styles")
        return None
    found = docx_source(docx, problems)
    return Generated(*found) if found else None


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _ranges(numbers: list[int]) -> str:
    """ "lines 1–4, 9" from [1, 2, 3, 4, 9]."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts = [str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs]
    return ("line " if len(numbers) == 1 else "lines ") + ", ".join(parts)


def _adoption(note: Note, problems: Problems) -> AdoptionInfo | None:
    adoption = parse_adoption(note.text)
    if adoption is not None:
        return adoption
    adoption = read_facts(note.text)  # kept verbatim as the note, its facts read all the same
    if adoption is None:
        problems.error(note.line, "the title footnote gives no adoption date", "e.g. 'on 24 June 2003'")
        return None
    if not known_shape(note.text):
        problems.warning(
            note.line,
            "the adoption formula was not recognised: kept verbatim as adoption.note, "
            f"adopted on {adoption.date.isoformat()}",
            "check the date, and write debates and documents if it is one of the official formulae",
        )
    return adoption


def _valid(generated: Generated, config: Config, problems: Problems) -> bool:
    """Read the generated source as `pipeline check` would; its problems are placed in the raw file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / generated.name
        path.write_text(generated.text, encoding="utf-8")
        reading = read(path, config)
    for problem in reading.problems:
        problems.items.append(
            Problem(
                problems.path,
                generated.origin(problem.line),
                f"in the generated source (line {problem.line}): {problem.message}",
                problem.hint,
                severity=problem.severity,
            )
        )
    return reading.document is not None
