"""Whether a JSON value conforms to an OpenAPI schema, for a request: the check `samples.Sampler` makes on
every value it offers.

A request meets two readings of its schema in tests, and a value must satisfy both: Prism's (ajv with
ajv-formats 2, patterns as ECMAScript, `discriminator` ignored, readOnly properties stripped from the schema
of a request after allOf is merged) and OpenAPI's own, as openapi-schema-validator implements it (a
`discriminator` beside oneOf/anyOf/allOf names the schema the value must match; `nullable` in 3.0; formats
as Python checks them; patterns as Python's re reads them). So the check is the stricter of the two: a
`time` without an offset (ajv-formats 2 allows one, openapi-schema-validator does not), formats that only
ajv checks (`uri`, `url`, `hostname`, `email` in full) as ajv does, an `int32` a whole number, a 3.0
`integer` a JSON integer, a readOnly property absent.

Where a value must *not* match a schema (under `not`, and the other options of a oneOf) the check turns
lenient: the value must fail under both readings, so it fails only what both reject.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, TypeGuard

from generator import regex_sample
from generator.string_formats import LENIENT_STRING_FORMATS, NUMBER_FORMATS, STRING_FORMATS

COMPONENT_SCHEMAS = "#/components/schemas/"
_COMPOSITIONS = ("allOf", "anyOf", "oneOf")


class Refs:
    """The targets of the local `$ref`s of one document (`#/a/b~1c`), looked up once each."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self.document = document
        self._targets: dict[str, Any] = {}

    def resolve(self, ref: str) -> Any:
        """The value `ref` points to; LookupError, saying why, when it points nowhere in the document."""
        if ref in self._targets:
            return self._targets[ref]
        if not ref.startswith("#"):
            raise LookupError(f"the reference {ref!r} is not local to the document")
        node: Any = self.document
        for part in ref[1:].split("/")[1:] if ref != "#" else []:
            key = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping) and key in node:
                node = node[key]
            elif isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            else:
                raise LookupError(f"the reference {ref!r} points to nothing in the document")
        self._targets[ref] = node
        return node


def component_name(ref: str) -> str | None:
    """The name of the component schema `ref` points to, or None when it points elsewhere."""
    if ref.startswith(COMPONENT_SCHEMAS) and "/" not in ref[len(COMPONENT_SCHEMAS) :]:
        return ref[len(COMPONENT_SCHEMAS) :].replace("~1", "/").replace("~0", "~")
    return None


def mapping_target(target: str) -> str:
    """A discriminator mapping's value as a reference: a bare name means a component schema."""
    if target.startswith("#") or "/" in target or "." in target:
        return target
    return COMPONENT_SCHEMAS + target.replace("~", "~0")


def json_equal(left: Any, right: Any) -> bool:
    """Equality as JSON means it: 1 equals 1.0, but true is not 1."""
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[key], right[key]) for key in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right))
    if _is_number(left) and _is_number(right):
        return bool(left == right)
    return type(left) is type(right) and bool(left == right)


def as_list(value: Any) -> list[Any]:
    """`value` when it is a list (as a schema keyword should be), else nothing: a malformed keyword is ignored."""
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    """`value` when it is a string, else "" (a malformed `format` names no format)."""
    return value if isinstance(value, str) else ""


def _is_number(value: Any) -> TypeGuard[int | float]:
    """A JSON number: infinity and NaN, which YAML can hold, are none."""
    return isinstance(value, int) and not isinstance(value, bool) or isinstance(value, float) and math.isfinite(value)


def multiple_of(value: int | float, divisor: int | float) -> bool:
    """Whether value / divisor is a whole number, as both validators compute it in floating point."""
    if isinstance(value, int) and isinstance(divisor, int):
        return value % divisor == 0
    try:
        quotient = value / divisor
    except (OverflowError, ZeroDivisionError):
        return False
    return math.isfinite(quotient) and quotient == int(quotient)


