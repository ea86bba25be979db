"""A text's name and identity: one language version of one adopted text, parsed once, printed in
every form the tool needs.

    TextName.parse("resolution-1234-2001.en-gb")
        .slug           resolution-1234-2001      (shared by the language versions)
        .stem           resolution-1234-2001.en-gb (files: the language tag in lower case)
        .source_name    resolution-1234-2001.en-gb.md
        .edition("pdf") resolution-1234-2001.en-gb.pdf
        .language       en-GB                      (the tag as the metadata writes it)
        .identifier(p)  the configured identifier pattern filled in

Its Akoma Ntoso URIs are built from it: FrbrUri.of(name) is the work, FrbrUri.of(name, date)
the expression (pipeline/frbr.py).

A file name that is not a text's name is refused with the part that is wrong.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import msgspec

from .languages import canonical_tag, is_language
from .model import Metadata, TextType

SOURCE_SUFFIX = ".md"
SLUG = re.compile(r"(?P<type>[a-z]+)-(?P<number>[^-]+)-(?P<year>[^-]+)")
LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,4})*")


class TextNameError(ValueError):
    """A name that is not `<type>-<number>-<year>.<language>`; the message names the wrong part."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name!r} is not the name of a text: {message}")
        self.name = name


def file_stem(path: Path) -> str:
    """A source's file name without `.md`: what its editions are named after, parsed or not."""
    return path.name.removesuffix(SOURCE_SUFFIX)


class TextName(msgspec.Struct, frozen=True, order=True):
    type: TextType
    number: int
    year: int
    language: str  # a BCP 47 tag: "en", "en-GB" (parsed from a file name: in its usual case)

    @classmethod
    def of(cls, meta: Metadata) -> TextName:
        return cls(meta.type, meta.number, meta.year, meta.language)  # as written: editions print it so

    @classmethod
    def parse(cls, stem: str) -> TextName:
        """Read `<type>-<number>-<year>.<language>`, as a source's file name is written."""
        slug, dot, language = stem.rpartition(".")
        if not dot:
            raise TextNameError(
                stem, "no language: write <type>-<number>-<year>.<language>, e.g. resolution-1234-2001.en"
            )
        match = SLUG.fullmatch(slug)
        if match is None:
            raise TextNameError(stem, f"{slug!r} is not <type>-<number>-<year>, e.g. resolution-1234-2001")
        kinds = [kind.value for kind in TextType]
        if match["type"] not in kinds:
            close = difflib.get_close_matches(match["type"], kinds, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(kinds)}"
            raise TextNameError(stem, f"unknown type {match['type']!r} ({hint})")
        for part in ("number", "year"):
            if not match[part].isdigit() or match[part].startswith("0"):
                raise TextNameError(stem, f"the {part} {match[part]!r} is not a positive whole number")
        if not LANGUAGE.fullmatch(language) or not is_language(language):
            raise TextNameError(stem, f"{language!r} is not a language tag in lower case (e.g. en, fr, en-gb)")
        return cls(TextType(match["type"]), int(match["number"]), int(match["year"]), canonical_tag(language))

    @classmethod
    def of_file(cls, path: Path) -> TextName:
        if not path.name.endswith(SOURCE_SUFFIX):
            raise TextNameError(path.name, f"a source's name ends with {SOURCE_SUFFIX}")
        return cls.parse(file_stem(path))

    @property
    def slug(self) -> str:
        return f"{self.type.value}-{self.number}-{self.year}"

    @property
    def stem(self) -> str:
        return f"{self.slug}.{self.language.lower()}"

    @property
    def source_name(self) -> str:
        return f"{self.stem}{SOURCE_SUFFIX}"

    def edition(self, extension: str) -> str:
        return f"{self.stem}.{extension}"

    def in_language(self, language: str) -> TextName:
        """The same text's version in another language."""
        return TextName(self.type, self.number, self.year, canonical_tag(language))

    def identifier(self, pattern: str) -> str:
        """The configured identifier (`{slug}`, `{language}`) of this language version."""
        return pattern.format(slug=self.slug, language=self.language)

    def __str__(self) -> str:
        return self.stem
