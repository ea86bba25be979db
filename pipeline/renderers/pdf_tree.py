"""The print HTML as the element tree WeasyPrint builds from it, parsed by libxml2.

WeasyPrint parses a page with tinyhtml5, in pure Python: 34 ms of a 600 ms PDF of three pages.
The print template writes a small vocabulary of HTML, which libxml2 (lxml) reads to the same
tree in a millisecond: `element_tree` gives that tree as tinyhtml5 gives it (ElementTree
elements, no namespace, the same text and tails), or None for anything outside the vocabulary,
and WeasyPrint then parses the page itself. tests/test_pdf_tree.py compares both trees on
generated texts, the corpus and the real texts.
"""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree

import lxml.etree
import lxml.html

# What tinyhtml5 reads otherwise than libxml2, as written: a reference other than those
# markupsafe writes, a carriage return or NUL (the HTML5 parser rewrites both), other controls,
# a comment, processing instruction or CDATA section, a <template>, <table> (tinyhtml5 adds a
# <tbody> where there is none), <pre> or <textarea> (a first newline is dropped), <noscript>.
_UNREAD = re.compile(
    r"&(?!(?:amp|lt|gt|quot|#34|#39);)|[\x00-\x08\x0b-\x1f\x7f-\x9f]|<!--|<\?|<!\[|<(?:template|pre|textarea|noscript)\b",
    re.IGNORECASE,
)
_TABLE = re.compile(r"<table\b[^>]*>\s*(<[a-z]+)", re.IGNORECASE)
_DOCTYPE = "<!DOCTYPE html>\n"
_END = re.compile(r"</body>[ \t\n\f]*</html>([ \t\n\f]*)\Z")
_BLANK = " \t\n\f"  # the HTML5 parser's whitespace (a carriage return was refused above)
LONGEST = 5_000_000  # characters: far below libxml2's limit on a text node (10,000,000)


def element_tree(html: str) -> ElementTree.Element | None:
    """The root of `html` as tinyhtml5 parses it for WeasyPrint, or None to leave it to WeasyPrint."""
    if not html.startswith(_DOCTYPE) or len(html) > LONGEST or _UNREAD.search(html, len(_DOCTYPE)):
        return None
    end = _END.search(html)
    if end is None:
        return None
    after_html = end[1]  # libxml2 drops it
    if any(found[1].lower() not in ("<thead", "<tbody") for found in _TABLE.finditer(html)):
        return None
    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=False)
    try:
        root = lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.ParserError, ValueError):
        return None
    if len(parser.error_log):  # repaired, cut or doubtful: tinyhtml5 may repair it otherwise
        return None
    if [child.tag for child in root] != ["head", "body"] or (root.text and root.text.strip(_BLANK)):
        return None
    head, body = root
    if head.tail and head.tail.strip(_BLANK):
        return None
    converted = _converted(root)
    # The HTML5 tree builder's whitespace: none before <head>; what follows </head> stays with
    # <html>; what follows </body> and </html> goes into the body, after its last node.
    converted.text = None
    converted[0].tail = head.tail
    trailing = (body.tail or "") + after_html
    if trailing:
        body_element = converted[1]
        if len(body_element):
            body_element[-1].tail = (body_element[-1].tail or "") + trailing
        else:
            body_element.text = (body_element.text or "") + trailing
    converted[1].tail = None
    return converted


def _converted(element: Any) -> ElementTree.Element:
    copy = ElementTree.Element(element.tag, dict(element.attrib))
    copy.text = element.text
    copy.tail = element.tail
    copy.extend(_converted(child) for child in element)
    return copy


def parsed_page(weasyprint: Any, root: ElementTree.Element, base_url: str, url_fetcher: Any) -> Any:
    """A weasyprint.HTML of an element tree, as HTML.__init__ (WeasyPrint 70) makes one of the
    tree tinyhtml5 parsed: the same five attributes (tests/test_pdf_tree.py checks the list)."""
    import cssselect2  # WeasyPrint's own dependency, imported with it

    page = weasyprint.HTML.__new__(weasyprint.HTML)
    page.base_url = weasyprint._find_base_url(root, base_url)
    page.url_fetcher = url_fetcher
    page.media_type = "print"
    page.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
    page.etree_element = page.wrapper_element.etree_element
    return page
