"""The editor's commands (`new`, `preview`, `compare`): their arguments and what they run.

Kept beside cli.py so that the main parser only hooks them in; errors are raised as typed
PipelineErrors and formatted by cli.main like every other command's.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .config import load_config
from .errors import UsageError
from .model import TextType
from .scaffold import identity, language_version, skeleton, write_new

DEFAULT_SOURCES = Path("source")
COMMANDS = ("new",)


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    new = commands.add_parser("new", help="write the skeleton of a new source, or a language version of one")
    new.add_argument("type", nargs="?", metavar="TYPE", help=f"one of {', '.join(t.value for t in TextType)}")
    new.add_argument("number", nargs="?", type=int, metavar="NUMBER")
    new.add_argument("year", nargs="?", type=int, metavar="YEAR")
    new.add_argument("--lang", required=True, metavar="LANG", help="language of the new source, e.g. en, fr")
    new.add_argument("--title", default="", help="the title as adopted (otherwise a placeholder)")
    new.add_argument(
        "--from", dest="original", type=Path, metavar="OTHER.md", help="start a language version of this source"
    )
    new.add_argument("--out", type=Path, default=DEFAULT_SOURCES, help="folder to write to (default: source/)")
    for sub in (new,):
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")


def run(arguments: argparse.Namespace) -> int:
    return new(arguments)


def new(arguments: argparse.Namespace) -> int:
    given = (arguments.type, arguments.number, arguments.year)
    if arguments.original is not None:
        if not arguments.original.is_file():
            raise UsageError(f"no such file: {arguments.original}")
        text, content = language_version(arguments.original, arguments.lang, load_config(Path.cwd()), arguments.title)
        if any(value is not None for value in given) and given != (text.type.value, text.number, text.year):
            raise UsageError(f"{arguments.original} is {text.type.value} {text.number} ({text.year}), not {given}")
        todo = "translate the title, the body and each value marked 'to translate'"
    else:
        if None in given:
            raise UsageError("give TYPE NUMBER YEAR (e.g. resolution 2500 2026), or --from OTHER.md")
        text = identity(arguments.type, arguments.number, arguments.year, arguments.lang)
        content = skeleton(text, arguments.title)
        todo = "fill in every placeholder ('', YYYY-MM-DD, the empty paragraph 1.)"
    path = arguments.out / text.file_name
    write_new(path, content)
    print(f"{path}: written; {todo}, then run `pipeline check {path}`", file=sys.stderr)
    return 0
