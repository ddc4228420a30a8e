"""The generator's pipeline: load → bundle → validate → (convert Swagger 2.0) → model → naming → render →
format → write."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from generator import model, naming, swagger2
from generator.bundle import bundle
from generator.format import format_files
from generator.load import load
from generator.problems import Problem, Report, Severity, SpecError
from generator.render import OutputFile, render
from generator.untrusted import Identifier
from generator.validate import validate
from generator.write import write


@dataclass(frozen=True)
class Result:
    package: Identifier
    files: list[OutputFile]
    warnings: list[Problem]
    found_files: list[str] = field(default_factory=list)
    """A warning for each file found in the output folder that generate-sdk did not make."""


_TOO_DEEP = (
    "the schemas nest too deeply through $refs, or contain themselves through allOf/anyOf/oneOf, "
    "for generate-sdk to follow"
)


def generate(spec: Path, package: str | None = None, *, strict: bool = False) -> Result:
    """The formatted files of the SDK for a spec; a SpecError when the spec cannot be used."""
    try:
        return _generate(spec, package, strict=strict)
    except RecursionError:
        # Within the document's nesting limit, references can still chain deeper than the validator and
        # the model stage can recurse.
        raise SpecError([Problem(Severity.ERROR, "", _TOO_DEEP, str(spec))]) from None


def _generate(spec: Path, package: str | None, *, strict: bool) -> Result:
    """The formatted files of the SDK for a spec; a SpecError when the spec cannot be used.

    With `strict`, any violation of the OpenAPI schema is an error; without, it is a warning, unless
    the spec is too broken to model, when the violations are reported as the errors they are.
    """
    source = bundle(load(spec))
    violations = validate(source)
    if strict and violations:
        raise SpecError([replace(violation, severity=Severity.ERROR) for violation in violations])
    report = Report()
    try:
        source = swagger2.convert(source, report)
        api = model.build(source, report)
    except SpecError:
        raise
    except Exception:
        if not violations:
            raise
        raise SpecError([replace(violation, severity=Severity.ERROR) for violation in violations]) from None
    package_name = Identifier(package) if package else naming.package_name(api.title.raw)
    sdk = naming.name(api, package_name, report)
    files = format_files(render(sdk))
    located = [source.locate(warning) for warning in report.warnings]
    # Parts written once and used in several places (another file's, a Swagger 2.0 parameter) warn once.
    return Result(package_name, files, list(dict.fromkeys(violations + located)))


def generate_to(
    spec: Path, out: Path, package: str | None = None, *, force: bool = False, strict: bool = False
) -> Result:
    result = generate(spec, package, strict=strict)
    found_files = write(result.files, out, keep=spec, force=force)
    return replace(result, found_files=found_files)
