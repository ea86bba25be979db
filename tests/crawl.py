"""Every link of a built folder of web pages, followed: the file it names must be there, and the
fragment an id of that page (`#p-3` of a text's page, `#fn-2` of a note)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

LINKING_ATTRIBUTES = ("href", "src")


class Page(HTMLParser):
    """A page's ids (what a fragment may name) and the links it has."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        # An RDFa statement (`<link about=… property=… href=…>`) names a resource by its identifier
        # (the Akoma Ntoso FRBR URIs, resolved by an AKN resolver): it is not a link a reader follows.
        if tag == "link" and "property" in attributes:
            return
        self.links.extend(str(attributes[name]) for name in LINKING_ATTRIBUTES if attributes.get(name) is not None)


def pages(folder: Path) -> dict[str, Page]:
    found = {}
    for path in sorted(folder.glob("*.html")):
        page = Page()
        page.feed(path.read_text(encoding="utf-8"))
        found[path.name] = page
    return found


@dataclass
class Crawl:
    followed: int = 0  # links within the folder
    external: list[str] = field(default_factory=list)  # absolute URLs, not followed
    dead: list[tuple[str, str]] = field(default_factory=list)  # (page, link)


def crawl(folder: Path) -> Crawl:
    """Follow every link of every page in `folder` that stays in it."""
    found = pages(folder)
    result = Crawl()
    for name, page in found.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                result.external.append(link)
                continue
            result.followed += 1
            target = unquote(parts.path) or name
            if (
                "/" in target
                or not (folder / target).is_file()
                or (parts.fragment and target in found and parts.fragment not in found[target].ids)
            ):
                result.dead.append((name, link))
    return result
