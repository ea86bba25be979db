"""At most two hyphenated lines in a row, decided while WeasyPrint breaks the lines.

WeasyPrint has no `hyphenate-limit-lines`. A paragraph's lines come one by one from its line
iterator; after two lines that end hyphenated, the next one is broken with automatic
hyphenation off (a soft hyphen the author wrote still counts), as a typesetter's "hyphen limit:
2" does. The count runs on across a page break: where a paragraph resumes, the count it had there
is taken up again (the layout of a page can be redone, so it is kept by resume point).

The rule applies only inside `limited_hyphenation()`, so that WeasyPrint laid out alone (the
bench's yardstick) breaks lines as it always does. The renderer still reads the laid-out lines
(pdf_lines.overlong_runs) and lays the text out again in the rare case this leaves a run of three.
"""

from __future__ import annotations

import contextlib
import contextvars
import weakref
from collections.abc import Iterator
from typing import Any

MAX_RUN = 2  # pdf_lines.MAX_HYPHENATED_RUN

_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar("limited_hyphenation", default=False)
_limit_reached: contextvars.ContextVar[bool] = contextvars.ContextVar("hyphen_limit_reached", default=False)
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
            token = _limit_reached.set(run >= MAX_RUN)
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
    def split(text: str, style: Any, *rest: Any, **named: Any) -> Any:
        if _limit_reached.get() and style["hyphens"] == "auto":
            style = style.copy()
            style["hyphens"] = "manual"
        return split_first_line(text, style, *rest, **named)

    return split


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
