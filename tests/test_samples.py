"""generator.samples: request values that conform to their schemas.

Each rule has a test on a small inline schema, whose sample an independent validator checks as well: the
oracle, openapi-schema-validator, reading schemas as a request's validator does (readOnly properties absent
and never required). The oracle then checks every value sampled for the parameters and request bodies of
the real specs and of generated schemas, and agrees with `Sampler.conforms` on the real specs' examples.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend
from openapi_schema_validator import (
    OAS30WriteValidator,
    OAS31Validator,
    oas30_format_checker,
    oas31_format_checker,
)
from openapi_schema_validator import _keywords as oas_keywords
from referencing import Registry
from referencing.jsonschema import DRAFT4, DRAFT202012

from generator import regex_sample, swagger2
from generator.bundle import bundle
from generator.load import load
from generator.problems import Report
from generator.samples import NoSample, Sampler
from generator.schema_check import Refs

REAL = ROOT.parent / "shared" / "specs" / "real"
REAL_SPECS = (
    sorted(
        [path for path in REAL.glob("*") if path.suffix in (".yaml", ".json")]
        + [
            REAL / "large-no-cc" / "okta-management-minimal.yaml",
            REAL / "surevoip-multifile" / "openapi" / "openapi.yaml",
        ]
    )
    if REAL.is_dir()
    else []
)
NO_REAL_SPECS = "../shared/specs/real is absent: the real specs are not in this clone"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def document(schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": schemas or {}},
    }


def sample(
    schema: Any, schemas: dict[str, Any] | None = None, version: str = "3.0.3", examples: tuple[Any, ...] = ()
) -> Any:
    """The sample for `schema`, checked by the oracle as well."""
    doc = document(schemas, version)
    value = Sampler(doc).sample(schema, examples)
    assert oracle(doc)(value, schema) == [], value
    return value


def no_sample(schema: Any, schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> str:
    with pytest.raises(NoSample) as caught:
        Sampler(document(schemas, version)).sample(schema)
    return str(caught.value)


# The oracle: openapi-schema-validator, reading schemas as a request's validator does.


def _request_required(validator: Any, required: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
    """`required`, except for readOnly properties, which a request leaves out. Unlike the validator's own
    `write_required`, it sees readOnly behind a property's `$ref` too, as Prism (which dereferences the
    document first) and the sampler do."""
    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if name in instance:
            continue
        declared = schema.get("properties", {}).get(name)
        for _ in range(32):
            if not (isinstance(declared, dict) and isinstance(declared.get("$ref"), str)):
                break
            declared = validator._resolver.lookup(declared["$ref"]).contents
        if isinstance(declared, dict) and declared.get("readOnly") is True:
            continue
        yield ValidationError(f"{name!r} is a required property")


_OAS30_REQUEST = extend(OAS30WriteValidator, {"required": _request_required})
_OAS31_REQUEST = extend(
    OAS31Validator, {"required": _request_required, "readOnly": oas_keywords.write_readOnly}
)


def oracle(doc: dict[str, Any]) -> Callable[[Any, Any], list[str]]:
    """A function listing what openapi-schema-validator finds wrong with a value under a schema of `doc`
    (its `$ref`s resolved in `doc`), for a request."""
    openapi31 = str(doc.get("openapi", "")).startswith("3.1")
    specification = DRAFT202012 if openapi31 else DRAFT4
    registry: Registry[Any] = Registry().with_resource("urn:document", specification.create_resource(doc))
    resolver = registry.resolver(base_uri="urn:document")
    validator_class = _OAS31_REQUEST if openapi31 else _OAS30_REQUEST
    format_checker = oas31_format_checker if openapi31 else oas30_format_checker

    def errors(value: Any, schema: Any) -> list[str]:
        validator = validator_class(
            schema, registry=registry, _resolver=resolver, format_checker=format_checker
        )
        return [error.message for error in validator.iter_errors(value)]

    return errors


# The check, keyword by keyword: a value that conforms and one that does not, under both versions.

KEYWORDS = [
    ("3.0.3", {"type": "integer"}, 3, 3.5),
    ("3.0.3", {"type": "integer"}, 3, True),
    ("3.1.0", {"type": ["integer", "null"]}, None, "3"),
    ("3.0.3", {"type": "string", "nullable": True}, None, 3),
    ("3.0.3", {"enum": ["a", 1]}, 1, True),
    ("3.1.0", {"const": "fixed"}, "fixed", "other"),
    ("3.0.3", {"type": "string", "minLength": 2, "maxLength": 3}, "abc", "abcd"),
    ("3.0.3", {"type": "string", "minLength": 2}, "ab", "a"),
    ("3.0.3", {"type": "string", "pattern": "^[a-z]+$"}, "abc", "abc1"),
    ("3.0.3", {"type": "string", "pattern": "[0-9]"}, "a1b", "ab"),
    ("3.0.3", {"type": "string", "format": "date"}, "2024-02-29", "2023-02-29"),
    ("3.0.3", {"type": "integer", "minimum": 1, "exclusiveMinimum": True}, 2, 1),
    ("3.0.3", {"type": "integer", "maximum": 1, "exclusiveMaximum": True}, 0, 1),
    ("3.0.3", {"type": "integer", "minimum": 1, "maximum": 3}, 3, 4),
    ("3.1.0", {"type": "integer", "exclusiveMinimum": 1}, 2, 1),
    ("3.1.0", {"type": "number", "exclusiveMaximum": 1}, 0.5, 1),
    ("3.0.3", {"type": "number", "multipleOf": 0.25}, 0.75, 0.3),
    # 0.3 / 0.1 is 2.9999999999999996 in floating point: no multiple of 0.1 to either validator.
    ("3.0.3", {"type": "number", "multipleOf": 0.1}, 0.5, 0.3),
    ("3.0.3", {"type": "integer", "format": "int64"}, 2**63 - 1, 2**63),
    ("3.0.3", {"type": "array", "items": {"type": "integer"}}, [1, 2], [1, "2"]),
    (
        "3.1.0",
        {"type": "array", "prefixItems": [{"type": "string"}], "items": {"type": "integer"}},
        ["a", 1],
        [1, 1],
    ),
    ("3.0.3", {"type": "array", "minItems": 1, "maxItems": 2}, [1], [1, 2, 3]),
    ("3.0.3", {"type": "array", "uniqueItems": True}, [1, True, "1"], [{"a": 1}, {"a": 1.0}]),
    ("3.0.3", {"type": "object", "required": ["a"]}, {"a": None}, {"b": 1}),
    ("3.0.3", {"type": "object", "properties": {"a": {"type": "string"}}}, {"a": "x"}, {"a": 1}),
    ("3.0.3", {"properties": {"a": {}}, "additionalProperties": False}, {"a": 1}, {"a": 1, "b": 2}),
    ("3.0.3", {"additionalProperties": {"type": "integer"}}, {"b": 1}, {"b": "x"}),
    ("3.1.0", {"patternProperties": {"^x-": {"type": "integer"}}}, {"x-a": 1, "b": "s"}, {"x-a": "s"}),
    ("3.0.3", {"type": "object", "minProperties": 1, "maxProperties": 1}, {"a": 1}, {}),
    ("3.0.3", {"allOf": [{"type": "integer"}, {"minimum": 2}]}, 2, 1),
    ("3.0.3", {"anyOf": [{"type": "integer"}, {"type": "string"}]}, "a", None),
    ("3.0.3", {"oneOf": [{"type": "integer"}, {"minimum": 0}]}, -1, 1),
    ("3.0.3", {"not": {"type": "string"}}, 1, "a"),
    ("3.0.3", {"properties": {"id": {"type": "string", "readOnly": True}}}, {}, {"id": "1"}),
    ("3.0.3", {"$ref": "#/components/schemas/Positive"}, 1, 0),
]


@pytest.mark.parametrize(("version", "schema", "good", "bad"), KEYWORDS)
def test_conforms_keyword_by_keyword(version: str, schema: Any, good: Any, bad: Any) -> None:
    doc = document({"Positive": {"type": "integer", "minimum": 1}}, version)
    sampler = Sampler(doc)
    assert sampler.conforms(good, schema) and oracle(doc)(good, schema) == []
    assert not sampler.conforms(bad, schema) and oracle(doc)(bad, schema) != []
    assert sampler.problems(bad, schema) and sampler.problems(good, schema) == []


# Strings.


def test_a_free_string_is_a_word() -> None:
    assert sample({"type": "string"}) == "example"


def test_string_lengths_cut_or_repeat_the_word() -> None:
    assert sample({"type": "string", "maxLength": 3}) == "exa"
    assert sample({"type": "string", "minLength": 10}) == "exampleexa"
    assert sample({"type": "string", "minLength": 2, "maxLength": 2}) == "ex"
    assert "greater than maxLength" in no_sample({"type": "string", "minLength": 3, "maxLength": 2})


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("date", "2024-01-01"),
        ("date-time", "2024-01-01T00:00:00Z"),
        ("time", "12:00:00"),
        ("email", "user@example.com"),
        ("uri", "https://example.com"),
        ("url", "https://example.com"),
        ("hostname", "example.com"),
        ("ipv4", "192.0.2.1"),
        ("ipv6", "2001:db8::1"),
        ("byte", "ZXhhbXBsZQ=="),
        ("binary", "example"),
        ("password", "example"),
        ("an-unknown-format", "example"),
    ],
)
def test_formats(name: str, expected: str) -> None:
    assert sample({"type": "string", "format": name}) == expected
    assert sample({"type": "string", "format": name}, version="3.1.0") == expected


def test_uuid_is_a_version_4_uuid() -> None:
    value = sample({"type": "string", "format": "uuid"})
    assert uuid.UUID(value).version == 4 and str(uuid.UUID(value)) == value


def test_format_samples_stretch_to_min_length() -> None:
    assert sample({"type": "string", "format": "date-time", "minLength": 24}) == "2024-01-01T00:00:00.000Z"
    assert len(sample({"type": "string", "format": "byte", "minLength": 20})) == 20
    assert "date-time" in no_sample({"type": "string", "format": "date-time", "maxLength": 10})


def test_invalid_formats_do_not_conform() -> None:
    sampler = Sampler(document())
    for name, bad in [
        ("date", "2024-02-30"),
        ("date-time", "2024-01-01 00:00:00"),
        ("time", "25:00:00"),
        ("email", "nobody"),
        ("uri", "https://{tenant}.example.com"),
        ("uuid", "3fa85f64-5717-4562-b3fc"),
        ("ipv4", "256.0.0.1"),
        ("ipv6", "2001:db8::g"),
        ("byte", "not base64!"),
        ("hostname", "-example.com"),
    ]:
        assert not sampler.conforms(bad, {"type": "string", "format": name}), (name, bad)


def test_pattern() -> None:
    assert sample({"type": "string", "pattern": "^[A-Z]{3}$"}) == "EXA"
    assert sample({"type": "string", "pattern": "^\\d+$"}) == "1234567"
    assert sample({"type": "string", "pattern": "^[a-z]+$"}) == "example"


def test_pattern_with_length_bounds() -> None:
    value = sample({"type": "string", "pattern": "^[A-Z]{2}\\d+$", "maxLength": 4})
    assert len(value) <= 4 and value[:2].isupper() and value[2:].isdigit()
    value = sample({"type": "string", "pattern": "^[A-Z]{2}\\d+$", "minLength": 12})
    assert len(value) >= 12
    reason = no_sample({"type": "string", "pattern": "^[A-Z]{2}\\d+$", "maxLength": 2})
    assert reason == "no value matches the pattern '^[A-Z]{2}\\\\d+$' within maxLength 2"


def test_an_unanchored_pattern_is_searched_for() -> None:
    value = sample({"type": "string", "pattern": "[0-9]{4}", "minLength": 8})
    assert len(value) >= 8 and any(value[i : i + 4].isdigit() for i in range(len(value) - 3))


def test_ecmascript_pattern_syntax() -> None:
    # The oracle reads patterns as Python's re does, which knows none of these: the sampler alone checks them.
    sampler = Sampler(document())
    assert sampler.sample({"type": "string", "pattern": "^(?<year>\\d{4})-\\k<year>$"}) == "1234-1234"
    assert sampler.sample({"type": "string", "pattern": "^[^]{3}$"}) == "exa"
    assert sampler.sample({"type": "string", "pattern": "^\\u{41}\\cJ$"}) == "A\n"
    assert sample({"type": "string", "pattern": "^a\\/b$"}) == "a/b"
    # ECMAScript's `$` is the very end: "a\n" does not match `^a$` (Python's `$` would allow the newline).
    assert not sampler.conforms("a\n", {"type": "string", "pattern": "^a$"})
    assert sampler.conforms("a", {"type": "string", "pattern": "^a$"})
    # `\d` and `\w` are ASCII in ECMAScript.
    assert not sampler.conforms("\u0663", {"type": "string", "pattern": "^\\d$"})


def test_pattern_with_lookaheads() -> None:
    schema = {"type": "string", "pattern": "^(?=.*\\d)(?=.*[A-Z])(?=.*[!@#$%^&*]).{8,}$"}
    assert len(sample(schema)) >= 8


def test_a_pattern_python_cannot_read() -> None:
    reason = no_sample({"type": "string", "pattern": "^\\p{L}+$"})
    assert "\\p{L}" in reason and "Unicode property" in reason


def test_a_pattern_with_a_format() -> None:
    pattern = "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
    assert (
        sample({"type": "string", "format": "uuid", "pattern": pattern})
        == "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    )


# Numbers.


def test_numbers_prefer_one() -> None:
    assert sample({"type": "integer"}) == 1
    assert sample({"type": "number"}) == 1
    assert sample({"type": "integer", "minimum": 0}) == 1
    assert sample({"type": "integer", "minimum": 5}) == 5
    assert sample({"type": "integer", "maximum": 0}) == 0
    assert sample({"type": "integer", "minimum": -9, "maximum": -3}) == -9


def test_exclusive_bounds_in_3_0_and_3_1() -> None:
    assert sample({"type": "integer", "minimum": 1, "exclusiveMinimum": True}) == 2
    assert sample({"type": "integer", "maximum": 1, "exclusiveMaximum": True}) == 0
    assert sample({"type": "integer", "exclusiveMinimum": 1}, version="3.1.0") == 2
    assert sample({"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}, version="3.1.0") == 0.5
    schema = {
        "type": "number",
        "minimum": 0,
        "exclusiveMinimum": True,
        "maximum": 1,
        "exclusiveMaximum": True,
    }
    assert sample(schema) == 0.5


def test_multiple_of() -> None:
    assert sample({"type": "integer", "minimum": 2, "multipleOf": 5}) == 5
    assert sample({"type": "number", "minimum": 1.1, "multipleOf": 0.25}) == 1.25
    assert sample({"type": "number", "minimum": 1.001, "multipleOf": 0.01}) == 1.01
    assert sample({"type": "integer", "multipleOf": 0.5, "minimum": 3}) == 3


def test_integer_formats_bound_the_range() -> None:
    assert "at most" in no_sample({"type": "integer", "format": "int32", "minimum": 3_000_000_000})
    assert sample({"type": "integer", "format": "int64", "minimum": 3_000_000_000}) == 3_000_000_000
    assert not Sampler(document()).conforms(2**31, {"type": "integer", "format": "int32"})
    assert sample({"type": "number", "format": "double"}) == 1


# enum, const, examples.


def test_enum_first_non_null_value() -> None:
    assert sample({"enum": [None, "b", "c"]}) == "b"
    assert sample({"type": "integer", "enum": [3, 4]}) == 3
    assert sample({"const": "fixed"}, version="3.1.0") == "fixed"


def test_an_invalid_example_is_skipped_for_a_valid_one() -> None:
    schema = {"type": "integer", "minimum": 1, "example": 0}
    assert sample(schema, examples=(0, "seven", 5, 6)) == 5
    assert sample(schema) == 1
    assert sample({"type": "string", "maxLength": 3, "example": "toolong", "default": "ok"}) == "ok"


def test_examples_in_order_of_preference() -> None:
    schema = {"type": "string", "example": "own", "default": "fallback", "enum": ["own", "fallback", "other"]}
    assert sample(schema, examples=("other",)) == "other"
    assert sample(schema) == "own"
    assert sample({"type": "string", "examples": ["first", "second"]}, version="3.1.0") == "first"


def test_examples_of_referenced_schemas() -> None:
    schemas = {"Code": {"type": "string", "pattern": "^[A-Z]+$", "example": "ABC"}}
    assert sample({"$ref": "#/components/schemas/Code"}, schemas) == "ABC"
    value = sample(
        {
            "type": "object",
            "required": ["code"],
            "properties": {"code": {"$ref": "#/components/schemas/Code"}},
        },
        schemas,
    )
    assert value == {"code": "ABC"}


def test_the_returned_value_is_a_copy() -> None:
    example = {"a": [1]}
    doc = document()
    value = Sampler(doc).sample({"type": "object"}, [example])
    value["a"].append(2)
    assert example == {"a": [1]}


# null: 3.0 nullable, 3.1 type arrays.


def test_nullable_in_3_0() -> None:
    sampler = Sampler(document())
    schema = {"type": "string", "nullable": True}
    assert sample(schema) == "example"
    assert sampler.conforms(None, schema)
    assert not sampler.conforms(None, {"type": "string"})
    # 3.0 has no type arrays: `nullable` does not carry into another schema object either.
    assert not sampler.conforms(None, {"allOf": [{"type": "string"}], "nullable": True})


def test_type_arrays_in_3_1() -> None:
    sampler = Sampler(document(version="3.1.0"))
    assert sample({"type": ["null", "string"]}, version="3.1.0") == "example"
    assert sampler.conforms(None, {"type": ["string", "null"]})
    assert sample({"type": "null"}, version="3.1.0") is None
    # `nullable` is no keyword of 3.1.
    assert not sampler.conforms(None, {"type": "string", "nullable": True})


# Objects.


def test_objects_have_their_required_properties_only() -> None:
    schema = {
        "type": "object",
        "required": ["b", "a"],
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}},
    }
    value = sample(schema)
    assert value == {"a": "example", "b": 1} and list(value) == ["a", "b"]


def test_min_properties_adds_optional_properties_in_order() -> None:
    schema = {
        "type": "object",
        "required": ["c"],
        "minProperties": 2,
        "properties": {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}},
    }
    assert sample(schema) == {"c": True, "a": "example"}
    assert sample({"type": "object", "minProperties": 2, "additionalProperties": {"type": "integer"}}) == {
        "property1": 1,
        "property2": 1,
    }
    closed = {"type": "object", "minProperties": 2, "properties": {"a": {}}, "additionalProperties": False}
    assert "minProperties" in no_sample(closed)


def test_additional_properties() -> None:
    sampler = Sampler(document())
    assert not sampler.conforms({"a": 1, "b": 2}, {"properties": {"a": {}}, "additionalProperties": False})
    assert not sampler.conforms({"b": "x"}, {"additionalProperties": {"type": "integer"}})
    assert sampler.conforms({"b": "x"}, {"additionalProperties": True})
    schema = {
        "type": "object",
        "required": ["extra"],
        "additionalProperties": {"type": "integer", "minimum": 7},
    }
    assert sample(schema) == {"extra": 7}
    assert "additionalProperties is false" in no_sample(
        {"type": "object", "required": ["x"], "additionalProperties": False}
    )


def test_read_only_required_property_is_left_out_write_only_kept() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name", "password"],
        "properties": {
            "id": {"type": "string", "readOnly": True},
            "name": {"type": "string"},
            "password": {"type": "string", "writeOnly": True},
        },
    }
    assert sample(schema) == {"name": "example", "password": "example"}
    assert not Sampler(document()).conforms({"id": "1", "name": "n", "password": "p"}, schema)


def test_read_only_through_refs_and_all_of() -> None:
    schemas = {
        "Id": {"type": "string", "readOnly": True},
        "Entity": {
            "type": "object",
            "required": ["id"],
            "properties": {"id": {"$ref": "#/components/schemas/Id"}},
        },
        "User": {
            "allOf": [
                {"$ref": "#/components/schemas/Entity"},
                {"required": ["name"], "properties": {"name": {"type": "string"}}},
            ]
        },
    }
    assert sample({"$ref": "#/components/schemas/User"}, schemas) == {"name": "example"}


def test_read_only_properties_are_removed_from_examples() -> None:
    schema = {
        "type": "object",
        "required": ["name"],
        "properties": {"id": {"type": "string", "readOnly": True}, "name": {"type": "string"}},
    }
    assert sample(schema, examples=({"id": "1", "name": "Ada"},)) == {"name": "Ada"}


# Arrays.


def test_arrays_have_one_item() -> None:
    assert sample({"type": "array", "items": {"type": "string"}}) == ["example"]
    assert sample({"type": "array", "items": {"type": "integer"}, "minItems": 2}) == [1, 1]
    assert sample({"type": "array", "items": {"type": "integer"}, "maxItems": 0}) == []


def test_unique_items_are_distinct() -> None:
    assert sample({"type": "array", "items": {"type": "integer"}, "minItems": 3, "uniqueItems": True}) == [
        1,
        0,
        2,
    ]
    uuids = sample(
        {"type": "array", "items": {"type": "string", "format": "uuid"}, "minItems": 2, "uniqueItems": True}
    )
    assert len(set(uuids)) == 2
    words = sample(
        {"type": "array", "items": {"type": "string", "maxLength": 1}, "minItems": 3, "uniqueItems": True}
    )
    assert len(set(words)) == 3
    reason = no_sample({"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 3, "uniqueItems": True})
    assert reason == "uniqueItems needs 3 distinct items, and only 2 could be made"


def test_prefix_items_in_3_1() -> None:
    schema = {
        "type": "array",
        "prefixItems": [{"type": "integer"}, {"type": "string"}],
        "minItems": 2,
        "items": False,
    }
    assert sample(schema, version="3.1.0") == [1, "example"]


# allOf, oneOf, anyOf, not.


def test_all_of_merges_required_from_several_parts() -> None:
    schemas = {
        "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        "Aged": {
            "type": "object",
            "required": ["age"],
            "properties": {"age": {"type": "integer", "minimum": 18}},
        },
    }
    schema = {
        "allOf": [
            {"$ref": "#/components/schemas/Named"},
            {"$ref": "#/components/schemas/Aged"},
            {"required": ["email"], "properties": {"email": {"type": "string", "format": "email"}}},
        ]
    }
    assert sample(schema, schemas) == {"name": "example", "age": 18, "email": "user@example.com"}


def test_all_of_intersects_bounds() -> None:
    assert sample({"allOf": [{"type": "integer", "minimum": 2}, {"maximum": 5}, {"multipleOf": 3}]}) == 3
    assert sample({"allOf": [{"type": "string", "minLength": 3}, {"maxLength": 4}]}) == "exam"
    assert sample({"allOf": [{"type": "number"}, {"type": "integer", "minimum": 2}]}) == 2
    assert "no value is of every type" in no_sample({"allOf": [{"type": "string"}, {"type": "integer"}]})


def test_one_of_of_two_overlapping_objects_matches_exactly_one() -> None:
    closed = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}},
        "additionalProperties": False,
    }
    open_ = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "age": {"type": "integer"}},
    }
    # {"name": ...} matches both; adding `age` rules the closed option out.
    assert sample({"oneOf": [closed, open_]}) == {"name": "example", "age": 1}
    assert sample({"oneOf": [{"type": "integer"}, {"type": "number"}]}) == 1.5
    assert sample({"oneOf": [{"type": "string"}, {"type": "string", "format": "date"}]}) == "example"


def test_one_of_overlapping_enums_takes_a_value_of_one_only() -> None:
    shared = ["IMPRESSION", "CLICK", "SAVE", "SAVE_RATE", "COMMENTS"]
    schema = {
        "oneOf": [
            {"type": "string", "enum": shared + ["FOLLOW"]},
            {"type": "string", "enum": shared + ["VIEW"]},
        ]
    }
    assert sample(schema) == "FOLLOW"


def test_one_of_that_cannot_be_told_apart() -> None:
    reason = no_sample({"oneOf": [{"type": "string"}, {"type": "string", "minLength": 1}]})
    assert "exactly one must match" in reason


def test_any_of() -> None:
    assert sample({"anyOf": [{"type": "integer", "minimum": 10}, {"type": "string"}]}) == 10
    assert (
        sample({"anyOf": [{"type": "string", "maxLength": 0, "minLength": 1}, {"type": "boolean"}]}) is True
    )


def test_not() -> None:
    assert sample({"type": "string", "not": {"enum": ["example"]}}) == "example1"
    assert sample({"type": "integer", "not": {"enum": [1]}}) == 0
    assert sample({"not": {"type": "string"}}) == 1


def test_a_value_under_not_fails_both_readings() -> None:
    sampler = Sampler(document())
    # 1.5 is no int32 to ajv, but openapi-schema-validator checks int32 on integers only: it matches there.
    assert not sampler.conforms(1.5, {"not": {"type": "number", "format": "int32"}})
    assert sampler.conforms(2**40, {"not": {"type": "integer", "format": "int32"}})
    # ajv-formats 2 accepts a time with an offset, openapi-schema-validator does not.
    assert not sampler.conforms("12:00:00Z", {"not": {"type": "string", "format": "time"}})
    assert not sampler.conforms("12:00:00Z", {"type": "string", "format": "time"})
    # Every other oneOf option must fail under both readings too.
    assert not sampler.conforms(
        "12:00:00Z", {"oneOf": [{"type": "string", "format": "time"}, {"type": "string"}]}
    )


DISCRIMINATED = {
    "Pet": {
        "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
        "discriminator": {
            "propertyName": "petType",
            "mapping": {"cat": "#/components/schemas/Cat", "dog": "#/components/schemas/Dog"},
        },
    },
    "Base": {
        "type": "object",
        "required": ["petType", "name"],
        "properties": {"petType": {"type": "string"}, "name": {"type": "string"}},
    },
    "Cat": {"allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"lives": {"type": "integer"}}}]},
    "Dog": {
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {"required": ["bark"], "properties": {"bark": {"type": "boolean"}}},
        ]
    },
}


def test_a_discriminated_union() -> None:
    pet = {"$ref": "#/components/schemas/Pet"}
    assert sample(pet, DISCRIMINATED) == {"petType": "cat", "name": "example"}
    sampler = Sampler(document(DISCRIMINATED))
    # Every Dog is a Cat too (Cat allows any other property): no Dog is a valid Pet under oneOf.
    assert not sampler.conforms({"petType": "dog", "name": "x", "bark": True}, pet)
    # Only a Cat matches, but the discriminator names Dog.
    assert not sampler.conforms({"petType": "dog", "name": "x"}, pet)
    assert sampler.conforms({"petType": "cat", "name": "x"}, pet)
    # The tag names the option chosen, even when another one comes first.
    first_dog = {**DISCRIMINATED["Pet"], "oneOf": DISCRIMINATED["Pet"]["oneOf"][::-1]}
    assert sample(first_dog, DISCRIMINATED) == {"petType": "cat", "name": "example"}


def test_a_discriminator_without_mapping_uses_component_names() -> None:
    schemas = {**DISCRIMINATED, "Pet": {**DISCRIMINATED["Pet"], "discriminator": {"propertyName": "petType"}}}
    assert sample({"$ref": "#/components/schemas/Pet"}, schemas) == {"petType": "Cat", "name": "example"}


def test_a_discriminator_of_an_all_of_parent() -> None:
    schemas = {
        "Base": {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}},
            "discriminator": {"propertyName": "kind", "mapping": {"circle": "#/components/schemas/Circle"}},
        },
        "Circle": {
            "allOf": [{"$ref": "#/components/schemas/Base"}, {"properties": {"radius": {"type": "number"}}}]
        },
        "Square": {"allOf": [{"$ref": "#/components/schemas/Base"}]},
    }
    assert sample({"$ref": "#/components/schemas/Circle"}, schemas) == {"kind": "circle"}
    assert sample({"$ref": "#/components/schemas/Square"}, schemas) == {"kind": "Square"}
    # The base type sampled as itself: the first schema its mapping names, which extends it.
    assert sample({"$ref": "#/components/schemas/Base"}, schemas) == {"kind": "circle"}


# References.


def test_ref_chains_and_escapes() -> None:
    schemas = {
        "a/b": {"$ref": "#/components/schemas/Middle"},
        "Middle": {"$ref": "#/components/schemas/Last~Name"},
        "Last~Name": {"type": "string", "minLength": 9},
        "Holder": {"type": "object", "properties": {"inner": {"type": "integer", "minimum": 4}}},
    }
    assert sample({"$ref": "#/components/schemas/a~1b"}, schemas) == "exampleex"
    assert sample({"$ref": "#/components/schemas/Holder/properties/inner"}, schemas) == 4


def test_ref_problems_raise_no_sample() -> None:
    schemas = {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}
    assert "made of itself" in no_sample({"$ref": "#/components/schemas/A"}, schemas)
    assert "points to nothing" in no_sample({"$ref": "#/components/schemas/Missing"})
    assert "not local" in no_sample({"$ref": "other.yaml#/Pet"})


def test_a_recursive_schema_that_terminates() -> None:
    schemas = {
        "Node": {
            "type": "object",
            "required": ["value", "children"],
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
            },
        },
        "List": {
            "type": "object",
            "required": ["next"],
            "properties": {"next": {"oneOf": [{"$ref": "#/components/schemas/List"}, {"type": "null"}]}},
        },
    }
    assert sample({"$ref": "#/components/schemas/Node"}, schemas) == {"value": 1, "children": []}
    assert sample({"$ref": "#/components/schemas/List"}, schemas, version="3.1.0") == {"next": None}


def test_a_nullable_recursive_schema_ends_with_null() -> None:
    node = {
        "type": "object",
        "nullable": True,
        "required": ["next"],
        "properties": {"next": {"$ref": "#/components/schemas/Node"}},
    }
    assert sample({"$ref": "#/components/schemas/Node"}, {"Node": node}) == {"next": None}
    node31 = {**node, "type": ["object", "null"]}
    del node31["nullable"]
    assert sample({"$ref": "#/components/schemas/Node"}, {"Node": node31}, version="3.1.0") == {"next": None}


def test_a_recursive_schema_that_cannot_terminate() -> None:
    schemas = {
        "A": {"type": "object", "required": ["b"], "properties": {"b": {"$ref": "#/components/schemas/B"}}},
        "B": {
            "type": "object",
            "required": ["a"],
            "properties": {
                "a": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/A"}}
            },
        },
    }
    assert (
        no_sample({"$ref": "#/components/schemas/A"}, schemas)
        == "the schema demands infinite data: A.b → B.a[0] → A"
    )


def test_never_raises_anything_but_no_sample() -> None:
    sampler = Sampler(document())
    for schema in [
        5,
        "text",
        None,
        [],
        {"type": 42},
        {"$ref": 5},
        {"properties": []},
        {"items": "x"},
        {"pattern": "("},
        True,
        False,
    ]:
        try:
            value = sampler.sample(schema)
        except NoSample:
            continue
        assert sampler.conforms(value, schema)


@settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers(-3, 3)
        | st.sampled_from(["string", "object", "#/components", "^a+$", "x"]),
        lambda children: st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "items",
                    "properties",
                    "required",
                    "allOf",
                    "oneOf",
                    "anyOf",
                    "not",
                    "enum",
                    "minimum",
                    "maxLength",
                    "pattern",
                    "$ref",
                    "nullable",
                    "additionalProperties",
                    "format",
                ]
            ),
            children,
            max_size=4,
        ),
        max_leaves=12,
    )
)
def test_any_json_as_a_schema_gives_a_value_or_no_sample(schema: Any) -> None:
    sampler = Sampler(document())
    try:
        value = sampler.sample(schema)
    except NoSample:
        return
    assert sampler.conforms(value, schema)


# Properties of the module.


DETERMINISM = """
import json, sys
sys.path.insert(0, {root!r})
from generator.samples import Sampler, NoSample
document = json.loads(sys.argv[1])
sampler = Sampler(document)
out = []
for name in document["components"]["schemas"]:
    try:
        out.append(sampler.sample({{"$ref": "#/components/schemas/" + name}}))
    except NoSample as error:
        out.append(str(error))
