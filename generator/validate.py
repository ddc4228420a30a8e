"""Validate stage: check the document against the OpenAPI schema before anything reads it."""

from __future__ import annotations

import hashlib
import importlib.metadata
import itertools
import json
import multiprocessing
import multiprocessing.process
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from referencing.exceptions import Unresolvable

from generator.cache import Cache
from generator.cache import key as cache_key
from generator.load import Source
from generator.problems import Problem, Severity, SpecError, pointer_of

_MAX_ERRORS = 50
_NOT_A_REFERENCE = "'$ref' is a required property"


def validate(source: Source) -> list[Problem]:
    """One located problem per violation of the OpenAPI (or Swagger 2.0) schema, as warnings.

    Published specs often break a rule that does not matter to a client (an `example` where the schema
    allows none, a stray root keyword): the caller decides whether violations stop generation. Raises a
    SpecError for what no client can be generated from: an unknown OpenAPI version, an unresolvable $ref.
    """
    return Validation(source, background=False).result()


class Validation:
    """`validate`, started at once and answered when asked.

    Validating takes seconds on a large document, and until a violation could stop generation nothing
    else needs its result; with `background`, when the result is not cached and the platform can fork, the
    validator runs in a forked process while the caller goes on with the document (the process has its own
    copy). An unsupported version is still reported at once.
    """

    def __init__(self, source: Source, *, background: bool) -> None:
        self._source = source
        self._validator_class = _validator_for(source)
        self._cache = _cache()
        # The document's key rather than its text, which is as large as the spec, is kept until the end.
        self._key = cache_key(json.dumps(source.data, default=str))
        cached = self._cache.get_by_key(self._key)
        self._found: list[tuple[str, str]] | None = None if cached is None else json.loads(cached)
        self._receive: Connection | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        if self._found is None and background and "fork" in multiprocessing.get_all_start_methods():
            self._receive, send = multiprocessing.Pipe(duplex=False)
            self._child = multiprocessing.get_context("fork").Process(
                target=_send_violations, args=(send, source, self._validator_class), daemon=True
            )
            self._child.start()
            send.close()

    def result(self) -> list[Problem]:
        if self._found is None:
            self._found = self._violations()
            self._cache.put_by_key(self._key, json.dumps(self._found))
        return _unique(
            [
                self._source.locate(Problem(Severity.WARNING, pointer, message))
                for pointer, message in self._found
            ]
        )

    def _violations(self) -> list[tuple[str, str]]:
        if self._receive is None or self._child is None:
            return _pointers_and_messages(self._source, self._validator_class)
        try:
            outcome, value = self._receive.recv()
        except EOFError:  # the process died without answering (killed, out of memory): validate here
            outcome, value = "ok", _pointers_and_messages(self._source, self._validator_class)
        finally:
            self._receive.close()
            self._child.join()
            self._receive = self._child = None
        if outcome == "error":
            raise value
        return list(map(tuple, value))


