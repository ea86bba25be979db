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
LOOPBACK = "127.0.0.1"
COMMANDS = ("new", "preview")


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
    preview = commands.add_parser("preview", help="serve the HTML and PDF editions, rebuilt on every save")
    preview.add_argument(
        "paths", nargs="*", type=Path, metavar="SOURCE", help="source files or folders (default: source/)"
    )
    preview.add_argument("--port", type=int, default=0, help="port to listen on (default: a free one)")
    preview.add_argument(
        "--host", default=LOOPBACK, help=f"address to listen on (default: {LOOPBACK}, this machine only)"
    )
    for sub in (new, preview):
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")


def run(arguments: argparse.Namespace) -> int:
    if arguments.command == "preview":
        return preview(arguments.paths or [DEFAULT_SOURCES], arguments.host, arguments.port)
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


def preview(paths: list[Path], host: str, port: int) -> int:
    from .preview import Preview  # the renderers' engines load only for this command
    from .preview_server import PreviewServer, watching

    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    session = Preview(paths, Path.cwd())
    session.build_all()  # before listening: the first page is already current, the engines warm
    try:
        server = PreviewServer(session, host, port)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    with watching(server):
        if host != LOOPBACK:
            print(f"pipeline: warning: listening on {host}: other machines can read these texts", file=sys.stderr)
        failed = sum(1 for text in session.texts.values() if text.failed)
        print(f"pipeline: {len(session.texts)} texts ({failed} with errors) at {server.url}", file=sys.stderr)
        print("pipeline: Ctrl-C stops the preview", file=sys.stderr, flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("pipeline: preview stopped", file=sys.stderr)
    return 0