print(json.dumps(out))
"""


def test_same_output_under_different_hash_seeds() -> None:
    schemas = {
        **DISCRIMINATED,
        "Tags": {
            "type": "array",
            "items": {"type": "string", "enum": ["x", "y", "z"]},
            "minItems": 3,
            "uniqueItems": True,
        },
        "Mixed": {
            "type": "object",
            "minProperties": 4,
            "required": ["when"],
            "properties": {f"p{index}": {"type": "string", "pattern": "^[a-z]{3}\\d$"} for index in range(6)}
            | {"when": {"type": "string", "format": "date-time"}},
        },
        "Choice": {
            "anyOf": [
                {"type": "object", "required": ["k"], "properties": {"k": {"const": "v"}}},
                {"type": "integer"},
            ]
        },
    }
    doc = json.dumps(document(schemas, "3.1.0"))
    script = DETERMINISM.format(root=str(ROOT))
    outputs = [
        subprocess.run(
            [sys.executable, "-c", script, doc],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "4242")
    ]
    assert outputs[0] == outputs[1] and outputs[0].startswith("[")


def test_generation_does_not_import_the_validators() -> None:
    check = "import sys; import generator.samples; print(sorted(m for m in sys.modules if 'jsonschema' in m or 'openapi_schema' in m))"
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# Generated schemas: whatever the sampler returns, the oracle accepts.


PATTERNS = [
    "^[a-z]+$",
    "^[A-Z]{2}[0-9]{2,4}$",
    "^\\d{3}-\\d{4}$",
    "[0-9]",
    "^(foo|bar)+$",
    "^.{2,5}$",
    "^[a-f0-9]*$",
]
FORMATS = ["date", "date-time", "uuid", "email", "ipv4", "ipv6", "byte", "int32", "unknown"]


def _strings() -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"type": st.just("string")},
        optional={
            "minLength": st.integers(0, 12),
            "maxLength": st.integers(0, 40),
            "pattern": st.sampled_from(PATTERNS),
            "format": st.sampled_from(FORMATS),
            "enum": st.lists(st.text("abc", max_size=3), min_size=1, max_size=3),
        },
    )


def _numbers(version: str) -> st.SearchStrategy[dict[str, Any]]:
    """Numbers with bounds in the version's form: exclusive bounds are flags in 3.0 and numbers in 3.1."""
    exclusive = st.booleans() if version.startswith("3.0") else st.integers(-50, 100)
    return st.fixed_dictionaries(
        {"type": st.sampled_from(["integer", "number"])},
        optional={
            "minimum": st.integers(-50, 50) | st.floats(-50, 50, allow_nan=False).map(lambda x: round(x, 2)),
            "maximum": st.integers(-50, 100),
            "exclusiveMinimum": exclusive,
            "exclusiveMaximum": exclusive,
            "multipleOf": st.sampled_from([2, 3, 5, 0.5, 0.25, 0.1]),
            "format": st.sampled_from(["int32", "int64", "float", "double"]),
        },
    )


