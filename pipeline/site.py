"""The files that make an output folder a website, written at the end of every recorded build
from the build state alone: the catalogue (`index.html`), `SHA256SUMS`, the search page
(`search.html`) and its index (`pagefind/`, pipeline/search.py), an Atom feed per language
(`feed.<language>.xml`) and, when `publication_url` is set, `sitemap.xml` (pipeline/feeds.py).

Each is rewritten only when its bytes change, and the index only when the web editions did, so
a no-op build touches nothing. A file of one of these names that is not ours is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .catalogue import (
    CHECKSUMS_NAME,
    SEARCH_NAME,
    TYPE_ORDER,
    feed_name,
    language_key,
    render_catalogue,
    render_checksums,
    type_label,
)
from .config import Config
from .errors import OutputError
from .feeds import SITEMAP_NAME, SITEMAP_START, render_feed, render_sitemap
from .files import write_atomically
from .languages import name_in
from .search import INDEX_NAME, Page, bundle_name, update_index
from .templating import environment

CATALOGUE_NAME = "index.html"
# How our pages are recognised: a page without the mark is the user's, never replaced.
CATALOGUE_MARK = b"<title>Adopted texts: catalogue</title>"
SEARCH_MARK = b"<title>Adopted texts: search</title>"
RESERVED_PAGES = (CATALOGUE_NAME, SEARCH_NAME)  # a source may not be named so: its edition would be ours
FEED = re.compile(r"feed\.[a-z0-9-]+\.xml")
STATUS_NAMES = {"final": "Final version", "provisional": "Provisional version"}
Notify = Callable[[str], None]


def is_site_file(name: str) -> bool:
    """Whether `name`, at the top of an output folder, is one of the files this module writes."""
    return name in {CATALOGUE_NAME, SEARCH_NAME, CHECKSUMS_NAME, SITEMAP_NAME, INDEX_NAME} or bool(FEED.fullmatch(name))


def write_site(
    out_dir: Path,
    entries: list[dict[str, Any]],
    config: Config,
    notice: Notify,
    volumes: list[dict[str, Any]] | None = None,
) -> None:
    """`entries` as BuildState.present gives them, `volumes` as BuildState.volumes_present."""
    pages = [
        Page(e["editions"]["html"]["file"], e["editions"]["html"]["sha256"], str(e["record"]["language"]))
        for e in entries
        if "html" in e["editions"]
    ]
    languages = sorted({str(e["record"]["language"]) for e in entries if "html" in e["editions"]}, key=_key)
    try:
        if _ours(out_dir / CATALOGUE_NAME, CATALOGUE_MARK, "catalogue", notice):
            page = render_catalogue(entries, volumes=volumes, search=bool(pages), feeds=tuple(languages))
            write_if_changed(out_dir / CATALOGUE_NAME, page)
        write_if_changed(out_dir / CHECKSUMS_NAME, render_checksums(entries, volumes))
        search_page = out_dir / SEARCH_NAME
        if _ours(search_page, SEARCH_MARK, "search page", notice):
            if pages:
                write_if_changed(search_page, render_search_page(entries))
            else:
                search_page.unlink(missing_ok=True)
        update_index(out_dir, pages)
        for language in languages:
            write_if_changed(out_dir / feed_name(language), render_feed(entries, language, config))
        sitemap = render_sitemap(entries, config)
        if sitemap is not None:
            write_if_changed(out_dir / SITEMAP_NAME, sitemap)
        elif _is_our_sitemap(out_dir / SITEMAP_NAME):  # publication_url was unset: its addresses are gone
            (out_dir / SITEMAP_NAME).unlink()
    except OSError as exc:
        raise OutputError(f"cannot write the site's files in {out_dir}: {exc.strerror or exc}") from None


def render_search_page(entries: list[dict[str, Any]]) -> bytes:
    """The search page; it searches each language's bundle of the index (pipeline/search.py) with
    that language's stemming, the one the reader chooses or all of them."""
    records = [e["record"] for e in entries if "html" in e["editions"]]
    languages = sorted({(str(r["language"]), name_in(str(r["language"]), "en")) for r in records}, key=language_key)
    statuses = sorted({str(r["status"]) for r in records})
    labels = {
        "languages": dict(languages),
        "bundles": {code: f"{INDEX_NAME}/{bundle_name(code)}/" for code, _ in languages},
        "statuses": STATUS_NAMES,
        "paragraph": "Paragraph",
        "appendix_paragraph": "Appendix, paragraph",
        "note": "Note",
        "more": "and {count} more places",
        "more_one": "and 1 more place",
        "one": "1 page found",
        "many": "{count} pages found",
        "first": "(the first {count} shown)",
    }
    page = (
        environment("en")
        .get_template("catalogue/search.html.j2")
        .render(
            catalogue=CATALOGUE_NAME,
            types=[(v, type_label(v)) for v in TYPE_ORDER if any(r["type"] == v for r in records)],
            years=sorted({int(r["year"]) for r in records}, reverse=True),
            languages=languages,
            statuses=[(value, STATUS_NAMES.get(value, value)) for value in statuses],
            labels=labels,
        )
    )
    return page.encode("utf-8")


def _key(language: str) -> tuple[int, str]:
    return language_key((language,))


def _is_our_sitemap(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(200).startswith(SITEMAP_START)
    except OSError:
        return False


def _ours(path: Path, mark: bytes, what: str, notice: Notify) -> bool:
    try:
        with path.open("rb") as stream:
            ours = mark in stream.read(4096)
    except FileNotFoundError:
        ours = True
    except OSError:
        ours = False
    if not ours or path.is_symlink():
        notice(f"{path} is not the {what} this tool writes: left as it is (move it away to get the {what})")
        return False
    return True


def write_if_changed(path: Path, data: bytes) -> bool:
    """Leave an identical file alone: a no-op build touches nothing."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(path, data)
    return True
