"""The `pipeline` command: turns typed errors into one line each and an exit code.

Exit codes: 0 success; 1 invalid input (after building every valid text); 2 usage error;
3 the machine cannot build the editions asked for (nothing rendered; `pipeline doctor` says why).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeAlias

from . import editing
from .agreement import check_sources
from .config import Config, load_config
from .environment import EnvironmentProblem, all_checks, preflight
from .errors import ConfigError, PipelineError, Severity, UsageError, printable
from .outcome import Outcome
from .renderers import REGISTRY, renderer_class
from .source import Reading, find_sources, read
from .workers import check_scheduler, default_workers

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
EXIT_ENVIRONMENT = 3  # this machine lacks a library, font or tool an edition needs
EXIT_INTERRUPTED = 130  # the shell's code for Ctrl-C
DEFAULT_SOURCES = Path("source")
DEFAULT_OUTPUT = Path("output")
DEFAULT_BAG = Path("package")
EXECUTORS = ("local", "dask")


def parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser. Given the arguments, only the command they name gets its
    sub-parser (argparse takes a third of a millisecond for each, a fiftieth of a one-text build);
    with none, or an unknown one, every command is set up (for --help and the error's choices)."""
    main = argparse.ArgumentParser(prog="pipeline", description="Publish adopted texts in every edition.")
    main.add_argument("--debug", action="store_true", help="show tracebacks")
    every = [name for names, _ in COMMANDS for name in names]
    # The usage names every command, whichever sub-parsers were set up.
    commands = main.add_subparsers(dest="command", required=True, metavar="{" + ",".join(every) + "}")
    named = _named_command(argv)
    for names, add in COMMANDS:
        if named is None or named in names:
            add(commands)
    return main


def _named_command(argv: Sequence[str] | None) -> str | None:
    for argument in sys.argv[1:] if argv is None else argv:
        if argument == "--debug":
            continue
        return argument if any(argument in names for names, _ in COMMANDS) else None
    return None


Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _build_command(commands: Commands) -> None:
    build = commands.add_parser("build", help="render sources into editions")
    build.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="source files or folders (default: source/)")
    build.add_argument(
        "--format", default=",".join(REGISTRY), help=f"comma-separated formats (default: all of {', '.join(REGISTRY)})"
    )
    build.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: output/)")
    build.add_argument(
        "-j", "--jobs", type=_positive, default=0, metavar="N", help="worker processes (default: number of cores)"
    )
    build.add_argument("--force", action="store_true", help="rebuild every text, even those up to date")
    build.add_argument("--verify", action="store_true", help="hash every output instead of trusting size and time")
    build.add_argument(
        "--executor", choices=EXECUTORS, default="local", help="where texts are rendered (default: local)"
    )
    build.add_argument("--scheduler", default="", metavar="ADDRESS", help="Dask scheduler, e.g. tcp://10.0.0.5:8786")
    _debug(build)


def _package_command(commands: Commands) -> None:
    package = commands.add_parser("package", help="write a BagIt archive of every source, volume and edition")
    package.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="source files or folders, volume files (default: source/ and volumes/)",
    )
    package.add_argument(
        "--editions", type=Path, default=DEFAULT_OUTPUT, help="folder built by `pipeline build` (default: output/)"
    )
    package.add_argument("--out", type=Path, default=DEFAULT_BAG, help="the bag to write (default: package/)")
    package.add_argument(
        "--format", default=",".join(REGISTRY), help=f"formats to include (default: all of {', '.join(REGISTRY)})"
    )
    _debug(package)


def _check_command(commands: Commands) -> None:
    check = commands.add_parser("check", help="validate sources without rendering")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="source files or folders (default: source/)")
    _debug(check)


def _doctor_command(commands: Commands) -> None:
    doctor = commands.add_parser("doctor", help="check that this machine can build every edition exactly")
    doctor.add_argument("--tests", action="store_true", help="also check the validators the test suite uses")
    _debug(doctor)


def _ingest_command(commands: Commands) -> None:
    ingest = commands.add_parser("ingest", help="turn raw PDF text extractions into canonical sources")
    ingest.add_argument("raw", nargs="+", type=Path, metavar="RAW", help="raw text files")
    ingest.add_argument("-o", "--out", type=Path, default=DEFAULT_SOURCES, help="folder to write to (default: source/)")
    _debug(ingest)