def _leaves(version: str) -> st.SearchStrategy[dict[str, Any]]:
    """Scalars, and a nullable string in the version's form (`nullable` in 3.0, a type array in 3.1)."""
    nullable = (
        {"type": "string", "nullable": True} if version.startswith("3.0") else {"type": ["string", "null"]}
    )
    return _strings() | _numbers(version) | st.just({"type": "boolean"}) | st.just(nullable)


def _composites(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    names = st.sampled_from(["a", "b", "c", "d"])
    objects = st.builds(
        lambda properties, required, extra, closed, read_only: {
            "type": "object",
            "properties": {
                name: ({**schema, "readOnly": True} if name in read_only else schema)
                for name, schema in properties.items()
            },
            "required": sorted(set(required)),
            **({"minProperties": extra} if extra else {}),
            **({"additionalProperties": False} if closed else {}),
        },
        st.dictionaries(names, children, max_size=4),
        st.lists(names, max_size=3),
        st.integers(0, 3),
        st.booleans(),
        st.lists(names, max_size=1),
    )
    arrays = st.fixed_dictionaries(
        {"type": st.just("array"), "items": children},
        optional={"minItems": st.integers(0, 3), "maxItems": st.integers(1, 4), "uniqueItems": st.booleans()},
    )
    combined = st.builds(
        lambda keyword, parts: {keyword: parts},
        st.sampled_from(["allOf", "oneOf", "anyOf"]),
        st.lists(children, min_size=1, max_size=3),
    )
    negated = st.tuples(children, children).map(lambda pair: {**pair[0], "not": pair[1]})
    return objects | arrays | combined | negated


VERSIONED_SCHEMAS = st.one_of(
    [
        st.tuples(st.just(version), st.recursive(_leaves(version), _composites, max_leaves=8))
        for version in ("3.0.3", "3.1.0")
    ]
)
"""An OpenAPI version, and a small schema written for it."""

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 60)
    | st.floats(-5, 5, allow_nan=False)
    | st.text("ab1-:Z", max_size=8),
    lambda values: st.lists(values, max_size=3)
    | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), values, max_size=3),
    max_leaves=6,
)


@settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(VERSIONED_SCHEMAS)
def test_generated_schemas_samples_conform_to_the_oracle(versioned: tuple[str, dict[str, Any]]) -> None:
    version, schema = versioned
    doc = document(version=version)
    sampler = Sampler(doc)
    try:
        value = sampler.sample(schema)
    except NoSample:
        return
    assert oracle(doc)(value, schema) == [], value


@settings(
    max_examples=600,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(VERSIONED_SCHEMAS, JSON_VALUES)
def test_conforms_agrees_with_the_oracle_on_generated_values(
    versioned: tuple[str, dict[str, Any]], value: Any
) -> None:
    version, schema = versioned
    doc = document(version=version)
    assert Sampler(doc).conforms(value, schema) == (oracle(doc)(value, schema) == [])


# The real specs.


@functools.cache
def real_document(path: Path) -> dict[str, Any]:
    """The spec at `path` as the generator reads it (loaded once for all the tests; nothing changes it)."""
    return swagger2.convert(bundle(load(path)), Report()).data  # type: ignore[no-any-return]


def request_schemas(doc: dict[str, Any]) -> Iterator[tuple[str, Any, list[Any]]]:
    """Each parameter's and request body media type's schema, with the examples given beside it."""
    resolve = Refs(doc).resolve
    for path, item in doc.get("paths", {}).items():
        if not isinstance(item, dict):
            continue
        for method, operation in item.items():
            if method not in HTTP_METHODS or not isinstance(operation, dict):
                continue
            parameters: dict[tuple[Any, Any], dict[str, Any]] = {}
            for parameter in item.get("parameters", []) + operation.get("parameters", []):
                parameter = resolve(parameter["$ref"]) if "$ref" in parameter else parameter
                parameters[parameter.get("name"), parameter.get("in")] = parameter
            for (name, location), parameter in parameters.items():
                label = f"{method.upper()} {path} {location} {name}"
                if "schema" in parameter:
                    yield label, parameter["schema"], _examples(parameter, resolve)
                for media in (parameter.get("content") or {}).values():
                    if "schema" in media:
                        yield label, media["schema"], _examples(parameter, resolve) + _examples(
                            media, resolve
                        )
            body = operation.get("requestBody")
            if isinstance(body, dict):
                body = resolve(body["$ref"]) if "$ref" in body else body
                for media_type, media in (body.get("content") or {}).items():
                    if isinstance(media, dict) and "schema" in media:
                        yield f"{method.upper()} {path} body {media_type}", media["schema"], _examples(
                            media, resolve
                        )


def _examples(holder: dict[str, Any], resolve: Callable[[str], Any]) -> list[Any]:
    found = [holder["example"]] if "example" in holder else []
    for example in (holder.get("examples") or {}).values():
        if isinstance(example, dict) and "$ref" in example:
            try:
                example = resolve(example["$ref"])
            except LookupError:
                continue
        if isinstance(example, dict) and "value" in example:
            found.append(example["value"])
    return found


KNOWN_NO_SAMPLES = {
    # oneOf options that no value tells apart: every value that matches one matches another, so a validator
    # that reads oneOf as JSON Schema does (Prism) rejects every request, the spec's own examples included.
    "dwolla-3.1.yaml": {"POST /customers/{id} body application/json"},
    "okta-management-minimal.yaml": {
        "POST /api/v1/apps/{appId}/users/{userId} body application/json",
        "POST /api/v1/users/{userId}/factors/{factorId}/lifecycle/activate body application/json",
        "POST /api/v1/users/{userId}/factors/{factorId}/verify body application/json",
    },
}


@pytest.mark.skipif(not REAL_SPECS, reason=NO_REAL_SPECS)
@pytest.mark.parametrize("spec", REAL_SPECS, ids=lambda path: path.name)
def test_real_spec_samples_conform_to_the_oracle(spec: Path) -> None:
    doc = real_document(spec)
    sampler = Sampler(doc)
    check = oracle(doc)
    no_samples = {}
    counts = {"parameters": 0, "bodies": 0, "from examples": 0, "synthesized": 0}
    started = time.perf_counter()
    sampled = []
    for label, schema, examples in request_schemas(doc):
        try:
            value = sampler.sample(schema, examples)
        except NoSample as error:
            no_samples[label] = str(error)
            continue
        sampled.append((label, schema, examples, value))
    elapsed = time.perf_counter() - started
    for label, schema, examples, value in sampled:
        assert check(value, schema) == [], (label, value)
        counts["bodies" if " body " in label else "parameters"] += 1
        counts["from examples" if _from_example(value, schema, examples, doc) else "synthesized"] += 1
    print(f"\n{spec.name}: {counts}, {len(no_samples)} NoSample, {elapsed:.3f} s")
    for label, reason in no_samples.items():
        print(f"  NoSample {label}: {reason}")
    assert set(no_samples) == KNOWN_NO_SAMPLES.get(spec.name, set())


def _from_example(value: Any, schema: Any, examples: list[Any], doc: dict[str, Any]) -> bool:
    """Whether the value is one of the examples given, or the schema's own example, default or enum value
    (readOnly properties aside)."""
    own = []
    for _ in range(32):
        if not isinstance(schema, dict):
            break
        own += [schema[key] for key in ("example", "default", "const") if key in schema]
        own += schema.get("examples") if isinstance(schema.get("examples"), list) else []
        own += schema.get("enum") if isinstance(schema.get("enum"), list) else []
        if not isinstance(schema.get("$ref"), str):
            break
        schema = Refs(doc).resolve(schema["$ref"])
    return any(_contains(example, value) for example in [*examples, *own])


def _contains(example: Any, value: Any) -> bool:
    """Whether `value` is `example`, or `example` with some properties left out."""
    if isinstance(example, dict) and isinstance(value, dict):
        return all(name in example and _contains(example[name], item) for name, item in value.items())
    if isinstance(example, list) and isinstance(value, list):
        return len(example) == len(value) and all(map(_contains, example, value))
    return json.dumps(example) == json.dumps(value)


@pytest.mark.skipif(not REAL_SPECS, reason=NO_REAL_SPECS)
@pytest.mark.parametrize("spec", REAL_SPECS, ids=lambda path: path.name)
def test_conforms_agrees_with_the_oracle_on_real_examples(spec: Path) -> None:
    doc = real_document(spec)
    sampler = Sampler(doc)
    check = oracle(doc)
    for label, schema, examples in request_schemas(doc):
        for example in examples:
            assert sampler.conforms(example, schema) == (check(example, schema) == []), (label, example)


@pytest.mark.skipif(not REAL_SPECS, reason=NO_REAL_SPECS)
@pytest.mark.parametrize("spec", REAL_SPECS, ids=lambda path: path.name)
def test_conforms_agrees_with_the_oracle_on_real_schema_examples(spec: Path) -> None:
    """The `example` of every component schema, and of the schemas inside them, except readOnly ones (whose
    values no request holds). The one known difference: `uri` is checked as ajv-formats checks it (no `{` in
    a URI), while the oracle checks no `uri` at all (it would need the rfc3987 package)."""
    doc = real_document(spec)
    sampler = Sampler(doc)
    check = oracle(doc)
    for schema in _schemas_with_examples(doc.get("components", {}).get("schemas", {})):
        example = schema["example"]
        ours, theirs = sampler.conforms(example, schema), check(example, schema) == []
        if ours != theirs:
            assert theirs and any(
                problem.endswith("is not a valid uri") for problem in sampler.problems(example, schema)
            )


def _schemas_with_examples(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if "example" in node and node.get("readOnly") is not True:
            yield node
        for key, value in node.items():
            if key not in ("example", "examples", "default", "enum", "const"):
                yield from _schemas_with_examples(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas_with_examples(value)


@pytest.mark.skipif(not REAL_SPECS, reason=NO_REAL_SPECS)
def test_the_okta_spec_samples_quickly() -> None:
    """Every parameter and body of the 3.5 MB Okta spec in well under 0.3 s, each time from scratch (a new
    Sampler, the pattern caches emptied); the best of three runs, so that a busy machine does not fail it."""
    doc = real_document(REAL / "large-no-cc" / "okta-management-minimal.yaml")
    schemas = list(request_schemas(doc))

    def run() -> float:
        for cache in (regex_sample.compiled, regex_sample.first_matching, regex_sample._python_compiled):
            cache.cache_clear()
        started = time.perf_counter()
        sampler = Sampler(doc)
        for _label, schema, examples in schemas:
            try:
                sampler.sample(schema, examples)
            except NoSample:
                pass
        return time.perf_counter() - started

    assert min(run() for _ in range(3)) < 0.3
