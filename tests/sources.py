"""A small valid source for tests that write their own texts."""

from __future__ import annotations

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
