"""One view of all that a schema asks of a value: its `$ref`s followed and its allOf parts merged, the
way a value must meet them all (ranges narrowed, properties and required lists joined, enums intersected).
The sampler makes values from this view; nested schemas (properties, items, oneOf options) stay as written
until a value needs them.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, TypeGuard

from generator.sample_scalars import Bound
from generator.schema_check import Refs, as_list, component_name, json_equal, mapping_target
from generator.string_formats import NUMBER_FORMATS


@dataclass
class Choice:
    """A oneOf or anyOf: one of `options` must hold (for oneOf, only that one)."""

    options: list[Any]
    discriminator: Mapping[str, Any] | None


@dataclass
class Flat:
    """The constraints of a schema with its `$ref`s followed and its allOf parts merged into one, the way a
    value must meet them all: ranges narrowed, properties and required lists joined. Nested schemas
    (properties, items, options) stay as written, to be merged only when a value needs them."""

    types: list[str] | None = None
    enum: list[Any] | None = None
    formats: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    min_length: int = 0
    max_length: int | None = None
    lower: Bound | None = None
    upper: Bound | None = None
    multiples: list[Fraction] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    """Schemas every item must meet (beyond the prefix)."""
    prefix: list[list[Any]] = field(default_factory=list)
    """For each position of prefixItems, the schemas its item must meet."""
    closed_items: bool = False
    """`items: false`: no items beyond the prefix."""
    min_items: int = 0
    max_items: int | None = None
    unique: bool = False
    contains: list[Any] = field(default_factory=list)
    properties: dict[str, list[Any]] = field(default_factory=dict)
    required: list[str] = field(default_factory=list)
    additional: list[Any] = field(default_factory=list)
    """additionalProperties schemas, which undeclared properties must meet."""
    closed: bool = False
    """additionalProperties is false in some part: no undeclared properties."""
    pattern_properties: list[tuple[str, Any]] = field(default_factory=list)
    min_properties: int = 0
    max_properties: int | None = None
    choices: list[Choice] = field(default_factory=list)
    own_discriminators: list[Mapping[str, Any]] = field(default_factory=list)
    """Discriminators of the schema itself (not of an allOf part) without oneOf/anyOf: a base type's."""
    tags: dict[str, str] = field(default_factory=dict)
    """Values for discriminator properties, decided by the option chosen."""
    candidates: list[Any] = field(default_factory=list)
    """The schema's own examples, default, enum values and const, tried before anything is made."""
    names: list[str] = field(default_factory=list)
    """The component names of the schema (through `$ref`s), the most specific first."""
    refs: list[str] = field(default_factory=list)
    """Every reference merged: the identity of this schema for finding cycles."""
    impossible: str | None = None
    """Why no value can meet the constraints, when merging already shows it (types without a common one, a
    `false` schema, a reference to nothing)."""

    def copy(self) -> Flat:
        """A copy whose lists and dicts can change without changing this one's."""
        clone = copy.copy(self)
        for name, value in vars(clone).items():
            if isinstance(value, (list, dict)):
                setattr(clone, name, value.copy())
        return clone


