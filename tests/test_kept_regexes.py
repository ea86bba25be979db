"""Compiled regular expressions kept between runs: each kept pattern is the one Python compiles."""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import kept_regexes
from pipeline.usercache import CACHE_ENVIRONMENT
from tests.conftest import SEED

python_compile = re._compiler.compile  # type: ignore[attr-defined]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENVIRONMENT, str(folder))
    kept_regexes.uninstall()
    yield folder / "regexes"
    kept_regexes.uninstall()


def build(out: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pipeline", "build", str(SEED), "--format", "html", "--out", str(out), "--force"]
    environment = {**os.environ, CACHE_ENVIRONMENT: str(cache.parent)}
    return subprocess.run(command, capture_output=True, text=True, check=False, env=environment)


def kept_file(cache: Path) -> Path:
    (found,) = cache.glob("*.marshal")
    return found


def same(kept: re.Pattern[str] | re.Pattern[bytes], compiled: re.Pattern[str] | re.Pattern[bytes]) -> bool:
    """Patterns compare equal when their pattern, flags and code are (the engine's own comparison)."""
    return kept == compiled and kept.groupindex == compiled.groupindex and kept.groups == compiled.groups


def test_every_pattern_a_build_keeps_is_the_one_python_compiles(tmp_path: Path, cache: Path) -> None:
    assert build(tmp_path / "out", cache).returncode == 0
    kept = marshal.loads(kept_file(cache).read_bytes())
    assert len(kept) > 150  # markdown-it's, PyYAML's, Jinja's and ours
    engine = re._compiler._sre  # type: ignore[attr-defined]
    for (pattern, flags), entry in kept.items():
        assert same(engine.compile(pattern, *entry), python_compile(pattern, flags)), pattern


def test_a_second_build_compiles_nothing_anew_and_writes_the_same_edition(tmp_path: Path, cache: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert build(first, cache).returncode == 0
    kept = kept_file(cache)
    written = kept.stat().st_mtime_ns
    assert build(second, cache).returncode == 0
    assert kept.stat().st_mtime_ns == written
    name = f"{SEED.name.removesuffix('.md')}.html"
    assert (first / name).read_bytes() == (second / name).read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"not marshal at all",
        marshal.dumps([1, 2, 3]),
        marshal.dumps({("x", 0): (0, [999999], 0, {}, ())}),  # code the engine refuses
        marshal.dumps({("x", 0): "not an entry", 5: (0, [], 0, {}, ())}),
    ],
)
def test_a_damaged_file_is_compiled_past(tmp_path: Path, cache: Path, damage: bytes) -> None:
    assert build(tmp_path / "first", cache).returncode == 0
    kept_file(cache).write_bytes(damage)
    result = build(tmp_path / "second", cache)
    assert result.returncode == 0, result.stderr
    kept_regexes.install()
    assert same(re.compile("x"), python_compile("x", 0))


def test_what_the_engine_refuses_is_compiled_as_python_does(cache: Path) -> None:
    kept_regexes.install()
    kept_regexes._kept[("(?P<year>[0-9]{4})", 0)] = (32, [999999], 0, {}, ())
    re.purge()
    assert same(re.compile("(?P<year>[0-9]{4})"), python_compile("(?P<year>[0-9]{4})", 0))


# A small grammar of patterns: groups named and not, classes, repeats, anchors, alternatives.
atoms = st.sampled_from(["a", "é", "[a-z]", "[^0-9]", r"\d", r"\w", r"\s", ".", "[α-ω]", r"\b", "^", "$", "–"])
pattern_text = st.recursive(
    atoms,
    lambda inner: st.one_of(
        st.tuples(inner, inner).map("".join),
        st.tuples(inner, inner).map("|".join),
        st.tuples(inner, st.sampled_from(["*", "+", "?", "{2,3}", "*?"])).map(lambda p: f"(?:{p[0]}){p[1]}"),
        inner.map(lambda p: f"({p})"),
        st.tuples(st.sampled_from(["n", "year", "mot"]), inner).map(lambda p: f"(?P<{p[0]}>{p[1]})"),
    ),
    max_leaves=8,
)
flag_sets = st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.VERBOSE, re.ASCII | re.IGNORECASE])


@settings(max_examples=300, deadline=None)
@given(pattern=pattern_text, flags=flag_sets, subject=st.text(alphabet="aéz9 –αωA\n", max_size=12))
def test_a_kept_pattern_matches_as_python_compiles_it(pattern: str, flags: int, subject: str) -> None:
    try:
        compiled = python_compile(pattern, flags)
    except re.error:
        return  # e.g. a group name used twice: Python refuses it, and so does the kept path
    entry = kept_regexes._worked_out(pattern, flags)
    kept = re._compiler._sre.compile(pattern, *marshal.loads(marshal.dumps(entry)))  # type: ignore[attr-defined]
    assert same(kept, compiled)
    found, expected = kept.search(subject), compiled.search(subject)
    assert (found and (found.span(), found.groupdict())) == (expected and (expected.span(), expected.groupdict()))
