"""Every edition of every text passes the real validators, each run once over all its files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.renderers import REGISTRY
from tests.conftest import FORMATS
from tests.validators import Finding, ace, akn_schema, axe, epubcheck, libreoffice, nu_html_checker, pdfua, qpdf

VALIDATORS: dict[str, list[Callable[[list[Path]], list[Finding]]]] = {  # by media type, as renderers declare it
    "text/html": [nu_html_checker, axe],
    "application/pdf": [pdfua, qpdf],
    "application/epub+zip": [epubcheck, ace],
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": [libreoffice],
    "application/akn+xml": [akn_schema],
}
CASES = [(name, check) for name in FORMATS for check in VALIDATORS.get(REGISTRY[name].media_type, [])]


@pytest.mark.parametrize(("format_name", "check"), CASES, ids=[f"{n}-{c.__name__}" for n, c in CASES])
def test_validator_reports_nothing(
    editions: Path, format_name: str, check: Callable[[list[Path]], list[Finding]]
) -> None:
    files = sorted(editions.glob(f"*.{REGISTRY[format_name].extension}"))
    assert files, f"no {format_name} edition was built"
    findings = check(files)
    assert findings == [], "\n".join(map(str, findings))


def test_every_format_is_validated() -> None:
    assert {REGISTRY[name].media_type for name in FORMATS} <= set(VALIDATORS)
