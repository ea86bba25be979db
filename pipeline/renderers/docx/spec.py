"""The DOCX house style, read from templates/docx/styles.toml: the spec that reference.docx is made from.

reference.py beside this module writes reference.docx from it; the renderer ships its styles and
no others; tests use it to check that every style a template names exists. Only reading,
validating and converting units live here: no XML.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Literal

from ...templating import TEMPLATES

SPEC = TEMPLATES / "docx" / "styles.toml"
REFERENCE_DOCX = SPEC.with_name("reference.docx")

Kind = Literal["paragraph", "character", "table"]
KINDS: tuple[Kind, ...] = ("paragraph", "character", "table")

_LENGTH = re.compile(r"(?P<number>\d+(?:\.\d+)?)(?P<unit>mm|cm|pt|em)")
# Twips (twentieths of a point) per unit; exact fractions, so that rounding happens once.
_TWIPS_PER_UNIT = {"mm": Fraction(1440 * 10, 254), "cm": Fraction(1440 * 100, 254), "pt": Fraction(20)}
# A paragraph style's tab stops, by the key that lists them and how text aligns on them.
TAB_KEYS = {"tabs": "left", "center_tabs": "center", "right_tabs": "right"}


class SpecError(ValueError):
    """styles.toml says something the generator cannot carry out."""


def _is_length(value: object) -> bool:
    return isinstance(value, str) and _LENGTH.fullmatch(value) is not None


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_flag(value: object) -> bool:
    return isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def _is_lengths(value: object) -> bool:
    return isinstance(value, list) and all(_is_length(item) for item in value)


def _is_hex_colour(value: object) -> bool:
    return isinstance(value, str) and re.fullmatch(r"[0-9A-Fa-f]{6}", value) is not None


def _is_outline_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9


def _one_of(*choices: str) -> Callable[[object], bool]:
    return lambda value: value in choices


_RUN_KEYS: dict[str, Callable[[object], bool]] = {
    "based_on": _is_text,
    "font": _is_text,
    "size": _is_length,
    "bold": _is_flag,
    "italic": _is_flag,
    "small_caps": _is_flag,
    "caps": _is_flag,
    "color": _is_hex_colour,
    "letter_spacing": _is_length,
}
# What each kind of style may say, and how a valid value looks: a typo must fail, not vanish.
KEYS: dict[Kind, dict[str, Callable[[object], bool]]] = {
    "paragraph": {
        **_RUN_KEYS,
        "next": _is_text,
        "align": _one_of("left", "center", "right", "justify"),
        "indent_left": _is_length,
        "indent_right": _is_length,
        "hanging": _is_length,
        "first_line": _is_length,
        "tabs": _is_lengths,
        "center_tabs": _is_lengths,
        "right_tabs": _is_lengths,
        "space_before": _is_length,
        "space_after": _is_length,
        "line_height": _is_number,
        "keep_next": _is_flag,
        "keep_lines": _is_flag,
        "widow_control": _is_flag,
        "hyphenate": _is_flag,
        "outline_level": _is_outline_level,
        "border_bottom": _is_length,
        "border_space": _is_length,
        "sample": _is_text,
    },
    "character": {
        **_RUN_KEYS,
        "vertical_align": _one_of("superscript", "subscript", "baseline"),
        "underline": _is_text,
    },
    "table": {
        "border": _is_length,
        "cell_padding_vertical": _is_length,
        "cell_padding_horizontal": _is_length,
    },
}
_SECTIONS: dict[str, dict[str, Callable[[object], bool]]] = {
    "page": {
        "width": _is_length,
        "height": _is_length,
        "margin_top": _is_length,
        "margin_bottom": _is_length,
        "margin_left": _is_length,
        "margin_right": _is_length,
        "header_distance": _is_length,
        "footer_distance": _is_length,
        "different_first_page": _is_flag,
    },
    "document": {"auto_hyphenation": _is_flag},
    "font": {
        "family": _is_text,
        "generic_family": _one_of("roman", "swiss", "modern", "script", "decorative", "auto"),
        "pitch": _one_of("variable", "fixed", "default"),
        "panose": lambda v: isinstance(v, str) and re.fullmatch(r"[0-9A-Fa-f]{20}", v) is not None,
        "signature": lambda v: isinstance(v, dict) and set(v) == {"usb0", "usb1", "usb2", "usb3", "csb0", "csb1"},
    },
    "defaults": {
        "size": _is_length,
        "line_height": _is_number,
        "space_before": _is_length,
        "space_after": _is_length,
        "widow_control": _is_flag,
    },
    "header": {"style": _is_text, "text": _is_text, "first_page_text": _is_text},
    "footer": {"style": _is_text, "text": _is_text},
}


@dataclass(frozen=True)
class StyleSpec:
    """One style of styles.toml: its kind, its name as Word shows it, and what it says."""

    kind: Kind
    name: str
    properties: Mapping[str, object]

    def text(self, key: str) -> str | None:
        value = self.properties.get(key)
        return value if isinstance(value, str) else None

    def flag(self, key: str) -> bool | None:
        value = self.properties.get(key)
        return value if isinstance(value, bool) else None


@dataclass(frozen=True)
class Spec:
    """The whole of styles.toml, validated."""

    sections: Mapping[str, Mapping[str, object]]
    styles: tuple[StyleSpec, ...]

    def setting(self, section: str, key: str) -> object:
        return self.sections[section][key]

    def length(self, section: str, key: str) -> str:
        value = self.sections[section][key]
        assert isinstance(value, str)  # validated in load_spec
        return value

    def text(self, section: str, key: str) -> str:
        value = self.sections[section][key]
        assert isinstance(value, str)
        return value

    def flag(self, section: str, key: str) -> bool:
        value = self.sections[section].get(key, False)
        assert isinstance(value, bool)
        return value

    def style(self, name: str) -> StyleSpec | None:
        return next((s for s in self.styles if s.name.casefold() == name.casefold()), None)


def load_spec(path: Path = SPEC) -> Spec:
    """Read and validate styles.toml; every mistake is reported at once, with its place."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    errors: list[str] = []
    sections: dict[str, Mapping[str, object]] = {}
    for section, keys in _SECTIONS.items():
        table = data.get(section)
        if not isinstance(table, dict):
            errors.append(f"[{section}] is missing")
            continue
        errors += _check(f"[{section}]", table, keys, required=section != "document")
        sections[section] = table
    styles: list[StyleSpec] = []
    seen: set[str] = set()
    for kind in KINDS:
        for name, properties in data.get(kind, {}).items():
            errors += _check(f'[{kind}."{name}"]', properties, KEYS[kind], required=False)
            if isinstance(properties, dict) and {"hanging", "first_line"} <= set(properties):
                errors.append(f'[{kind}."{name}"] hanging and first_line: a first line is either, not both')
            if name.casefold() in seen:
                errors.append(f'style "{name}" is defined twice')
            seen.add(name.casefold())
            styles.append(StyleSpec(kind, name, properties))
    for key in sorted(set(data) - set(_SECTIONS) - set(KINDS)):
        errors.append(f"unknown section [{key}]")
    spec = Spec(sections, tuple(styles))
    for style in styles:
        for key in ("based_on", "next"):
            target = style.text(key)
            if target is not None and spec.style(target) is None and target.casefold() not in _PANDOC_STYLES:
                errors.append(f'[{style.kind}."{style.name}"] {key} = "{target}": no such style')
    if errors:
        raise SpecError(f"{path}: " + "; ".join(errors))
    return spec


