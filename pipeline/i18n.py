"""Message catalogues: one gettext catalogue per language, read from its .po file."""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALES = Path(__file__).resolve().parent / "locale"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (pipeline/locale/<lang>/LC_MESSAGES/messages.po).

    English is the language of the templates themselves. The .po file is compiled in memory,
    so that no binary .mo file needs to be kept in step with it.
    """
    po_file = catalogue_file(language)
    if not po_file.is_file():
        return gettext.NullTranslations()
    with po_file.open("rb") as stream:
        catalog = read_po(stream, locale=base_language(language))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def catalogue_file(language: str) -> Path:
    return LOCALES / base_language(language) / "LC_MESSAGES" / "messages.po"


def has_catalogue(language: str) -> bool:
    """English is the templates' own language; any other needs its catalogue."""
    return base_language(language) == "en" or catalogue_file(language).is_file()


def language_name(language: str) -> str:
    """The language's own name for itself, capitalised as in a list of languages: "Français"."""
    try:
        name = Locale.parse(language, sep="-").get_display_name(language.replace("-", "_")) or language
    except (ValueError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:]


@functools.cache  # asked for every source of a corpus, with a handful of tags
def is_language(tag: str) -> bool:
    """Whether `tag` names a language Babel knows ("en", "fr-BE"; not "old" or "draft")."""
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def canonical_tag(tag: str) -> str:
    """A language tag in its usual case ("en-GB", "sr-Latn-RS") from a file name's "en-gb"."""
    parts = tag.split("-")
    return "-".join(
        [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p.lower() for p in parts[1:]]
    )


def base_language(language: str) -> str:
    """ "fr" for "fr-BE": catalogues are per language, not per region."""
    return language.split("-")[0]
