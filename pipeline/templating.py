"""The Jinja environment shared by every format: autoescape, strict undefined, filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from babel.dates import format_date
from babel.lists import format_list
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def long_date(date: dt.date, language: str) -> str:
    """ "24 June 2003": the date style of the official texts."""
    return format_date(date, "d MMMM y", locale=_locale(language))


def day_list(dates: Sequence[dt.date], language: str) -> str:
    """ "22 and 23 June 2004" when the days share month and year, else full dates joined."""
    if len({(d.year, d.month) for d in dates}) == 1 and len(dates) > 1:
        days = [str(d.day) for d in dates[:-1]] + [long_date(dates[-1], language)]
        return format_list(days, locale=_locale(language))
    return format_list([long_date(d, language) for d in dates], locale=_locale(language))


def ordinal(number: int, language: str) -> str:
    """English "19th", French "19e" / "1re"."""
    if language.startswith("fr"):
        return f"{number}{'re' if number == 1 else 'e'}"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def joined(items: Sequence[str], language: str) -> str:
    return format_list(list(items), locale=_locale(language))


def node_kind(node: object) -> str:
    """The model class of a node, lower-case: templates dispatch on it."""
    return type(node).__name__.lower()


def _locale(language: str) -> str:
    return language.replace("-", "_")


def environment(templates: Path = TEMPLATES) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=select_autoescape(["html", "xhtml", "xml", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(long_date=long_date, day_list=day_list, ordinal=ordinal, joined=joined)
    env.globals.update(kind=node_kind)
    return env
