"""The generator's pipeline: load → validate → model → naming → render → format → write."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import model, naming
from generator.format import format_files
from generator.load import load
from generator.problems import Problem, Report
from generator.render import OutputFile, render
from generator.untrusted import Identifier
from generator.validate import validate
from generator.write import write


@dataclass(frozen=True)
class Result:
    package: Identifier
    files: list[OutputFile]
    warnings: list[Problem]


def generate(spec: Path, package: str | None = None) -> Result:
    """The formatted files of the SDK for a spec; a SpecError when the spec cannot be used."""
    source = load(spec)
    validate(source)
    report = Report()
    api = model.build(source, report)
    package_name = Identifier(package) if package else naming.package_name(api.title.raw)
    sdk = naming.name(api, package_name, report)
    files = format_files(render(sdk))
    return Result(package_name, files, [source.locate(warning) for warning in report.warnings])


def generate_to(spec: Path, out: Path, package: str | None = None, *, force: bool = False) -> Result:
    result = generate(spec, package)
    write(result.files, out, keep=spec, force=force)
    return result