def describe(value: Any) -> str:
    """A short rendering of a value for a message."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class SchemaChecker:
    """Checks values against the schemas of one OpenAPI 3.0 or 3.1 document, for requests: `strict`, a value
    both readings accept; not `strict`, a value at least one of them accepts."""

    def __init__(
        self, refs: Refs, *, openapi31: bool, strict: bool = True, opposite: SchemaChecker | None = None
    ) -> None:
        self.refs = refs
        self.openapi31 = openapi31
        self.strict = strict
        self._read_only: dict[int, tuple[Any, frozenset[str]]] = opposite._read_only if opposite else {}
        self.opposite = opposite or SchemaChecker(refs, openapi31=openapi31, strict=not strict, opposite=self)
        """The same check with the other strictness, for what a value must not match."""

    def conforms(self, value: Any, schema: Any) -> bool:
        return next(self._errors(value, schema, "", frozenset(), frozenset()), None) is None

    def problems(self, value: Any, schema: Any, limit: int = 10) -> list[str]:
        """What is wrong with `value`, each with the JSON pointer of the part at fault; [] when it conforms."""
        found: list[str] = []
        for problem in self._errors(value, schema, "", frozenset(), frozenset()):
            found.append(problem)
            if len(found) >= limit:
                break
        return found

    def _errors(
        self, value: Any, schema: Any, at: str, refs: frozenset[str], read_only: frozenset[str]
    ) -> Iterator[str]:
        """The problems of `value` under `schema`. `refs` are the references followed without descending into
        the value (a loop among them would never end); `read_only` names the readOnly properties that other
        parts of the same object's schema declare."""
        if schema is False:
            yield f"{at or '/'}: no value is allowed here"
            return
        if not isinstance(schema, dict):
            return
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in refs:
                yield f"{at or '/'}: the reference {ref} loops without end"
                return
            try:
                target = self.refs.resolve(ref)
            except LookupError as error:
                yield f"{at or '/'}: {error}"
                return
            yield from self._errors(value, target, at, refs | {ref}, read_only)
        if isinstance(value, dict):
            read_only = read_only | self._read_only_names(schema)
        problem = self._type_problem(value, schema)
        if problem:
            yield f"{at or '/'}: {problem}"
            return
        for problem in self._value_problems(value, schema):
            yield f"{at or '/'}: {problem}"
        if isinstance(value, str):
            yield from (f"{at or '/'}: {problem}" for problem in self._string_problems(value, schema))
        elif _is_number(value):
            yield from (f"{at or '/'}: {problem}" for problem in self._number_problems(value, schema))
        elif isinstance(value, list):
            yield from self._array_errors(value, schema, at)
        elif isinstance(value, dict):
            yield from self._object_errors(value, schema, at, read_only)
        yield from self._composition_errors(value, schema, at, refs, read_only)

    def _type_problem(self, value: Any, schema: Mapping[str, Any]) -> str | None:
        declared = schema.get("type")
        if declared is None:
            return None
        types = (
            [declared] if isinstance(declared, str) else list(declared) if isinstance(declared, list) else []
        )
        if not self.openapi31 and schema.get("nullable") is True:
            types.append("null")
        if any(self.is_type(value, kind) for kind in types):
            return None
        return f"{describe(value)} is not of type {declared}" + (" (nor null)" if "null" in types else "")

    def is_type(self, value: Any, kind: Any) -> bool:
        """Whether `value` is of the JSON Schema type `kind`; an unknown type allows anything."""
        if kind == "string":
            return isinstance(value, str)
        if kind == "integer":
            if isinstance(value, float) and (self.openapi31 or not self.strict):
                return value.is_integer()  # 2.0 is an integer to ajv, and to 3.1; not to 3.0's Python reading
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "number":
            return _is_number(value)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "object":
            return isinstance(value, dict)
        if kind == "array":
            return isinstance(value, list)
        if kind == "null":
            return value is None
        return True

    def _value_problems(self, value: Any, schema: Mapping[str, Any]) -> Iterator[str]:
        enum = schema.get("enum")
        if isinstance(enum, list) and not any(json_equal(value, option) for option in enum):
            yield f"{describe(value)} is not one of the enum values {describe(enum)}"
        if "const" in schema and (self.openapi31 or self.strict) and not json_equal(value, schema["const"]):
            yield f"{describe(value)} is not the const {describe(schema['const'])}"

    def _string_problems(self, value: str, schema: Mapping[str, Any]) -> Iterator[str]:
        minimum, maximum = schema.get("minLength"), schema.get("maxLength")
        if isinstance(minimum, int) and len(value) < minimum:
            yield f"{describe(value)} is shorter than minLength {minimum}"
        if isinstance(maximum, int) and len(value) > maximum:
            yield f"{describe(value)} is longer than maxLength {maximum}"
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                found = regex_sample.search(pattern, value)
            except regex_sample.PatternError as error:
                yield str(error)
            else:
                # As Python reads the pattern (when it can), which differs in `$`, `\d` and `\w`.
                as_python = regex_sample.python_search(pattern, value)
                if as_python is not None:
                    found = found and as_python if self.strict else found or as_python
                if not found:
                    yield f"{describe(value)} does not match the pattern {pattern!r}"
        formats = STRING_FORMATS if self.strict else LENIENT_STRING_FORMATS
        check = formats.get(_text(schema.get("format")))
        if check is not None and not (
            check(value) or not self.strict and self.openapi31 and schema["format"] == "byte"
        ):
            yield f"{describe(value)} is not a valid {schema['format']}"

    def _number_problems(self, value: int | float, schema: Mapping[str, Any]) -> Iterator[str]:
        for bound, below in (("minimum", True), ("maximum", False)):
            limit = schema.get(bound)
            exclusive = schema.get("exclusiveMinimum" if below else "exclusiveMaximum")
            if _is_number(limit):
                if exclusive is True and (value <= limit if below else value >= limit):
                    yield f"{describe(value)} is not {'above' if below else 'below'} the exclusive {bound} {limit}"
                elif value < limit if below else value > limit:
                    yield f"{describe(value)} is {'below the minimum' if below else 'above the maximum'} {limit}"
            if _is_number(exclusive) and (value <= exclusive if below else value >= exclusive):
                name = "exclusiveMinimum" if below else "exclusiveMaximum"
                yield f"{describe(value)} is not {'above' if below else 'below'} the {name} {exclusive}"
        divisor = schema.get("multipleOf")
        if _is_number(divisor) and divisor > 0 and not multiple_of(value, divisor):
            yield f"{describe(value)} is not a multiple of {divisor}"
        bounds = NUMBER_FORMATS.get(_text(schema.get("format")))
        whole = isinstance(value, int) or value.is_integer()
        if bounds is not None and not (
            whole and bounds[0] <= value <= bounds[1] or not whole and not self.strict
        ):
            yield f"{describe(value)} is not a valid {schema['format']}"  # only ajv asks for a whole number

    def _array_errors(self, value: list[Any], schema: Mapping[str, Any], at: str) -> Iterator[str]:
        minimum, maximum = schema.get("minItems"), schema.get("maxItems")
        if isinstance(minimum, int) and len(value) < minimum:
            yield f"{at or '/'}: {len(value)} items, fewer than minItems {minimum}"
        if isinstance(maximum, int) and len(value) > maximum:
            yield f"{at or '/'}: {len(value)} items, more than maxItems {maximum}"
        if schema.get("uniqueItems") is True:
            for index, item in enumerate(value):
                if any(json_equal(item, earlier) for earlier in value[:index]):
                    yield f"{at or '/'}: item {index} repeats an earlier one, but uniqueItems is true"
                    break
        prefix = schema.get("prefixItems") if self.openapi31 else None
        items = schema.get("items")
        if isinstance(items, list):  # the tuple form of drafts before 2020-12
            prefix, items = items, None
        prefix = prefix if isinstance(prefix, list) else []
        for index, item in enumerate(value):
            item_schema = prefix[index] if index < len(prefix) else items
            if item_schema is not None:
                yield from self._errors(item, item_schema, f"{at}/{index}", frozenset(), frozenset())
        contains = schema.get("contains")
        if contains is not None and self.openapi31:
            found = sum(1 for item in value if self.conforms(item, contains))
            least, most = schema.get("minContains", 1), schema.get("maxContains")
            if isinstance(least, int) and found < least:
                yield f"{at or '/'}: {found} items match `contains`, fewer than {least}"
            if isinstance(most, int) and found > most:
                yield f"{at or '/'}: {found} items match `contains`, more than maxContains {most}"

    def _object_errors(
        self, value: dict[str, Any], schema: Mapping[str, Any], at: str, read_only: frozenset[str]
    ) -> Iterator[str]:
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        required = schema.get("required")
        for name in required if isinstance(required, list) else []:
            if isinstance(name, str) and name not in value and name not in read_only:
                yield f"{at or '/'}: the required property {name!r} is missing"
        minimum, maximum = schema.get("minProperties"), schema.get("maxProperties")
        if isinstance(minimum, int) and len(value) < minimum:
            yield f"{at or '/'}: {len(value)} properties, fewer than minProperties {minimum}"
        if isinstance(maximum, int) and len(value) > maximum:
            yield f"{at or '/'}: {len(value)} properties, more than maxProperties {maximum}"
        patterns = schema.get("patternProperties")
        patterns = patterns if isinstance(patterns, dict) else {}
        additional = schema.get("additionalProperties", True)
        names = schema.get("propertyNames")
        dependent = schema.get("dependentRequired") if self.openapi31 else None
        for name, item in value.items():
            where = f"{at}/{name.replace('~', '~0').replace('/', '~1')}"
            if name in read_only and self.strict:
                yield f"{where}: the property {name!r} is readOnly, and must not be sent in a request"
                continue
            matched = name in properties
            if matched:
                yield from self._errors(item, properties[name], where, frozenset(), frozenset())
            for pattern, pattern_schema in patterns.items():
                if not isinstance(pattern, str):
                    continue
                try:
                    found = regex_sample.search(pattern, name)
                except regex_sample.PatternError as error:
                    yield f"{where}: {error}"
                    continue
                if found:
                    matched = True
                    yield from self._errors(item, pattern_schema, where, frozenset(), frozenset())
            if not matched and additional is not True:
                if additional is False:
                    yield f"{where}: the property {name!r} is not declared, and additionalProperties is false"
                else:
                    yield from self._errors(item, additional, where, frozenset(), frozenset())
            if names is not None and not self.conforms(name, names):
                yield f"{where}: the name {name!r} does not conform to propertyNames"
            if isinstance(dependent, dict) and isinstance(dependent.get(name), list):
                for other in dependent[name]:
                    if other not in value:
                        yield f"{at or '/'}: {other!r} is required when {name!r} is present"

    def _composition_errors(
        self, value: Any, schema: Mapping[str, Any], at: str, refs: frozenset[str], read_only: frozenset[str]
    ) -> Iterator[str]:
        for part in as_list(schema.get("allOf")):
            yield from self._errors(value, part, at, refs, read_only)
        any_of = schema.get("anyOf")
        if isinstance(any_of, list) and not any(
            self._ok(value, option, refs, read_only) for option in any_of
        ):
            yield f"{at or '/'}: {describe(value)} matches none of the anyOf options"
        one_of = schema.get("oneOf")
        if isinstance(one_of, list):
            # One option matches, and no other does under the opposite reading.
            matching = [
                index for index, option in enumerate(one_of) if self._ok(value, option, refs, read_only)
            ]
            others = [
                index
                for index, option in enumerate(one_of)
                if self.opposite._ok(value, option, refs, read_only)
            ]
            if not any(set(others) <= {index} for index in matching):
                found = sorted(set(matching) | set(others))
                which = (
                    f"options {', '.join(str(index + 1) for index in found)}"
                    if found
                    else "none of the options"
                )
                yield f"{at or '/'}: {describe(value)} matches {which} of oneOf; exactly one must match"
        if "not" in schema and self.opposite._ok(value, schema["not"], refs, frozenset()):
            yield f"{at or '/'}: {describe(value)} matches the schema under `not`"
        if "if" in schema and self.openapi31:
            branch = "then" if self._ok(value, schema["if"], refs, read_only) else "else"
            if branch in schema:
                yield from self._errors(value, schema[branch], at, refs, read_only)
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and self.strict and any(key in schema for key in _COMPOSITIONS):
            yield from self._discriminator_errors(value, discriminator, at, refs, read_only)

    def _discriminator_errors(
        self,
        value: Any,
        discriminator: Mapping[str, Any],
        at: str,
        refs: frozenset[str],
        read_only: frozenset[str],
    ) -> Iterator[str]:
        """OpenAPI's reading: the property names the schema (by its mapping key or its component name) that
        the value must match."""
        name = discriminator.get("propertyName")
        if not isinstance(value, dict) or not isinstance(name, str):
            return
        tag = value.get(name)
        if not isinstance(tag, str) or not tag:
            yield f"{at or '/'}: the discriminator property {name!r} is missing"
            return
        mapping = discriminator.get("mapping")
        target = mapping.get(tag) if isinstance(mapping, dict) else None
        ref = (
            mapping_target(target) if isinstance(target, str) else COMPONENT_SCHEMAS + tag.replace("~", "~0")
        )
        if ref in refs:
            return  # the value is being checked against that schema already
        try:
            self.refs.resolve(ref)
        except LookupError:
            yield f"{at or '/'}: the discriminator {name!r} is {tag!r}, which names no schema"
            return
        yield from self._errors(value, {"$ref": ref}, at, refs, read_only)

    def _ok(self, value: Any, schema: Any, refs: frozenset[str], read_only: frozenset[str]) -> bool:
        return next(self._errors(value, schema, "", refs, read_only), None) is None

    def _read_only_names(self, schema: Mapping[str, Any]) -> frozenset[str]:
        """The properties that `schema` and the parts it is made of (`$ref`, allOf) declare readOnly."""
        cached = self._read_only.get(id(schema))
        if cached is not None and cached[0] is schema:
            return cached[1]
        names: set[str] = set()
        for part in self.parts(schema):
            properties = part.get("properties")
            if isinstance(properties, dict):
                names.update(name for name, sub in properties.items() if self.is_read_only(sub))
        result = frozenset(names)
        self._read_only[id(schema)] = (schema, result)
        return result

    def is_read_only(self, schema: Any) -> bool:
        """Whether a property's schema, or a part it is made of, says readOnly."""
        if not isinstance(schema, dict):
            return False
        if schema.get("readOnly") is True:
            return True
        if "$ref" not in schema and "allOf" not in schema:
            return False
        return any(part.get("readOnly") is True for part in self.parts(schema))

    def parts(self, schema: Any) -> list[Mapping[str, Any]]:
        """`schema` and every schema it is made of through `$ref` and allOf, each once."""
        found: list[Mapping[str, Any]] = []
        pending = [schema]
        seen: set[int] = set()
        while pending:
            part = pending.pop(0)
            if not isinstance(part, dict) or id(part) in seen:
                continue
            seen.add(id(part))
            found.append(part)
            ref = part.get("$ref")
            if isinstance(ref, str):
                try:
                    pending.append(self.refs.resolve(ref))
                except LookupError:
                    pass
            all_of = part.get("allOf")
            if isinstance(all_of, list):
                pending.extend(all_of)
        return found
