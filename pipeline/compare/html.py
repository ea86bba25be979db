"""The HTML edition of a comparison: the new text with <del>/<ins> and a summary on top."""

from __future__ import annotations

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..templating import TEMPLATES, citation
from . import Comparison
from .summary import heading, summary


def render_html(comparison: Comparison, old_name: str, new_name: str) -> bytes:
    templates = Environment(
        loader=FileSystemLoader(TEMPLATES / "compare"),
        autoescape=True,  # every word comes from a source, and sources are untrusted
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    meta = comparison.new.metadata
    page = templates.get_template("compare.html.j2").render(
        comparison=comparison,
        meta=meta,
        citation=citation(meta),
        summary=summary(comparison),
        heading=heading,
        old_name=old_name,
        new_name=new_name,
    )
    return page.encode("utf-8")