def _synoptic_command(commands: Commands) -> None:
    synoptic = commands.add_parser("synoptic", help="set the language versions of each text side by side")
    synoptic.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="source files or folders (default: source/)"
    )
    synoptic.add_argument("--out", type=Path, default=DEFAULT_OUTPUT, help="output folder (default: output/)")
    _debug(synoptic)


def _debug(command: argparse.ArgumentParser) -> None:
    command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks")


# In the order --help lists them.
COMMANDS: tuple[tuple[tuple[str, ...], Callable[[Commands], None]], ...] = (
    (("build",), _build_command),
    (("package",), _package_command),
    (("check",), _check_command),
    (("doctor",), _doctor_command),
    (("ingest",), _ingest_command),
    (("synoptic",), _synoptic_command),
    (editing.COMMANDS, editing.add_commands),  # new, preview, compare
)


def main(argv: list[str] | None = None) -> int:
    arguments = parser(argv).parse_args(argv)
    try:
        return run(arguments)
    except PipelineError as exc:
        if arguments.debug:
            traceback.print_exc()
        if isinstance(exc, ConfigError):  # already one located line per problem
            print(str(exc), file=sys.stderr)
        else:
            print(printable(f"pipeline: error: {exc}"), file=sys.stderr)
        if isinstance(exc, EnvironmentProblem):
            print("pipeline: run `pipeline doctor` for every check", file=sys.stderr)
            return EXIT_ENVIRONMENT
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_INVALID
    except KeyboardInterrupt:  # what was finished is recorded: the next build goes on from there
        print("pipeline: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def run(arguments: argparse.Namespace) -> int:
    if arguments.command in editing.COMMANDS:
        return editing.run(arguments)
    if arguments.command == "ingest":
        return ingest_raw(arguments.raw, arguments.out)
    if arguments.command == "doctor":
        return doctor(arguments.tests)
    paths: list[Path] = arguments.paths or [DEFAULT_SOURCES]
    missing = [p for p in paths if not os.path.lexists(p)]  # os.path: a name too long is just missing
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    config = load_config(Path.cwd())
    if arguments.command == "check":
        return check(paths, config)
    if arguments.command == "synoptic":
        return synoptic_editions(paths, arguments.out, config)
    formats = [renderer_class(name.strip()).name for name in arguments.format.split(",") if name.strip()]
    if not formats:
        raise UsageError(f"--format names no format: give one or more of {', '.join(REGISTRY)}")
    if arguments.command == "package":
        return package(paths, arguments, formats, config)
    return build(paths, arguments, formats, config)


def build(paths: list[Path], arguments: argparse.Namespace, formats: list[str], config: Config) -> int:
    from .incremental import build_corpus, formats_with_volumes
    from .progress import Display, print_summary
    from .volumes import VOLUME_SUFFIX, VOLUMES_FOLDER, find_volumes

    # `pipeline build SOURCES… VOLUME.toml…`: the texts of SOURCES and those volumes; with no
    # argument, the whole project: its texts and every volume of volumes/. Either way the build
    # state records both, so the next build rebuilds only what changed and `package` bags them.
    given = [path for path in paths if path.name.endswith(VOLUME_SUFFIX) and not path.is_dir()]
    if given:
        paths = [path for path in paths if path not in given] or [DEFAULT_SOURCES]
    volumes = given or (find_volumes([VOLUMES_FOLDER]) if not arguments.paths and VOLUMES_FOLDER.is_dir() else [])
    if arguments.executor == "dask":
        check_scheduler(arguments.scheduler)
    if os.path.lexists(arguments.out) and not os.path.isdir(arguments.out):
        raise UsageError(f"not a folder: {arguments.out}")
    if arguments.executor == "local":  # Dask workers are other machines: each checks its own engines
        preflight(formats)
    display = Display()
    if given and not formats_with_volumes(formats):
        display.line(f"pipeline: no volume format among {', '.join(formats)}: the volumes are not built")
    try:
        summary = build_corpus(
            paths,
            formats,
            arguments.out,
            config,
            workers=arguments.jobs or default_workers(),
            force=arguments.force,
            verify=arguments.verify,
            executor=arguments.executor,
            scheduler=arguments.scheduler,
            debug=arguments.debug,
            on_start=display.start,
            on_outcome=display.outcome,
            on_notice=lambda text: display.line(f"pipeline: {text}"),
            volumes=volumes,
            on_volume=display.volume,
        )
    finally:
        display.close()
    print_summary(summary, display)
    failed = any(o.failed for o in summary.outcomes) or any(o.failed for o in summary.volume_outcomes)
    return EXIT_INVALID if failed else EXIT_OK


def package(paths: list[Path], arguments: argparse.Namespace, formats: list[str], config: Config) -> int:
    from .package import package as make_package
    from .volumes import VOLUME_SUFFIX, VOLUMES_FOLDER, find_volumes

    volumes = [path for path in paths if path.name.endswith(VOLUME_SUFFIX) and not path.is_dir()]
    if not arguments.paths and VOLUMES_FOLDER.is_dir():  # the whole project: its volumes too
        volumes = find_volumes([VOLUMES_FOLDER])
    sources = [path for path in paths if path not in volumes] or [DEFAULT_SOURCES]
    packed = make_package(sources, arguments.editions, arguments.out, formats, config, volumes=volumes)
    print(
        f"{packed.bag}: bag of {packed.texts} texts, {packed.sources} sources, {packed.volumes} volumes and "
        f"{packed.editions} editions ({packed.size} bytes of payload)",
        file=sys.stderr,
    )
    return EXIT_OK


def doctor(tests: bool) -> int:
    """One line per component; 0 when every edition can be built exactly."""
    checks = all_checks(tests)
    for check in checks:
        print(check.line())
    failed = [check for check in checks if not check.ok]
    print(f"{len(checks) - len(failed)} of {len(checks)} checks passed", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {text!r}")
    return value


def check(paths: list[Path], config: Config) -> int:
    """Every source's problems, and where its language versions disagree with it."""
    from .renderers.fonts import glyph_problems, print_coverage

    covered = print_coverage()

    def checked(source: Path) -> Reading:
        """The source read, and what the print edition's faces cannot set in it."""
        reading = read(source, config)
        if covered is None or reading.document is None:
            return reading
        missing = glyph_problems(reading.document, covered, source)
        found = sorted([*reading.problems, *missing], key=lambda p: (p.line, p.column))
        return Reading(None if missing else reading.document, found)

    found = check_sources(find_sources(paths), checked)
    return report([Outcome(source, problems=problems) for source, problems in found.items()], verb="checked")


def synoptic_editions(paths: list[Path], out: Path, config: Config) -> int:
    """`<slug>.synoptic.pdf` and `.docx` for every text with several language versions."""
    from .renderers.synoptic import FORMATS, build_synoptic

    if os.path.lexists(out) and not os.path.isdir(out):
        raise UsageError(f"not a folder: {out}")
    preflight(FORMATS)
    outcomes = build_synoptic(paths, out, config)
    if not outcomes:
        print("pipeline: no text has two or more language versions among these sources", file=sys.stderr)
    return report(outcomes, verb="set side by side")


def ingest_raw(raws: list[Path], out: Path) -> int:
    from .ingest import ingest_all  # only here: the importers are a third of the start-up of a build

    missing = [p for p in raws if not os.path.isfile(p)]
    if missing:
        raise UsageError(f"no such file: {', '.join(map(str, missing))}")
    if os.path.lexists(out) and not os.path.isdir(out):
        raise UsageError(f"not a folder: {out}")
    config = load_config(Path.cwd())
    outcomes: list[Outcome] = []
    for raw in raws:
        texts = ingest_all(raw, out, config)
        if len(texts) > 1:  # a compilation: one source for each text in it
            print(f"{len(texts)} texts found in {raw}", file=sys.stderr)
        outcomes += texts
    return report(outcomes, verb="ingested")


def report(outcomes: list[Outcome], verb: str) -> int:
    """Problem lines, then the summary line, for `check` and `ingest` (`build` has its own display)."""
    for outcome in outcomes:
        for problem in outcome.problems:
            print(problem, file=sys.stderr)
        if outcome.failure:
            print(printable(f"{outcome.source}: error: {outcome.failure}"), file=sys.stderr)
    failed = [o for o in outcomes if o.failed]
    warnings = sum(1 for o in outcomes for p in o.problems if p.severity is Severity.WARNING)
    summary = f"{len(outcomes) - len(failed)} of {len(outcomes)} texts {verb}"
    print(f"{summary}; {len(failed)} failed, {warnings} warnings", file=sys.stderr)
    return EXIT_INVALID if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
