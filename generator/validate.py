"""Validate stage: check the document against the OpenAPI schema before anything reads it.

The check is openapi-spec-validator's, in its two halves: the document against the OpenAPI JSON Schema,
then the validator's own checks that the schema cannot express (unique operation ids, path parameters
declared, each schema a valid JSON Schema). Both take seconds on a large document, so results are cached
in three ways, each giving exactly the violations a whole run gives:

- the whole document's violations, under the whole document;
- for the JSON Schema half, each path item's and each component's violations, under that part's JSON: a
  document with one operation changed checks that operation's path item and replays the rest. Each part
  meets the OpenAPI schema through a `$ref` (or `oneOf`) with no `oneOf`/`anyOf` above it, so its errors
  reach the top unchanged and in the order a whole run gives them;
- the validator's own checks, under the part of the document they read (see `_keyword_checks_input`):
  they follow `$ref`s and keep state across parts (a schema is checked where it is first reached, an
  operation id against the ones before it), so their result cannot be put together from parts.

jsonschema and openapi-spec-validator are imported only when something must be checked.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import itertools
import json
import multiprocessing
import multiprocessing.process
import re
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from generator.cache import Cache
from generator.cache import key as cache_key
from generator.load import Source
from generator.problems import Problem, Severity, SpecError, pointer_of

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError

_MAX_ERRORS = 50
_NOT_A_REFERENCE = "'$ref' is a required property"
_REPLAYED = "generate-sdk: replayed"
"""The `validator` of an error replayed from the cache of its part; its `validator_value` is the rest of
the path of the field the error names, below the error's own path."""


class Violation(NamedTuple):
    """One violation as it leaves the validator, in what the rest of the stage needs of it."""

    path: list[str | int]
    """Where the error is reported, from the part it was found in (the document, or one path item or
    component)."""
    rest: list[str | int]
    """The path from there down to the field at fault (see `_most_specific`)."""
    message: str
    file_type: bool
    """The value at fault is the string "file" (see `_is_swagger_file_type`)."""


def validate(source: Source) -> list[Problem]:
    """One located problem per violation of the OpenAPI (or Swagger 2.0) schema, as warnings.

    Published specs often break a rule that does not matter to a client (an `example` where the schema
    allows none, a stray root keyword): the caller decides whether violations stop generation. Raises a
    SpecError for what no client can be generated from: an unknown OpenAPI version, an unresolvable $ref.
    """
    return located(source, Validation(source, background=False).result())


def located(source: Source, violations: list[Problem]) -> list[Problem]:
    """The violations with their file, line and column."""
    return printed_once(source.locate_all(violations))


class Validation:
    """`validate`, started at once and answered when asked.

    Validating takes seconds on a large document, and until a violation could stop generation nothing
    else needs its result; with `background`, when the result is not cached and the platform can fork, the
    validator runs in a forked process while the caller goes on with the document (the process has its own
    copy). An unsupported version is still reported at once.
    """

    def __init__(self, source: Source, *, background: bool) -> None:
        self._source = source
        self._version = _version(source)
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
                target=_send_violations, args=(send, source, self._version), daemon=True
            )
            self._child.start()
            send.close()

    def result(self) -> list[Problem]:
        """The violations at their pointers, not yet located (see `located`)."""
        if self._found is None:
            self._found = self._violations()
            self._cache.put_by_key(self._key, json.dumps(self._found))
        return [Problem(Severity.WARNING, pointer, message) for pointer, message in self._found]

    def _violations(self) -> list[tuple[str, str]]:
        if self._receive is None or self._child is None:
            return _pointers_and_messages(self._source, self._version)
        try:
            outcome, value = self._receive.recv()
        except EOFError:  # the process died without answering (killed, out of memory): validate here
            outcome, value = "ok", _pointers_and_messages(self._source, self._version)
        finally:
            self._receive.close()
            self._child.join()
            self._receive = self._child = None
        if outcome == "error":
            raise value
        return list(map(tuple, value))


def _send_violations(send: Connection, source: Source, version: str) -> None:
    """In the forked process: the violations, or the exception validating raised."""
    try:
        answer: tuple[str, Any] = ("ok", _pointers_and_messages(source, version))
    except Exception as error:
        answer = ("error", error)
    try:
        send.send(answer)
    except Exception as error:  # an exception that does not pickle: its text still tells what happened
        send.send(("error", RuntimeError(f"{type(answer[1]).__name__}: {answer[1]}; then {error}")))
    send.close()


def _pointers_and_messages(source: Source, version: str) -> list[tuple[str, str]]:
    return [(problem.pointer, problem.message) for problem in _violations(source, version)]


def _cache() -> Cache:
    """Validation takes seconds on large documents; its result depends on the document, the validator and
    this module only."""
    module = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    versions = "-".join(importlib.metadata.version(name) for name in ("openapi-spec-validator", "jsonschema"))
    return Cache.from_environment(f"validation-{versions}-{module}")


