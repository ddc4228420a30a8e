"""Validate stage: check the document against the OpenAPI schema before anything reads it."""

from __future__ import annotations

from typing import Any

from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from generator.load import Source
from generator.problems import Problem, Severity, SpecError, pointer_of

_MAX_ERRORS = 50


def validate(source: Source) -> None:
    """Raise a SpecError with one located problem per schema violation."""
    validator_class = _validator_for(source)
    problems: list[Problem] = []
    for error in validator_class(source.data).iter_errors():
        problems.append(source.locate(_problem(error)))
        if len(problems) == _MAX_ERRORS:
            break
    if problems:
        raise SpecError(_unique(problems))


def _validator_for(source: Source) -> Any:
    version = source.data.get("openapi")
    if isinstance(version, str) and version.startswith("3.0."):
        return OpenAPIV30SpecValidator
    if isinstance(version, str) and version.startswith("3.1."):
        return OpenAPIV31SpecValidator
    if "swagger" in source.data:
        message = "Swagger 2.0 documents are not supported yet; convert the spec to OpenAPI 3"
        raise SpecError([source.locate(Problem(Severity.ERROR, "/swagger", message))])
    message = f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x"
    raise SpecError([source.locate(Problem(Severity.ERROR, "/openapi", message))])


def _problem(error: ValidationError) -> Problem:
    # "is not valid under any of the given schemas" names no field; the best sub-error does.
    deepest = best_match([error])
    message = deepest.message
    if len(message) > 160:
        message = f"{deepest.validator} check failed: {message[:120]}…"
    return Problem(Severity.ERROR, pointer_of(*deepest.absolute_path), message)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique
