"""Sample values for requests: for a parameter's or a request body's schema, a JSON value that conforms to it.

The tests of a generated SDK call every operation against a mock server that validates each request, so
each value must pass a strict validator (see `schema_check`). A value is, in order of preference: the first
example the caller passes that conforms, the schema's own `example`, `examples`, `default`, first non-null
`enum` value or `const` that conforms, or one made from the schema: required properties only (readOnly ones
left out), one item per array, "example" for a free string, 1 for a free number, a string built from the
`pattern`, a well-formed value for a known `format`. Examples that carry readOnly properties are offered
without them. Every candidate is checked before it is returned; when none conforms, `NoSample` says why.

Everything here is plain JSON data in and out, deterministic (no sets are iterated, nothing is random) and
independent of the generator's model, so that any test writer can use it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from generator import regex_sample
from generator.sample_scalars import NoSample, numbers, strings
from generator.schema_check import Refs, SchemaChecker, component_name, json_equal, mapping_target
from generator.schema_merge import Flat, Merger, ref_name
from generator.string_formats import NUMBER_FORMATS

_VARIANTS = 4
"""How many values of one option, property or item are tried when an earlier one did not fit (oneOf must
match exactly one option; uniqueItems wants distinct items)."""
_BUDGET = 20_000
"""How many schemas one sample may visit: a bound on the search, which oneOf and uniqueItems can widen."""


class _Cycle(NoSample):
    """Every value would contain itself: the schemas named require each other without end."""


@dataclass(frozen=True)
class _Context:
    """Where the sampler is: the schemas it is inside of (by the references they merge), for cycles."""

    stack: tuple[frozenset[str], ...] = ()
    path: tuple[str, ...] = ()
    steps: list[int] = field(default_factory=lambda: [0])


class Sampler:
    """Sample request values for the schemas of one OpenAPI 3.0 or 3.1 document (Swagger 2.0 converted)."""

    def __init__(self, document: Mapping[str, Any]) -> None:
        self._refs = Refs(document)
        version = str(document.get("openapi", "3.0"))
        self._openapi31 = not version.startswith(("2", "3.0"))
        self._checker = SchemaChecker(self._refs, openapi31=self._openapi31)
        self._merger = Merger(self._refs, openapi31=self._openapi31)

    def sample(self, schema: Any, examples: Sequence[Any] = ()) -> Any:
        """A value conforming to `schema` for a request: the first of `examples` that conforms (without its
        readOnly properties), else the schema's own example, default, enum value or const, else one made from
        the schema. NoSample when there is none."""
        for example in examples:
            candidate = self._without_read_only(example, schema)
            if self.conforms(candidate, schema):
                return _copy(candidate)
        try:
            return _copy(self._first(schema, _Context()))
        except _Cycle as cycle:
            raise NoSample(f"the schema demands infinite data: {cycle}") from None
        except RecursionError:
            raise NoSample("the schema nests too deeply to sample") from None

    def conforms(self, value: Any, schema: Any) -> bool:
        """Whether `value` may be sent in a request where `schema` applies."""
        try:
            return self._checker.conforms(value, schema)
        except RecursionError:
            return False

    def problems(self, value: Any, schema: Any) -> list[str]:
        """Why `value` may not be sent where `schema` applies, each problem with its place; [] when it may."""
        try:
            return self._checker.problems(value, schema)
        except RecursionError:
            return ["the value or the schema nests too deeply to check"]

    # Values: the conforming ones, the most plain first.

    def _first(self, schema: Any, context: _Context) -> Any:
        return next(self._values(schema, context))

    def _values(self, schema: Any, context: _Context) -> Iterator[Any]:
        """Conforming values for `schema`, distinct, the preferred first; NoSample when there is none left."""
        context.steps[0] += 1
        if context.steps[0] > _BUDGET:
            raise NoSample(f"gave up after trying {_BUDGET} schemas: the schema allows too few values")
        flat = self._merger.flatten(schema)
        offered: list[Any] = []
        reason: str | None = None  # why nothing could be made, when the makers know
        problem: str | None = None  # what was wrong with the last value that did not conform
        candidates = itertools.chain(
            (self._without_read_only(candidate, schema) for candidate in flat.candidates),
            self._made(flat, context),
        )
        while True:
            try:
                value = next(candidates)
            except StopIteration:
                break
            except _Cycle:
                if offered:
                    return
                raise
            except NoSample as error:
                reason = str(error)
                break
            if any(json_equal(value, earlier) for earlier in offered):
                continue
            if self.conforms(value, schema):
                offered.append(value)
                yield value
            elif not offered:
                problem = "; ".join(self.problems(value, schema)[:3])
        if not offered:
            raise NoSample(reason or problem or "the schema allows no value")

    def _made(self, flat: Flat, context: _Context) -> Iterator[Any]:
        """Values made from the constraints, not yet checked against the whole schema."""
        if flat.impossible:
            raise NoSample(flat.impossible)
        if flat.choices:
            yield from self._chosen(flat, context)
            return
        identity = frozenset(flat.refs)
        if identity and identity in context.stack:
            if flat.types is not None and "null" in flat.types and flat.enum is None:
                yield None  # a nullable schema ends its own recursion
                return
            raise _Cycle(_path_text(context.path + (ref_name(flat.refs[0]),)))
        if identity:
            context = replace(
                context, stack=context.stack + (identity,), path=context.path + (ref_name(flat.refs[0]),)
            )
        if flat.enum is not None:
            yield from sorted(flat.enum, key=lambda value: value is None)
            return
        yield from self._subtypes(flat, context)
        failures = []
        for kind in self._types(flat):
            try:
                yield from self._of_type(kind, flat, context)
            except NoSample as error:  # another type may still do
                failures.append(error)
        if failures:
            raise failures[0]

    def _chosen(self, flat: Flat, context: _Context) -> Iterator[Any]:
        """Values for the first oneOf/anyOf: each option in turn merged with the rest of the schema."""
        choice, rest = flat.choices[0], flat.copy()
        rest.choices = flat.choices[1:]
        reasons: list[tuple[int, NoSample]] = []
        for index, option in enumerate(choice.options):
            merged = rest.copy()
            ref = option.get("$ref") if isinstance(option, dict) else None
            name = component_name(ref) if isinstance(ref, str) else None
            if name is not None:
                merged.names = [name] + merged.names
            self._merger.merge(merged, option, top=False, seen=())
            if name is not None and choice.discriminator is not None:
                self._merger.tag(merged, choice.discriminator, [name])
            # An option that is an enum may share most values with another one: try them all.
            variants = max(_VARIANTS, len(merged.enum or ()))
            try:
                yield from itertools.islice(self._made(merged, context), variants)
            except NoSample as error:
                reasons.append((index, error))
        if reasons:
            text = "; ".join(f"option {index + 1}: {error}" for index, error in reasons)
            raise _Cycle(text) if all(isinstance(error, _Cycle) for _, error in reasons) else NoSample(text)

    def _subtypes(self, flat: Flat, context: _Context) -> Iterator[Any]:
        """For a schema whose own discriminator maps only other schemas (a base type sampled as itself): the
        values of those schemas, which extend it, before a value of the base type itself."""
        for discriminator in flat.own_discriminators:
            mapping = discriminator.get("mapping")
            if not isinstance(mapping, dict) or any(
                isinstance(target, str) and component_name(mapping_target(target)) in flat.names
                for target in mapping.values()
            ):
                continue
            for target in mapping.values():
                if isinstance(target, str):
                    try:
                        yield self._first({"$ref": mapping_target(target)}, context)
                    except NoSample:
                        continue

    def _types(self, flat: Flat) -> list[str]:
        """The types to make a value of, in the order to try them; null last."""
        if flat.types is not None:
            return sorted(flat.types, key=lambda kind: kind == "null")
        if flat.properties or flat.required or flat.min_properties or flat.additional or flat.closed:
            return ["object"]
        if flat.items or flat.prefix or flat.min_items or flat.contains:
            return ["array"]
        if flat.patterns or flat.min_length or flat.max_length is not None or flat.formats:
            kinds = ["string"]
            if any(NUMBER_FORMATS.get(name) or name in ("float", "double") for name in flat.formats):
                kinds.insert(
                    0, "integer" if any(NUMBER_FORMATS.get(name) for name in flat.formats) else "number"
                )
            return kinds
        if flat.lower or flat.upper or flat.multiples:
            return ["number"]
        return ["string", "integer", "boolean", "object", "array"]

    def _of_type(self, kind: str, flat: Flat, context: _Context) -> Iterator[Any]:
        if kind == "string":
            yield from strings(flat.formats, flat.patterns, flat.min_length, flat.max_length)
        elif kind in ("integer", "number"):
            yield from numbers(flat.lower, flat.upper, flat.multiples, integer=kind == "integer")
        elif kind == "boolean":
            yield from (True, False)
        elif kind == "null":
            yield None
        elif kind == "array":
            yield from self._arrays(flat, context)
        elif kind == "object":
            yield from self._objects(flat, context)

    def _arrays(self, flat: Flat, context: _Context) -> Iterator[list[Any]]:
        """One item when the array may have it (an empty array is often not sent at all), minItems when more
        are needed, distinct ones under uniqueItems; empty when the items cannot be made and may be left out.
        """
        if flat.max_items is not None and flat.max_items < flat.min_items:
            raise NoSample(f"minItems {flat.min_items} is greater than maxItems {flat.max_items}")
        count = max(flat.min_items, 1)
        if flat.max_items is not None:
            count = min(count, flat.max_items)
        if flat.closed_items:
            count = min(count, len(flat.prefix))
        try:
            items = self._items(flat, count, context)
        except NoSample:
            if flat.min_items > 0:
                raise
            items = []
        yield items
        if items and flat.min_items == 0:
            yield []

    def _items(self, flat: Flat, count: int, context: _Context) -> list[Any]:
        items: list[Any] = []
        shared: Iterator[Any] | None = None
        for index in range(count):
            parts = (flat.prefix[index] if index < len(flat.prefix) else []) + flat.items
            if index == 0:
                parts = parts + flat.contains
            inner = replace(context, path=context.path + (f"[{index}]",))
            if index < len(flat.prefix) or index == 0 and flat.contains or not flat.unique:
                values = self._values(_all_of(parts), inner)
            else:
                shared = shared or self._values(_all_of(parts), inner)
                values = shared
            for value in values:
                if not flat.unique or not any(json_equal(value, item) for item in items):
                    items.append(value)
                    break
            else:
                raise NoSample(
                    f"uniqueItems needs {count} distinct items, and only {len(items)} could be made"
                )
        return items

    def _objects(self, flat: Flat, context: _Context) -> Iterator[dict[str, Any]]:
        """The required properties (readOnly ones left out), discriminator properties set to the name of the
        schema chosen, optional properties in order when minProperties needs more; then, as other values to
        try, the same with one optional property added."""
        read_only = [
            name for name, parts in flat.properties.items() if any(map(self._checker.is_read_only, parts))
        ]
        declared = [name for name in flat.properties if name in flat.required]
        wanted = declared + [name for name in flat.required if name not in flat.properties]
        wanted += [name for name in flat.tags if name not in wanted]
        wanted = [name for name in wanted if name not in read_only]
        optional = [name for name in flat.properties if name not in wanted and name not in read_only]
        value: dict[str, Any] = {}
        for name in wanted:
            value[name] = self._property(flat, name, context)
        for name in optional:
            if len(value) >= flat.min_properties:
                break
            try:
                value[name] = self._property(flat, name, context)
            except NoSample:
                continue
        if len(value) < flat.min_properties and flat.closed and not flat.pattern_properties:
            raise NoSample(
                f"minProperties {flat.min_properties} asks for more properties than the schema allows"
            )
        for index in itertools.count(1):
            if len(value) >= flat.min_properties:
                break
            name = f"property{index}"
            if name not in value and name not in read_only:
                value[name] = self._property(flat, name, context)
        if flat.max_properties is not None and len(value) > flat.max_properties:
            raise NoSample(
                f"{len(value)} properties are required, more than maxProperties {flat.max_properties}"
            )
        yield value
        for name in optional[:_VARIANTS]:
            if name not in value:
                try:
                    yield {**value, name: self._property(flat, name, context)}
                except NoSample:
                    continue

    def _property(self, flat: Flat, name: str, context: _Context) -> Any:
        schema = _all_of(self._property_schemas(flat, name))
        inner = replace(context, path=context.path + (f".{name}",))
        tag = flat.tags.get(name)
        if tag is not None and self.conforms(tag, schema):
            return tag
        return self._first(schema, inner)

    def _property_schemas(self, flat: Flat, name: str) -> list[Any]:
        """What applies to the property `name`: its declarations, else the matching patternProperties and
        additionalProperties."""
        if name in flat.properties:
            return flat.properties[name]
        parts = []
        for pattern, schema in flat.pattern_properties:
            try:
                if regex_sample.search(pattern, name):
                    parts.append(schema)
            except regex_sample.PatternError:
                continue
        if not parts and flat.closed:
            raise NoSample(
                f"the property {name!r} is required but not declared, and additionalProperties is false"
            )
        return parts or flat.additional

    # Examples for requests.

    def _without_read_only(self, value: Any, schema: Any, depth: int = 0) -> Any:
        """`value` without the properties its schema marks readOnly, which a request leaves out."""
        if depth > 64 or not isinstance(value, (dict, list)):
            return value
        parts = self._checker.parts(schema)
        if isinstance(value, list):
            items = [part["items"] for part in parts if isinstance(part.get("items"), dict)]
            return [self._without_read_only(item, _all_of(items), depth + 1) for item in value]
        declared: dict[str, list[Any]] = {}
        for part in parts:
            properties = part.get("properties")
            if isinstance(properties, dict):
                for name, sub in properties.items():
                    declared.setdefault(name, []).append(sub)
        return {
            name: self._without_read_only(item, _all_of(declared.get(name, [])), depth + 1)
            for name, item in value.items()
            if not any(map(self._checker.is_read_only, declared.get(name, [])))
        }


# Small helpers.


def _all_of(schemas: list[Any]) -> Any:
    """One schema requiring all of `schemas`."""
    if not schemas:
        return {}
    return schemas[0] if len(schemas) == 1 else {"allOf": list(schemas)}


def _path_text(path: tuple[str, ...]) -> str:
    """Where a cycle runs, such as `Node.children[0] → Node`."""
    text = ""
    for part in path:
        text += part if part.startswith((".", "[")) or not text else f" → {part}"
    return text


def _copy(value: Any) -> Any:
    """A copy of JSON data, so that callers never share the document's objects."""
    if isinstance(value, dict):
        return {key: _copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copy(item) for item in value]
    return value


__all__ = ["NoSample", "Sampler"]