def _violations(source: Source, version: str) -> list[Problem]:
    """The violations, each at its JSON pointer; raises a SpecError when the document cannot be checked."""
    from referencing.exceptions import Unresolvable

    cache = _cache()
    try:
        found = list(itertools.islice(_schema_violations(source.data, version, cache), _MAX_ERRORS))
        if len(found) < _MAX_ERRORS:
            found += _keyword_violations(source.data, version, cache, _MAX_ERRORS - len(found))
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
        found = [violation for violation in found if not _is_swagger_file_type(violation)]
    # Some errors about schema objects carry a path relative to the schema, which cannot be located;
    # each comes with a twin that has the full path, so they are left out when there is one.
    locatable = [violation for violation in found if not violation.path or violation.path[0] in source.data]
    return [
        Problem(
            Severity.WARNING,
            pointer_of(*violation.path, *violation.rest),
            f"not valid OpenAPI: {violation.message}",
        )
        for violation in (locatable or found)
    ]


def _version(source: Source) -> str:
    """The version of the OpenAPI schema the document is checked against."""
    version = source.data.get("openapi")
    if isinstance(version, str) and version.startswith(("3.0.", "3.1.")):
        return version[:3]
    if "swagger" in source.data:
        if str(source.data["swagger"]) == "2.0":
            return "2.0"
        message = f"unsupported Swagger version {source.data['swagger']!r}; expected 2.0"
        raise SpecError([source.locate(Problem(Severity.ERROR, "/swagger", message))])
    message = f"unsupported OpenAPI version {version!r}; expected 3.0.x or 3.1.x"
    raise SpecError([source.locate(Problem(Severity.ERROR, "/openapi", message))])


def _schema_violations(data: dict[str, Any], version: str, cache: Cache) -> Iterator[Violation]:
    """The document against the OpenAPI JSON Schema, as openapi-spec-validator checks it, each path item
    and component answered from the cache when its JSON was checked before."""
    from jsonschema.validators import extend, validator_for

    # The library's own copy of the schema, found without importing the library (which takes longer than
    # checking a changed part).
    package = importlib.util.find_spec("openapi_spec_validator")
    assert package is not None and package.origin is not None
    schema_file = Path(package.origin).parent / "resources" / "schemas" / f"v{version}" / "schema.json"
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    parts = _part_schemas(schema, version)
    checker = validator_for(schema)
    keywords = {next(iter(part)) for part in parts.values()}
    cached = {
        keyword: _cached_part(checker.VALIDATORS[keyword], parts, version, cache) for keyword in keywords
    }
    with_cache = extend(checker, cached)  # type: ignore[no-untyped-call]
    return map(_violation, with_cache(schema).iter_errors(data))


def _part_schemas(schema: dict[str, Any], version: str) -> dict[int, dict[str, Any]]:
    """The subschemas (by identity) that each path item and each component is checked against: the
    values of the paths object's and the components' objects' `patternProperties` and
    `additionalProperties`, when each is one keyword whose errors are all the subschema's."""
    if version == "2.0":
        definitions = schema["definitions"]
        containers = [definitions["paths"], definitions["definitions"]]
    else:
        definitions = schema["$defs"] if version == "3.1" else schema["definitions"]
        paths, components = (
            definitions[name]
            for name in (("paths", "components") if version == "3.1" else ("Paths", "Components"))
        )
        containers = [paths, *components["properties"].values()]
    subschemas = [
        subschema
        for container in containers
        for subschema in [
            *container.get("patternProperties", {}).values(),
            container.get("additionalProperties"),
        ]
    ]
    return {
        id(subschema): subschema
        for subschema in subschemas
        if isinstance(subschema, dict) and len(subschema) == 1
    }


Check = Callable[[Any, Any, Any, dict[str, Any]], Iterator["ValidationError"]]
"""A jsonschema keyword's function: (validator, the keyword's value, instance, the subschema)."""


def _cached_part(check: Check, parts: dict[int, dict[str, Any]], version: str, cache: Cache) -> Check:
    """`check`, answered from the cache when the subschema is one of `parts`; the errors of a part are
    kept once all of them are known (a caller that stops early, at the error limit, keeps none)."""

    def cached(
        validator: Any, value: Any, instance: Any, schema: dict[str, Any]
    ) -> Iterator[ValidationError]:
        if id(schema) not in parts:
            yield from check(validator, value, instance, schema)
            return
        key = cache_key(json.dumps([version, schema, instance], default=str))
        saved = cache.get_by_key(key)
        if saved is not None:
            yield from map(_replayed, json.loads(saved))
            return
        found = []
        for error in check(validator, value, instance, schema):
            found.append(_violation(error))
            yield error
        cache.put_by_key(key, json.dumps(found))

    return cached


