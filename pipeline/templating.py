"""The Jinja environment shared by every format: autoescape, strict undefined, filters."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import platform
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jinja2
from babel.dates import format_date
from babel.lists import format_list
from babel.units import format_unit
from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .babel_data import prime
from .errors import PipelineError
from .i18n import translations, type_name
from .languages import base_language as _base
from .model import (
    Emphasis,
    LineBreak,
    Link,
    Metadata,
    NoteCall,
    Paragraph,
    Quote,
    Reference,
    Strong,
    Table,
    Text,
)
from .scripts import DEFAULT_SCRIPT_LANGUAGES
from .typeset import superscript_ordinals, typeset
from .typography import semicolon, title_colon
from .usercache import cache_folder


def _templates_folder() -> Path:
    """`templates/` of the checkout, or its copy inside the installed package (a wheel)."""
    package = Path(__file__).resolve().parent
    for folder in (package / "templates", package.parent / "templates"):
        if (folder / "base").is_dir():
            return folder
    raise ImportError(f"no templates beside {package}: reinstall the package (pip install .)")


TEMPLATES = _templates_folder()
WHITESPACE = re.compile(r"[ \t\n\r\f\v]+")  # not \s: no-break spaces must survive


def long_date(date: dt.date, language: str) -> str:
    """ "24 June 2003", "1er octobre 2003": the date style of the official texts, on one line
    (no-break spaces, as typography.no_break_spaces sets them in the source's own dates)."""
    return nobreak(format_date(date, f"'{_day(date, language)}' MMMM y", locale=_locale(language)))


def _day(date: dt.date, language: str) -> str:
    """The day of the month; French writes the first as "1er"."""
    return "1er" if date.day == 1 and _base(language) == "fr" else str(date.day)


def day_list(dates: Sequence[dt.date], language: str) -> str:
    """ "22 and 23 June 2004" when the days share month and year, else full dates joined."""
    if len({(d.year, d.month) for d in dates}) == 1 and len(dates) > 1:
        days = [_day(d, language) for d in dates[:-1]] + [long_date(dates[-1], language)]
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


def collapse(markup: str) -> Markup:
    """Collapse runs of whitespace in already-rendered markup to single spaces."""
    return Markup(WHITESPACE.sub(" ", str(markup)).strip())


def nobreak(text: str) -> str:
    """ "Recommendation 1253 (1994)" kept on one line: its spaces become no-break spaces."""
    return text.replace(" ", "\u00a0")


def file_size(size: int, language: str) -> str:
    """ "245 kB", "245 ko", "1.2 MB": in decimal units, in the language's words, on one line."""
    value: float
    if size < 1_000_000:
        value, unit, pattern = max(1, round(size / 1000)), "digital-kilobyte", "#,##0"
    else:
        value, unit, pattern = round(size / 1_000_000, 1), "digital-megabyte", "#,##0.0"
    written = format_unit(value, unit, length="short", format=pattern, locale=_locale(language))
    return nobreak(written)


def css_counters(label: str) -> str:
    """ "Page {page} of {pages}" -> a CSS content value with page counters, for @page boxes."""
    parts = re.split(r"\{(page|pages)\}", label)
    values = [f"counter({part})" if index % 2 else css_string(part) for index, part in enumerate(parts) if part]
    return " ".join(values)


def css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


# What templates dispatch on, per model class. A class missing here (a new node type) fails the
# render: a template that printed nothing for it would lose the source's words in every edition.
NODE_KINDS: dict[type, str] = {
    Text: "text",
    Emphasis: "emphasis",
    Strong: "strong",
    Link: "link",
    Reference: "reference",
    NoteCall: "notecall",
    LineBreak: "linebreak",
    Paragraph: "paragraph",
    Quote: "quote",
    Table: "table",
}


class UnknownNode(PipelineError):
    """A template met a model node it has no macro for."""


def node_kind(node: object) -> str:
    """The kind of a model node, which templates dispatch on."""
    kind = NODE_KINDS.get(type(node))
    if kind is None:
        raise UnknownNode(f"no template macro for the model node {type(node).__name__}: {node!r}")
    return kind


def unknown_node(node: object, where: str) -> str:
    """Called by a macro's last branch: a kind it does not handle must not print nothing."""
    raise UnknownNode(f"the macro {where!r} has no branch for {node_kind(node)!r} nodes: {node!r}")


def _locale(language: str) -> str:
    name = language.replace("-", "_")
    prime(name)
    return name


def _autoescape(name: str | None) -> bool:
    """Escape for every markup template; CSS templates hold no source text and must stay raw."""
    return name is None or not name.endswith(".css.j2")


def citation(metadata: Metadata) -> str:
    """ "Recommendation 1607 (2003)" in the text's language, from the one macro every edition uses."""
    macros: Any = environment(metadata.language).get_template("base/macros.html.j2").module
    return str(macros.citation(metadata))


def full_title(metadata: Metadata) -> str:
    """ "Recommendation 1607 (2003): Title", "Recommandation 1607 (2003) : Titre" (a no-break
    space before the French colon), as the templates' `full_title` macro writes it."""
    return f"{citation(metadata)}{title_colon(metadata.language)} {metadata.title}"


COMPILE_OPTIONS: dict[str, Any] = {
    "extensions": ["jinja2.ext.i18n"],
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


@functools.cache
def environment(language: str = "en", templates: Path = TEMPLATES) -> Environment:
    """The Jinja environment for editions in `language`: one per language, made once."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        auto_reload=False,  # one run, one set of templates: what the manifest fingerprinted
        bytecode_cache=bytecode_cache(),
        **COMPILE_OPTIONS,
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        long_date=long_date,
        day_list=day_list,
        ordinal=ordinal,
        joined=joined,
        collapse=collapse,
        css_counters=css_counters,
        css_string=css_string,
        nobreak=nobreak,
        file_size=file_size,
    )
    env.filters["superscript_ordinals"] = functools.partial(superscript_ordinals, language=language)
    env.globals.update(
        kind=node_kind,
        unknown_node=unknown_node,
        text_type_name=functools.partial(type_name, language=language),
        typeset=_typesetter(language),
        title_colon=title_colon(language),
        semicolon=semicolon(language),
    )
    return env


def _typesetter(language: str) -> Callable[[Any, str], Markup]:
    """The templates' `typeset(text)` for the text nodes of a text in `language`, as the edition
    rendering it asks (typeset.py): its protected words (print; `protect=False` for a title,
    which the print edition hyphenates as it did), its tag form (DOCX: regional), the
    configured language of each script."""

    @jinja2.pass_context
    def typeset_text(context: Any, text: str, protect: bool = True) -> Markup:
        edition = context.get("edition")
        config = getattr(edition, "config", None)
        return typeset(
            text,
            language,
            protected=context.get("protected_words") if protect else None,
            regional=getattr(edition, "regional_tags", False),
            script_languages=config.scripts if config else DEFAULT_SCRIPT_LANGUAGES,
        )

    return typeset_text


@functools.cache
def bytecode_cache() -> BytecodeCache | None:
    """Compiled templates kept between runs: a one-text build need not compile them again.

    Jinja reuses a template's code only while the template's source has the checksum it was
    compiled from, so an edited template is always compiled afresh; the folder is named after
    Jinja's and Python's versions and this module (the compile options, the gettext style),
    which the checksum does not cover.
    The cache lives in the user's cache folder (PIPELINE_CACHE_DIR, else $XDG_CACHE_HOME or
    ~/.cache), and only in a folder that no one else can write: its contents are run as code.
    """
    compiler = hashlib.sha256(f"{jinja2.__version__} {platform.python_version()}".encode())
    compiler.update(Path(__file__).read_bytes())  # the options and the gettext style the templates compile with
    folder = cache_folder(f"templates-{compiler.hexdigest()[:16]}")
    if folder is None:
        return None
    return FileSystemBytecodeCache(str(folder))
