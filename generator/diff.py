"""`generate-sdk --diff OLD_SPEC`: what changed in the SDK between two versions of a spec, as release notes.

Operations are compared by the method a user calls (`client.items.list_items`), models by class name;
a change is one in what the user sees: arguments, their types and whether they are required, the return
type, the HTTP method and path, the fields of a model and their types, the members of an enum.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from generator.naming import EnumClass, ModelClass, OperationMethod, Sdk

Part = TypeVar("Part")


@dataclass(frozen=True)
class Change:
    kind: str
    """`added`, `removed` or `changed`."""
    subject: str
    details: tuple[str, ...] = ()


def changes(old: Sdk, new: Sdk) -> list[Change]:
    """The operations, models and enums added, removed or changed from `old` to `new`."""
    found = _compare(_operations(old), _operations(new), _operation_changes)
    found += _compare(_models(old), _models(new), _model_changes)
    found += _compare(_enums(old), _enums(new), _enum_changes)
    return found


def release_notes(found: list[Change]) -> str:
    if not found:
        return "No changes to operations, models or enums.\n"
    lines: list[str] = []
    for kind, title in (("added", "Added"), ("removed", "Removed"), ("changed", "Changed")):
        entries = [change for change in found if change.kind == kind]
        if entries:
            lines += ["", f"### {title}", ""] if lines else [f"### {title}", ""]
            for change in entries:
                lines.append(f"- {change.subject}")
                lines += [f"  - {detail}" for detail in change.details]
    return "\n".join(lines) + "\n"


def _compare(
    old: dict[str, Part], new: dict[str, Part], describe: Callable[[Part, Part], Iterator[str]]
) -> list[Change]:
    found = [Change("added", subject) for subject in new if subject not in old]
    found += [Change("removed", subject) for subject in old if subject not in new]
    for subject in new:
        if subject in old:
            details = tuple(describe(old[subject], new[subject]))
            if details:
                found.append(Change("changed", subject, details))
    return found


def _operations(sdk: Sdk) -> dict[str, OperationMethod]:
    return {
        f"`client.{resource.attribute}.{op.method_name}()`": op
        for resource in sdk.resources
        for op in resource.operations
    }


def _operation_changes(old: OperationMethod, new: OperationMethod) -> Iterator[str]:
    if (old.http_method, old.path.raw) != (new.http_method, new.path.raw):
        yield f"now {new.http_method} {new.path.raw} (was {old.http_method} {old.path.raw})"
    yield from _typed_changes(
        "argument",
        {
            argument.name: (argument.name, argument.annotation, argument.required)
            for argument in old.arguments
        },
        {
            argument.name: (argument.name, argument.annotation, argument.required)
            for argument in new.arguments
        },
    )
    old_body, new_body = old.body.annotation if old.body else None, new.body.annotation if new.body else None
    if old_body != new_body:
        yield f"body: `{old_body}` → `{new_body}`"
    if old.return_annotation != new.return_annotation:
        yield f"returns `{new.return_annotation}` (was `{old.return_annotation}`)"


Typed = tuple[str, str, bool]
"""The Python name, the annotation and whether it is required."""


def _typed_changes(noun: str, before: dict[str, Typed], after: dict[str, Typed]) -> Iterator[str]:
    """Names added, retyped and removed, keyed by what identifies them on the wire."""
    for key, (name, annotation, required) in after.items():
        if key not in before:
            yield f"new {'required' if required else 'optional'} {noun} `{name}: {annotation}`"
        elif before[key][1:] != (annotation, required):
            yield f"{noun} `{name}`: `{_declaration(*before[key][1:])}` → `{_declaration(annotation, required)}`"
    yield from (f"{noun} `{before[key][0]}` removed" for key in before if key not in after)


def _declaration(annotation: str, required: bool) -> str:
    return annotation if required else f"{annotation} = None"


def _models(sdk: Sdk) -> dict[str, ModelClass]:
    return {f"model `{model.class_name}`": model for model in sdk.models}


def _model_changes(old: ModelClass, new: ModelClass) -> Iterator[str]:
    return _typed_changes(
        "field",
        {field.wire_name.raw: (field.attribute, field.annotation, field.required) for field in old.fields},
        {field.wire_name.raw: (field.attribute, field.annotation, field.required) for field in new.fields},
    )


def _enums(sdk: Sdk) -> dict[str, EnumClass]:
    return {f"enum `{enum.class_name}`": enum for enum in sdk.enums}


def _enum_changes(old: EnumClass, new: EnumClass) -> Iterator[str]:
    before = {member.member for member in old.members}
    after = {member.member for member in new.members}
    yield from (f"new member `{name}`" for name in sorted(after - before))
    yield from (f"member `{name}` removed" for name in sorted(before - after))