def _send_violations(send: Connection, source: Source, validator_class: Any) -> None:
    """In the forked process: the violations, or the exception validating raised."""
    try:
        answer: tuple[str, Any] = ("ok", _pointers_and_messages(source, validator_class))
    except Exception as error:
        answer = ("error", error)
    try:
        send.send(answer)
    except Exception as error:  # an exception that does not pickle: its text still tells what happened
        send.send(("error", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}; then {error}")))
    send.close()


def _pointers_and_messages(source: Source, validator_class: Any) -> list[tuple[str, str]]:
    return [(problem.pointer, problem.message) for problem in _violations(source, validator_class)]


def _cache() -> Cache:
    """Validation takes seconds on large documents; its result depends on the document, the validator and
    this module only."""
    module = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return Cache.from_environment(
        f"validation-{importlib.metadata.version('openapi-spec-validator')}-{module}"
    )


def _violations(source: Source, validator_class: Any) -> list[Problem]:
    """The violations, each at its JSON pointer; raises a SpecError when the document cannot be checked."""
    try:
        errors = list(itertools.islice(validator_class(source.data).iter_errors(), _MAX_ERRORS))
    except RecursionError:
        # The validator follows `$ref`s and loops on a schema that includes itself through allOf; the
        # model stage breaks such cycles. Any other overflow (a schema nested too deep) is a limitation.
        cycle = _reference_cycle(source.data)
        if cycle is None:
            raise
        message = f"the document cannot be checked against the OpenAPI schema: $ref cycle {cycle[1]}"
        return [Problem(Severity.WARNING, cycle[0], f"not valid OpenAPI: {message}")]
    except Unresolvable as error:
        message = f"cannot resolve $ref {error.ref!r}"
        raise SpecError([source.locate(Problem(Severity.ERROR, "", message))]) from None
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        # The validator walks the document and trips over values of the wrong kind before reporting them.
        key = error.args[0] if isinstance(error, KeyError) and error.args else None
        pointer = pointer_of(key) if isinstance(key, str) and key in source.data else ""
        message = f"the document is malformed and cannot be checked ({type(error).__name__}: {error})"
        raise SpecError([source.locate(Problem(Severity.ERROR, pointer, message))]) from None
    if "swagger" in source.data:
        errors = [error for error in errors if not _is_swagger_file_type(error)]
    # Some errors about schema objects carry a path relative to the schema, which cannot be located;
    # each comes with a twin that has the full path, so they are left out when there is one.
    located = [error for error in errors if not error.absolute_path or error.absolute_path[0] in source.data]
    return [_problem(error) for error in (located or errors)]


def _validator_for(source: Source) -> Any:
    version = source.data.get("openapi")
    if isinstance(version, str) and version.startswith("3.0."):
        return OpenAPIV30SpecValidator
    if isinstance(version, str) and version.startswith("3.1."):
        return OpenAPIV31SpecValidator
    if "swagger" in source.data:
        if str(source.data["swagger"]) == "2.0":
            return OpenAPIV2SpecValidator
        message = f"unsupported Swagger version {source.data['swagger']!r}; expected 2.0"
        raise SpecError([source.locate(Problem(Severity.ERROR, "/swagger", message))])
    message = f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x"
    raise SpecError([source.locate(Problem(Severity.ERROR, "/openapi", message))])


def _is_swagger_file_type(error: ValidationError) -> bool:
    """Swagger 2.0 allows `type: file` in response schemas; the validator checks those against plain
    JSON Schema, which does not know it."""
    return error.instance == "file" and list(error.relative_path)[-1:] == ["type"]


def _problem(error: ValidationError) -> Problem:
    deepest = _most_specific(error)
    message = deepest.message
    if len(message) > 160:
        message = f"{deepest.validator} check failed: {message[:120]}…"
    path = [*deepest.absolute_path, *_unexpected_key(deepest)]
    return Problem(Severity.WARNING, pointer_of(*path), f"not valid OpenAPI: {message}")


def _unexpected_key(error: ValidationError) -> list[str]:
    """The one key an "additional properties" error is about, so that the pointer (and line) is the key's
    rather than its object's, which may be the whole document; none when the error names several."""
    if error.validator not in ("additionalProperties", "unevaluatedProperties"):
        return []
    if not isinstance(error.instance, dict):
        return []
    named = [key for key in error.instance if isinstance(key, str) and repr(key) in error.message]
    return named if len(named) == 1 else []


def _most_specific(error: ValidationError) -> ValidationError:
    """The sub-error that names the field at fault.

    "Not valid under any of the given schemas" names no field. Its alternatives include "is a Reference
    Object", which is rarely what the author meant; of the others, the deepest names the field.
    """
    while error.context:
        alternatives = [sub for sub in error.context if sub.message != _NOT_A_REFERENCE] or error.context
        error = max(alternatives, key=lambda sub: len(sub.absolute_path))
    return error


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    unique = []
    for problem in problems:
        if str(problem) not in seen:
            seen.add(str(problem))
            unique.append(problem)
    return unique


def _reference_cycle(data: dict[str, Any]) -> tuple[str, str] | None:
    """The pointer of a `$ref` that closes a cycle of component schemas each of which is (through
    allOf, oneOf or anyOf) the next, and the cycle as text; None when there is none."""
    schemas = (data.get("components") or {}).get("schemas") or {}
    prefix = "#/components/schemas/"

    def edges(key: str) -> list[tuple[str, str]]:
        raw = schemas.get(key)
        if not isinstance(raw, dict):
            return []
        found = [(pointer_of("components", "schemas", key), raw.get("$ref"))]
        for keyword in ("allOf", "oneOf", "anyOf"):
            parts = raw.get(keyword)
            parts = parts if isinstance(parts, list) else []
            found += [
                (pointer_of("components", "schemas", key, keyword, index), part.get("$ref"))
                for index, part in enumerate(parts)
                if isinstance(part, dict)
            ]
        return [
            (pointer, ref[len(prefix) :].replace("~1", "/").replace("~0", "~"))
            for pointer, ref in found
            if isinstance(ref, str) and ref.startswith(prefix)
        ]

    finished: set[str] = set()
    for start in map(str, schemas):
        path, pending = ([], []) if start in finished else ([start], [iter(edges(start))])
        while pending:
            step = next(pending[-1], None)
            if step is None:
                finished.add(path.pop())
                pending.pop()
            elif step[1] in path:
                return step[0], " → ".join([*path[path.index(step[1]) :], step[1]])
            elif step[1] not in finished and step[1] in schemas:
                path.append(step[1])
                pending.append(iter(edges(step[1])))
    return None
