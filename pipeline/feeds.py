"""The site's machine-readable lists, from the build state alone: an Atom feed (RFC 4287) per
language of the latest adopted texts, and a sitemap (sitemaps.org 0.9) of the web pages.

Every date comes from the texts' adoption dates, never the clock, so the same folder gives the
same bytes. A sitemap must give absolute URLs: it is written only when `publication_url` is set.
A feed's links are relative to the feed (RFC 4287 allows IRI references, resolved against the
feed's own address) unless `publication_url` makes them absolute; its ids are the texts'
configured identifiers (tag URIs by default), which do not depend on where the site lives.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote

from .catalogue import feed_name, format_rank, type_label
from .config import Config
from .i18n import N_, translations
from .languages import autonym
from .renderers import REGISTRY
from .templating import long_date
from .typography import title_colon

ATOM = "http://www.w3.org/2005/Atom"
SITEMAPS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SITEMAP_NAME = "sitemap.xml"
FEED_LENGTH = 50  # entries: the latest adopted texts, as feed readers expect, not the whole corpus
AUTHOR = "Adopted texts service"
FEED_TITLE = N_("Adopted texts")  # then the language's own name: "Textes adoptés (Français)"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
SITEMAP_START = XML_DECLARATION + f'<urlset xmlns="{SITEMAPS}">'.encode()  # how our sitemap is recognised


def render_feed(entries: list[dict[str, Any]], language: str, config: Config) -> bytes:
    """The feed of the web editions in `language`, latest adoption first (then by citation)."""
    texts = sorted(
        (e for e in entries if e["record"]["language"] == language and "html" in e["editions"]),
        key=lambda e: (str(e["record"]["date"]), e["stem"]),
        reverse=True,
    )[:FEED_LENGTH]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": language})
    _text(feed, "id", config.identifier.format(slug="feed", language=language))
    _text(feed, "title", f"{translations(language).gettext(FEED_TITLE)} ({autonym(language)})")
    _text(feed, "updated", _instant(max((str(e["record"]["date"]) for e in texts), default="1970-01-01")))
    ET.SubElement(
        feed, "link", {"rel": "self", "type": "application/atom+xml", "href": _url(feed_name(language), config)}
    )
    ET.SubElement(feed, "link", {"rel": "alternate", "type": "text/html", "href": _url("index.html", config)})
    _text(ET.SubElement(feed, "author"), "name", AUTHOR)
    for entry in texts:
        record = entry["record"]
        item = ET.SubElement(feed, "entry")
        _text(item, "id", config.identifier.format(slug=record["slug"], language=record["language"]))
        _text(item, "title", f"{record['citation']}{title_colon(language)} {record['title']}")
        _text(item, "published", _instant(str(record["date"])))
        _text(item, "updated", _instant(str(record["date"])))
        for name, edition in _editions(entry):
            attributes = {"rel": "alternate", "type": _media_type(name), "hreflang": language}
            ET.SubElement(
                item, "link", {**attributes, "href": _url(edition["file"], config), "length": str(edition["size"])}
            )
        kind = str(record["type"])
        ET.SubElement(item, "category", {"term": kind, "label": type_label(kind, language)})
        adopted = long_date(dt.date.fromisoformat(str(record["date"])), language)  # as the texts write it
        _text(item, "summary", f"{record['citation']}, {adopted}. {record['title']}")
    return _document(feed)


def render_sitemap(entries: list[dict[str, Any]], config: Config) -> bytes | None:
    """Every web edition, the catalogue and the search page, at their published addresses; None
    without `publication_url` (a sitemap's locations must be absolute)."""
    if not config.publication_url:
        return None
    pages = sorted(
        (e["editions"]["html"]["file"], str(e["record"]["date"])) for e in entries if "html" in e["editions"]
    )
    latest = max((date for _, date in pages), default="")
    urlset = ET.Element("urlset", {"xmlns": SITEMAPS})
    for file, date in [("", latest), *([("search.html", latest)] if pages else []), *pages]:
        url = ET.SubElement(urlset, "url")
        _text(url, "loc", _url(file, config))
        if date:
            _text(url, "lastmod", date)
    return _document(urlset)


def _editions(entry: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """The web edition first (the entry's main link), then the others in the registry's order."""
    return sorted(entry["editions"].items(), key=lambda item: (item[0] != "html", format_rank(item[0])))


def _media_type(name: str) -> str:
    return REGISTRY[name].media_type if name in REGISTRY else "application/octet-stream"


def _url(file: str, config: Config) -> str:
    base = config.publication_url
    if not base:
        return quote(file)
    return (base if base.endswith("/") else base + "/") + quote(file)


def _instant(date: str) -> str:
    return f"{date}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, tag)
    element.text = text
    return element


def _document(root: ET.Element) -> bytes:
    ET.indent(root)
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + body + b"\n"