class Merger:
    """Merges the schemas of one OpenAPI 3.0 or 3.1 document."""

    def __init__(self, refs: Refs, *, openapi31: bool) -> None:
        self._refs = refs
        self._openapi31 = openapi31

    def flatten(self, schema: Any) -> Flat:
        """The constraints of `schema`, merged."""
        flat = Flat()
        self.merge(flat, schema, top=True, seen=())
        return flat

    def merge(self, flat: Flat, schema: Any, *, top: bool, seen: tuple[str, ...]) -> None:
        """Add the constraints of `schema` to `flat`. `top`: the schema itself, through `$ref`s, whose examples
        and names count (an allOf part's do not); `seen`: the references being merged, to stop at loops."""
        if schema is False:
            flat.impossible = "the schema is `false`: no value is allowed"
        if not isinstance(schema, dict):
            return
        if top:
            flat.candidates.extend(self._own_candidates(schema))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                flat.impossible = f"the schema is made of itself: {' → '.join(map(ref_name, seen + (ref,)))}"
                return
            try:
                target = self._refs.resolve(ref)
            except LookupError as error:
                flat.impossible = str(error)
                return
            name = component_name(ref)
            if top and name is not None:
                flat.names.append(name)
            if ref not in flat.refs:
                flat.refs.append(ref)
            self.merge(flat, target, top=top, seen=seen + (ref,))
        self._merge_type(flat, schema)
        self._merge_string(flat, schema)
        self._merge_number(flat, schema)
        self._merge_array(flat, schema)
        self._merge_object(flat, schema)
        for part in as_list(schema.get("allOf")):
            self.merge(flat, part, top=False, seen=seen)
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if isinstance(options, list) and options:
                discriminator = schema.get("discriminator")
                flat.choices.append(
                    Choice(options, discriminator if isinstance(discriminator, dict) else None)
                )
        discriminator = schema.get("discriminator")
        if isinstance(discriminator, dict) and not schema.get("oneOf") and not schema.get("anyOf"):
            if top:
                flat.own_discriminators.append(discriminator)
            self.tag(flat, discriminator, flat.names)

    def _own_candidates(self, schema: Mapping[str, Any]) -> list[Any]:
        found = []
        if "example" in schema:
            found.append(schema["example"])
        if isinstance(schema.get("examples"), list):
            found.extend(schema["examples"])
        if "default" in schema:
            found.append(schema["default"])
        if isinstance(schema.get("enum"), list):
            found.extend(value for value in schema["enum"] if value is not None)
        if "const" in schema:
            found.append(schema["const"])
        return found

    def _merge_type(self, flat: Flat, schema: Mapping[str, Any]) -> None:
        declared = schema.get("type")
        if isinstance(declared, (str, list)):
            types = (
                [declared]
                if isinstance(declared, str)
                else [kind for kind in declared if isinstance(kind, str)]
            )
            if not self._openapi31 and schema.get("nullable") is True:
                types.append("null")
            flat.types = types if flat.types is None else _common_types(flat.types, types)
            if not flat.types:
                flat.impossible = f"no value is of every type the schema's parts name ({declared} among them)"
        values = schema.get("enum")
        if "const" in schema:
            values = [schema["const"]]
        if isinstance(values, list):
            if flat.enum is None:
                flat.enum = list(values)
            else:
                flat.enum = [
                    value for value in flat.enum if any(json_equal(value, other) for other in values)
                ]
            if not flat.enum:
                flat.impossible = "no value is in every enum (or const) of the schema's parts"

    def _merge_string(self, flat: Flat, schema: Mapping[str, Any]) -> None:
        if isinstance(schema.get("format"), str) and schema["format"] not in flat.formats:
            flat.formats.append(schema["format"])
        if isinstance(schema.get("pattern"), str) and schema["pattern"] not in flat.patterns:
            flat.patterns.append(schema["pattern"])
        if _is_count(schema.get("minLength")):
            flat.min_length = max(flat.min_length, schema["minLength"])
        if _is_count(schema.get("maxLength")):
            flat.max_length = _least(flat.max_length, schema["maxLength"])

    def _merge_number(self, flat: Flat, schema: Mapping[str, Any]) -> None:
        for below, bound, exclusive_name in (
            (True, "minimum", "exclusiveMinimum"),
            (False, "maximum", "exclusiveMaximum"),
        ):
            exclusive = schema.get(exclusive_name)
            limits = []
            if _is_number(schema.get(bound)):
                limits.append((_fraction(schema[bound]), exclusive is True))
            if _is_number(exclusive):
                limits.append((_fraction(exclusive), True))
            for limit in limits:
                current = flat.lower if below else flat.upper
                if (
                    current is None
                    or (limit[0] > current[0] if below else limit[0] < current[0])
                    or (limit[0] == current[0] and limit[1])
                ):
                    if below:
                        flat.lower = limit
                    else:
                        flat.upper = limit
        if _is_number(schema.get("multipleOf")) and schema["multipleOf"] > 0:
            flat.multiples.append(_fraction(schema["multipleOf"]))
        bounds = NUMBER_FORMATS.get(schema["format"]) if isinstance(schema.get("format"), str) else None
        if bounds is not None:
            self._merge_number(flat, {"minimum": bounds[0], "maximum": bounds[1]})

    def _merge_array(self, flat: Flat, schema: Mapping[str, Any]) -> None:
        items = schema.get("items")
        prefix = schema.get("prefixItems") if self._openapi31 else None
        if isinstance(items, list):
            prefix, items = items, None
        if isinstance(prefix, list):
            for index, item in enumerate(prefix):
                if index == len(flat.prefix):
                    flat.prefix.append([])
                flat.prefix[index].append(item)
        if items is False:
            flat.closed_items = True
        elif items is not None and items is not True:
            flat.items.append(items)
        if _is_count(schema.get("minItems")):
            flat.min_items = max(flat.min_items, schema["minItems"])
        if _is_count(schema.get("maxItems")):
            flat.max_items = _least(flat.max_items, schema["maxItems"])
        if schema.get("uniqueItems") is True:
            flat.unique = True
        if self._openapi31 and "contains" in schema:
            flat.contains.append(schema["contains"])

    def _merge_object(self, flat: Flat, schema: Mapping[str, Any]) -> None:
        properties = schema.get("properties")
        if isinstance(properties, dict):
            for name, sub in properties.items():
                flat.properties.setdefault(name, []).append(sub)
        required = schema.get("required")
        if isinstance(required, list):
            flat.required.extend(
                name for name in required if isinstance(name, str) and name not in flat.required
            )
        additional = schema.get("additionalProperties")
        if additional is False:
            flat.closed = True
        elif isinstance(additional, dict):
            flat.additional.append(additional)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            flat.pattern_properties.extend(
                (key, sub) for key, sub in patterns.items() if isinstance(key, str)
            )
        if _is_count(schema.get("minProperties")):
            flat.min_properties = max(flat.min_properties, schema["minProperties"])
        if _is_count(schema.get("maxProperties")):
            flat.max_properties = _least(flat.max_properties, schema["maxProperties"])

    # Discriminators.

    def tag(self, flat: Flat, discriminator: Mapping[str, Any], names: list[str]) -> None:
        """Set the discriminator's property to the value naming the first of `names` it knows."""
        property_name = discriminator.get("propertyName")
        tag = self.tag_for(discriminator, names)
        if isinstance(property_name, str) and tag is not None:
            flat.tags[property_name] = tag

    def tag_for(self, discriminator: Mapping[str, Any], names: list[str]) -> str | None:
        """The mapping key naming one of `names` (the first one the mapping knows), else the first name when
        the mapping does not list it under another key."""
        mapping = discriminator.get("mapping")
        mapping = mapping if isinstance(mapping, dict) else {}
        for name in names:
            for key, target in mapping.items():
                if isinstance(target, str) and component_name(mapping_target(target)) == name:
                    return str(key)
        # Not in the mapping: OpenAPI reads the component's name as the value, unless the mapping gives that
        # name to another schema.
        if names and names[0] not in mapping:
            return names[0]
        return None


def _common_types(current: list[str], other: list[str]) -> list[str]:
    """The types in both lists (an integer is a number), in the order of the first."""
    common = []
    for kind in current:
        if kind in other:
            common.append(kind)
        elif kind == "number" and "integer" in other:
            common.append("integer")
        elif kind == "integer" and "number" in other:
            common.append("integer")
    return common


def ref_name(ref: str) -> str:
    """A component's name, or the reference when it names no component."""
    return component_name(ref) or ref


def _least(current: int | None, new: int) -> int:
    return new if current is None else min(current, new)


def _is_count(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _fraction(number: int | float) -> Fraction:
    """The number as written (0.1 is one tenth, not the double nearest to it)."""
    return Fraction(number) if isinstance(number, int) else Fraction(repr(number))
