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
from .files import write_atomically
from .model import TextType
from .scaffold import identity, language_version, skeleton, write_new
from .source import load

DEFAULT_SOURCES = Path("source")
LOOPBACK = "127.0.0.1"
COMMANDS = ("new", "preview", "compare")


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
    compare = commands.add_parser("compare", help="compare two versions of a text, provision by provision")
    compare.add_argument("old", type=Path, metavar="OLD", help="the old version (or the source, with --from)")
    compare.add_argument("new", type=Path, nargs="?", metavar="NEW", help="the new version")
    compare.add_argument(
        "--from", dest="from_revision", metavar="REV", help="compare OLD as it was at this git revision"
    )
    compare.add_argument(
        "--to", dest="to_revision", metavar="REV", help="... with OLD at this revision (default: as it is)"
    )
    compare.add_argument("--out", type=Path, help="write DIR/<new stem>.compare.html and .compare.docx")
    compare.add_argument("--author", default="", help="the tracked changes' author in the DOCX")
    for sub in (new, preview, compare):
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")


def run(arguments: argparse.Namespace) -> int:
    if arguments.command == "compare":
        return compare(arguments)
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
    path = arguments.out / text.source_name
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


def compare(arguments: argparse.Namespace) -> int:
    from .compare import compare as compare_versions
    from .compare.docx import DEFAULT_AUTHOR, render_docx
    from .compare.html import render_html
    from .compare.revisions import at_revision
    from .compare.summary import report

    config = load_config(Path.cwd())
    source: Path = arguments.old
    if not source.is_file():
        raise UsageError(f"no such file: {source}")
    if arguments.from_revision:
        if arguments.new is not None:
            raise UsageError("give one source with --from REV [--to REV], or two sources without")
        old, old_name = at_revision(source, arguments.from_revision, config), f"{source}@{arguments.from_revision}"
        if arguments.to_revision:
            new, new_name = at_revision(source, arguments.to_revision, config), f"{source}@{arguments.to_revision}"
        else:
            new, new_name = load(source, config), str(source)
    elif arguments.to_revision:
        raise UsageError("--to needs --from")
    elif arguments.new is None:
        raise UsageError("give two sources, OLD NEW, or one with --from REV")
    elif not arguments.new.is_file():
        raise UsageError(f"no such file: {arguments.new}")
    else:
        old, old_name = load(source, config), str(source)
        new, new_name = load(arguments.new, config), str(arguments.new)
    comparison = compare_versions(old, new)
    print(report(comparison, old_name, new_name))
    if arguments.out is not None:
        base = arguments.out / f"{new.stem}.compare"
        html = render_html(comparison, old_name, new_name)  # both made before either is written
        docx = render_docx(comparison, arguments.author or DEFAULT_AUTHOR)
        write_atomically(Path(f"{base}.html"), html)
        write_atomically(Path(f"{base}.docx"), docx)
        print(f"pipeline: wrote {base}.html and {base}.docx", file=sys.stderr)
    return 0
