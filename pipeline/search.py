"""The site's full-text search: a Pagefind index of the web editions per language, and the page
that queries them.

Pagefind (the `pagefind[bin]` wheel: its binary, no network) reads every web edition that marks
its text `data-pagefind-body` (templates/web/search-*.html.j2: the text's words and keywords;
citation and language as metadata; type, year, language and status as filters) and writes a
static bundle that the search page loads in the browser. Each language has its own bundle,
`pagefind/<language>/`, made from that language's pages alone with that language's stemmer:
"recommandations" finds "recommandation" in French, "payer" does not find "pays" as it would
through an English stemmer. One bundle per language rather than Pagefind's one bundle of several
language indexes: a page loads the index of its own `<html lang>` only, and indexes merged into
one instance are searched with the first one's stemmer; the search page (English, like the
catalogue) loads each bundle as its own instance and searches one language, or all of them with
the results merged by score (templates/catalogue/search.js).

Pagefind 1.5.2 writes each filter's values in the order of a Rust HashMap, whose seed is random
per process, so two runs over the same pages differ in a few `.pf_filter` files (and, through
their names, in the index's meta file and entry). `canonical_filters` sorts the values and
renames the files after their new content; the meta file's list of filters (and of sorts),
in the same HashMap order, is sorted too. Each bundle is then a function of its pages.

The index is rebuilt only when the web editions changed (a digest of their names, hashes and
languages and of Pagefind's version is kept in `pagefind/`), into a temporary folder swapped in
when complete.
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
from typing import NamedTuple

from . import cbor
from .distributions import installed_version
from .errors import OutputError
from .files import PART_MARK, PART_SUFFIX

INDEX_NAME = "pagefind"
INPUTS_NAME = ".inputs.sha256"  # what the bundles were made from, to skip an unchanged index
SIGNATURE = b"pagefind_dcd"
BUNDLE_VERSION = 2  # of what this module makes of Pagefind's output: a change rebuilds every index


class Page(NamedTuple):
    """A web edition to index: its file at the top of the output folder, its hash, its language."""

    file: str
    sha256: str
    language: str


def executable() -> Path:
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


def version() -> str:
    return installed_version("pagefind_bin")


def bundle_name(language: str) -> str:
    """The folder of a language's bundle in `pagefind/`: its tag as file names write it ("en-gb")."""
    return language.lower()


def by_language(pages: Iterable[Page]) -> dict[str, list[Page]]:
    """The pages of each bundle, bundles and pages in name order."""
    found: dict[str, list[Page]] = {}
    for page in sorted(pages):
        found.setdefault(bundle_name(page.language), []).append(page)
    return dict(sorted(found.items()))


def inputs_digest(pages: Iterable[Page]) -> str:
    """The web editions' (file, sha256, bundle) and the indexer's version, in one hash."""
    digest = hashlib.sha256(f"pagefind {version()} {BUNDLE_VERSION}\n".encode())
    for bundle, members in by_language(pages).items():
        for page in members:
            digest.update(f"{page.sha256}  {bundle}  {page.file}\n".encode())
    return digest.hexdigest()


def update_index(out_dir: Path, pages: list[Page]) -> bool:
    """Bring `out_dir/pagefind/` up to date with the web editions `pages`: a bundle per language;
    False when it already was. No page: no index (an old one is removed)."""
    index = out_dir / INDEX_NAME
    if not pages:
        if (index / INPUTS_NAME).is_file():
            shutil.rmtree(index)
            return True
        return False
    wanted = inputs_digest(pages)
    try:
        if (index / INPUTS_NAME).read_text(encoding="ascii").strip() == wanted:
            return False
    except OSError:
        pass
    if index.exists() and not (index / INPUTS_NAME).is_file():
        raise OutputError(f"{index} is not the search index this tool writes: move it away to get the search")
    staging = Path(tempfile.mkdtemp(dir=out_dir, prefix=f".{INDEX_NAME}{PART_MARK}", suffix=PART_SUFFIX))
    try:
        for bundle, members in by_language(pages).items():
            site = staging / f".{bundle}.pages"  # that language's pages alone, as Pagefind's site
            site.mkdir()
            for page in members:
                _linked(out_dir / page.file, site / page.file)
            run_pagefind(site, staging / bundle, members[0].language)
            shutil.rmtree(site)
            canonical_filters(staging / bundle)
        (staging / INPUTS_NAME).write_text(wanted + "\n", encoding="ascii")
        _swap(staging, index)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return True


def _linked(page: Path, into: Path) -> None:
    """`page` at `into` too: a hard link (the same folder's file system), else a copy."""
    try:
        os.link(page, into)
    except OSError:
        shutil.copyfile(page, into)


def run_pagefind(site: Path, output: Path, language: str) -> None:
    """Index the pages of `site` (all in `language`) into the bundle `output`, stemmed in `language`:
    its one index then serves a search page of any `lang` (Pagefind falls back on the largest)."""
    command = [
        str(executable()),
        "--site",
        str(site),
        "--glob",
        "*.html",
        "--output-path",
        str(output),
        "--force-language",
        language,
        "--silent",
    ]
    result = subprocess.run(command, capture_output=True, text=True, env={"PATH": os.defpath}, check=False)
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip()[-500:]
        raise OutputError(f"Pagefind could not index the {language} pages of {site.parent.parent}: {said}")


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


def _swap(staging: Path, index: Path) -> None:
    """The new index in place of the old; the old one is deleted once out of the way."""
    retired = None
    if index.exists():
        retired = Path(tempfile.mkdtemp(dir=index.parent, prefix=f".{INDEX_NAME}-old{PART_MARK}", suffix=PART_SUFFIX))
        os.replace(index, retired / INDEX_NAME)
    os.replace(staging, index)
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)
