"""Volumes in the corpus build: rebuilt when, and only when, one of their texts, the volume file,
their templates or their tools change; recorded in the build state like texts.

Built as HTML + EPUB (the EPUB volume is the quickest volume format); what is rebuilt is read
both from the build's report and from the files' modification times.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import bagit  # type: ignore[import-untyped]
import pikepdf
import pytest

import pipeline.fingerprints as fingerprinting
from pipeline.buildstate import STATE_NAME, BuildState
from pipeline.cli import main
from pipeline.config import Config
from pipeline.errors import UsageError
from pipeline.files import PART_SUFFIX
from pipeline.fingerprints import code_files, digest_file, fingerprints
from pipeline.incremental import Summary, build_corpus
from pipeline.package import package
from pipeline.renderers import REGISTRY
from pipeline.site import is_site_file
from pipeline.templating import TEMPLATES
from pipeline.volumes.build import build_volumes
from pipeline.volumes.incremental import NOT_RENDERING as VOLUME_NOT_RENDERING
from pipeline.volumes.incremental import volume_inputs
from tests.sources import volume_file
from tests.test_fingerprints import _imported_files
from tests.validators import axe, nu_html_checker

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_TEXTS = ROOT / "tests" / "fixtures" / "texts"
FORMATS = ["html", "epub"]
VOLUMES = {
    # by list
    "listed.en.toml": """title = ["Texts adopted by the Assembly", "2030-2031"]
language = "en"
status = "provisional"
texts = [
  "resolution-9004-2030.en",
  "opinion-9006-2031.en",
]
""",
    # by dates: order-9011-2031.en and resolution-9010-2031.en, both adopted on 2 October 2031
    "october.en.toml": """title = ["Texts adopted by the Assembly", "2031 Ordinary Session", "Fourth part"]
language = "en"
status = "final"
from = 2031-09-29
to = 2031-10-03
""",
    "janvier.fr.toml": """title = ["Textes adoptés par l'Assemblée", "Session ordinaire de 2032"]