def _check(where: str, table: object, keys: Mapping[str, Callable[[object], bool]], *, required: bool) -> list[str]:
    if not isinstance(table, dict):
        return [f"{where} must be a table"]
    errors = [f"{where} {key}: unknown key" for key in table if key not in keys]
    errors += [
        f"{where} {key} = {table[key]!r}: invalid value" for key in table if key in keys and not keys[key](table[key])
    ]
    if required:
        errors += [f"{where} {key}: missing" for key in keys if key not in table]
    return errors


# The styles of pandoc's default reference.docx (pandoc 3.9) that styles.toml may build on
# without listing them.
_PANDOC_STYLES = frozenset(
    name.casefold()
    for name in (
        "Normal", "Body Text", "First Paragraph", "Compact", "Title", "Subtitle", "Author", "Date",
        "Abstract Title", "Abstract", "Bibliography", *(f"Heading {n}" for n in range(1, 10)), "Block Text",
        "Footnote Text", "Footnote Block Text", "Definition Term", "Definition", "Caption", "Table Caption",
        "Image Caption", "Figure", "Captioned Figure", "TOC Heading", "Default Paragraph Font",
        "Body Text Char", "Verbatim Char", "Section Number", "Footnote Reference", "Hyperlink", "Table",
    )
)  # fmt: skip


def style_names(path: Path = SPEC) -> list[str]:
    """Every style name styles.toml defines (paragraph, character, table), in its order."""
    return [style.name for style in load_spec(path).styles]


def style_id(name: str) -> str:
    """The id of a style the spec adds: its name without spaces, the id pandoc itself would derive."""
    return name.replace(" ", "")


def to_twips(length: str, font_size: Fraction) -> int:
    """A length of the spec in twips, rounded half up; `font_size` (points) is what 1em means."""
    match = _LENGTH.fullmatch(length)
    if match is None:
        raise SpecError(f"not a length: {length!r}")
    number = Fraction(match["number"])
    per_unit = font_size * 20 if match["unit"] == "em" else _TWIPS_PER_UNIT[match["unit"]]
    return math.floor(number * per_unit + Fraction(1, 2))


def points(length: str) -> Fraction:
    """A font size of the spec in points (only "pt" makes sense for a size)."""
    match = _LENGTH.fullmatch(length)
    if match is None or match["unit"] != "pt":
        raise SpecError(f"a font size is given in pt: {length!r}")
    return Fraction(match["number"])


def half_points(size: Fraction) -> int:
    """A font size (points) in Word's half-points; Word cannot store anything finer."""
    value = size * 2
    if value.denominator != 1:
        raise SpecError(f"a font size must be a whole number of half-points: {float(size):g}pt")
    return int(value)
