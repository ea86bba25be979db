"""Plain text of the model as the HTML of the editions: the markup typography asks for.

- French ordinals are superscript ("19<sup>e</sup> séance", "1<sup>er</sup>", "1<sup>re</sup>",
  "XXI<sup>e</sup> siècle"), as the Imprimerie nationale sets them; a source's modifier letters
  ("19ᵉ") become the same markup, so that every edition has its format's real superscript
  (HTML and EPUB <sup>, the PDF through its HTML, DOCX w:vertAlign through pandoc's Superscript).
- Runs of another script carry their language (pipeline/scripts.py decides which).
- The print edition's dates and last words are in `keep` spans (typography.protected_spans).
- In a table the print edition lays out again in narrow columns, grouped numbers are in `figure`
  spans that may break only between their digit groups (`breakable_figures`).

Running text goes through `typeset`; the phrases the templates generate (the adoption formula,
with its "1er juin" and "19e séance") through `superscript_ordinals`, on their markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from markupsafe import Markup, escape

from .languages import base_language
from .scripts import DEFAULT_SCRIPT_LANGUAGES, script_runs
from .typography import GROUPED_NUMBER, NBSP, NNBSP, WORD_CHARACTERS, protected_spans

_MODIFIERS = {"ᵉ": "e", "ʳ": "r", "ˢ": "s", "ᵈ": "d"}
_E, _R, _S, _D = "[eᵉ]", "[rʳ]", "[sˢ]", "[dᵈ]"
# 1er 1ers 1re 1res 2e 2es 2d 2de 2ds 2des, after digits or a Roman numeral of I, V and X (a lone
# C, L or M before "e" is a word: "Ce", "Le", "Me").
FRENCH_ORDINAL = re.compile(
    rf"(?<![\w&#])(?P<number>\d+|[IVX]+)"
    rf"(?P<suffix>{_E}{_R}{_S}?|{_R}{_E}{_S}?|{_E}{_S}?|{_D}{_E}?{_S}?)(?![\w])"
)
_TAG = re.compile(r"(<[^>]*>)")
KEEP = Markup('<span class="keep">{}</span>')  # print: `hyphens: none`


def typeset(
    text: str,
    language: str,
    protected: frozenset[str] | None = None,
    regional: bool = False,
    script_languages: Mapping[str, str] = DEFAULT_SCRIPT_LANGUAGES,
) -> Markup:
    """`text` (plain, of a text in `language`) as markup: foreign runs in `<span lang>` (with
    the regional tag when `regional`, as DOCX needs it), French ordinals in <sup>, and the
    `protected` words (print only: None elsewhere) in keep spans; in print, a word with a
    soft hyphen in an unligatured span."""
    french = base_language(language) == "fr"
    kept = _kept_ranges(text, protected)
    pieces: list[Markup] = []
    start = 0
    for run, tag in script_runs(text, language, script_languages):
        inner = Markup("").join(
            KEEP.format(_ordinals(piece, french)) if keep else _ordinals(piece, french)
            for piece, keep in _cut(run, start, kept)
        )
        if protected is not None and SOFT_HYPHEN in run:
            inner = _unligatured(inner)
        start += len(run)
        if tag:
            shown = tag if regional else base_language(tag)
            pieces.append(Markup('<span lang="{}">{}</span>').format(shown, inner))
        else:
            pieces.append(inner)
    return Markup("").join(pieces)


SOFT_HYPHEN = "\u00ad"
# A word with a soft hyphen the author wrote (print): WeasyPrint 70 draws a ligature across it
# ("of­fi­cial") with no text behind the glyph, and copy, search and pdftotext lost the letters
# ("o cial"). Such a word is set without ligatures (templates/print/style.css.j2).
_SOFT_HYPHENATED = re.compile(f"[{WORD_CHARACTERS}]*{SOFT_HYPHEN}[{WORD_CHARACTERS}]*")
UNLIGATURED = '<span class="unligatured">{}</span>'


def _unligatured(markup: Markup) -> Markup:
    """`markup` (escaped text and tags) with each soft-hyphenated word in an unligatured span;
    a word never crosses a tag, whose names and attributes hold no soft hyphen."""
    return Markup(_SOFT_HYPHENATED.sub(lambda match: UNLIGATURED.format(match.group()), str(markup)))


def _kept_ranges(text: str, protected: frozenset[str] | None) -> list[tuple[int, int]]:
    """Where the protected pieces of the whole text are (a paragraph's last word is the text's,
    not a script run's)."""
    ranges, position = [], 0
    for piece, keep in protected_spans(text, protected) if protected is not None else ():
        if keep:
            ranges.append((position, position + len(piece)))
        position += len(piece)
    return ranges


def _cut(run: str, start: int, kept: list[tuple[int, int]]) -> Iterable[tuple[str, bool]]:
    """`run`, which starts at `start` in its text, cut into (piece, protected) pairs."""
    end, position = start + len(run), start
    for low, high in kept:
        low, high = max(low, start), min(high, end)
        if low >= high:
            continue
        if low > position:
            yield run[position - start : low - start], False
        yield run[low - start : high - start], True
        position = high
    if position < end or not run:
        yield run[position - start :], False


def _ordinals(text: str, french: bool) -> Markup:
    if not french:
        return escape(text)
    return Markup("").join(_superscript(escape(text)))


def _superscript(markup: Markup) -> Iterable[Markup]:
    position = 0
    for match in FRENCH_ORDINAL.finditer(markup):
        suffix = "".join(_MODIFIERS.get(c, c) for c in match.group("suffix"))
        yield Markup(markup[position : match.start()])
        yield Markup("{}<sup>{}</sup>").format(Markup(match.group("number")), suffix)
        position = match.end()
    yield Markup(markup[position:])


def superscript_ordinals(markup: str, language: str) -> Markup:
    """Generated markup (escaped text and tags) with the French ordinals of its text in <sup>;
    tags and their attributes are left as they are."""
    if base_language(language) != "fr":
        return Markup(markup)
    return Markup("").join(
        Markup(piece) if index % 2 else Markup("").join(_superscript(Markup(piece)))
        for index, piece in enumerate(_TAG.split(str(markup)))
    )


FIGURE = Markup('<span class="{}">{}</span>')


def breakable_figures(markup: str) -> Markup:
    """Markup (escaped text and tags) with each grouped number of its text in a figure span whose
    gaps are word spaces: a line may break there, and a gap that ends a line is dropped as a space
    is (a no-break space would stay and push a right-aligned group off the column's edge). The
    print edition keeps the digits of a group together in the span (renderers/pdf_fit.py); a
    number whose gaps are all narrow is marked narrow, to be set with narrow word spaces."""
    return Markup("").join(
        Markup(piece) if index % 2 else Markup(GROUPED_NUMBER.sub(_figure, piece))
        for index, piece in enumerate(_TAG.split(str(markup)))
    )


def _figure(match: re.Match[str]) -> str:
    number = match.group()
    spaced = number.replace(NBSP, " ").replace(NNBSP, " ")
    narrow = number.count(NNBSP) == spaced.count(" ")
    return FIGURE.format("figure narrow" if narrow else "figure", spaced)
