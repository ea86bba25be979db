"""Message catalogues: one gettext catalogue per language, read from its .po file; and the words
of the catalogues that name the types of text, which the reader and the importers recognise."""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from .distributions import installed_version
from .languages import DEFAULT_LANGUAGE, base_language
from .model import TextType
from .usercache import remembered

LOCALES = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks a message for the catalogues (pybabel extracts it; babel.cfg) without translating it."""
    return message


# The English names, which are the catalogues' message ids: each language's own is its translation.
TYPE_NAMES: dict[TextType, str] = {
    TextType.RECOMMENDATION: N_("Recommendation"),
    TextType.RESOLUTION: N_("Resolution"),
    TextType.OPINION: N_("Opinion"),
    TextType.ORDER: N_("Order"),
    TextType.DECISION: N_("Decision"),
}
PLURAL_TYPE_NAMES: dict[TextType, str] = {
    TextType.RECOMMENDATION: N_("Recommendations"),
    TextType.RESOLUTION: N_("Resolutions"),
    TextType.OPINION: N_("Opinions"),
    TextType.ORDER: N_("Orders"),
    TextType.DECISION: N_("Decisions"),
}


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalogue of `language` (pipeline/locale/<lang>/LC_MESSAGES/messages.po).

    English is the language of the templates themselves. The .po file is compiled with Babel,
    so that no binary .mo file needs to be kept in step with it; the compiled catalogue is kept
    in the user's cache (pipeline/usercache.py) under the digest of the .po and of Babel's
    version (like Python's bytecode), so that a build loads Babel's catalogue machinery, and
    the email package under it, only when either changed.
    """
    po_file = catalogue_file(language)
    if not po_file.is_file():
        return gettext.NullTranslations()
    po = po_file.read_bytes()
    translated = remembered(
        "catalogues",
        po + installed_version("babel").encode(),
        lambda: _compiled(po, language),
        _catalogue,
        prefix=f"{base_language(language)}-",
        suffix=".mo",
    )
    assert translated is not None, "a catalogue Babel compiled is one"
    return translated


def _catalogue(compiled: bytes) -> gettext.GNUTranslations | None:
    try:
        return gettext.GNUTranslations(io.BytesIO(compiled))
    except (OSError, ValueError):  # not a catalogue: compiled again
        return None


def _compiled(po: bytes, language: str) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po), locale=base_language(language))
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    return compiled.getvalue()


def catalogue_file(language: str) -> Path:
    return LOCALES / base_language(language) / "LC_MESSAGES" / "messages.po"


def has_catalogue(language: str) -> bool:
    """English is the templates' own language; any other needs its catalogue."""
    return base_language(language) == DEFAULT_LANGUAGE or catalogue_file(language).is_file()


@functools.cache
def catalogue_languages() -> tuple[str, ...]:
    """English, then every language with a catalogue, in alphabetical order."""
    found = sorted(path.parent.parent.name for path in LOCALES.glob("*/LC_MESSAGES/messages.po"))
    return (DEFAULT_LANGUAGE, *(language for language in found if language != DEFAULT_LANGUAGE))


def type_name(text_type: TextType, language: str, *, plural: bool = False) -> str:
    """ "Recommendation", "Recommandation"; with `plural` "Recommendations", "Avis"."""
    return translations(language).gettext((PLURAL_TYPE_NAMES if plural else TYPE_NAMES)[text_type])


@functools.cache
def type_words(*, plural: bool = False) -> dict[str, tuple[TextType, str]]:
    """Every catalogue's name of every type (or its plural), with the type and the first language
    that writes it so: "Avis" -> (opinion, fr)."""
    words: dict[str, tuple[TextType, str]] = {}
    for language in catalogue_languages():
        for text_type in TextType:
            words.setdefault(type_name(text_type, language, plural=plural), (text_type, language))
    return words
