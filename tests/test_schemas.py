"""Schema shapes beyond plain objects: allOf, oneOf/anyOf, inline objects and enums, formats,
readOnly fields. Each generates classes that mypy accepts and that read and write JSON correctly."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
import typing
from pathlib import Path
from typing import Any

import pydantic
import pytest
import yaml
from generator.pipeline import Result, generate_to

SCHEMAS: dict[str, Any] = {
    "Base": {
        "type": "object",
        "required": ["id"],
        "properties": {"id": {"type": "string", "format": "uuid", "readOnly": True}},
    },
    "Pet": {
        "description": "A pet: a Base with more.",
        "allOf": [
            {"$ref": "#/components/schemas/Base"},
            {
                "type": "object",
                "required": ["name", "kind"],
                "properties": {
                    "name": {"type": "string"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "collar": {
                        "type": "object",
                        "required": ["size"],
                        "properties": {"size": {"type": "integer"}, "colour": {"type": "string"}},
                    },
                    "owner": {"oneOf": [{"$ref": "#/components/schemas/Person"}, {"type": "string"}]},
                    "born": {"type": "string", "format": "date"},
                    "friends": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                },
            },
        ],
    },
    "Person": {"type": "object", "properties": {"name": {"type": "string"}}},
    "Nickname": {"allOf": [{"$ref": "#/components/schemas/Person"}], "description": "A person, described"},
    "MaybeNumber": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1.0"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "security": [{"cc": []}],
                "parameters": [{"name": "mood", "in": "query", "schema": {"type": "string", "enum": ["calm", "wild"]}}],
                "responses": {
                    "200": {
                        "description": "pets",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "properties": {
                                        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}},
                                        "count": {"$ref": "#/components/schemas/MaybeNumber"},
                                    },
                                }
                            }
                        },
                    }
                },
            }
        }
    },
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x.invalid/token", "scopes": {}}}}
        },
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Result]:
    folder = tmp_path_factory.mktemp("schemas")
    (folder / "spec.yaml").write_text(yaml.safe_dump(SPEC))
    return folder / "out", generate_to(folder / "spec.yaml", folder / "out")


def _run(out: Path, code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], cwd=out, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_no_warnings_for_supported_shapes(generated: tuple[Path, Result]) -> None:
    assert [str(warning) for warning in generated[1].warnings] == []


def test_classes_are_named_from_where_they_stand(generated: tuple[Path, Result]) -> None:
    models = (generated[0] / "pets" / "models.py").read_text()
    for name in ("class Pet(", "class PetKind(", "class PetCollar(", "class Person(", "class ListPetsResponse(", "class ListPetsMood("):
        assert name in models
    assert "class Nickname(" not in models  # an allOf of one reference is that reference


def test_all_of_merges_properties_and_read_only_is_not_required(generated: tuple[Path, Result]) -> None:
    output = _run(
        generated[0],
        "import json, pets.models as m\n"
        "pet = m.Pet(name='Rex', kind=m.PetKind.DOG)\n"
        "print(json.dumps(pet.model_dump(mode='json', by_alias=True, exclude_unset=True)))\n"
        "read = m.Pet.model_validate({'id': '2f1c4b0e-8d43-4a39-9a43-6f1f7c1f0a11', 'name': 'Tom', 'kind': 'cat',\n"
        "    'collar': {'size': 3}, 'owner': {'name': 'Ann'}, 'born': '2020-05-01', 'friends': [{'name': 'Rex', 'kind': 'dog'}]})\n"
        "print(type(read.id).__name__, type(read.collar).__name__, type(read.owner).__name__, type(read.born).__name__,\n"
        "    type(read.friends[0]).__name__)\n"
        "print(m.Pet.model_validate({'name': 'Tom', 'kind': 'cat', 'owner': 'Ann'}).owner)\n",
    )
    written, types, owner = output.splitlines()
    assert json.loads(written) == {"name": "Rex", "kind": "dog"}
    assert types == "UUID PetCollar Person date Pet"
    assert owner == "Ann"


def test_generated_package_is_typed(generated: tuple[Path, Result], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "pets"],
        cwd=generated[0],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
    resource = (generated[0] / "pets" / "resources" / "default.py").read_text()
    assert "mood: models.ListPetsMood | None = None" in resource
    assert "count: int | None = None" in (generated[0] / "pets" / "models.py").read_text()


# --- focused specs: each generates a small package, imported here, and checks what one rule does -------

_SECURITY = {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x.invalid/token", "scopes": {}}}}}
_ALL_SCHEMAS: dict[str, Any] = {}
"""Every focused test's schemas, together: test_focused_shapes_are_typed runs mypy over them all."""


