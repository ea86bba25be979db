"""A small valid source for tests that write their own texts."""

from __future__ import annotations

from pathlib import Path

FRONT = """---
type: resolution
number: 1234
year: 2001
language: en
title: A test text
issued_by: Parliamentary Assembly
adoption:
  by: assembly
  debates:
    - date: 2001-01-25
      sitting: 5
  date: 2001-01-25
  sitting: 5
---
"""
FRONT_LINES = FRONT.count("\n")  # the body of FRONT + "\n" + text starts on line FRONT_LINES + 2
NAME = "resolution-1234-2001.en.md"


def volume_file(path: Path, texts: list[str], status: str = "final", more: str = "") -> Path:
    """A volume file at `path` ("<stem>.<language>.toml") holding `texts` by name, with `more`
    lines of TOML after them (recto = true)."""
    language = path.name.removesuffix(".toml").rpartition(".")[2]
    names = ", ".join(f'"{name}"' for name in texts)
    path.write_text(
        f'title = ["Texts adopted by the Assembly"]\nlanguage = "{language}"\nstatus = "{status}"\n'
        f"texts = [{names}]\n{more}",
        encoding="utf-8",
    )
    return path
