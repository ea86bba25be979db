"""The `pipeline` command: turns typed errors into one line each and an exit code.

Exit codes: 0 success; 1 invalid input (after building every valid text); 2 usage error.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .build import Builder, Outcome
from .config import load_config
from .errors import PipelineError, Severity, UsageError
from .ingest import ingest as ingest_one
from .renderers import REGISTRY, renderer_class
from .source import find_sources, read

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
DEFAULT_SOURCES = Path("source")
DEFAULT_OUTPUT = Path("output")


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="pipeline", description="Publish adopted texts in every edition.")
    main.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="render sources into editions")
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="source files or folders (default: source/)")
    build.add_argument(
        "--format", default=",".join(REGISTRY), help=f"comma-separated formats (default: all of {', '.join(REGISTRY)})"
    )
    build.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: output/)")
    check = commands.add_parser("check", help="validate sources without rendering")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="source files or folders (default: source/)")
    ingest = commands.add_parser("ingest", help="turn raw PDF text extractions into canonical sources")
    ingest.add_argument("raw", nargs="+", type=Path, metavar="RAW", help="raw text files")
    ingest.add_argument("-o", "--out", type=Path, default=DEFAULT_SOURCES, help="folder to write to (default: source/)")
    for sub in (build, check, ingest):
        sub.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")
    return main


def main(argv: list[str] | None = None) -> int:
    arguments = parser().parse_args(argv)
    try:
        return run(arguments)
    except PipelineError as exc:
        if arguments.debug:
            traceback.print_exc()
        print(f"pipeline: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_INVALID


def run(arguments: argparse.Namespace) -> int:
    if arguments.command == "ingest":
        return ingest_raw(arguments.raw, arguments.out)
    paths: list[Path] = arguments.paths or [DEFAULT_SOURCES]
    missing = [p for p in paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    config = load_config(Path.cwd())
    if arguments.command == "check":
        return check(paths, config)
    formats = [name.strip() for name in arguments.format.split(",") if name.strip()]
    for name in formats:
        renderer_class(name)
    outcomes = Builder(formats, arguments.out, config, debug=arguments.debug).build(paths)
    return report(outcomes)


def check(paths: list[Path], config: object) -> int:
    from .config import Config

    assert isinstance(config, Config)
    outcomes = [Outcome(source, problems=read(source, config).problems) for source in find_sources(paths)]
    return report(outcomes, verb="checked")


def ingest_raw(raws: list[Path], out: Path) -> int:
    missing = [p for p in raws if not p.is_file()]
    if missing:
        raise UsageError(f"no such file: {', '.join(map(str, missing))}")
    if out.exists() and not out.is_dir():
        raise UsageError(f"not a folder: {out}")
    config = load_config(Path.cwd())
    return report([ingest_one(raw, out, config) for raw in raws], verb="ingested")


def report(outcomes: list[Outcome], verb: str = "built") -> int:
    for outcome in outcomes:
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        if outcome.failure:
            print(f"{outcome.source}: error: {outcome.failure}", file=sys.stderr)
    failed = [o for o in outcomes if o.failed]
    warnings = sum(1 for o in outcomes for p in o.problems if p.severity is Severity.WARNING)
    files = sum(len(o.written) for o in outcomes)
    summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} texts {verb}"
    if verb == "built":
        summary += f", {files} files written"
    print(f"{summary}; {len(failed)} failed, {warnings} warnings", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