def _spec(schemas: dict[str, Any], openapi: str = "3.1.0", **extra: Any) -> dict[str, Any]:
    _ALL_SCHEMAS.update(schemas)
    components = {"schemas": schemas, "securitySchemes": _SECURITY, **extra.pop("components", {})}
    return {
        "openapi": openapi,
        "info": {"title": "Shapes", "version": "1.0"},
        "servers": [{"url": "https://api.invalid"}],
        # An SDK needs an operation: a package without resources is not generated correctly yet.
        "paths": {"/ping": {"get": _operation("ping")}},
        "components": components,
        **extra,
    }


def _build(tmp_path: Path, spec: dict[str, Any]) -> tuple[Any, list[str]]:
    """The generated models module of a spec, and the warnings as `pointer: message`."""
    package = "shapes_" + re.sub(r"\W", "_", tmp_path.name)
    (tmp_path / "spec.json").write_text(json.dumps(spec))
    result = generate_to(tmp_path / "spec.json", tmp_path / "out", package=package)
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        models = importlib.import_module(f"{package}.models")
    finally:
        sys.path.remove(str(tmp_path / "out"))
    return models, [f"{warning.pointer}: {warning.message}" for warning in result.warnings]


def _fields(model: type[pydantic.BaseModel]) -> dict[str, tuple[Any, bool]]:
    return {name: (info.annotation, info.is_required()) for name, info in model.model_fields.items()}


def _operation(operation_id: str, **parts: Any) -> dict[str, Any]:
    return {"operationId": operation_id, "security": [{"cc": []}], "responses": {"204": {"description": "none"}}, **parts}


REQUIRED = {
    "ReqBase": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}, "note": {"type": "string"}}},
    "ReqSub": {
        "allOf": [
            {"$ref": "#/components/schemas/ReqBase"},
            {"type": "object", "properties": {"id": {"type": "string", "maxLength": 9}, "size": {"type": "integer"}}},
            {"type": "object", "required": ["note", "size"]},
        ]
    },
    "ReqOnly": {"allOf": [{"$ref": "#/components/schemas/ReqBase"}, {"required": ["note"]}]},
}


def test_all_of_required_applies_across_parts(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(REQUIRED))
    # `id` is redeclared by a part without `required`; `note` and `size` are required by a third part.
    assert _fields(models.ReqSub) == {"id": (str, True), "note": (str, True), "size": (int, True)}
    # A part with nothing but `required` (constraint-only) leaves an object, not Any.
    assert _fields(models.ReqOnly) == {"id": (str, True), "note": (str, True)}
    assert warnings == []


ALIASES = {
    "AliasTarget": {"type": "object", "properties": {"name": {"type": "string"}}},
    "AliasOne": {"$ref": "#/components/schemas/AliasTarget"},
    "AliasTwo": {"$ref": "#/components/schemas/AliasOne"},
    "AliasText": {"$ref": "#/components/schemas/AliasPlain"},
    "AliasPlain": {"type": "string"},
    "AliasLoopA": {"$ref": "#/components/schemas/AliasLoopB"},
    "AliasLoopB": {"$ref": "#/components/schemas/AliasLoopA"},
    "AliasUser": {
        "type": "object",
        "required": ["one", "two", "text"],
        "properties": {
            "one": {"$ref": "#/components/schemas/AliasOne"},
            "two": {"$ref": "#/components/schemas/AliasTwo"},
            "text": {"$ref": "#/components/schemas/AliasText"},
            "loop": {"$ref": "#/components/schemas/AliasLoopA"},
        },
    },
}


def test_a_schema_that_is_a_reference_is_the_schema_it_names(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(ALIASES))
    assert not hasattr(models, "AliasOne") and not hasattr(models, "AliasTwo")
    fields = _fields(models.AliasUser)
    assert fields["one"] == (models.AliasTarget, True) and fields["two"] == (models.AliasTarget, True)
    assert fields["text"] == (str, True)
    assert fields["loop"] == (typing.Any | None, False)
    assert any(warning.startswith("/components/schemas/AliasLoop") and "refers to itself" in warning for warning in warnings)


NULLABLE_30 = {
    "NulObject": {"type": "object", "nullable": True, "properties": {"a": {"type": "string"}}},
    "NulEnum": {"type": "string", "nullable": True, "enum": ["x", "y"]},
    "NulPlain": {"type": "object", "properties": {"a": {"type": "string"}}},
    "NulUser": {
        "type": "object",
        "required": ["obj", "enum", "wrapped", "annotated"],
        "properties": {
            "obj": {"$ref": "#/components/schemas/NulObject"},
            "enum": {"$ref": "#/components/schemas/NulEnum"},
            "wrapped": {"allOf": [{"$ref": "#/components/schemas/NulPlain"}], "nullable": True},
            "annotated": {"allOf": [{"$ref": "#/components/schemas/NulPlain"}, {"nullable": True}]},
        },
    },
}
NULLABLE_31 = {
    "NulObject31": {"type": ["object", "null"], "properties": {"a": {"type": "string"}}},
    "NulEnum31": {"type": ["string", "null"], "enum": ["x", None]},
    "NulUser31": {
        "type": "object",
        "required": ["obj", "enum"],
        "properties": {"obj": {"$ref": "#/components/schemas/NulObject31"}, "enum": {"$ref": "#/components/schemas/NulEnum31"}},
    },
}


