"""The `generate-sdk` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from generator import __version__
from generator.naming import package_name_is_free
from generator.pipeline import generate_to
from generator.problems import SpecError, printable
from generator.untrusted import Identifier
from generator.write import OutputFolderError

EXIT_OK, EXIT_INTERNAL, EXIT_BAD_INPUT = 0, 1, 2


def _package_name(value: str) -> str:
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
    parser.add_argument("spec", type=Path, help="the OpenAPI 3.0/3.1 or Swagger 2.0 document (YAML or JSON)")
    parser.add_argument(
        "-o", "--output", type=Path, required=True, help="the folder to write the SDK project to"
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
    parser.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        result = generate_to(args.spec, args.output, args.package_name, force=args.force, strict=args.strict)
    except SpecError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputFolderError as error:
        print(f"generate-sdk: error: {printable(str(error))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        print(f"generate-sdk: error: cannot write {args.output}: {printable(str(error))}", file=sys.stderr)
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
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    for found in result.found_files:
        print(f"generate-sdk: warning: {printable(f'{args.output}{os.sep}{found}')}", file=sys.stderr)
    print(f"generated {result.package} ({len(result.files)} files) in {args.output}")
    return EXIT_OK
