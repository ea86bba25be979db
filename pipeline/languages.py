"""What the tool knows about languages, in one place: tags, names, codes and quotation marks.

- Tags: whether a BCP 47 tag names a language (Babel's CLDR data), the tag in its usual case
  ("en-GB" from a file name's "en-gb"), and the language a catalogue is kept for ("fr" of "fr-BE").
- Names: `autonym` is a language's name for itself ("Français": links between language
  versions, the synopsis' columns); `name_in` is its name in another language ("French" in
  English: the catalogue page, whose wording is English).
- Codes: ISO 639-2/T, which Akoma Ntoso's naming convention writes ("fra").
- Quotation marks, which the one smart-quote engine (pipeline/typography.py) sets: Babel does
  not carry CLDR's delimiters, so they are kept here.

The names of the text types are words of the message catalogues (pipeline/i18n.py).
"""

from __future__ import annotations

import functools
import re

from babel import Locale, UnknownLocaleError

from .babel_data import prime

# As the metadata writes a tag: language, optional Script, optional REGION or area number.
WRITTEN_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2}|-\d{3})?$")

# ISO 639-1 (the sources' BCP 47 tags) -> ISO 639-2/T.
ISO_639_2 = {
    "en": "eng", "fr": "fra", "de": "deu", "it": "ita", "es": "spa", "pt": "por", "nl": "nld",
    "ru": "rus", "uk": "ukr", "pl": "pol", "tr": "tur", "el": "ell", "hy": "hye", "ka": "kat",
    "az": "aze", "ro": "ron", "bg": "bul", "cs": "ces", "sk": "slk", "sl": "slv", "hr": "hrv",
    "sr": "srp", "hu": "hun", "fi": "fin", "sv": "swe", "da": "dan", "no": "nor", "et": "est",
    "lv": "lav", "lt": "lit", "sq": "sqi", "mk": "mkd", "mt": "mlt", "ga": "gle", "is": "isl",
}  # fmt: skip
LANGUAGES_BY_ISO_639_2 = {code: tag for tag, code in ISO_639_2.items()}

# Double marks, then single marks (the quotation inside a quotation), each opening then closing;
# the closing single mark is also the apostrophe. A language not listed is set as English.
QUOTATION_MARKS = {"en": "“”‘’", "fr": "«»‘’"}
DEFAULT_LANGUAGE = "en"


@functools.cache  # asked for every source of a corpus, with a handful of tags
def is_language(tag: str) -> bool:
    """Whether `tag` names a language Babel knows, in any case ("en", "fr-BE", "en-gb"; not "old").
    Babel's parse checks only that the locale's data file exists: nothing is loaded (the config's
    script languages are checked on every start, and most builds never write in them)."""
    try:
        Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return False
    return True


def is_written_tag(tag: str) -> bool:
    """Whether `tag` is a known language written as the metadata writes it ("en-GB", not "en-gb")."""
    return bool(WRITTEN_TAG.match(tag)) and is_language(tag)


def canonical_tag(tag: str) -> str:
    """A language tag in its usual case ("en-GB", "sr-Latn-RS") from a file name's "en-gb"."""
    parts = tag.split("-")
    return "-".join(
        [parts[0].lower()] + [p.title() if len(p) == 4 else p.upper() if len(p) == 2 else p.lower() for p in parts[1:]]
    )


def base_language(tag: str) -> str:
    """ "fr" for "fr-BE": catalogues, quotation marks and spacing are per language, not per region."""
    return tag.split("-")[0]


def autonym(tag: str) -> str:
    """The language's own name for itself, capitalised as in a list of languages: "Français"."""
    locale = _locale(tag)
    name = (locale.get_display_name(locale) if locale else None) or tag
    return name[:1].upper() + name[1:]


@functools.cache
def name_in(tag: str, language: str) -> str:
    """The name of the language `tag` in `language`: "French" in "en", "anglais (Royaume-Uni)" in "fr"."""
    locale = _locale(tag)
    return str((locale.get_display_name(language.replace("-", "_")) if locale else None) or tag)


def iso_639_2(tag: str) -> str:
    """The three-letter ISO 639-2/T code of a BCP 47 tag's language: "fra" for "fr-BE"."""
    code = ISO_639_2.get(base_language(tag.lower()))
    if code is None:
        raise ValueError(f"no ISO 639-2 code is known for the language {tag!r}: add it to languages.ISO_639_2")
    return code


def quotation_marks(tag: str) -> str:
    """The language's marks: opening and closing double, opening and closing single."""
    return QUOTATION_MARKS.get(base_language(tag), QUOTATION_MARKS[DEFAULT_LANGUAGE])


def _locale(tag: str) -> Locale | None:
    try:
        locale = Locale.parse(tag, sep="-")
        prime(str(locale))
        return locale
    except (ValueError, UnknownLocaleError):
        return None
