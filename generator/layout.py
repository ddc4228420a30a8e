"""How the model classes are spread over modules, so that a resource loads only the models it uses.

Building a pydantic class costs time at import, and a large API defines a thousand of them. The classes
are grouped by the set of resources that use them, directly or through other models: loading one
resource's module then builds exactly the models its operations need, and nothing else. The groups never
import each other in a cycle: when a class refers to another, every resource that uses the first uses
the second too, so the second's group is used by at least as many resources, and by more unless the two
share a group.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from generator.naming import AliasClass, EnumClass, ModelClass
from generator.untrusted import Identifier

_STRING_LITERAL = re.compile(r'"(?:[^"\\]|\\.)*"')
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ModelImport:
    """Classes one model module imports from another."""

    module: Identifier
    names: tuple[Identifier, ...]


@dataclass(frozen=True)
class ModelModule:
    """A module of the `models` package: enums, models and aliases used by the same resources."""

    name: Identifier
    enums: tuple[EnumClass, ...]
    models: tuple[ModelClass, ...]
    aliases: tuple[AliasClass, ...]
    imports: tuple[ModelImport, ...]

    @property
    def class_names(self) -> list[Identifier]:
        items: list[EnumClass | ModelClass | AliasClass] = [*self.enums, *self.models, *self.aliases]
        return [item.class_name for item in items]


def classes_named(annotations: Iterable[str], known: Collection[str]) -> list[str]:
    """The known class names that annotations refer to (text inside `Literal["..."]` is not a name)."""
    found: dict[str, None] = {}
    for annotation in annotations:
        for name in _NAME.findall(_STRING_LITERAL.sub("", annotation)):
            if name in known:
                found[name] = None
    return list(found)


def model_modules(
    enums: tuple[EnumClass, ...],
    models: tuple[ModelClass, ...],
    aliases: tuple[AliasClass, ...],
    resources: dict[Identifier, list[str]],
) -> list[ModelModule]:
    """The model modules, given the annotations of each resource's operations, in the classes' order."""
    order: list[EnumClass | ModelClass | AliasClass] = [*enums, *models, *aliases]
    by_name: dict[str, EnumClass | ModelClass | AliasClass] = {item.class_name: item for item in order}
    references: dict[str, list[str]] = {
        model.class_name: classes_named(_model_annotations(model), by_name) for model in models
    }
    references.update((alias.class_name, classes_named([alias.annotation], by_name)) for alias in aliases)
    users: dict[str, set[Identifier]] = {name: set() for name in by_name}
    for resource, annotations in resources.items():
        pending = classes_named(annotations, by_name)
        while pending:
            name = pending.pop()
            if resource not in users[name]:
                users[name].add(resource)
                pending.extend(references.get(name, ()))
    groups: dict[frozenset[Identifier], list[EnumClass | ModelClass | AliasClass]] = {}
    for item in order:
        groups.setdefault(frozenset(users[item.class_name]), []).append(item)
    module_of: dict[str, Identifier] = {}
    for members in groups.values():
        # The first class's doc page is a snake-case name no other class has.
        name = Identifier("_" + members[0].doc_page.replace("-", "_"))
        module_of.update((item.class_name, name) for item in members)
    modules = []
    for members in groups.values():
        name = module_of[members[0].class_name]
        imported: dict[Identifier, list[Identifier]] = {}
        for item in members:
            for reference in references.get(item.class_name, ()):
                if module_of[reference] != name and reference not in imported.get(module_of[reference], ()):
                    imported.setdefault(module_of[reference], []).append(by_name[reference].class_name)
        modules.append(
            ModelModule(
                name,
                tuple(item for item in members if isinstance(item, EnumClass)),
                tuple(item for item in members if isinstance(item, ModelClass)),
                tuple(item for item in members if isinstance(item, AliasClass)),
                tuple(
                    ModelImport(module, tuple(sorted(names))) for module, names in sorted(imported.items())
                ),
            )
        )
    return modules


def _model_annotations(model: ModelClass) -> list[str]:
    annotations = [field.annotation for field in model.fields]
    return annotations + ([model.extra_annotation] if model.extra_annotation else [])