@pytest.mark.parametrize(("openapi", "schemas", "user"), [("3.0.3", NULLABLE_30, "NulUser"), ("3.1.0", NULLABLE_31, "NulUser31")])
def test_a_reference_to_a_nullable_schema_accepts_null(tmp_path: Path, openapi: str, schemas: dict[str, Any], user: str) -> None:
    models, warnings = _build(tmp_path, _spec(schemas, openapi))
    model = getattr(models, user)
    nulls = {name: None for name in model.model_fields}
    assert model.model_validate(nulls).model_dump(exclude_unset=True) == nulls  # every field required, and null
    assert all(required for _, required in _fields(model).values())
    assert warnings == []


CONSTRAINING_UNION = {
    "Contact": {
        "type": "object",
        "properties": {"email": {"type": "string"}, "phone": {"type": "string"}},
        "oneOf": [{"required": ["email"]}, {"required": ["phone"]}],
    },
    "ContactHolder": {"type": "object", "properties": {"meta": {"type": "object"}, "contact": {"$ref": "#/components/schemas/Contact"}}},
}


def test_one_of_required_lists_constrains_an_object_and_a_bare_object_is_a_dict(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(CONSTRAINING_UNION))
    assert _fields(models.Contact) == {"email": (str | None, False), "phone": (str | None, False)}
    assert warnings == [
        "/components/schemas/Contact/oneOf: oneOf of `required` lists is not checked by the model; "
        "the properties it names are optional"
    ]
    assert _fields(models.ContactHolder)["meta"] == (dict[str, typing.Any] | None, False)
    assert not hasattr(models, "ContactHolderMeta")


CYCLE = {
    "CycleA": {"allOf": [{"$ref": "#/components/schemas/CycleB"}, {"type": "object", "properties": {"a": {"type": "string"}}}]},
    "CycleB": {"allOf": [{"$ref": "#/components/schemas/CycleA"}, {"type": "object", "properties": {"b": {"type": "string"}}}]},
}


def test_an_all_of_cycle_is_reported_and_broken(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(CYCLE))
    assert list(models.CycleA.model_fields) == ["b", "a"] and list(models.CycleB.model_fields) == ["a", "b"]
    assert "/components/schemas/CycleB/allOf/0: allOf cycle: '#/components/schemas/CycleA' includes this schema again; that part is left out" in warnings
    assert "/components/schemas/CycleA/allOf/0: allOf cycle: '#/components/schemas/CycleB' includes this schema again; that part is left out" in warnings
    assert any("cannot be checked against the OpenAPI schema: $ref cycle" in warning for warning in warnings)


SHARED = {"SharedPet": {"type": "object", "properties": {"name": {"type": "string"}}}}
SHARED_COMPONENTS = {
    "parameters": {"Mood": {"name": "mood", "in": "query", "schema": {"type": "string", "enum": ["calm", "wild"]}}},
    "requestBodies": {
        "NewPet": {"content": {"application/json": {"schema": {"type": "object", "properties": {"name": {"type": "string"}}}}}}
    },
    "responses": {
        "PetPage": {
            "description": "pets",
            "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/SharedPet"}}}}}},
        }
    },
}
SHARED_PATHS = {
    f"/{name}": {
        "post": _operation(
            name,
            parameters=[{"$ref": "#/components/parameters/Mood"}],
            requestBody={"$ref": "#/components/requestBodies/NewPet"},
            responses={"200": {"$ref": "#/components/responses/PetPage"}},
        )
    }
    for name in ("first", "second")
}


def test_inline_schemas_of_shared_components_make_one_class_named_after_the_component(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(SHARED, components=SHARED_COMPONENTS, paths=SHARED_PATHS))
    classes = sorted(name for name, value in vars(models).items() if isinstance(value, type) and value.__module__ == models.__name__)
    assert classes == ["Mood", "NewPetBody", "OAuthScopeEnum", "PetPageResponse", "SharedPet"]
    assert warnings == []


BASE_INLINE = {
    "InlineSub": {"allOf": [{"$ref": "#/components/schemas/InlineBase"}, {"type": "object", "properties": {"x": {"type": "integer"}}}]},
    "InlineBase": {"type": "object", "properties": {"collar": {"type": "object", "properties": {"size": {"type": "integer"}}}}},
}


def test_an_inline_object_of_a_base_is_named_after_the_base(tmp_path: Path) -> None:
    models, _ = _build(tmp_path, _spec(BASE_INLINE))
    assert not hasattr(models, "InlineSubCollar")
    assert _fields(models.InlineSub)["collar"] == (models.InlineBaseCollar | None, False)
    assert _fields(models.InlineBase)["collar"] == (models.InlineBaseCollar | None, False)
