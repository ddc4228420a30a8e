"""What the tests check: that the mock server accepted a call, and that its answer has the declared type.

An answer the SDK refuses to read is the SDK's fault only when the answer is one the spec allows: the
mock sometimes answers with data its spec does not allow (an example in the spec that breaks the spec's
own schema, a placeholder where the spec names the values). Such a test is skipped, saying why.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import pydantic
import pytest

from httpccg import ApiError

SPEC = Path(__file__).resolve().parent.parent / "openapi.json"
_PRISM_ERRORS = "https://stoplight.io/prism/errors#"
_answers: list[httpx2.Response] = []
"""The mock server's answer to the call under test, once it has answered."""


def record(response: httpx2.Response) -> None:
    """An event hook of the tests' HTTP client: keeps the answer to check it against the spec."""
    response.read()
    _answers[:] = [response]


def value(annotation: Any, data: object) -> Any:
    """JSON data as a value of the annotation, read as the SDK reads answers (wire names, dates as text)."""
    return pydantic.TypeAdapter(annotation).validate_python(data)


def conforms(result: object, annotation: Any) -> None:
    """Fail unless the result is a value of the annotation, exactly: a model, not a dict that looks like one."""
    adapter = pydantic.TypeAdapter(annotation)
    adapter.validate_python(result, strict=True)
    adapter.dump_python(result, warnings="error")  # a value of another type than declared, however it looks


@contextlib.contextmanager
def accepted(method: str, path: str) -> Iterator[None]:
    """Fail with the mock server's reasons when it refuses the call (`method` and `path` as in the spec)."""
    _answers.clear()
    try:
        yield
    except ApiError as error:
        if _failed_itself(error):
            pytest.skip(f"the mock server failed to answer: {error.body['title']}")
        violations = _request_violations(error.headers)
        pytest.fail(f"the mock server refused the call: {error}: {error.body!r} {violations}", pytrace=False)
    except pydantic.ValidationError as refusal:
        problem = _disallowed(method, path, _answers[0], refusal) if _answers else None
        if problem is None:
            raise
        pytest.skip(f"the mock server answered with data its spec does not allow, which the SDK refused: {problem}")


@contextlib.contextmanager
def refused_as_declared(method: str, path: str) -> Iterator[None]:
    """For an operation whose spec declares errors only: the mock server accepts the call (it finds nothing
    wrong with it) and answers with one of those errors, which the SDK raises."""
    with pytest.raises(ApiError) as raised:
        yield
    error = raised.value
    declared = {str(status).upper() for status in _spec()["paths"][path][method].get("responses", {})}
    status = str(error.status_code)
    assert {status, f"{status[0]}XX", "DEFAULT"} & declared, f"{error} is no answer the spec declares"
    violations = _request_violations(error.headers)
    assert not violations, f"the mock server found the call wrong: {violations}"


def _request_violations(headers: httpx2.Headers) -> list[str]:
    """What the mock server found wrong with the request. Prism says so in this header, also when it
    answers with one of the spec's errors rather than a problem of its own."""
    try:
        found = json.loads(headers.get("sl-violations", "[]"))
    except ValueError:
        return [headers["sl-violations"]]
    return [
        f"{'.'.join(map(str, item.get('location', [])))}: {item.get('message')}"
        for item in found
        if isinstance(item, dict) and item.get("location", [""])[0] == "request"
    ]


def _failed_itself(error: ApiError) -> bool:
    """Whether the mock failed on its own account (it cannot write an answer of a media type, or a header
    example of the spec) after accepting the call: a 5xx with a problem of Prism's own, an error of its
    kinds or a JavaScript one, rather than one of the spec's answers."""
    kind = error.body.get("type") if isinstance(error.body, dict) else None
    prisms = isinstance(kind, str) and (kind.startswith(_PRISM_ERRORS) or kind.endswith("Error"))
    return error.status_code >= 500 and prisms and not _request_violations(error.headers)


def _disallowed(method: str, path: str, answer: httpx2.Response, refusal: pydantic.ValidationError) -> str | None:
    """Why the spec does not allow the answer's body where the SDK refused it; None when the spec allows
    it there (or says nothing about it), which makes the refusal the SDK's fault."""
    operation = _spec()["paths"][path][method]
    responses = operation.get("responses", {})
    status = str(answer.status_code)
    response = responses.get(status) or responses.get(f"{status[0]}XX") or responses.get("default") or {}
    response = _resolved(response)
    media = response  # Swagger 2.0: the schema is the response's own
    if isinstance(response.get("content"), dict):
        media_type = answer.headers.get("Content-Type", "").split(";")[0].strip()
        media = response["content"].get(media_type) or next(iter(response["content"].values()), {})
    schema = media.get("schema") if isinstance(media, dict) else None
    if schema is None:
        return None
    try:
        body = answer.json()
    except ValueError:
        return None
    refused = [tuple(map(str, detail["loc"])) for detail in refusal.errors()]
    # A violation under or above a place the SDK refused explains the refusal; one elsewhere does not.
    explaining = [
        error
        for error in _validator(_pointed(schema)).iter_errors(body)
        if any(_nested(tuple(map(str, error.absolute_path)), loc) for loc in refused)
    ]
    if not explaining:
        return None
    error = explaining[0]
    where = "".join(f"[{part!r}]" for part in error.absolute_path)
    message = error.message if len(error.message) <= 200 else f"{error.message[:120]} … {error.message[-60:]}"
    return f"{message} (at body{where})"


def _nested(violation: tuple[str, ...], refused: tuple[str, ...]) -> bool:
    """Whether a spec violation's place and a place the SDK refused lie on one path of the body. The SDK's
    places may name the union option they tried between parts of the body's path."""
    shorter, longer = sorted((violation, refused), key=len)
    remaining = iter(longer)
    return all(part in remaining for part in shorter)


def _validator(schema: Any) -> Any:
    """A validator of a schema of the spec: its $refs resolved in the spec, its discriminators' mappings
    enforced (OpenAPI 3.1 keeps them, as 3.0 does)."""
    from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    validators: Any = importlib.import_module("jsonschema.validators")  # typed or not, wherever it is installed
    if str(_spec().get("openapi", "")).startswith("3.1"):
        keywords = {name: OAS30Validator.VALIDATORS[name] for name in ("oneOf", "anyOf", "allOf")}
        validator, checker, dialect = validators.extend(OAS31Validator, keywords), oas31_format_checker, DRAFT202012
    else:
        validator, checker, dialect = OAS30Validator, oas30_format_checker, DRAFT4
    registry = Registry().with_resource("urn:spec", Resource.from_contents(_spec(), default_specification=dialect))
    return validator(schema, registry=registry, format_checker=checker)


@functools.cache
def _spec() -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return spec


def _resolved(value: Any) -> Any:
    """A response object, its $refs followed in the spec."""
    for _ in range(32):
        if not isinstance(value, dict) or "$ref" not in value:
            break
        node: Any = _spec()
        for part in value["$ref"].lstrip("#/").split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        value = node
    return value


def _pointed(schema: Any) -> Any:
    """The schema with its local $refs pointing into the spec's resource."""
    if isinstance(schema, dict):
        return {
            key: (
                f"urn:spec{item}"
                if key == "$ref" and isinstance(item, str) and item.startswith("#")
                else _pointed(item)
            )
            for key, item in schema.items()
        }
    if isinstance(schema, list):
        return [_pointed(item) for item in schema]
    return schema
