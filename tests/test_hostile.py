"""Hostile and broken sources: each is refused with one clear line, or rendered harmlessly.

Every case names its expected outcome: the exact problem (line and message), or "safe" — the
text builds, and no edition carries script, event handlers, local paths or a fetched resource.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import lxml.html
import pikepdf
import pytest

from pipeline import build
from pipeline.cli import main
from pipeline.config import Config
from pipeline.errors import Severity
from pipeline.frbr import FrbrError, FrbrUri
from pipeline.source import read
from tests.sources import FRONT, FRONT_LINES, NAME

BODY_LINE = FRONT_LINES + 2  # the first body line after FRONT and a blank line
SAFE = "safe"


@dataclass(frozen=True)
class Case:
    name: str
    source: Callable[[], bytes]
    expected: str  # "line: message" of the first error, or SAFE
    file_name: str = NAME


def body(text: str) -> Callable[[], bytes]:
    return lambda: (FRONT + "\n" + text + "\n").encode("utf-8")


def front(text: str) -> Callable[[], bytes]:
    return lambda: (text + "\n1. Text.\n").encode("utf-8")


def alias_bomb() -> bytes:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    levels += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    return ("---\n" + "\n".join(levels) + "\n---\n\n1. Text.\n").encode()


def many_paragraphs(count: int = 10_000) -> bytes:
    return (FRONT + "\n" + "\n\n".join(f"{n}. Paragraph {n}." for n in range(1, count + 1)) + "\n").encode()


def deep_nesting() -> bytes:
    numbers = [".".join(["1"] * depth) + "." for depth in range(1, 21)]
    return (FRONT + "\n" + "\n\n".join(f"{n} Level." for n in numbers) + "\n").encode()


CASES = [
    # Local files and the network: nothing from a source may reach an engine.
    Case("image of a local file", body('1. <img src="file:///etc/hostname">'), SAFE),
    Case(
        "markdown image of a local file",
        body("1. ![x](file:///etc/hostname)"),
        f"{BODY_LINE}: images are not allowed in adopted texts",
    ),
    Case(
        "markdown image over http",
        body("1. ![x](http://127.0.0.1:1/x.png)"),
        f"{BODY_LINE}: images are not allowed in adopted texts",
    ),
    Case("CSS @import in a style element", body('1. <style>@import url("file:///etc/passwd");</style>'), SAFE),
    Case("CSS url() in a style attribute", body('1. <span style="background:url(file:///etc/passwd)">x</span>'), SAFE),
    Case(
        "link to a local file",
        body("1. [x](file:///etc/passwd)"),
        f"{BODY_LINE}: link target 'file:///etc/passwd' is not allowed",
    ),
    Case(
        "link to a loopback port",
        body("1. [x](http://127.0.0.1:1/)"),
        f"{BODY_LINE}: link target 'http://127.0.0.1:1/' is not allowed",
    ),
    Case(
        "data: link",
        body("1. [x](data:text/html;base64,PHNjcmlwdD4=)"),
        f"{BODY_LINE}: link target 'data:text/html;base64,PHNjcmlwdD4=' is not allowed",
    ),
    Case(
        "autolink to a local file",
        body("1. <file:///etc/passwd>"),
        f"{BODY_LINE}: link target 'file:///etc/passwd' is not allowed",
    ),
    Case("reference-style link to a local file", body("1. [x][r]\n\n[r]: file:///etc/shadow"), SAFE),
    # Script injection.
    Case(
        "javascript: link",
        body("1. [x](javascript:alert(1))"),
        f"{BODY_LINE}: link target 'javascript:alert(1)' is not allowed",
    ),
    Case(
        "JavaScript: link in mixed case",
        body("1. [x](JaVaScRiPt:alert(1))"),
        f"{BODY_LINE}: link target 'JaVaScRiPt:alert(1)' is not allowed",
    ),
    Case("script element", body("1. Text <script>alert(1)</script> more."), SAFE),
    Case("script block", body("<script>alert(1)</script>\n\n1. Text."), SAFE),
    Case("onerror attribute", body('1. <img src=x onerror="alert(1)">'), SAFE),
    Case(
        "event handler in a title",
        front(FRONT.replace("title: A test text", 'title: "<b onmouseover=alert(1)>x</b>"')),
        SAFE,
    ),
    Case("script in a footnote", body("1. Text.[^a]\n\n[^a]: <script>alert(1)</script>"), SAFE),
    Case(
        "script in the adoption note",
        front(FRONT.replace("  sitting: 5\n---", '  sitting: 5\n  note: "<script>x</script>"\n---')),
        SAFE,
    ),
    Case("iframe", body('1. <iframe src="https://example.org"></iframe>'), SAFE),
    # YAML.
    Case("YAML alias bomb", alias_bomb, "3: YAML aliases are not allowed"),
    Case(
        "YAML python tag",
        front(FRONT.replace("title: A test text", "title: !!python/object/apply:os.system [id]")),
        "6: invalid YAML: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'",
    ),
    Case(
        "front matter that is a list",
        front("---\n- a\n- b\n---\n"),
        "2: 'front matter' must be a mapping of keys to values",
    ),
    # Size and shape.
    Case(
        "50 MB source",
        lambda: FRONT.encode() + b"1. " + b"x" * 50 * 1024 * 1024,
        "1: the source is 50.0 MB; the limit is 2 MB",
    ),
    Case(
        "10,000 paragraphs",
        many_paragraphs,
        f"{BODY_LINE + 2 * 6000}: the text has more than 6000 blocks (paragraphs, quotations, tables, headings, notes)",
    ),
    Case(
        "4,000 paragraphs",
        lambda: many_paragraphs(4000),
        f"{BODY_LINE + 2 * 3000}: the text has more than 3000 paragraphs",
    ),
    Case(
        "numbers nested 20 levels deep", deep_nesting, f"{BODY_LINE + 10}: paragraph 1.1.1.1.1.1. nests 6 levels deep"
    ),
    Case("quotes nested 30 levels deep", body("1. Text.\n\n" + "> " * 30 + "deep"), SAFE),
    # Encoding and characters.
    Case("invalid UTF-8", lambda: FRONT.encode() + b"\n1. Caf\xe9.\n", f"{BODY_LINE}: the file is not valid UTF-8"),
    Case(
        "NUL byte",
        lambda: FRONT.encode() + b"\n1. Te\x00xt.\n",
        f"{BODY_LINE}: forbidden character U+0000 (control character)",
    ),
    Case(
        "escape control character",
        body("1. Text \x1b[31mred."),
        f"{BODY_LINE}: forbidden character U+001B (control character)",
    ),
    Case(
        "right-to-left override",
        body("1. The sum is \u202e0001\u202c euros."),
        f"{BODY_LINE}: forbidden character U+202E (right-to-left override)",
    ),
    Case(
        "first strong isolate",
        body("1. Text \u2068x\u2069."),
        f"{BODY_LINE}: forbidden character U+2068 (first strong isolate)",
    ),
    Case("byte order mark", lambda: b"\xef\xbb\xbf" + body("1. Text.")(), SAFE),
    Case("CRLF line endings", lambda: body("1. Text.\n\n2. More.")().replace(b"\n", b"\r\n"), SAFE),
    # Markdown that would silently lose words must be refused.
    Case(
        "extra table cells",
        body("1. Votes:\n\n| State | For |\n|---|---|\n| France | 12 | 99 abstentions |"),
        f"{BODY_LINE + 4}: this table row has 3 cells, the header has 2",
    ),
    Case(
        "code block in a quotation",
        body("1. Text.\n\n> ```\n> code\n> ```"),
        f"{BODY_LINE + 2}: 'fence' is not allowed in a quotation",
    ),
    Case(
        "setext underline",
        body("1. One.\n\n2. Two\n---"),
        f"{BODY_LINE + 3}: a line of '-' or '=' under a paragraph turns it into a heading",
    ),
    Case(
        "footnote called twice",
        body("1. One[^a] and[^a].\n\n[^a]: Note."),
        f"{BODY_LINE}: footnote [^a] is called twice",
    ),
    Case(
        "footnote call in the adoption note",
        front(FRONT.replace("  sitting: 5\n---", '  sitting: 5\n  note: "See^[x]"\n---')),
        "15: the adoption note cannot call a footnote",
    ),
    Case("appendix heading taking a reserved id", body("1. One.\n\n## Main\n\n1. Appendix."), SAFE),
    # YAML surprises.
    Case(
        "duplicate key",
        front(FRONT.replace("number: 1234", "number: 1234\nnumber: 1235")),
        "4: the key 'number' is given twice",
    ),
    Case("title that YAML 1.1 reads as false", front(FRONT.replace("title: A test text", "title: No")), SAFE),
    Case(
        "octal-looking sitting",
        front(FRONT.replace("      sitting: 5", "      sitting: 010")),
        "12: 'adoption.debates.0.sitting' must be a positive whole number, not '010'",
    ),
    # Paths.
    Case(
        "stem with ../",
        body("1. Text."),
        "1: the file name '..%2F..%2Fetc.md' cannot name an edition",
        file_name="..%2F..%2Fetc.md",
    ),
    Case(
        "stem that is only dots", body("1. Text."), "1: the file name '...md' cannot name an edition", file_name="...md"
    ),
    Case("stem with a space", body("1. Text."), "1: the file name 'a b.md' cannot name an edition", file_name="a b.md"),
]


def first_error(path: Path) -> str:
    errors = [p for p in read(path, Config()).problems if p.severity is Severity.ERROR]
    return f"{errors[0].line}: {errors[0].message}" if errors else SAFE


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_source(case: Case, tmp_path: Path) -> None:
    source = tmp_path / "source" / case.file_name
    source.parent.mkdir()
    source.write_bytes(case.source())
    assert first_error(source) == case.expected
    out = tmp_path / "out"
    [outcome] = build([source], ["html", "pdf", "docx", "epub"], out)
    if case.expected != SAFE:
        assert outcome.failed
        assert not out.exists() or not any(out.iterdir()), "a refused text wrote something"
        return
    assert not outcome.failed, outcome.failure or [str(p) for p in outcome.problems]
    assert_harmless(out)


def test_a_symlink_to_a_file_outside_the_folder_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_bytes(body("1. Secret.")())
    sources = tmp_path / "source"
    sources.mkdir()
    (sources / NAME).symlink_to(secret)
    assert first_error(sources / NAME) == "1: the source is a symbolic link to a file outside its folder"
    [outcome] = build([sources], ["html"], tmp_path / "out")
    assert outcome.failed and not (tmp_path / "out").exists()


def test_a_dangling_symlink_is_one_clear_line(tmp_path: Path) -> None:
    sources = tmp_path / "source"
    sources.mkdir()
    (sources / NAME).symlink_to(sources / "gone.md")
    assert first_error(sources / NAME) == "1: the source cannot be read: No such file or directory"


def test_a_stray_copy_is_refused_and_not_linked_as_a_version(tmp_path: Path) -> None:
    sources = tmp_path / "source"
    sources.mkdir()
    (sources / NAME).write_bytes(body("1. Text.")())
    (sources / "resolution-1234-2001.old.md").write_bytes(body("1. Old text.")())
    outcomes = {o.source.name: o for o in build([sources], ["html"], tmp_path / "out")}
    assert outcomes["resolution-1234-2001.old.md"].failed
    assert not outcomes[NAME].failed
    assert b"hreflang" not in (tmp_path / "out" / "resolution-1234-2001.en.html").read_bytes()


def test_metadata_reaches_the_epub_as_text_not_markdown(tmp_path: Path) -> None:
    title = "Rights of <b>detained</b> migrants -- the *new* rules [see](https://x.org)"
    source = tmp_path / NAME
    source.write_bytes(front(FRONT.replace("title: A test text", f"title: '{title}'"))())
    [outcome] = build([source], ["epub"], tmp_path / "out")
    assert not outcome.failed
    with zipfile.ZipFile(tmp_path / "out" / "resolution-1234-2001.en.epub") as epub:
        opf = lxml.etree.fromstring(epub.read("EPUB/content.opf"))
    [dc_title] = opf.xpath("//dc:title/text()", namespaces={"dc": "http://purl.org/dc/elements/1.1/"})
    assert dc_title == f"Resolution 1234 (2001): {title}"


def test_a_linked_folder_is_not_searched(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / NAME).write_bytes(body("1. Outside.")())
    sources = tmp_path / "source"
    sources.mkdir()
    (sources / "linked").symlink_to(outside, target_is_directory=True)
    assert build([sources], ["html"], tmp_path / "out") == []


def test_an_existing_symlink_in_the_output_folder_is_replaced_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "resolution-1234-2001.en.html").symlink_to(target)
    source = tmp_path / NAME
    source.write_bytes(body("1. Text.")())
    [outcome] = build([source], ["html"], out)
    assert not outcome.failed
    assert target.read_text() == "keep me"
    assert not (out / "resolution-1234-2001.en.html").is_symlink()


def assert_harmless(out: Path) -> None:
    """No edition carries script, handlers, foreign URLs or embedded content from the source.

    The source's markup may appear as visible, escaped text: what matters is the element tree.
    """
    page = lxml.html.fromstring((out / "resolution-1234-2001.en.html").read_bytes())
    assert_safe_tree(page, allowed_scripts=2, allowed_styles=1)
    with zipfile.ZipFile(out / "resolution-1234-2001.en.epub") as epub:
        for name in epub.namelist():
            if name.endswith(".xhtml"):
                assert_safe_tree(lxml.etree.fromstring(epub.read(name)), allowed_scripts=0, allowed_styles=1)
    with pikepdf.open(out / "resolution-1234-2001.en.pdf") as pdf:
        assert "/OpenAction" not in pdf.Root and "/AA" not in pdf.Root
        for page_object in pdf.pages:
            for annotation in page_object.get("/Annots", []):
                action = annotation.get("/A")
                assert action is None or (action.S == "/URI" and str(action.URI).startswith("https://"))
        assert sorted(pdf.attachments) == ["resolution-1234-2001.en.akn.xml", "resolution-1234-2001.en.md"]


def assert_safe_tree(root: lxml.etree._Element, allowed_scripts: int, allowed_styles: int) -> None:
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    local = [lxml.etree.QName(e).localname for e in elements]
    scripts = [e for e, name in zip(elements, local, strict=True) if name == "script"]
    # The JSON-LD, and on the web page the template's own permalinks script, as it is in templates/web/.
    assert len(scripts) <= allowed_scripts
    assert all(e.get("type") == "application/ld+json" or (e.text or "").strip() == OWN_SCRIPT for e in scripts)
    assert local.count("style") <= allowed_styles
    assert not {"iframe", "img", "object", "embed", "form", "svg", "math", "base"} & set(local)
    for element in elements:
        for attribute, value in element.attrib.items():
            name = lxml.etree.QName(attribute).localname.lower()
            assert not name.startswith("on"), f"event handler {name}={value!r}"
            assert name != "style", f"style attribute {value!r}"
            if name in ("href", "src") and value != DUBLIN_CORE:
                assert value.startswith(("#", "https://")) or SAFE_RELATIVE.match(value) or _frbr(value), (
                    f"{name}={value!r}"
                )


DUBLIN_CORE = "http://purl.org/dc/terms/"  # the page's own <link rel="schema.dcterms">
SAFE_RELATIVE = re.compile(r"^(\.\./)?([a-z]+/)?[a-z0-9.-]+\.(html|xhtml|css|akn\.xml|pdf|docx|epub)(#[\w-]+)?$")
OWN_SCRIPT = (Path(__file__).resolve().parent.parent / "templates" / "web" / "permalinks.js").read_text("utf-8").strip()


def _frbr(value: str) -> bool:
    """An Akoma Ntoso work or expression URI of the page's ELI statements (made from the metadata)."""
    try:
        FrbrUri.parse(value)
    except FrbrError:
        return False
    return True


def test_a_character_no_pinned_font_has_is_refused_not_substituted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / NAME
    source.write_bytes(body("1. Approved ✓ by 漢字.")())
    expected = (
        f"{source}:{BODY_LINE}:13: error: no pinned font of the PDF has a glyph for U+2713 (check mark), "
        "U+6F22 (cjk unified ideograph-6f22), U+5B57 (cjk unified ideograph-5b57) (the PDF would take "
        "them from whatever font a machine has: write them otherwise, or pin a face that has them)"
    )
    [outcome] = build([source], ["html", "pdf"], tmp_path / "out")  # located as a source's error, nothing written
    assert outcome.failed and not outcome.failure and [str(p) for p in outcome.problems] == [expected]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("resolution-*"))
    [html] = build([source], ["html"], tmp_path / "web")  # the web page uses the reader's fonts
    assert not html.failed
    # `check` says it too, before any build.
    capsys.readouterr()
    assert main(["check", str(source)]) == 1
    assert expected in capsys.readouterr().err


def test_two_sources_with_one_name_do_not_overwrite_each_other(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / NAME).write_bytes(body(f"1. Text from {folder}.")())
    first, second = build([tmp_path / "a", tmp_path / "b"], ["html"], tmp_path / "out")
    assert not first.failed and second.failure.startswith("same file name as")
    assert b"Text from a." in (tmp_path / "out" / "resolution-1234-2001.en.html").read_bytes()