language = "fr"
status = "provisional"
texts = ["recommendation-9013-2032.fr"]
""",
}


class Project:
    """A corpus of the fixture texts and three volumes, built into `out`."""

    def __init__(self, root: Path) -> None:
        self.sources = root / "source"
        self.volumes = root / "volumes"
        self.out = root / "output"
        shutil.copytree(FIXTURE_TEXTS, self.sources)
        self.volumes.mkdir()
        for name, text in VOLUMES.items():
            (self.volumes / name).write_text(text, encoding="utf-8")

    def build(self, **options: object) -> Summary:
        volumes = sorted(self.volumes.glob("*.toml"))
        return build_corpus([self.sources], FORMATS, self.out, Config(), volumes=volumes, **options)  # type: ignore[arg-type]

    def times(self) -> dict[str, int]:
        """Each edition's modification time (the site's files, which list every edition, aside)."""
        return {
            path.name: path.stat().st_mtime_ns
            for path in self.out.iterdir()
            if not path.name.startswith(".") and not is_site_file(path.name)
        }

    def edit(self, name: str, old: str, new: str) -> None:
        path = (self.volumes if name.endswith(".toml") else self.sources) / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def built(summary: Summary) -> tuple[list[str], list[str]]:
    """The texts and the volumes a build (re)built, by stem; it must have failed nothing."""
    assert [o for o in summary.outcomes if o.failed] == []
    assert [(o.problems, o.failure) for o in summary.volume_outcomes if o.failed] == []
    texts = sorted(o.source.name.removesuffix(".md") for o in summary.outcomes)
    return texts, sorted(o.source.name.removesuffix(".toml") for o in summary.volume_outcomes)


def changed(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


@pytest.fixture
def project(tmp_path: Path) -> Project:
    made = Project(tmp_path)
    texts, volumes = built(made.build())
    assert len(texts) == 9 and volumes == ["janvier.fr", "listed.en", "october.en"]
    return made


def test_changing_one_text_rebuilds_its_editions_and_the_volumes_that_hold_it(project: Project) -> None:
    before = project.times()
    project.edit("resolution-9004-2030.en.md", "Heat stress is not", "Heat stress is never")
    summary = project.build()
    assert built(summary) == (["resolution-9004-2030.en"], ["listed.en"])
    assert summary.volume_reasons == {project.volumes / "listed.en.toml": {"epub": "texts changed"}}
    after = project.times()
    assert changed(before, after) == ["listed.en.epub", "resolution-9004-2030.en.epub", "resolution-9004-2030.en.html"]

    # A text of a volume chosen by dates: that volume only.
    project.edit("order-9011-2031.en.md", "within two years", "within three years")
    assert built(project.build()) == (["order-9011-2031.en"], ["october.en"])
    assert changed(after, project.times()) == ["october.en.epub", "order-9011-2031.en.epub", "order-9011-2031.en.html"]


def test_a_text_entering_or_leaving_a_range_rebuilds_that_volume(project: Project) -> None:
    project.edit("resolution-9008-2031.en.md", "  date: 2031-04-10\n", "  date: 2031-10-01\n")
    summary = project.build()
    assert built(summary) == (["resolution-9008-2031.en"], ["october.en"])
    with contextlib.closing(BuildState.open(project.out)) as state:
        (october,) = [v for v in state.volumes_present() if v["stem"] == "october.en"]
    assert october["texts"] == ["order-9011-2031.en", "resolution-9008-2031.en", "resolution-9010-2031.en"]
    project.edit("resolution-9008-2031.en.md", "  date: 2031-10-01\n", "  date: 2031-04-10\n")
    assert built(project.build()) == (["resolution-9008-2031.en"], ["october.en"])


def test_changing_the_volume_file_rebuilds_only_that_volume(project: Project) -> None:
    before = project.times()
    project.edit("janvier.fr.toml", '"Session ordinaire de 2032"', '"Session ordinaire de 2032", "Première partie"')
    summary = project.build()
    assert built(summary) == ([], ["janvier.fr"])
    assert summary.volume_reasons == {project.volumes / "janvier.fr.toml": {"epub": "volume file changed"}}
    assert changed(before, project.times()) == ["janvier.fr.epub"]


def test_a_no_op_build_writes_nothing_and_force_rebuilds_every_volume(project: Project) -> None:
    before = project.times()
    state = (project.out / STATE_NAME).read_bytes()
    summary = project.build()
    assert built(summary) == ([], [])
    assert len(summary.volumes_up_to_date) == 3
    assert project.times() == before
    assert (project.out / STATE_NAME).read_bytes() == state
    forced = project.build(force=True)
    assert built(forced)[1] == ["janvier.fr", "listed.en", "october.en"]
    assert {reason for reasons in forced.volume_reasons.values() for reason in reasons.values()} == {"forced"}


def test_verify_hashes_volume_files_again(project: Project) -> None:
    path = project.out / "listed.en.epub"
    stat = path.stat()
    data = bytearray(path.read_bytes())
    data[-1] ^= 1  # same size and time: only a hash sees it
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert built(project.build()) == ([], [])
    summary = project.build(verify=True)
    assert built(summary) == ([], ["listed.en"])
    assert summary.volume_reasons == {project.volumes / "listed.en.toml": {"epub": "output modified"}}


def test_a_missing_text_fails_its_volume_only_at_the_line_that_names_it(project: Project) -> None:
    (project.sources / "opinion-9006-2031.en.md").unlink()
    project.edit("resolution-9005-2030.en.md", "power outages", "long power outages")
    summary = project.build()
    # The changed text is built, and so are those that cited the one removed (they link elsewhere now).
    assert "resolution-9005-2030.en.md" in [o.source.name for o in summary.outcomes]
    assert not [o for o in summary.outcomes if o.failed]
    # The French volume holds a text citing the opinion: its link changed, so the volume is remade.
    rebuilt, failed = summary.volume_outcomes
    assert not rebuilt.failed and rebuilt.source.name == "janvier.fr.toml"
    assert failed.failed and failed.source.name == "listed.en.toml"
    assert [str(p) for p in failed.problems] == [
        f"{project.volumes / 'listed.en.toml'}:6:1: error: no source named opinion-9006-2031.en.md among the "
        "sources given (did you mean 'resolution-9010-2031.en'?)"
    ]
    assert [p.name for p in summary.volumes_up_to_date] == ["october.en.toml"]
    # Every build says so again, until the volume or the corpus is mended.
    assert [o.source.name for o in project.build().volume_outcomes] == ["listed.en.toml"]
    project.edit("listed.en.toml", '  "opinion-9006-2031.en",\n', "")
    assert built(project.build()) == ([], ["listed.en"])


def test_a_volume_that_cannot_be_written_leaves_no_file(project: Project) -> None:
    project.edit("listed.en.toml", '"2030-2031"', '"2030 and 2031"')
    target = project.out / "listed.en.epub"
    target.unlink()
    target.mkdir()  # a folder where the volume goes: renaming onto it fails
    summary = project.build()
    (failed,) = summary.volume_outcomes
    assert failed.failure.startswith(f"cannot write the volume in {project.out}")
    assert [p.name for p in project.out.iterdir() if p.name.endswith(PART_SUFFIX)] == []
    target.rmdir()
    assert built(project.build()) == ([], ["listed.en"])  # not recorded: built at the next build


def test_a_volume_named_like_a_text_is_refused(project: Project) -> None:
    (project.volumes / "order-9011-2031.en.toml").write_text(VOLUMES["listed.en.toml"], encoding="utf-8")
    summary = project.build()
    (refused,) = summary.volume_outcomes
    assert "both would write order-9011-2031.en.*" in refused.failure
    assert summary.outcomes == [] and len(summary.volumes_up_to_date) == 3


@pytest.mark.parametrize(
    ("template", "texts_moved", "volumes_moved"),
    [
        ("volume/epub-nav.xhtml.j2", set(), {"pdf", "docx", "epub"}),
        ("print/style.css.j2", {"pdf"}, {"pdf"}),
        ("epub/style.css", {"epub"}, {"epub"}),
    ],
)
def test_templates_rebuild_the_volumes_that_use_them(
    template: str,
    texts_moved: set[str],
    volumes_moved: set[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_fingerprints: None,
) -> None:
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES, copy)
    monkeypatch.setattr(fingerprinting, "TEMPLATES", copy)

    def edit() -> None:
        with (copy / template).open("ab") as stream:
            stream.write(b"\n")
        fingerprinting.template_fingerprint.cache_clear()

    assert formats_moved_by(edit) == (texts_moved, volumes_moved)


@pytest.mark.parametrize(
    ("module", "texts_moved", "volumes_moved"),
    [
        ("volumes/pdf.py", set(), {"pdf", "docx", "epub"}),
        ("volumes/incremental.py", set(), set()),  # plans and records, never renders
        ("renderers/epub.py", {"epub"}, {"epub"}),
    ],
)
def test_code_rebuilds_the_volumes_it_renders(
    module: str,
    texts_moved: set[str],
    volumes_moved: set[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fresh_fingerprints: None,
) -> None:
    copy = tmp_path / "pipeline"
    shutil.copytree(fingerprinting.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprinting, "PACKAGE", copy)

    def edit() -> None:
        with (copy / module).open("a", encoding="utf-8") as stream:
            stream.write("\n# edited\n")
        fingerprinting.tool_fingerprint.cache_clear()

    assert formats_moved_by(edit) == (texts_moved, volumes_moved)


def formats_moved_by(edit: Callable[[], None]) -> tuple[set[str], set[str]]:
    """The text formats and the volume formats whose fingerprints `edit` changes."""
    formats = list(REGISTRY)
    texts, volumes = fingerprints(formats, Config()), volume_inputs(formats, Config())
    edit()
    texts_after, volumes_after = fingerprints(formats, Config()), volume_inputs(formats, Config())
    return (
        {name for name in texts if texts[name] != texts_after[name]},
        {name for name in volumes if volumes[name] != volumes_after[name]},
    )


def test_pipeline_build_reports_the_volumes_and_fails_for_a_failed_one(
    project: Project, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(project.sources.parent)  # `pipeline build` with no argument: source/ and volumes/
    assert main(["build", "--format", "html,epub", "-j", "1"]) == 0
    assert "3 of 3 volumes built (3 up to date), 0 files written; 0 failed" in capsys.readouterr().err
    project.edit("october.en.toml", "from = 2031-09-29", "from = 2031-09-29\nrecto = 1")
    assert main(["build", "--format", "html,epub", "-j", "1"]) == 1
    errors = capsys.readouterr().err
    assert f"{Path('volumes') / 'october.en.toml'}:5:1: error: 'recto': expected true or false" in errors
    assert "2 of 3 volumes built (2 up to date), 0 files written; 1 failed" in errors


def test_the_package_holds_the_volumes_with_their_checksums(project: Project, tmp_path: Path) -> None:
    volumes = sorted(project.volumes.glob("*.toml"))
    packed = package([project.sources], project.out, tmp_path / "bag", FORMATS, Config(), volumes=volumes)
    bag = bagit.Bag(str(packed.bag))
    bag.validate()
    payload = set(bag.payload_files())
    stems = [path.name.removesuffix(".toml") for path in volumes]
    assert {f"data/editions/{stem}.epub" for stem in stems} | {f"data/volumes/{p.name}" for p in volumes} <= payload
    assert (bag.info["Volume-Count"], bag.info["Volume-Edition-Count"]) == ("3", "3")
    with contextlib.closing(BuildState.open(project.out)) as state:
        recorded = {v["stem"]: v["editions"]["epub"]["sha256"] for v in state.volumes_present()}
    assert {stem: bag.entries[f"data/editions/{stem}.epub"]["sha256"] for stem in stems} == recorded
    assert packed.volumes == 3

    # The bag's verification covers them: an altered volume fails it.
    bagged = packed.bag / "data" / "editions" / "listed.en.epub"
    bagged.write_bytes(bagged.read_bytes() + b"\0")
    with pytest.raises(bagit.BagValidationError):
        bagit.Bag(str(packed.bag)).validate()


def volume_links(page: str) -> dict[str, list[str]]:
    """The catalogue's volumes section: each volume's title lines (joined) -> its edition links."""
    section = page.split('<section class="volumes"', 1)[1].split("</section>", 1)[0]
    listed = {}
    for item in section.split('<li class="text"')[1:]:
        title = re.sub(r"<br>", " / ", item.split('<h3 class="volume-title">', 1)[1].split("</h3>", 1)[0])
        listed[title] = re.findall(r'<a href="([^"]+)"', item)
    return listed


def test_the_catalogue_lists_every_volume_and_the_checksums_cover_their_files(project: Project) -> None:
    page = (project.out / "index.html").read_text(encoding="utf-8")
    assert volume_links(page) == {  # latest first: by the volumes' own dates
        "Textes adoptés par l’Assemblée / Session ordinaire de 2032": ["janvier.fr.epub"],
        "Texts adopted by the Assembly / 2031 Ordinary Session / Fourth part": ["october.en.epub"],
        "Texts adopted by the Assembly / 2030-2031": ["listed.en.epub"],
    }
    assert "9 texts in 2 languages, 3 volumes: 21 files" in page
    assert nu_html_checker([project.out / "index.html"]) + axe([project.out / "index.html"]) == []
    listed = (project.out / "SHA256SUMS").read_text(encoding="utf-8")
    assert {"janvier.fr.epub", "listed.en.epub", "october.en.epub"} <= {
        line.split("  ")[1] for line in listed.splitlines()
    }
    check = subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=project.out, check=False)
    assert check.returncode == 0

    # A volume rebuilt shows its new title; its new checksum is listed.
    project.edit("janvier.fr.toml", '"Session ordinaire de 2032"', '"Session ordinaire de 2032", "Première partie"')
    project.build()
    page = (project.out / "index.html").read_text(encoding="utf-8")
    assert "Textes adoptés par l’Assemblée / Session ordinaire de 2032 / Première partie" in volume_links(page)
    assert (
        subprocess.run(["sha256sum", "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=project.out).returncode == 0
    )


def test_the_packages_catalogue_lists_its_volumes(project: Project, tmp_path: Path) -> None:
    volumes = sorted(project.volumes.glob("*.toml"))
    packed = package([project.sources], project.out, tmp_path / "bag", FORMATS, Config(), volumes=volumes)
    page = (packed.bag / "data" / "editions" / "index.html").read_text(encoding="utf-8")
    assert sorted(link for links in volume_links(page).values() for link in links) == [
        "janvier.fr.epub",
        "listed.en.epub",
        "october.en.epub",
    ]


def test_the_package_refuses_a_volume_not_up_to_date(project: Project, tmp_path: Path) -> None:
    project.edit("october.en.toml", '"Fourth part"', '"Fourth part, 29 September-3 October 2031"')
    volumes = sorted(project.volumes.glob("*.toml"))
    with pytest.raises(
        UsageError, match=r"1 of 3 volumes .* october\.en\.toml \(volume file changed\).*pipeline build"
    ):
        package([project.sources], project.out, tmp_path / "bag", FORMATS, Config(), volumes=volumes)
    assert not (tmp_path / "bag").exists()


@pytest.mark.parametrize("name", ["pdf", "docx", "epub"])
def test_every_module_a_volume_format_imports_is_in_its_fingerprint(name: str) -> None:
    """What the volume's renderer and its text format's renderer import from this package is
    hashed into the volume format's tools: the text format's code files and pipeline/volumes/."""
    # pipeline.volumes.build only dispatches (its imports name every format) and writes the files.
    modules = {
        "pipeline.source",
        "pipeline.volumes.declaration",
        "pipeline.volumes.selection",
        f"pipeline.volumes.{name}",
    }
    reached = _imported_files(modules | {cls.__module__ for cls in REGISTRY[name].__mro__[:-1]})
    volume_code = {
        path for path in (fingerprinting.PACKAGE / "volumes").glob("*.py") if path.name not in VOLUME_NOT_RENDERING
    }
    fingerprinted = {path for _, path in code_files(name)} | volume_code
    assert sorted(str(p.relative_to(fingerprinting.PACKAGE)) for p in reached - fingerprinted) == []


def test_the_state_lists_the_volumes_with_their_editions_for_the_catalogue(project: Project) -> None:
    with contextlib.closing(BuildState.open(project.out)) as state:
        volumes = {volume["stem"]: volume for volume in state.volumes_present()}
    janvier = volumes["janvier.fr"]
    epub = project.out / "janvier.fr.epub"
    assert (janvier["title"], janvier["language"], janvier["status"]) == (
        ["Textes adoptés par l’Assemblée", "Session ordinaire de 2032"],
        "fr",
        "provisional",
    )
    assert janvier["texts"] == ["recommendation-9013-2032.fr"] and janvier["date"] == "2032-01-28"
    assert janvier["editions"] == {
        "epub": {"file": epub.name, "sha256": digest_file(epub), "size": epub.stat().st_size}
    }
    epub.unlink()  # a volume whose files are gone is not listed
    with contextlib.closing(BuildState.open(project.out)) as state:
        assert sorted(volume["stem"] for volume in state.volumes_present()) == ["listed.en", "october.en"]


def test_a_volumes_references_link_as_the_texts_own_editions_do(tmp_path: Path) -> None:
    """To the web edition of a text of the corpus; a text not in it is never linked to a page
    that does not exist (the volume used to link every citation to `<stem>.html`)."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_TEXTS, sources)
    (sources / "opinion-9006-2031.en.md").unlink()
    declaration = volume_file(tmp_path / "cited.en.toml", ["resolution-9020-2032.en"])
    config = Config(publication_url="https://example.int/texts/")
    [outcome] = build_volumes([declaration], [sources], tmp_path / "out", ["epub"], config)
    assert not outcome.failed, outcome.failure
    with zipfile.ZipFile(tmp_path / "out" / "cited.en.epub") as package:
        text = package.read("EPUB/text/resolution-9020-2032.en.xhtml").decode()
    links = set(re.findall(r'href="(https://example\.int/[^"]*)"', text))
    assert "https://example.int/texts/resolution-9004-2030.en.html" in links
    assert "https://example.int/texts/recommendation-9003-2030.en.html" in links
    assert not [link for link in links if "9006" in link]
    assert "Opinion 9006 (2031)" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ")


