"""Outputs pass the real validators: the Nu Html Checker and axe-core in Chromium."""

from __future__ import annotations

from pathlib import Path

from tests.validators import axe, nu_html_checker


def html_files(editions: Path) -> list[Path]:
    files = sorted(editions.glob("*.html"))
    assert files, "no HTML edition was built"
    return files


def test_nu_html_checker_reports_no_error(editions: Path) -> None:
    findings = nu_html_checker(html_files(editions))
    assert findings == [], "\n".join(map(str, findings))


def test_axe_reports_no_violation(editions: Path) -> None:
    findings = axe(html_files(editions))
    assert findings == [], "\n".join(map(str, findings))
