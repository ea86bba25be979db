"""A fresh machine gets everything rendering needs: the install list is checked against what really loads.

The point of the dpkg test is that it fails on a machine where a library happens to be installed by
something else (chromium and LibreOffice pull HarfBuzz-Subset in): a package counts only when the
Makefile's render list, or what that list depends on, or Debian's essential set brings it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest

from pipeline import cli, environment
from tests.conftest import ROOT, SEED

pytestmark = pytest.mark.skipif(shutil.which("dpkg-query") is None, reason="needs a Debian machine")

# Run in a fresh interpreter: every library the print edition loads, by WeasyPrint's own loader
# (cffi's dlopen, recorded) and in fact (/proc/self/maps after rendering the seed).
PROBE = textwrap.dedent(
    """
    import ctypes.util, json, os, sys, sysconfig
    import cffi
    opened = []  # [the loader's call site, name tried, opened?, the soname it resolved to]
    original = cffi.FFI.dlopen
    def recording(self, name, *args):
        site = f"{sys._getframe(2).f_code.co_filename}:{sys._getframe(2).f_lineno}"
        try:
            library = original(self, name, *args)
        except OSError:
            opened.append([site, name, False, None])
            raise
        # cffi, like ctypes, looks a bare name up with find_library
        resolved = name if "/" in name or ".so" in name else ctypes.util.find_library(name)
        opened.append([site, name, True, resolved])
        return library
    cffi.FFI.dlopen = recording
    from pathlib import Path
    from pipeline import Config, load
    from pipeline.renderers.pdf import PdfRenderer
    PdfRenderer(Config()).render(load(Path(sys.argv[1])))
    with open("/proc/self/maps") as maps:
        files = sorted({line.split(None, 5)[5].strip() for line in maps if len(line.split(None, 5)) == 6})
    # Python's own: the venv (the wheels' bundled libraries too), the standard library's folders and
    # libpython where the interpreter is a shared build; not all of base_prefix, which is /usr for
    # Debian's interpreter.
    paths = sysconfig.get_paths()
    libpython = os.path.join(sysconfig.get_config_var("LIBDIR") or "", sysconfig.get_config_var("INSTSONAME") or "")
    prefixes = [*(os.path.join(p, "") for p in (sys.prefix, paths["stdlib"], paths["platstdlib"])), libpython]
    python_own = sorted(f for f in files if f.startswith(tuple(prefixes)) and ".so" in f)
    print(json.dumps({"opened": opened, "files": files, "python": python_own, "prefixes": prefixes}))
    """
)
SHARED_OBJECT = re.compile(r"\.so(\.\d+)*$")
# WeasyPrint 70 also tries libharfbuzz-vector, which HarfBuzz 6 (Debian 12) does not have; it
# draws nothing the print edition uses.
ABSENT_ON_DEBIAN_12 = frozenset({"harfbuzz-vector"})  # one of the names WeasyPrint tries for it


def render_packages() -> set[str]:
    listed = subprocess.run(
        ["make", "-s", "--no-print-directory", "print-render-packages"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return {spec.partition("=")[2] or spec for spec in listed}


def probe() -> dict[str, list]:  # type: ignore[type-arg]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(SEED)], capture_output=True, text=True, check=True, cwd=ROOT
    )
    loaded: dict[str, list] = json.loads(result.stdout.splitlines()[-1])  # type: ignore[type-arg]
    return loaded


def installed_packages() -> dict[str, tuple[bool, set[str], set[str]]]:
    """Every installed package: (essential or required, what it depends on, what it provides)."""
    fields = "${Package}\t${Status}\t${Essential}\t${Priority}\t${Depends}, ${Pre-Depends}\t${Provides}\n"
    listing = subprocess.run(["dpkg-query", "-W", "-f", fields], capture_output=True, text=True, check=True).stdout
    packages = {}
    for line in listing.splitlines():
        name, status, essential, priority, depends, provides = line.split("\t")
        if "ok installed" not in status:
            continue
        packages[name] = (essential == "yes" or priority == "required", _names(depends), _names(provides))
    return packages


def _names(relations: str) -> set[str]:
    """Package names in a Depends-style field: alternatives, versions and architectures dropped."""
    names = set()
    for alternative in re.split(r"[,|]", relations):
        name = alternative.strip().split(" ")[0].split(":")[0]
        if name:
            names.add(name)
    return names


def brought_by(roots: set[str], packages: dict[str, tuple[bool, set[str], set[str]]]) -> set[str]:
    """The packages that installing `roots` installs: the roots and their dependencies, transitively."""
    providers: dict[str, set[str]] = {}
    for name, (_, _, provides) in packages.items():
        for virtual in provides | {name}:
            providers.setdefault(virtual, set()).add(name)
    brought: set[str] = set()
    pending = [*roots]
    while pending:
        for name in providers.get(pending.pop(), set()):
            if name not in brought:
                brought.add(name)
                pending.extend(packages[name][1])
    return brought


def owner(path: str) -> str | None:
    """The Debian package that installed `path` (merged /usr: dpkg may know it under /lib)."""
    candidates = [path, os.path.realpath(path)]
    candidates += [c.removeprefix("/usr") for c in candidates if c.startswith("/usr/lib")]
    for candidate in candidates:
        result = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":")[0].split(",")[0].strip()
    return None


def linked_by(binaries: list[str]) -> set[str]:
    """The system libraries these binaries are linked against (Python's extension modules need them)."""
    linked: set[str] = set()
    for binary in binaries:
        result = subprocess.run(["ldd", binary], capture_output=True, text=True)
        for match in re.finditer(r"=> (/\S+)", result.stdout):
            linked |= {match.group(1), os.path.realpath(match.group(1))}
    return linked


def unlisted(files: list[str], allowed: set[str]) -> list[str]:
    return [f"{file} ({owner(file) or 'no package'})" for file in files if owner(file) not in allowed]


def test_every_library_the_print_engine_loads_comes_from_the_render_list() -> None:
    loaded = probe()
    packages = installed_packages()
    essential = {name for name, (required, _, _) in packages.items() if required}
    allowed = brought_by(render_packages(), packages) | brought_by(essential, packages)
    prefixes = tuple(loaded["prefixes"])  # Python itself and the wheels' own bundled libraries
    # What the interpreter's own modules link (libssl for _ssl…) is the Python install's business.
    python_own = linked_by(loaded["python"])
    system = [
        f for f in loaded["files"] if SHARED_OBJECT.search(f) and not f.startswith(prefixes) and f not in python_own
    ]
    assert len(system) > 10, system  # the probe saw Pango, HarfBuzz, GLib… or it saw nothing
    assert not unlisted(system, allowed), "add their packages to RENDER_PACKAGES in the Makefile"


def test_every_library_weasyprints_loader_asks_for_was_found() -> None:
    attempts: dict[str, list[tuple[str, bool]]] = {}
    for site, name, ok, _ in probe()["opened"]:
        attempts.setdefault(site, []).append((name, ok))
    assert len(attempts) >= 6  # gobject, pango, harfbuzz, harfbuzz-subset, fontconfig, pangoft2…
    missing = [
        names[0][0]
        for names in attempts.values()
        if not any(ok for _, ok in names) and not ABSENT_ON_DEBIAN_12 & {name for name, _ in names}
    ]
    assert not missing, "WeasyPrint could not open these: install their packages through RENDER_PACKAGES"


def test_the_preflight_checks_every_library_weasyprint_opens() -> None:
    opened = {resolved for _, _, ok, resolved in probe()["opened"] if ok}
    checked = {library.soname for library in environment.WEASYPRINT_LIBRARIES}
    assert "libharfbuzz-subset.so.0" in opened
    assert opened == checked, "environment.WEASYPRINT_LIBRARIES must list exactly what WeasyPrint opens"
    assert {library.package for library in environment.WEASYPRINT_LIBRARIES} <= render_packages()


def test_every_pinned_font_comes_from_the_render_list() -> None:
    packages = installed_packages()
    allowed = brought_by(render_packages(), packages)
    fonts = [str(file) for file in _faces()]
    assert fonts
    assert not unlisted(fonts, allowed)


def test_the_check_fails_when_a_package_leaves_the_list() -> None:
    """What the test above would say if libharfbuzz-subset0 were dropped from the Makefile."""
    packages = installed_packages()
    without = brought_by(render_packages() - {"libharfbuzz-subset0"}, packages)
    essential = {name for name, (required, _, _) in packages.items() if required}
    subset = [f for f in probe()["files"] if "libharfbuzz-subset" in f]
    assert subset
    assert unlisted(subset, without | brought_by(essential, packages))


def _faces() -> list[Path]:
    from pipeline.renderers.fonts import pinned_faces

    return [face.file for face in pinned_faces(environment.FONTS_TOML, "pdf")]


# pipeline doctor ----------------------------------------------------------------


def test_doctor_passes_on_a_machine_set_up_by_make(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["doctor"]) == cli.EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert all(line.startswith("ok ") for line in lines), lines
    components = " ".join(lines)
    for expected in ("pandoc 3.", "sandbox", "HarfBuzz-Subset", "WeasyPrint: 70.0", "Pango 1.", "NotoSerif-Regular"):
        assert expected in components


def test_doctor_names_a_missing_font_and_its_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    renamed = environment.FONTS_TOML.read_text(encoding="utf-8").replace("NotoSerif-Italic.ttf", "NotoSerif-Gone.ttf")
    (tmp_path / "fonts.toml").write_text(renamed, encoding="utf-8")
    monkeypatch.setattr(environment, "FONTS_TOML", tmp_path / "fonts.toml")
    assert cli.main(["doctor"]) == cli.EXIT_INVALID
    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert failures == [
        "FAIL  font Noto Serif 400 italic: /usr/share/fonts/truetype/noto/NotoSerif-Gone.ttf is missing "
        f"(fix: {environment.APT} --reinstall fonts-noto-core)"
    ]


def test_doctor_reports_a_font_that_is_not_the_pinned_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    changed = re.sub(r'sha256 = "[0-9a-f]{8}', 'sha256 = "00000000', environment.FONTS_TOML.read_text(), count=1)
    (tmp_path / "fonts.toml").write_text(changed, encoding="utf-8")
    failed = [check for check in environment.font_checks(tmp_path / "fonts.toml") if not check.ok]
    assert len(failed) == 1
    assert "is not the pinned file" in failed[0].detail


def test_doctor_checks_the_faces_the_docx_edition_embeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every face templates/docx/fonts.toml embeds is checked: today each is a print face (same
    file, same sha256), checked once; a face only the DOCX edition embeds is checked as its own."""
    docx_faces = tomllib.loads(environment.DOCX_FONTS_TOML.read_text(encoding="utf-8"))["face"]
    print_faces = tomllib.loads(environment.FONTS_TOML.read_text(encoding="utf-8"))["face"]
    assert {(f["file"], f["sha256"]) for f in docx_faces} <= {(f["file"], f["sha256"]) for f in print_faces}
    assert environment.docx_font_checks() == []
    extra = '\n[[face]]\nfamily = "Noto Serif Test"\nweight = 400\nstyle = "normal"\n'
    extra += 'file = "/usr/share/fonts/truetype/noto/NotoSerifTest-Regular.ttf"\nsha256 = "' + "0" * 64 + '"\n'
    (tmp_path / "fonts.toml").write_text(
        environment.DOCX_FONTS_TOML.read_text(encoding="utf-8") + extra, encoding="utf-8"
    )
    monkeypatch.setattr(environment, "DOCX_FONTS_TOML", tmp_path / "fonts.toml")
    assert cli.main(["doctor"]) == cli.EXIT_INVALID
    failures = [line for line in capsys.readouterr().out.splitlines() if line.startswith("FAIL")]
    assert len(failures) == 1 and failures[0].startswith("FAIL  DOCX font Noto Serif Test 400 normal"), failures


def test_doctor_tests_option_checks_the_validators(capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["doctor", "--tests"])
    out = capsys.readouterr().out
    for tool in ("Java", "Chromium", "LibreOffice", "qpdf", "poppler", "Nu Html Checker", "Ace by DAISY", "EPUBCheck"):
        assert f"  {tool}: " in out


# The build names a broken engine once ----------------------------------------------


def test_a_missing_library_stops_the_build_before_any_text_renders(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    gone = environment.SharedLibrary("HarfBuzz-Subset", "libharfbuzz-subset-gone.so.0", "libharfbuzz-subset0")
    monkeypatch.setattr(environment, "WEASYPRINT_LIBRARIES", (gone,))
    out = tmp_path / "out"
    code = cli.main(["build", str(SEED), str(SEED.with_name("recommendation-1607-2003.fr.md")), "--out", str(out)])
    assert code == cli.EXIT_ENVIRONMENT
    errors = capsys.readouterr().err
    assert errors.count("libharfbuzz-subset-gone.so.0 not found") == 1
    assert f"fix: {environment.APT} libharfbuzz-subset0" in errors
    assert not out.exists() or not any(out.iterdir())


def test_an_html_build_needs_no_print_engine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gone = environment.SharedLibrary("HarfBuzz-Subset", "libharfbuzz-subset-gone.so.0", "libharfbuzz-subset0")
    monkeypatch.setattr(environment, "WEASYPRINT_LIBRARIES", (gone,))
    assert cli.main(["build", str(SEED), "--format", "html", "--out", str(tmp_path), "-j", "1"]) == cli.EXIT_OK
    assert (tmp_path / "recommendation-1607-2003.en.html").is_file()


# A wheel, not an editable install --------------------------------------------------


@pytest.mark.slow
def test_a_wheel_install_builds_the_same_bytes_as_the_checkout(tmp_path: Path) -> None:
    """Templates, catalogues, reference.docx, the Lua filter and the fonts list are package data."""
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", wheels, ROOT],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    site = next(venv.glob("lib/python3*/site-packages"))
    (site / "dependencies.pth").write_text(_dependencies_only(), encoding="utf-8")  # the pinned libraries, not ours
    wheel = next(wheels.glob("*.whl"))
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet", "--no-deps", wheel],
        check=True,
        capture_output=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copyfile(ROOT / "pipeline.toml", elsewhere / "pipeline.toml")
    script = "import sys, pipeline.cli; print(pipeline.__file__, file=sys.stderr); sys.exit(pipeline.cli.main())"
    built = subprocess.run(
        [venv / "bin" / "python", "-c", script, "build", SEED.parent, "--out", tmp_path / "wheel-out", "-j", "1"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert str(site) in built.stderr.splitlines()[0]  # the wheel's copy ran, not the checkout
    checkout = tmp_path / "checkout-out"
    assert cli.main(["build", str(SEED.parent), "--out", str(checkout), "-j", "1"]) == cli.EXIT_OK
    names = sorted(p.name for p in checkout.iterdir() if not p.name.startswith("."))
    assert names == sorted(p.name for p in (tmp_path / "wheel-out").iterdir() if not p.name.startswith("."))
    assert len([n for n in names if n.startswith("recommendation-1607-2003.")]) == 10  # 2 languages x 5
    files = sorted(p.relative_to(checkout) for p in checkout.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert len(files) > len(names)  # the search index's files too
    for name in files:
        assert (checkout / name).read_bytes() == (tmp_path / "wheel-out" / name).read_bytes(), name


def _dependencies_only() -> str:
    """This venv's site-packages, for a .pth: the libraries without the editable link to the checkout."""
    import pypandoc

    return str(Path(pypandoc.__file__).resolve().parent.parent) + "\n"


def test_the_print_edition_refuses_a_weasyprint_it_was_not_written_for(monkeypatch: pytest.MonkeyPatch) -> None:
    """The PDF/UA tagging hook replaces a private WeasyPrint function: never on an untested version."""
    import weasyprint

    from pipeline import Config
    from pipeline.errors import RenderError
    from pipeline.renderers.pdf import PdfRenderer

    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    with pytest.raises(RenderError, match=r"WeasyPrint 71\.0 is not 70\.0"):
        PdfRenderer(Config())


def test_every_pinned_python_package_is_in_the_lock_that_make_installs() -> None:
    """`make` installs requirements.lock: a dependency pinned in pyproject.toml but not locked at the
    same version (Pagefind's binary for the search index, say) would be missing on a fresh machine."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [*project["dependencies"], *(p for extra in project["optional-dependencies"].values() for p in extra)]
    lock = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            lock[re.sub(r"[-_.]+", "-", name).lower()] = version
    for pin in pins:
        name, _, version = pin.split(";")[0].strip().partition("==")
        extras = re.findall(r"\[(.*)\]", name)
        name = re.sub(r"[-_.]+", "-", name.split("[")[0]).lower()
        assert lock.get(name) == version, f"{pin} is not in requirements.lock at its pin"
        for extra in extras:  # pagefind[bin] brings pagefind-bin, the binary itself
            assert lock.get(f"{name}-{extra}") == version, f"{pin}: {name}-{extra} is not locked"
