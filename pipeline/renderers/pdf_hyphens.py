"""What the line breaker itself keeps to while WeasyPrint breaks the lines: at most two
hyphenated lines in a row, and no capitalised word hyphenated.

WeasyPrint has no `hyphenate-limit-lines`. A paragraph's lines come one by one from its line
iterator; after two lines that end hyphenated, the next one is broken with automatic
hyphenation off (a soft hyphen the author wrote still counts), as a typesetter's "hyphen limit:
2" does. The count runs on across a page break: where a paragraph resumes, the count it had there
is taken up again (the layout of a page can be redone, so it is kept by resume point).

A capitalised word (a name, the Assembly, a month: typography.protected()) is never hyphenated,
as TeX's \\uchyph=0 has it: the hyphenation dictionary WeasyPrint asks for a word's break points
gives none for a word that begins with a capital, nor for a part of a capitalised compound or
elision of the text being broken ("Non-governmental", "L’internationalisation": the dictionary
is asked for "governmental" alone). The print template used to keep each such word in an
element of its own, which made WeasyPrint's work a third longer.

The rules apply only inside `limited_hyphenation()`, so that WeasyPrint laid out alone (the
bench's yardstick) breaks lines as it always does. The renderer still reads the laid-out lines
(pdf_lines.overlong_runs) and lays the text out again in the rare case this leaves a run of three.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import weakref
from collections.abc import Iterator
from typing import Any

import pyphen  # type: ignore[import-untyped]

from ..typography import in_capitalised_word
from .pdf_lines import MAX_HYPHENATED_RUN

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("limited_hyphenation", default=False)
_limit_reached: contextvars.ContextVar[bool] = contextvars.ContextVar("hyphen_limit_reached", default=False)
_text_being_split: contextvars.ContextVar[str] = contextvars.ContextVar("text_being_split", default="")
# Per layout: the run of hyphenated lines before each resume point of each paragraph's lines.
_runs: weakref.WeakKeyDictionary[Any, dict[tuple[int, str], int]] = weakref.WeakKeyDictionary()


@contextlib.contextmanager
def limited_hyphenation() -> Iterator[None]:
    token = _enabled.set(True)
    try:
        yield
    finally:
        _enabled.reset(token)


def limit_hyphenated_lines(weasyprint: Any) -> None:
    """Wrap WeasyPrint's line iterator (as the block layout imported it) and its line splitter
    (as the inline layout did); once per process."""
    block, inline = weasyprint.layout.block, weasyprint.layout.inline
    if getattr(block.iter_line_boxes, "limits_hyphens", False):
        return
    block.iter_line_boxes = _counting(block.iter_line_boxes)
    inline.split_first_line = _splitting(inline.split_first_line)


def _counting(iter_line_boxes: Any) -> Any:
    def lines(context: Any, box: Any, position_y: Any, bottom_space: Any, skip_stack: Any, *rest: Any) -> Any:
        inner = iter_line_boxes(context, box, position_y, bottom_space, skip_stack, *rest)
        if not _enabled.get():
            yield from inner
            return
        runs = _runs.setdefault(context, {})
        run = runs.get((id(box), repr(skip_stack)), 0) if skip_stack else 0
        while True:
            token = _limit_reached.set(run >= MAX_HYPHENATED_RUN)
            try:
                line, resume_at = next(inner)
            except StopIteration:
                return
            finally:
                _limit_reached.reset(token)
            run = run + 1 if _ends_hyphenated(line) else 0
            if resume_at is not None:
                runs[(id(box), repr(resume_at))] = run
            yield line, resume_at

    lines.limits_hyphens = True  # type: ignore[attr-defined]
    return lines


def _splitting(split_first_line: Any) -> Any:
    def split(text: str, style: Any, context: Any, max_width: float | None, *rest: Any, **named: Any) -> Any:
        if not _enabled.get():
            return split_first_line(text, style, context, max_width, *rest, **named)
        if style["hyphens"] == "auto":
            if _limit_reached.get():
                style = style.copy()
                style["hyphens"] = "manual"
            else:
                _keep_capitalised_words_whole(context, style)
        token = _text_being_split.set(text)  # the dictionary sees a word alone: this is its text
        try:
            split = split_first_line(text, style, context, max_width, *rest, **named)
        finally:
            _text_being_split.reset(token)
        if _fits_but_for_its_last_space(split_first_line, split, text, style, context, max_width, *rest, **named):
            return split_first_line(text, style, context, None, *rest, **named)
        return split

    return split


def _fits_but_for_its_last_space(
    split_first_line: Any,
    split: Any,
    text: str,
    style: Any,
    context: Any,
    max_width: float | None,
    *rest: Any,
    **named: Any,
) -> bool:
    """Whether WeasyPrint cut `text` after its first word only because its last space, which
    hangs, made it too wide (WeasyPrint 70 then takes the whole text for one word too long
    for the line). A text ending with a space is one followed by an element: a word in
    another language, a reference, a kept word."""
    _, length, resume, *_ = split
    if resume is None or max_width is None or not text.endswith(" ") or style["white_space"] != "normal":
        return False
    if b" " in text.encode()[:length].strip():  # more than one word: a real line break
        return False
    _, _, _, width, *_ = split_first_line(text.rstrip(" "), style, context, None, *rest, **named)
    return bool(width <= max_width)


def _keep_capitalised_words_whole(context: Any, style: Any) -> None:
    """The layout's hyphenation dictionary for this style, as split_first_line keys and makes
    it (WeasyPrint 70), made one that gives no break point in a capitalised word."""
    key = _dictionary_key(style["lang"], style["hyphenate_limit_chars"])
    if key is not None and not isinstance(context.dictionaries.get(key), _CapitalisedWordsWhole):
        language, left, right, _ = key
        context.dictionaries[key] = _CapitalisedWordsWhole(pyphen.Pyphen(lang=language, left=left, right=right))


@functools.cache
def _dictionary_key(lang: str | None, limits: tuple[int, int, int]) -> tuple[str, int, int, int] | None:
    language = lang and pyphen.language_fallback(lang)
    if not language:
        return None
    total, left, right = limits
    return language, left, right, total


class _CapitalisedWordsWhole:
    def __init__(self, dictionary: pyphen.Pyphen) -> None:
        self.dictionary = dictionary

    def iterate(self, word: str) -> Iterator[tuple[str, str]]:
        kept = in_capitalised_word(word, _text_being_split.get())
        return iter(()) if kept else self.dictionary.iterate(word)


def _ends_hyphenated(line: Any) -> bool:
    """Whether the line's last piece of text ends with the hyphen WeasyPrint added."""
    text = _last_text(line)
    return text is not None and text.text.rstrip().endswith(text.style["hyphenate_character"])


def _last_text(box: Any) -> Any:
    for child in reversed(getattr(box, "children", ())):
        if type(child).__name__ == "TextBox":
            if child.text.strip():
                return child
            continue
        found = _last_text(child)
        if found is not None:
            return found
    return None
