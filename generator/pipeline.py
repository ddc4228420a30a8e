"""The generator's pipeline: load → bundle → validate → (convert Swagger 2.0) → model → naming → render →
format → write."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from generator import model, naming, swagger2
from generator.bundle import bundle
from generator.config import ProjectSettings
from generator.format import format_files
from generator.load import load
from generator.output import OutputFile
from generator.problems import Problem, Report, Severity, SpecError, printable
from generator.render import render
from generator.untrusted import Identifier
from generator.validate import Validation, located, printed_once
from generator.write import write

Progress = Callable[[str], None]
"""Told what each stage did, for a person watching a long generation."""


def _quiet(message: str) -> None:
    pass


@dataclass(frozen=True)
class Result:
    package: Identifier
    files: list[OutputFile]
    warnings: list[Problem]
    found_files: list[str] = field(default_factory=list)
    """A warning for each file found in the output folder that generate-sdk did not make."""
    inputs: dict[Path, str] = field(default_factory=dict)
    """The text of every file the spec is made of, by resolved path."""


_TOO_DEEP = "the schemas nest too deeply through $refs for generate-sdk to follow"


def generate(
    spec: Path,
    package: str | None = None,
    *,
    strict: bool = False,
    project: ProjectSettings = ProjectSettings(),
    progress: Progress = _quiet,
) -> Result:
    """The formatted files of the SDK for a spec; a SpecError when the spec cannot be used."""
    sdk, warnings, inputs, document = _described(spec, package, strict=strict, project=project, progress=progress)
    try:
        formatted = format_files(_counted(render(sdk, document), progress))
    except Exception:
        _deep_references_reported(spec, warnings)  # a spec validation refuses is reported as such
        raise
    lines = sum(file.text.count("\n") for file in formatted if file.path.suffix == ".py")
    progress(f"formatted {lines} lines of Python")
    return Result(sdk.package, formatted, _deep_references_reported(spec, warnings), inputs=inputs)


def _counted(files: Iterator[OutputFile], progress: Progress) -> Iterator[OutputFile]:
    """The files, and how many there were once the last one is rendered."""
    count = 0
    for count, file in enumerate(files, 1):
        yield file
    progress(f"rendered {count} files")


def describe(
    spec: Path,
    package: str | None = None,
    *,
    strict: bool = False,
    project: ProjectSettings = ProjectSettings(),
    progress: Progress = _quiet,
) -> tuple[naming.Sdk, list[Problem]]:
    """The named SDK of a spec and the warnings; a SpecError when the spec cannot be used."""
    sdk, warnings, _, _ = _described(spec, package, strict=strict, project=project, progress=progress)
    return sdk, _deep_references_reported(spec, warnings)


Warnings = Callable[[], list[Problem]]
"""The warnings of a spec, once the validation running beside the later stages has finished."""


def _described(
    spec: Path, package: str | None, *, strict: bool, project: ProjectSettings, progress: Progress
) -> tuple[naming.Sdk, Warnings, dict[Path, str], dict[str, Any]]:
    """The named SDK, the warnings, the text of each file read and the spec as one document."""
    return _deep_references_reported(
        spec, lambda: _describe(spec, package, strict=strict, project=project, progress=progress)
    )


Value = TypeVar("Value")


def _deep_references_reported(spec: Path, step: Callable[[], Value]) -> Value:
    try:
        return step()
    except RecursionError:
        # Within the document's nesting limit, references can still chain deeper than the validator and
        # the model stage can recurse.
        raise SpecError([Problem(Severity.ERROR, "", _TOO_DEEP, str(spec))]) from None


def _describe(
    spec: Path, package: str | None, *, strict: bool, project: ProjectSettings, progress: Progress
) -> tuple[naming.Sdk, Warnings, dict[Path, str], dict[str, Any]]:
    """The named SDK of a spec, the warnings, the text of each file read, and the spec as one document (its
    files bundled, as written otherwise), which the SDK's tests give the mock server.

    With `strict`, any violation of the OpenAPI schema is an error; without, it is a warning, unless
    the spec is too broken to model, when the violations are reported as the errors they are. Without
    `strict`, validation runs beside the stages that follow; what it raises (an unresolvable $ref) is
    still reported before what those stages raise.
    """
    source = bundle(load(spec))
    document = source.data
    inputs = {file.path.resolve(): file.text for file in source.files}
    progress(f"loaded {printable(str(spec))}")
    validation = Validation(source, background=not strict)

    @functools.cache
    def violations() -> list[Problem]:
        found = validation.result()
        progress(f"validated: {len(found)} violations of the OpenAPI schema")
        return found

    def errors() -> SpecError:
        return SpecError(
            [replace(violation, severity=Severity.ERROR) for violation in located(source, violations())]
        )

    if strict and violations():
        raise errors()
    report = Report()
    try:
        source = swagger2.convert(source, report)
        api = model.build(source, report)
    except SpecError:
        violations()
        raise
    except Exception:
        if not violations():
            raise
        raise errors() from None
    package_name = Identifier(package) if package else naming.package_name(api.title.raw)
    sdk = naming.name(api, package_name, report, project)
    progress(f"modelled {len(api.operations)} operations and {len(api.models)} models")

    def warnings() -> list[Problem]:
        # Located together, for one pass over each file: a large YAML file takes a second to read again.
        found = violations()
        problems = source.locate_all(found + report.warnings)
        # Parts written once and used in several places (another file's, a Swagger 2.0 parameter) warn once.
        return list(dict.fromkeys(printed_once(problems[: len(found)]) + problems[len(found) :]))

    return sdk, warnings, inputs, document


def generate_to(
    spec: Path,
    out: Path,
    package: str | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    project: ProjectSettings = ProjectSettings(),
) -> Result:
    result = generate(spec, package, strict=strict, project=project)
    found_files = write(result.files, out, keep=spec, force=force)
    return replace(result, found_files=found_files)
