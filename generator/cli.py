"""The `generate-sdk` command."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from generator import __version__, config, record
from generator.check import stale_files
from generator.config import Settings, SettingsError
from generator.problems import Problem, SpecError, printable
from generator.untrusted import Identifier
from generator.write import OutputFolderError, check_replaceable, kept_files, write

if TYPE_CHECKING:
    from generator.pipeline import Progress, Result

# The stages (and black, Jinja and the validator they use) are imported when a run needs them, which a run
# answered by the record of an earlier one does not.

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2
EXIT_STALE = 1
"""`--check`: the output folder is not what the spec generates; `--fail-on-change`: generation changed it."""


def _package_name(value: str) -> str:
    from generator.naming import package_name_is_free

    try:
        name = Identifier(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a valid Python package name") from None
    if not package_name_is_free(name):
        raise argparse.ArgumentTypeError(f"{value!r} would shadow another package; choose another name")
    return name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="generate-sdk",
        description="Generate a typed Python SDK with OAuth 2.0 client-credentials auth from an OpenAPI document.",
    )
    parser.add_argument(
        "spec",
        type=Path,
        nargs="?",
        help="the OpenAPI 3.0/3.1 or Swagger 2.0 document (YAML or JSON); default: the `spec` setting",
    )
    parser.add_argument(
        "-o",
        "--output",
        type=Path,
        help="the folder to write the SDK project to; default: the `output` setting",
    )
    parser.add_argument(
        "--package-name", type=_package_name, help="the Python package name (default: from info.title)"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="generate into an output folder generate-sdk did not create (its files are kept and reported)",
    )
    parser.add_argument(
        "--strict", action="store_true", help="treat every violation of the OpenAPI schema as an error"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and list the stale files when the output folder is not what the spec generates",
    )
    parser.add_argument(
        "--fail-on-change",
        action="store_true",
        help="exit 1 when generation added or changed files, as a pre-commit hook must",
    )
    parser.add_argument(
        "--diff",
        type=Path,
        metavar="OLD_SPEC",
        help="write nothing; print the operations and models added, removed or changed since OLD_SPEC",
    )
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args)
    except SettingsError as error:
        print(f"generate-sdk: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if settings.spec is None:
        parser.error(
            f"give SPEC, or set `spec` in [tool.generate-sdk] of {config.PYPROJECT} or in {config.SETTINGS_FILE}"
        )
    if settings.output is None and args.diff is None:
        parser.error(
            f"give -o OUT, or set `output` in [tool.generate-sdk] of {config.PYPROJECT} or in {config.SETTINGS_FILE}"
        )
    try:
        return _run(args, settings)
    except SpecError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OutputFolderError, SettingsError) as error:
        print(f"generate-sdk: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(
            f"generate-sdk: error: cannot write {settings.output}: {printable(str(error))}", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    except Exception as error:
        if args.debug:
            raise
        print(
            f"generate-sdk: internal error: {printable(type(error).__name__ + ': ' + str(error))}\n"
            "This is a bug in generate-sdk; please report it with the spec (run with --debug for details).",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def _settings(args: argparse.Namespace) -> Settings:
    """The settings file's values, with the flags given in their place."""
    settings = config.override(
        config.find(Path.cwd(), args.spec), spec=args.spec, output=args.output, package_name=args.package_name
    )
    if settings.package_name is not None and settings.package_name != args.package_name:
        try:
            _package_name(settings.package_name)
        except argparse.ArgumentTypeError as error:
            raise SettingsError(f"{settings.source}: setting 'package-name': {error}") from None
    return settings


def _run(args: argparse.Namespace, settings: Settings) -> int:
    assert settings.spec is not None
    if args.diff is not None:
        from generator import diff
        from generator.pipeline import describe

        old, _ = describe(args.diff, settings.package_name, strict=args.strict, project=settings.project)
        new, problems = describe(
            settings.spec, settings.package_name, strict=args.strict, project=settings.project
        )
        _print_warnings(problems)
        print(diff.release_notes(diff.changes(old, new)), end="")
        return EXIT_OK
    assert settings.output is not None
    options = (settings.package_name, args.strict, settings.project)
    earlier = record.find(settings.spec, options)
    if args.check:
        if earlier is not None:
            warnings, stale = earlier.warnings, earlier.stale(settings.output)
        else:
            result = _generate(args, settings, lambda message: None)
            _keep(settings.spec, options, result)
            warnings = [str(warning) for warning in result.warnings]
            stale = stale_files(result.files, settings.output)
        _print_warnings(warnings)
        for name in stale:
            print(f"stale: {settings.output / name}")
        if stale:
            print(
                f"{settings.output} is not what {settings.spec} generates: run generate-sdk", file=sys.stderr
            )
            return EXIT_STALE
        return EXIT_OK
    if earlier is not None and not earlier.stale(settings.output):
        # The folder holds what the spec generates: regenerating would write the same bytes.
        check_replaceable(settings.output.absolute(), args.force, settings.spec)
        _report(earlier.warnings, kept_files(settings.output, set(earlier.files)), settings.output)
        print(f"generated {earlier.package} ({len(earlier.files)} files) in {settings.output}")
        return EXIT_OK
    result = _generate(args, settings, _progress())
    changed = stale_files(result.files, settings.output) if args.fail_on_change else []
    found_files = write(result.files, settings.output, keep=settings.spec, force=args.force)
    _keep(settings.spec, options, result)
    _report([str(warning) for warning in result.warnings], found_files, settings.output)
    print(f"generated {result.package} ({len(result.files)} files) in {settings.output}")
    if changed:
        print(f"{len(changed)} files changed: {', '.join(changed)}", file=sys.stderr)
        return EXIT_STALE
    return EXIT_OK


def _generate(args: argparse.Namespace, settings: Settings, progress: Progress) -> Result:
    from generator.pipeline import generate

    assert settings.spec is not None
    return generate(
        settings.spec, settings.package_name, strict=args.strict, project=settings.project, progress=progress
    )


def _keep(spec: Path, options: object, result: Result) -> None:
    record.keep(spec, options, result.inputs, result.package, result.files, [str(w) for w in result.warnings])


def _report(warnings: list[str], found_files: list[str], output: Path) -> None:
    _print_warnings(warnings)
    for found in found_files:
        print(f"generate-sdk: warning: {printable(f'{output}{os.sep}{found}')}", file=sys.stderr)


def _progress() -> Progress:
    """On a terminal, each stage as it ends, with the time since the start; elsewhere nothing (the
    summary line at the end says what was made)."""
    if not sys.stderr.isatty():
        return lambda message: None
    start = time.monotonic()
    return lambda message: print(f"generate-sdk: {time.monotonic() - start:5.1f}s {message}", file=sys.stderr)


def _print_warnings(warnings: list[Problem] | list[str]) -> None:
    for warning in warnings:
        print(warning, file=sys.stderr)