def _replayed(saved: list[Any]) -> ValidationError:
    """A cached violation as an error that the validator passes up as it passes up the error it was."""
    from jsonschema.exceptions import ValidationError

    path, rest, message, file_type = saved
    return ValidationError(
        message,
        path=path,
        validator=_REPLAYED,
        validator_value=rest,
        instance="file" if file_type else None,
    )


def _violation(error: ValidationError) -> Violation:
    if error.validator == _REPLAYED:
        rest = cast(list[str | int], error.validator_value)
        return Violation(list(error.path), rest, error.message, error.instance == "file")
    deepest = _most_specific(error)
    message = deepest.message
    if len(message) > 160:
        message = f"{deepest.validator} check failed: {message[:120]}…"
    path = list(error.path)
    at = [*deepest.absolute_path, *_unexpected_key(deepest)]
    return Violation(path, at[len(path) :], message, error.instance == "file")


def _keyword_violations(data: dict[str, Any], version: str, cache: Cache, wanted: int) -> list[Violation]:
    """The first `wanted` violations openapi-spec-validator finds beyond the JSON Schema."""
    key = cache_key(json.dumps(["keyword checks", version, _keyword_checks_input(data)], default=str))
    saved = cache.get_by_key(key)
    if saved is not None:
        complete, found = json.loads(saved)
        if complete or len(found) >= wanted:
            return [Violation(*violation) for violation in found[:wanted]]
    import openapi_spec_validator as library

    validator_class = {
        "2.0": library.OpenAPIV2SpecValidator,
        "3.0": library.OpenAPIV30SpecValidator,
        "3.1": library.OpenAPIV31SpecValidator,
    }[version]
    validator = validator_class(data)
    errors = validator.root_validator(validator.schema_path)
    found = [_violation(error) for error in itertools.islice(errors, wanted)]
    cache.put_by_key(key, json.dumps([len(found) < wanted, found]))
    return found


_LOCAL_PARTS_KEPT_WHOLE = re.compile(r'"\$ref": "(?!#/(components|definitions|parameters|responses)/)')
"""A `$ref` to anywhere but a part that `_keyword_checks_input` keeps whole, in the document's JSON."""
_NOT_READ = {
    "document": set("info servers security externalDocs webhooks host basePath schemes".split()),
    "path item": set("summary description servers".split()),
    "operation": set(
        "summary description tags externalDocs requestBody callbacks deprecated security servers consumes"
        " produces schemes".split()
    ),
    "response": set("description headers links examples".split()),
    "media type": set("example examples encoding".split()),
}
"""What openapi-spec-validator's own checks never read (its validation/keywords.py): they walk the tags'
names, each path item's parameters and operations, each operation's id, parameters and responses, each
response's schemas, and the component schemas, following `$ref`s."""
_OPERATIONS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _keyword_checks_input(data: dict[str, Any]) -> Any:
    """The document without what the validator's own checks never read (and without extensions, `x-`
    keys, in the objects it walks), so that a changed summary or description does not repeat them; the
    whole document when a `$ref` could lead them into a part left out."""
    if _LOCAL_PARTS_KEPT_WHOLE.search(json.dumps(data, default=str)):
        return data
    paths = data.get("paths")
    if not isinstance(paths, dict):
        return _read(data, "document")
    walked = {}
    for url, item in paths.items():
        if isinstance(item, dict):
            item = {
                key: _operation_read(value) if key in _OPERATIONS else value
                for key, value in _read(item, "path item").items()
            }
        walked[url] = item
    return {**_read(data, "document"), "paths": walked}


def _read(value: Any, kind: str) -> Any:
    """An object of a kind without the keys the validator's own checks never read in it."""
    if not isinstance(value, dict):
        return value
    return {
        key: item
        for key, item in value.items()
        if key not in _NOT_READ[kind] and not (isinstance(key, str) and key.startswith("x-"))
    }


def _operation_read(operation: Any) -> Any:
    operation = _read(operation, "operation")
    responses = operation.get("responses") if isinstance(operation, dict) else None
    if not isinstance(responses, dict):
        return operation
    read = {}
    for code, response in responses.items():
        response = _read(response, "response")
        content = response.get("content") if isinstance(response, dict) else None
        if isinstance(content, dict):
            response = {
                **response,
                "content": {kind: _read(media, "media type") for kind, media in content.items()},
            }
        read[code] = response
    return {**operation, "responses": read}


def _is_swagger_file_type(violation: Violation) -> bool:
    """Swagger 2.0 allows `type: file` in response schemas; the validator checks those against plain
    JSON Schema, which does not know it."""
    return violation.file_type and violation.path[-1:] == ["type"]


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


def printed_once(problems: list[Problem]) -> list[Problem]:
    """Each problem once, by how it prints, in order."""
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
