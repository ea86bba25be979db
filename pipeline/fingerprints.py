"""What an edition is made from, hashed: one fingerprint per format, once per run.

A format's inputs are what its renderer class declares (pipeline/renderers/base.py) beside what
reading a source takes: the configuration keys it reads, its template folders, the shared code
and its own modules, the tools and libraries it renders with. A change moves the fingerprints
of exactly the formats it reaches (tests/test_fingerprints.py proves both directions), and the
build state (pipeline/buildstate.py) rebuilds those editions.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import platform
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .distributions import installed_version
from .kept_digests import known_digest, save
from .renderers import renderer_class
from .templating import TEMPLATES

PACKAGE = Path(__file__).resolve().parent
LOCALE = PACKAGE / "locale"
# Modules that never change an edition's bytes (and ingest*.py): editing them must not rebuild the corpus.
NOT_RENDERING = {
    "__main__.py",
    "buildstate.py",
    "catalogue.py",
    "cli.py",
    "files.py",
    "fingerprints.py",
    "incremental.py",
    "ingest.py",
    "kept_digests.py",
    "legacy_manifest.py",
    "outcome.py",
    "package.py",
    "progress.py",
    "progress_bar.py",
    "workers.py",
}
COMMON_TOOLS = ("jinja2", "markupsafe", "markdown-it-py", "mdit-py-plugins", "babel", "pyyaml")  # the reader's
READER_CONFIG = ("links",)  # what reading a source takes from the configuration: every format's input


@dataclass(frozen=True)
class Inputs:
    """The hashes of everything but the source that one format's edition depends on."""

    templates: str
    tools: str
    config: str


def fingerprints(formats: Iterable[str], config: Config) -> dict[str, Inputs]:
    found = {
        name: Inputs(template_fingerprint(name), tool_fingerprint(name), config_fingerprint(name, config))
        for name in formats
    }
    save()  # the files' digests, for the next run (pipeline/kept_digests.py)
    return found


def config_fingerprint(format_name: str, config: Config) -> str:
    """The configuration values the format's editions read: a key it does not read rebuilds nothing."""
    values = dataclasses.asdict(config)
    read = sorted({*READER_CONFIG, *renderer_class(format_name).config_keys})
    return digest(json.dumps({key: values[key] for key in read}, sort_keys=True).encode())


@functools.cache
def template_fingerprint(format_name: str) -> str:
    """Every file in the template folders the format declares (its assets live beside them)."""
    return folders_fingerprint(renderer_class(format_name).template_folders)


def folders_fingerprint(folders: Iterable[str]) -> str:
    """Every file in these folders of templates/ (a volume format's are its text format's and its own)."""
    return digest_tree(sorted(TEMPLATES / folder for folder in set(folders)))


@functools.cache
def tool_fingerprint(format_name: str) -> str:
    """Python, the rendering code, the catalogues, and the versions of the libraries the format uses."""
    renderer = renderer_class(format_name)
    parts = [
        platform.python_version(),
        digest("\n".join(f"{name} {known_digest(path)}" for name, path in code_files(format_name)).encode()),
        digest_tree([LOCALE]),
        *(f"{name}=={installed_version(name)}" for name in (*COMMON_TOOLS, *renderer.distributions)),
        *(_library_version(library, function) for library, function in renderer.system_libraries),
    ]
    return digest("\n".join(parts).encode())


def code_files(format_name: str) -> list[tuple[str, Path]]:
    """The code an edition is made by: the shared modules (reading, the model, the templates'
    environment) and the format's own, those of its class and its bases and those it declares.
    Other formats' renderers are not in it: editing one rebuilds only its own editions."""
    shared = [
        path
        for path in sorted(PACKAGE.glob("*.py"))
        if path.name not in NOT_RENDERING and not path.name.startswith("ingest")
    ]
    renderer = renderer_class(format_name)
    own = {cls.__module__ for cls in renderer.__mro__ if cls is not object} | set(renderer.modules)
    assets = [(name, PACKAGE / name) for name in sorted(renderer.code_assets)]
    return [(path.name, path) for path in shared] + [(name, _module_file(name)) for name in sorted(own)] + assets


def _module_file(module: str) -> Path:
    """A module's file, inside this package (where the tests may point PACKAGE) or, for a format
    defined elsewhere, wherever Python imported it from."""
    if module.startswith(f"{__package__}."):
        path = PACKAGE.joinpath(*module.split(".")[1:])
        return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")  # a package, or a module
    return Path(str(sys.modules[module].__file__))


def _library_version(library: str, function: str) -> str:
    import ctypes  # the print edition's libraries alone are asked

    try:
        call = getattr(ctypes.CDLL(library), function)
    except (OSError, AttributeError):
        return f"{library} absent"
    call.restype = ctypes.c_char_p
    return f"{library} {call().decode()}"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_file(path: Path) -> str:
    """The file's SHA-256, read now (an output's: `--verify`)."""
    with path.open("rb") as stream:
        return hashlib.file_digest(stream, "sha256").hexdigest()


def digest_files(paths: list[Path], root: Path) -> str:
    """Code, templates or catalogues: digests kept from an earlier run while the files are unchanged."""
    return digest("\n".join(f"{p.relative_to(root).as_posix()} {known_digest(p)}" for p in paths).encode())


def digest_tree(folders: list[Path]) -> str:
    files = [p for folder in folders for p in sorted(folder.rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return digest_files(files, folders[0].parent) if files else digest(b"")
