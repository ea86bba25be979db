"""The site's full-text search: a Pagefind index of the web editions, and the page that queries it.

Pagefind (the `pagefind[bin]` wheel: its binary, no network) reads every web edition that marks
its text `data-pagefind-body` (templates/web/search-*.html.j2: the text's words and keywords;
citation and language as metadata; type, year, language and status as filters) and writes a
static bundle, `pagefind/`, that the search page loads in the browser. One index for every
language (`--force-language en`): the language is a filter, and a word is found whatever the
language of the text around it.

Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, whose seed is random
per process, so two runs over the same pages differ in a few `.pf_filter` files (and, through
their names, in the index's meta file and entry). `canonical_filters` sorts the values and
renames the files after their new content; the meta file's list of filters (and of sorts),
in the same HashMap order, is sorted too. The bundle is then a function of the pages.

The index is rebuilt only when the web editions changed (a digest of their names and hashes and
of Pagefind's version is kept in the bundle), into a temporary folder swapped in when complete.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path

from . import cbor
from .distributions import installed_version
from .errors import OutputError
from .files import PART_MARK, PART_SUFFIX

INDEX_NAME = "pagefind"
INPUTS_NAME = ".inputs.sha256"  # what the bundle was made from, to skip an unchanged index
SIGNATURE = b"pagefind_dcd"
LANGUAGE = "en"  # the single index's stemming; every text is in it whatever its language
BUNDLE_VERSION = 1  # of what this module makes of Pagefind's output: a change rebuilds every index


def executable() -> Path:
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


def version() -> str:
    return installed_version("pagefind_bin")


def inputs_digest(pages: Iterable[tuple[str, str]]) -> str:
    """The web editions' (file, sha256) and the indexer's version, in one hash."""
    digest = hashlib.sha256(f"pagefind {version()} {LANGUAGE} {BUNDLE_VERSION}\n".encode())
    for file, sha256 in sorted(pages):
        digest.update(f"{sha256}  {file}\n".encode())
    return digest.hexdigest()


def update_index(out_dir: Path, pages: list[tuple[str, str]]) -> bool:
    """Bring `out_dir/pagefind/` up to date with the web editions `pages` (file, sha256); False
    when it already was. No page: no index (an old one is removed)."""
    bundle = out_dir / INDEX_NAME
    if not pages:
        if (bundle / INPUTS_NAME).is_file():
            shutil.rmtree(bundle)
            return True
        return False
    wanted = inputs_digest(pages)
    try:
        if (bundle / INPUTS_NAME).read_text(encoding="ascii").strip() == wanted:
            return False
    except OSError:
        pass
    if bundle.exists() and not (bundle / INPUTS_NAME).is_file():
        raise OutputError(f"{bundle} is not the search index this tool writes: move it away to get the search")
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{INDEX_NAME}{PART_MARK}", suffix=PART_SUFFIX))
    try:
        run_pagefind(out_dir, staging)
        canonical_filters(staging)
        (staging / INPUTS_NAME).write_text(wanted + "\n", encoding="ascii")
        _swap(staging, bundle)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def run_pagefind(site: Path, output: Path) -> None:
    command = [
        str(executable()),
        "--site",
        str(site),
        "--glob",
        "*.html",  # the web editions sit at the top of the folder; nothing below it is ours
        "--output-path",
        str(output),
        "--force-language",
        LANGUAGE,
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env={"PATH": os.defpath}, check=False)
    if result.returncode != 0:
        raise OutputError(f"Pagefind could not index {site}: {(result.stderr or result.stdout).strip()[-500:]}")


def canonical_filters(bundle: Path) -> None:
    """Sort every filter's values, name each filter file after its content, and point the meta
    file and the entry at the new names (see the module's docstring)."""
    renamed: dict[str, str] = {}
    for path in sorted((bundle / "filter").glob("*.pf_filter")):
        name, values = cbor.decode(_unpacked(path.read_bytes()))
        data = _packed(cbor.encode([name, sorted(values, key=lambda pair: pair[0])]))
        language, _, old = path.stem.partition("_")
        new = f"{language}_{hashlib.sha256(data).hexdigest()[: len(old)]}"
        path.unlink()
        (bundle / "filter" / f"{new}.pf_filter").write_bytes(data)
        renamed[path.stem] = new
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = bundle / f"pagefind.{language['hash']}.pf_meta"
        meta = cbor.decode(_unpacked(old_meta.read_bytes()))
        # [version, pages, word chunks, filters [name, file], sorts [name, pages], metadata names]
        meta[3] = sorted([name, renamed.get(file, file)] for name, file in meta[3])
        meta[4] = sorted(meta[4], key=lambda pair: pair[0])
        data = _packed(cbor.encode(meta))
        prefix, _, old_hash = language["hash"].partition("_")
        language["hash"] = f"{prefix}_{hashlib.sha256(data).hexdigest()[: len(old_hash)]}"
        old_meta.unlink()
        (bundle / f"pagefind.{language['hash']}.pf_meta").write_bytes(data)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def _unpacked(data: bytes) -> bytes:
    plain = gzip.decompress(data)
    if not plain.startswith(SIGNATURE):
        raise OutputError("Pagefind wrote a file this tool does not know how to read")
    return plain[len(SIGNATURE) :]


def _packed(data: bytes) -> bytes:
    return gzip.compress(SIGNATURE + data, compresslevel=9, mtime=0)


def _swap(staging: Path, bundle: Path) -> None:
    """The new bundle in place of the old; the old one is deleted once out of the way."""
    retired = None
    if bundle.exists():
        retired = Path(tempfile.mkdtemp(dir=bundle.parent, prefix=f".{INDEX_NAME}-old{PART_MARK}", suffix=PART_SUFFIX))
        os.replace(bundle, retired / INDEX_NAME)
    os.replace(staging, bundle)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