def test_a_reference_to_a_text_of_the_same_volume_jumps_to_it_in_every_format(tmp_path: Path) -> None:
    """Resolution 9020 cites Resolution 9004 and Recommendation 9003: in a volume that holds
    9020 and 9004, the citation of 9004 goes to 9004 inside the volume (a PDF destination, a
    DOCX bookmark, the EPUB's content document), while 9003 still links to its web edition."""
    declaration = volume_file(tmp_path / "both.en.toml", ["resolution-9020-2032.en", "resolution-9004-2030.en"])
    config = Config(publication_url="https://example.int/texts/")
    out = tmp_path / "out"
    [outcome] = build_volumes([declaration], [FIXTURE_TEXTS], out, ["pdf", "docx", "epub"], config)
    assert not outcome.failed, outcome.failure
    inside, web = "text-resolution-9004-2030-en", "https://example.int/texts/recommendation-9003-2030.en.html"

    with pikepdf.open(out / "both.en.pdf") as pdf:
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        destinations = {str(a.Dest) for a in links if "/Dest" in a}
        uris = {str(a.A.URI) for a in links if "/A" in a}
        assert inside in destinations and inside in {str(name) for name, _ in _named_destinations(pdf)}
    assert web in uris and not [uri for uri in uris if "9004" in uri]

    document = zipfile.ZipFile(out / "both.en.docx").read("word/document.xml").decode()
    assert f'<w:hyperlink w:anchor="{inside}">' in document
    assert re.search(rf'<w:bookmarkStart [^>]*w:name="{inside}"', document)
    relationships = zipfile.ZipFile(out / "both.en.docx").read("word/_rels/document.xml.rels").decode()
    assert web in relationships and "9004" not in relationships

    with zipfile.ZipFile(out / "both.en.epub") as package:
        chapter = package.read("EPUB/text/resolution-9020-2032.en.xhtml").decode()
        assert "EPUB/text/resolution-9004-2030.en.xhtml" in package.namelist()
    hrefs = set(re.findall(r'href="([^"]*)"', chapter))
    assert "resolution-9004-2030.en.xhtml" in hrefs and web in hrefs
    assert not [href for href in hrefs if "9004" in href and href != "resolution-9004-2030.en.xhtml"]


def _named_destinations(pdf: pikepdf.Pdf) -> list[tuple[object, object]]:
    """The (name, destination) pairs of the PDF's name tree of destinations."""
    return list(pikepdf.NameTree(pdf.Root.Names.Dests).items())
