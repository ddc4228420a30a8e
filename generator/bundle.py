"""Bundle stage: the files a spec refers to become part of its one in-memory document.

A `$ref` may name a YAML or JSON file by a path relative to the folder of the file that holds the
`$ref`, with or without a JSON pointer fragment: `pet.yaml`, `../schemas/pet.yaml#/Pet`,
`common.json#/components/schemas/Error`. Inside such a file, `#/...` means that file. Referenced schemas
become schemas of the document (`components/schemas`, or `definitions` in Swagger 2.0) under a key made
from the fragment's last part or the file name; other objects (path items, parameters, responses,
security schemes) are copied where they are referenced. Afterwards every `$ref` is local.

Only files in the folder of the spec given to the generator, or in its subfolders, can be referenced:
a spec cannot pull in arbitrary files of the machine that generates it. URLs are refused; the
generator never goes to the network.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal
from urllib.parse import unquote

from generator.load import Source, load
from generator.problems import Problem, Severity, SpecError, pointer_of

Kind = Literal["object", "schema", "schema_map", "object_map", "literal"]
"""What a value is, which tells whether a `$ref` in it names a schema, and where references can be."""

# In a schema, these keywords hold schemas (or lists of schemas) or maps of schemas; every other
# keyword holds a value (an example, an enum, a description) in which a "$ref" key is just data.
_IN_SCHEMA: dict[str, Kind] = {
    **dict.fromkeys(
        "items additionalItems additionalProperties not if then else contains propertyNames unevaluatedItems "
        "unevaluatedProperties contentSchema allOf anyOf oneOf prefixItems".split(),
        "schema",
    ),
    **dict.fromkeys("properties patternProperties dependentSchemas $defs definitions".split(), "schema_map"),
}
# In other OpenAPI objects, every keyword holds an object, except these.
_IN_OBJECT: dict[str, Kind] = {
    "schema": "schema",
    "schemas": "schema_map",
    "definitions": "schema_map",
    **dict.fromkeys("example default enum value security scopes".split(), "literal"),
    **dict.fromkeys(
        "paths responses content headers parameters securitySchemes securityDefinitions requestBodies links "
        "callbacks examples encoding variables pathItems webhooks".split(),
        "object_map",
    ),
}
_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_NOT_IN_KEY = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_ERRORS = 50
MAX_REF_CHAIN = 32
"""The most `$ref`s followed from one reference to the object it finally names."""


def bundle(source: Source) -> Source:
    """The spec with the content of every file it refers to bundled in; a SpecError for bad references."""
    bundler = _Bundler(source)
    data = bundler.document()
    if bundler.problems:
        raise SpecError(list(dict.fromkeys(bundler.problems))[:_MAX_ERRORS])
    bundled = Source(source.path, source.text, data, origins=bundler.origins) if bundler.origins else source
    bundled.files = tuple(bundler.sources.values())
    broken = bundled.locate_all(_broken_chains(bundled.data, bundler.references))
    if broken:
        raise SpecError(broken[:_MAX_ERRORS])
    return bundled


def _broken_chains(data: dict[str, Any], references: dict[str, str]) -> list[Problem]:
    """A problem for each `$ref` whose chain of references to references comes back on itself or is longer
    than MAX_REF_CHAIN: readers of the spec would follow it forever."""
    problems = []
    for pointer, ref in references.items():
        chain = [ref]
        while chain[-1][1:] in references:  # the target is itself a reference
            chain.append(references[chain[-1][1:]])
            if chain[-1] in chain[:-1]:
                message = f"$ref cycle: {' -> '.join(chain)}"
            elif len(chain) > MAX_REF_CHAIN:
                message = f"$ref {ref!r} starts a chain of more than {MAX_REF_CHAIN} references"
            else:
                continue
            problems.append(Problem(Severity.ERROR, pointer, message))
            break
    return problems


class _Bundler:
    def __init__(self, root: Source) -> None:
        self.root = root
        self.folder = root.path.resolve().parent
        self.sources: dict[Path, Source] = {root.path.resolve(): root}
        self.section = ("definitions",) if "swagger" in root.data else ("components", "schemas")
        self.local_schemas = set(_get(root.data, self.section) or {})
        self.external_schemas: dict[str, Any] = {}
        self.schema_keys: dict[tuple[Path, str], str] = {}
        """The key each external schema (file, pointer) was given."""
        self.inlining: list[tuple[Path, str]] = []
        self.origins: dict[str, tuple[Source, str]] = {}
        self.problems: list[Problem] = []
        self.references: dict[str, str] = {}
        """The pointer and local `$ref` of every reference left in the bundle."""

    def document(self) -> dict[str, Any]:
        self._adopt_component_references()
        data: dict[str, Any] = self._walk(self.root.data, "object", self.root, "", "")
        if self.external_schemas:
            parent = data
            for part in self.section[:-1]:
                parent = parent.setdefault(part, {})
            parent[self.section[-1]] = {**(parent.get(self.section[-1]) or {}), **self.external_schemas}
            for key, schema in self.external_schemas.items():  # `Pet: {$ref: pet.yaml}` became the schema
                pointer = pointer_of(*self.section, key)
                if pointer in self.references and not _refers(schema, self.references[pointer]):
                    del self.references[pointer]
        return data

    def _adopt_component_references(self) -> None:
        """`Pet: {$ref: pet.yaml}` among the document's schemas: the file's schema is stored as `Pet`.

        That is the usual way to lay out a spec in files; without it, `Pet` would refer to a copy
        stored under another key.
        """
        for key, value in (_get(self.root.data, self.section) or {}).items():
            if not (isinstance(value, dict) and list(value) == ["$ref"] and isinstance(value["$ref"], str)):
                continue
            target = self._target(value["$ref"], self.root, pointer_of(*self.section, key))
            if target is not None and target[0] is not self.root:
                self.schema_keys.setdefault((target[0].path.resolve(), target[1]), str(key))

    def _walk(self, value: Any, kind: Kind, source: Source, pointer: str, out: str) -> Any:
        """A copy of `value` (at `pointer` in `source`, at `out` in the bundle) with references bundled."""
        if kind == "literal":
            return value
        if isinstance(value, list):
            item_kind: Kind = "object" if kind == "object_map" else kind  # `parameters` is a map or a list
            return [
                self._walk(item, item_kind, source, f"{pointer}/{index}", f"{out}/{index}")
                for index, item in enumerate(value)
            ]
        if not isinstance(value, dict):
            return value
        if isinstance(value.get("$ref"), str):
            return self._reference(value, kind, source, pointer, out)
        walked = {}
        for key, item in value.items():
            step = pointer_of(key)
            walked[key] = self._walk(item, _kind_of(kind, str(key)), source, pointer + step, out + step)
        return walked

    def _reference(self, value: dict[str, Any], kind: Kind, source: Source, pointer: str, out: str) -> Any:
        target = self._target(str(value["$ref"]), source, pointer)
        if target is None:
            return value
        target_source, fragment, content = target
        if target_source is self.root:
            self.references[out] = "#" + fragment
        elif kind == "schema":
            self.references[out] = "#" + pointer_of(
                *self.section, self._schema_key(target_source, fragment, content)
            )
        else:
            return self._inline(value, kind, (source, pointer), target, out)
        return {**value, "$ref": self.references[out]}

    def _target(self, ref: str, source: Source, pointer: str) -> tuple[Source, str, Any] | None:
        """The file, JSON pointer and content a `$ref` names; None, with a problem recorded, when it cannot."""
        if _URL.match(ref):
            self._fail(
                source,
                pointer,
                f"$ref {ref!r} is remote; the generator reads local files only: "
                "save the document next to the spec and refer to it by a relative path",
            )
            return None
        file_part, _, fragment = ref.partition("#")
        fragment = unquote(fragment)
        if fragment and not fragment.startswith("/"):
            self._fail(source, pointer, f"the fragment of $ref {ref!r} is not a JSON pointer (#/...)")
            return None
        target_source = self._file(unquote(file_part), ref, source, pointer) if file_part else source
        if target_source is None:
            return None
        content = _get(target_source.data, _parts(fragment))
        if content is None:
            self._fail(
                source,
                pointer,
                f"cannot resolve $ref {ref!r}: {target_source.name} has nothing at {fragment!r}",
            )
            return None
        return target_source, fragment, content

    def _file(self, relative: str, ref: str, source: Source, pointer: str) -> Source | None:
        if os.path.isabs(relative):
            self._fail(source, pointer, f"$ref {ref!r} is an absolute path; use a path relative to this file")
            return None
        path = Path(os.path.normpath(source.path.parent / relative))
        resolved = path.resolve()
        if resolved in self.sources:
            return self.sources[resolved]
        if not resolved.is_relative_to(self.folder):
            self._fail(
                source,
                pointer,
                f"$ref {ref!r} points outside the folder of the spec ({self.folder}); "
                "only files in that folder and its subfolders can be referenced",
            )
            return None
        if not resolved.is_file():
            self._fail(source, pointer, f"cannot resolve $ref {ref!r}: there is no file {path}")
            return None
        try:
            loaded = load(path)
        except SpecError as error:
            self.problems.extend(error.problems)
            return None
        self.sources[resolved] = loaded
        return loaded

    def _schema_key(self, source: Source, fragment: str, content: Any) -> str:
        """The key of an external schema under the document's schemas; the schema is added once."""
        identity = (source.path.resolve(), fragment)
        if identity not in self.schema_keys:
            self.schema_keys[identity] = self._free_key(
                _NOT_IN_KEY.sub("_", _parts(fragment)[-1] if fragment else source.path.stem).strip("_")
                or "Schema"
            )
        key = self.schema_keys[identity]
        if key not in self.external_schemas:
            self.external_schemas[key] = None  # taken before walking it, so that a cycle finds the key
            out = pointer_of(*self.section, key)
            self.origins[out] = (source, fragment)
            self.external_schemas[key] = self._walk(content, "schema", source, fragment, out)
        return key

    def _free_key(self, name: str) -> str:
        key, number = name, 2
        while key in self.local_schemas or key in self.schema_keys.values():
            key, number = f"{name}_{number}", number + 1
        return key

    def _inline(
        self,
        value: dict[str, Any],
        kind: Kind,
        referrer: tuple[Source, str],
        target: tuple[Source, str, Any],
        out: str,
    ) -> Any:
        """A copy of a referenced object other than a schema, in place of the reference."""
        source, fragment, content = target
        identity = (source.path.resolve(), fragment)
        if identity in self.inlining:
            self._fail(*referrer, f"$ref {value['$ref']!r} is circular: it is part of what it refers to")
            return value
        self.inlining.append(identity)
        self.origins[out] = (source, fragment)
        inlined = self._walk(content, kind, source, fragment, out)
        self.inlining.pop()
        # Next to a reference, OpenAPI 3.1 allows a summary and description that override the target's.
        siblings = {key: item for key, item in value.items() if key != "$ref"}
        return {**inlined, **siblings} if isinstance(inlined, dict) and siblings else inlined

    def _fail(self, source: Source, pointer: str, message: str) -> None:
        self.problems.append(source.locate(Problem(Severity.ERROR, pointer, message)))


def _refers(value: Any, ref: str) -> bool:
    return isinstance(value, dict) and value.get("$ref") == ref


def _kind_of(kind: Kind, key: str) -> Kind:
    if kind == "schema_map":
        return "schema"
    if kind == "object_map":
        return "object"
    if key.startswith("x-"):
        return "literal"
    if kind == "schema":
        return _IN_SCHEMA.get(key, "literal")
    return _IN_OBJECT.get(key, "object")


def _parts(pointer: str) -> list[str]:
    return [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]


def _get(data: Any, parts: list[str] | tuple[str, ...]) -> Any:
    for part in parts:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return None
    return data
