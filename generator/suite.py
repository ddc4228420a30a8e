"""The generated SDK's own tests: every operation called through the client against a mock server of the
spec (Prism), which checks each request against the spec; each call must be accepted and its answer parsed
into the operation's declared type.

Arguments are the spec's own examples where they conform to their schemas, else values made from the
schemas (the model's `Example`s). Only required arguments are passed: every optional one the test left out
is one less way for a value to be wrong. An operation that cannot be exercised against the mock is skipped
with the reason.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Literal

from generator import model as m
from generator.naming import Argument, OperationMethod, Resource, Sdk
from generator.untrusted import Identifier, SpecText, python_literal

PRISM_VERSION = "5.16.0"
"""The Prism the tests start (`npx @stoplight/prism-cli@...`); the version this repository's tests pin."""
_PLAIN = re.compile(r"(str|int|float|bool)|list\[(str|int|float|bool)\]")
"""Annotations a literal is already a value of, without conversion."""
_FILE_CONTENT = 'b"example"'
_NESTED_FORMS = {"json": "as JSON text", "brackets": "as name[key][inner]=value"}


@dataclass(frozen=True)
class Value:
    """An argument's value as a Python expression, and the annotation it is converted to, if any."""

    expression: str
    converted_to: str | None = None


TestKind = Literal["skipped", "refused", "called", "typed"]
"""What a test does: skip with a reason; expect one of the errors the spec declares (it declares no
success); call an operation that returns nothing; call one and check the type of what it returns."""


@dataclass(frozen=True)
class OperationTest:
    method: OperationMethod
    arguments: tuple[tuple[Identifier, Value], ...]
    """Each argument passed: required path parameters positional, the rest by keyword."""
    skip: SpecText | None
    """Why the operation is not called, when it cannot be."""

    @property
    def name(self) -> Identifier:
        return Identifier(f"test_{self.method.method_name}")

    @property
    def kind(self) -> TestKind:
        if self.skip is not None:
            return "skipped"
        if not self.method.declares_success:
            return "refused"
        return "called" if self.method.return_annotation == "None" else "typed"

    @property
    def call_arguments(self) -> str:
        """The arguments of the call: path parameters by position, the rest by name."""
        positional = {argument.name for argument in self.method.positional}
        return ", ".join(
            value.expression if name in positional else f"{name}={value.expression}" for name, value in self.arguments
        )

    @property
    def annotations(self) -> list[str]:
        """The annotations the test's code names: those its values are converted to, and the type it checks."""
        converted = [value.converted_to for _, value in self.arguments if value.converted_to]
        return converted + ([self.method.return_annotation] if self.kind == "typed" else [])


@dataclass(frozen=True)
class TestModule:
    """The tests of one resource's operations."""

    resource: Resource
    tests: tuple[OperationTest, ...]

    @property
    def name(self) -> Identifier:
        return Identifier(f"test_{self.resource.module}")

    @property
    def annotations(self) -> list[str]:
        return [annotation for test in self.tests for annotation in test.annotations]

    @property
    def uses_models(self) -> bool:
        return any("models." in annotation for annotation in self.annotations)

    @property
    def skips(self) -> bool:
        return any(test.kind == "skipped" for test in self.tests)

    @property
    def helpers(self) -> list[str]:
        """The functions of the tests' helpers module that the module calls."""
        kinds = {test.kind for test in self.tests}
        helpers = {"accepted"} if kinds & {"called", "typed"} else set()
        helpers |= {"conforms"} if "typed" in kinds else set()
        helpers |= {"refused_as_declared"} if "refused" in kinds else set()
        converts = any(value.converted_to for test in self.tests for _, value in test.arguments)
        return sorted(helpers | ({"value"} if converts else set()))


def suite(sdk: Sdk) -> tuple[TestModule, ...]:
    return tuple(
        TestModule(resource, tuple(_test(method) for method in resource.operations)) for resource in sdk.resources
    )


def _test(method: OperationMethod) -> OperationTest:
    if method.unsatisfiable is not None:
        return OperationTest(method, (), method.unsatisfiable)
    arguments: list[tuple[Identifier, Value]] = []
    for argument in method.arguments:
        if not argument.required:
            continue
        value = _mock_limit(method, argument) or _argument_value(argument)
        if isinstance(value, SpecText):
            return OperationTest(method, (), value)
        arguments.append((argument.name, value))
    body = method.body
    if body is not None and body.required:
        value = _body_value(method)
        if isinstance(value, SpecText):
            return OperationTest(method, (), value)
        arguments.append((body.name, value))
    return OperationTest(method, tuple(arguments), None)


def _mock_limit(method: OperationMethod, argument: Argument) -> SpecText | None:
    """Why Prism cannot check a call with this argument, when it is one of the requests it misreads or
    that stop it (measured with the pinned version)."""
    is_array = argument.annotation.startswith("list[")
    style = next(
        (entry.style for entry in method.styles if (entry.location, entry.wire_name) == (argument.location, argument.wire_name)),
        None,
    )
    if argument.location == "path" and is_array:
        problem = "stops on array path parameters"
    elif argument.location == "query" and is_array and style == "spaceDelimited":
        problem = "does not split spaceDelimited query arrays"
    elif argument.location in ("form", "file") and is_array:
        problem = "reads arrays of form and multipart fields only where the spec gives them an encoding"
    else:
        return None
    return SpecText(f"Prism {PRISM_VERSION} {problem}, which the {argument.noun} {argument.wire_name.raw!r} needs")


def _argument_value(argument: Argument) -> Value | SpecText:
    """The argument's value, or why there is none."""
    if argument.location == "file":
        return Value(f"[{_FILE_CONTENT}]" if argument.annotation.startswith("list[") else _FILE_CONTENT)
    if argument.nested is not None:
        return SpecText(
            f"the {argument.noun} {argument.wire_name.raw!r} holds values nested deeper than its style defines, "
            f"which the SDK sends {_NESTED_FORMS[argument.nested]}: OpenAPI defines no form for them, and the mock "
            "reads none"
        )
    what = f"the {argument.noun} {argument.wire_name.raw!r}"
    if argument.location in ("header", "cookie") and not _visible_ascii(argument.example):
        return SpecText(f"the value found for {what} is not visible ASCII, which HTTP headers cannot carry")
    return _value(argument.annotation, argument.example, what)


def _visible_ascii(example: m.Example | None) -> bool:
    """Whether every string of the example (none when there is no example) is visible ASCII."""
    if example is None or example.json is None:
        return True
    pending = [json.loads(example.json.raw)]
    while pending:
        value = pending.pop()
        if isinstance(value, str) and not all(" " <= ch <= "~" for ch in value):
            return False
        pending += [*value.keys(), *value.values()] if isinstance(value, dict) else value if isinstance(value, list) else []
    return True


def _body_value(method: OperationMethod) -> Value | SpecText:
    body, encoding = method.body, method.body_encoding
    assert body is not None and encoding is not None
    if encoding.format == "binary":
        return Value(_FILE_CONTENT)
    return _value(body.annotation, body.example, "the request body")


def _value(annotation: str, example: m.Example | None, what: str) -> Value | SpecText:
    if example is None or example.json is None:
        problem = example.problem.raw if example is not None and example.problem is not None else "none was made"
        return SpecText(f"no value of {what} conforms to its schema: {problem}")
    literal = python_literal(example.json)
    if _PLAIN.fullmatch(annotation):
        return Value(literal)
    return Value(f"value({annotation}, {literal})", annotation)
