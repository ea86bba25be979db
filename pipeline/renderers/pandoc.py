"""Running pandoc (from the pypandoc-binary wheel) on a template's HTML, sandboxed.

In --sandbox mode pandoc reads nothing but the files named on its command line (reference
document, stylesheet, filter), fetches no URL, and ignores SOURCE_DATE_EPOCH: every timestamp
it writes is 1970-01-01, so its output is byte-identical from run to run. Renderers put the
adoption date into the package's metadata part afterwards.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pypandoc
import yaml

from ..errors import RenderError

MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")  # every ASCII punctuation character


def literal(value: Any) -> Any:
    """`value` with every string escaped, so that pandoc reads metadata as text, not Markdown.

    pandoc parses YAML metadata strings as Markdown: a title with `*`, `--`, `[x](y)` or a tag
    would lose characters. A backslash before ASCII punctuation makes each one literal.
    """
    if isinstance(value, str):
        return MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", value)
    if isinstance(value, list):
        return [literal(item) for item in value]
    if isinstance(value, dict):
        return {key: literal(item) for key, item in value.items()}
    return value


def run_pandoc(html: str, to: str, metadata: dict[str, Any], stem: str, arguments: list[str]) -> bytes:
    """Convert `html` (pandoc reads only its <main>) to the binary format `to`."""
    with tempfile.TemporaryDirectory(prefix="pipeline-pandoc-") as work:
        metadata_file = Path(work) / "metadata.yaml"
        metadata_file.write_text(
            yaml.safe_dump(literal(metadata), allow_unicode=True, sort_keys=True), encoding="utf-8"
        )
        target = Path(work) / f"edition.{to}"
        try:
            pypandoc.convert_text(
                html,
                to,
                format="html",
                outputfile=str(target),
                sandbox=True,
                extra_args=["--metadata-file", str(metadata_file), *arguments],
            )
        except RuntimeError as exc:
            raise RenderError(stem, to, f"pandoc failed: {exc}") from None
        return target.read_bytes()
