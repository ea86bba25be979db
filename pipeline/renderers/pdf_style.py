"""The print page's stylesheet parsed once per process, not once per text.

WeasyPrint parses a page's <style> on every render: 6 ms for the print edition's, with its
@font-face rules, and its cascade then costs more than a parsed sheet's (about a tenth of a
text's PDF in all, measured). Yet the head's styles differ only by language and status. So the
renderer lifts them out of the page and hands WeasyPrint the stylesheet parsed once and kept by
its text: the same PDF, byte for byte (tests/test_pdf_style.py).

A stylesheet given to WeasyPrint has the user origin, not the author's. With no author styles
left in the page (presentational hints are off, and a style attribute outranks both), the
cascade is the same; a refit's stylesheet (pdf_fit.py), given after it, now wins by its id
selectors, as its rules mean to, where the page's own <style> used to outrank it.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

# The HTML tokenizer ends a style's raw text at the first "</style" followed by a space, "/" or ">".
_STYLE = re.compile(r"<style>(.*?)</style(?=[\t\n\f\r />])[^>]*>", re.S | re.I)
_HEAD_END = "</head>"
KEPT = 64  # stylesheets kept per renderer: a corpus has a handful (languages × statuses)


def lift_styles(html: str) -> tuple[str, str]:
    """The page without the <style> elements of its head, and their text in order ("" if none).

    Only the templates' head is searched: a text's own words are escaped there, so no "<style>"
    or "</head>" of a source can be mistaken for the template's."""
    end = html.find(_HEAD_END)
    if end < 0:
        return html, ""
    head = html[:end]
    styles = _STYLE.findall(head)
    if not styles:
        return html, ""
    return _STYLE.sub("", head) + html[end:], "\n".join(styles)


class Stylesheets:
    """Parsed stylesheets kept by their text, for one renderer's fonts, counter styles and
    colour profiles (WeasyPrint registers a sheet's @font-face, @counter-style and
    @color-profile rules there while parsing, so its renders must use the same ones)."""

    def __init__(self, weasyprint: Any, base_url: str, fetcher: Any, font_config: Any) -> None:
        self.weasyprint = weasyprint
        self.base_url = base_url
        self.fetcher = fetcher
        self.font_config = font_config
        self.counter_style = weasyprint.css.counters.CounterStyle()
        self.color_profiles: dict[str, Any] = {}
        self.kept: dict[str, Any] = {}

    def __call__(self, css: str) -> Any:
        sheet = self.kept.get(css)
        if sheet is not None:
            return sheet
        with _Warnings() as warnings:
            sheet = self.weasyprint.CSS(
                string=css,
                base_url=self.base_url,
                url_fetcher=self.fetcher,
                font_config=self.font_config,
                counter_style=self.counter_style,
                color_profiles=self.color_profiles,
            )
        # A sheet that logged a warning is parsed again for every text, so that every render
        # sees the warning and fails as it would have alone (pdf.py fails on any warning).
        if not warnings:
            if len(self.kept) >= KEPT:
                del self.kept[next(iter(self.kept))]
            self.kept[css] = sheet
        return sheet

    def render_options(self) -> dict[str, Any]:
        """What a render of a page styled by these sheets is given."""
        return {
            "font_config": self.font_config,
            "counter_style": self.counter_style,
            "color_profiles": self.color_profiles,
        }


class _Warnings(logging.Handler):
    """Counts WeasyPrint's warnings of this thread while it is entered (the records still reach
    every other handler)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.count += 1

    def __enter__(self) -> _Warnings:
        logging.getLogger("weasyprint").addHandler(self)
        return self

    def __exit__(self, *exc_info: object) -> None:
        logging.getLogger("weasyprint").removeHandler(self)

    def __bool__(self) -> bool:
        return self.count > 0
