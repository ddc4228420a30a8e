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
from conftest import models_source
from generator import model as m
from generator import naming
from generator.pipeline import Result, generate_to
from generator.untrusted import Identifier, SpecText

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
    models = models_source(generated[0] / "pets")
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
    assert "count: int | None = None" in models_source(generated[0] / "pets")


# --- focused specs: each generates a small package, imported here, and checks what one rule does -------

_SECURITY = {"cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "https://x.invalid/token", "scopes": {}}}}}


def _spec(schemas: dict[str, Any], openapi: str = "3.1.0", **extra: Any) -> dict[str, Any]:
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
    "AliasUser": {
        "type": "object",
        "required": ["one", "two", "text"],
        "properties": {
            "one": {"$ref": "#/components/schemas/AliasOne"},
            "two": {"$ref": "#/components/schemas/AliasTwo"},
            "text": {"$ref": "#/components/schemas/AliasText"},
        },
    },
}


WIRE_NAMES = {
    "CamelMostly": {
        "type": "object",
        "required": ["createdAt"],
        "properties": {
            "createdAt": {"type": "string"},
            "userId": {"type": "integer"},
            "from": {"type": "string"},
            "snake_case": {"type": "string"},
            "URL": {"type": "string"},
            "x-rate": {"type": "integer"},
        },
    },
    "SnakeMostly": {
        "type": "object",
        "properties": {"user_id": {"type": "integer"}, "created_at": {"type": "string"}, "camelOne": {"type": "string"}},
    },
    "UpperMostly": {
        "type": "object",
        "properties": {"AD_ID": {"type": "string"}, "DATE": {"type": "string"}, "spendInDollars": {"type": "number"}},
    },
}


def test_wire_names_come_from_the_base_class_or_the_field(tmp_path: Path) -> None:
    models, _ = _build(tmp_path, _spec(WIRE_NAMES))
    camel, snake, upper = models.CamelMostly, models.SnakeMostly, models.UpperMostly
    bases = [model.__base__.__name__ for model in (camel, snake, upper)]
    assert bases == ["_CamelCaseModel", "_Model", "_UpperCaseModel"]
    source = models_source(Path(models.__file__).parent.parent)
    # Only the names the base class does not make are spelled out.
    assert re.findall(r'validation_alias="([^"]+)"', source) == ["snake_case", "URL", "x-rate", "camelOne", "spendInDollars"]
    for model, wire in (
        (camel, {"createdAt": "t", "userId": 1, "from": "a", "snake_case": "b", "URL": "u", "x-rate": 2}),
        (snake, {"user_id": 1, "created_at": "t", "camelOne": "c"}),
        (upper, {"AD_ID": "1", "DATE": "d", "spendInDollars": 2.5}),
    ):
        assert model.model_validate(wire).model_dump(by_alias=True, exclude_unset=True) == wire
    assert camel(created_at="t", from_="a").model_dump(by_alias=True, exclude_unset=True) == {"createdAt": "t", "from": "a"}


def test_the_sdk_makes_camel_case_wire_names_as_the_generator_does(tmp_path: Path) -> None:
    models, _ = _build(tmp_path, _spec(WIRE_NAMES))
    for attribute in ("created_at", "from_", "a__b", "x_2_y", "url", "o_auth_2_client", "ünï_code"):
        assert models._camel_case(attribute) == naming.camel_case(attribute)


def test_a_schema_that_is_a_reference_is_the_schema_it_names(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(ALIASES))
    assert not hasattr(models, "AliasOne") and not hasattr(models, "AliasTwo")
    fields = _fields(models.AliasUser)
    assert fields["one"] == (models.AliasTarget, True) and fields["two"] == (models.AliasTarget, True)
    assert fields["text"] == (str, True)
    assert warnings == []
    # A component that is a reference to itself, through others or not, means nothing: an error of the
    # bundle stage (tests/test_limits.py::test_schema_ref_cycle).


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
    classes = sorted(models.__all__)
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


MINOR = {
    "MinorUndefined": {"type": "object", "required": ["ghost"], "properties": {"real": {"type": "string"}}},
    "MinorBase": {"type": "object", "properties": {"size": {"type": "string"}, "label": {"type": "string"}}},
    "MinorConflict": {
        "allOf": [
            {"$ref": "#/components/schemas/MinorBase"},
            {"type": "object", "properties": {"size": {"type": "integer"}, "label": {"description": "Only annotated."}}},
        ]
    },
    "MinorExtra": {"type": "object", "properties": {"known": {"type": "string"}}, "additionalProperties": {"type": "integer"}},
    "MinorClosed": {"type": "object", "properties": {"known": {"type": "string"}}, "additionalProperties": False},
    "MinorMixed": {"type": "object", "properties": {"value": {"type": ["string", "integer", "null"]}}},
    "MinorPointer": {"type": "object", "properties": {"tag": {"$ref": "#/components/schemas/MinorTagged/properties/tag"}}},
    "MinorTagged": {"type": "object", "properties": {"tag": {"type": "object", "properties": {"text": {"type": "string"}}}}},
}


def test_minor_schema_rules(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(MINOR))
    assert warnings == [
        "/components/schemas/MinorUndefined/required: `required` names 'ghost', which no property defines; it is "
        "not a field of the model (values of undeclared fields are kept as extra fields)",
        "/components/schemas/MinorConflict/allOf/1/properties/size: property 'size' is declared as number here and "
        "as string at /components/schemas/MinorBase/properties/size; this later declaration wins",
    ]
    conflict = models.MinorConflict.model_fields
    assert conflict["size"].annotation == int | None  # the last declaration wins
    assert conflict["label"].annotation == str | None and conflict["label"].description is None
    assert "Only annotated." in models_source(tmp_path / "out" / models.__name__.split(".")[0])

    extra = models.MinorExtra.model_validate({"known": "a", "count": 2})
    assert extra.model_extra == {"count": 2} and extra.model_dump(by_alias=True, exclude_unset=True) == {"known": "a", "count": 2}
    with pytest.raises(pydantic.ValidationError):
        models.MinorExtra.model_validate({"count": "many"})
    # additionalProperties: false is not enforced: a newer server may send more, and responses must still read.
    assert models.MinorClosed.model_validate({"known": "a", "more": 1}).model_extra == {"more": 1}

    assert models.MinorMixed.model_fields["value"].annotation == str | int | None
    assert [models.MinorMixed.model_validate({"value": v}).value for v in ("a", 3, None)] == ["a", 3, None]
    assert models.MinorPointer.model_fields["tag"].annotation == models.MinorTaggedTag | None


NAMES_PATHS = {
    "/pets": {
        "get": _operation(
            "listPets",
            parameters=[
                {"name": "response", "in": "query", "schema": {"type": "string", "enum": ["short", "long"]}},
                {"name": "filter", "in": "query", "schema": {"type": "object", "properties": {"kind": {"type": "string"}}}},
            ],
            responses={
                "200": {
                    "description": "pets",
                    "content": {"application/json": {"schema": {"type": "object", "properties": {"next": {"type": "string"}}}}},
                }
            },
        )
    },
    "/pets/search": {
        "get": _operation(
            "searchPets",
            parameters=[
                {"name": "where", "in": "query", "schema": {"type": "object", "properties": {"kind": {"type": "string"}}}},
                {"name": "token", "in": "querystring", "required": True, "schema": {"type": "string"}},
            ],
            responses={
                "200": {
                    "description": "pets",
                    "content": {"application/json": {"schema": {"type": "object", "properties": {"next": {"type": "string"}}}}},
                }
            },
        )
    }
}
NAMES = {"ListPetsResponse": {"type": "object", "properties": {"total": {"type": "integer"}}}}


def test_inline_class_names_are_numbered_once_and_unused_ones_left_out(tmp_path: Path) -> None:
    models, warnings = _build(tmp_path, _spec(NAMES, paths=NAMES_PATHS))
    classes = sorted(models.__all__)
    # The query parameter `response` takes ListPetsResponse2; the response object is ListPetsResponse3, not
    # ListPetsResponse22. searchPets is left out (it needs a parameter of an unknown location), and so is the
    # class the schema of its `where` parameter made.
    assert classes == ["ListPetsFilter", "ListPetsResponse", "ListPetsResponse2", "ListPetsResponse3", "OAuthScopeEnum"]
    assert warnings == [
        "/paths/~1pets~1search/get/parameters/1/in: not valid OpenAPI: 'querystring' is not one of ['query', 'header', 'path', 'cookie']",
        "/paths/~1pets~1search/get/parameters/1: querystring parameters are not supported; the parameter is left out",
        "/paths/~1pets~1search/get/parameters/1: the operation needs this parameter and is left out",
    ]


RESERVED_NAMES = {
    "Shadowing": {
        "type": "object",
        "required": ["uuid", "date"],
        "properties": {
            "uuid": {"type": "string", "format": "uuid"},
            "date": {"type": "string", "format": "date"},
            "datetime": {"type": "string", "format": "date-time"},
            "typing": {},
            "pydantic": {"type": "string"},
            "int": {"type": "integer"},
            "other": {"type": "string", "format": "uuid"},
            "when": {"type": "string", "format": "date-time"},
            "pick": {"const": "only"},
        },
    }
}


def test_fields_never_shadow_names_the_annotations_use() -> None:
    """Every name an annotation of the models module starts with is a reserved field name, for every
    kind of type, so a field can never shadow it (`uuid: uuid.UUID` would break the fields after it)."""
    refs: list[m.TypeRef] = [
        m.Primitive("string", fmt) for fmt in (None, "date", "date-time", "uuid", "binary", "byte")
    ] + [m.Primitive(kind) for kind in ("integer", "number", "boolean")]
    refs += [m.ArrayOf(refs[0]), m.MapOf(refs[1]), m.AnyValue(), m.Binary(), m.Nullable(refs[3])]
    refs += [m.LiteralOf((SpecText('"a"'),)), m.Union((m.ModelRef("A"), m.ModelRef("B")), SpecText("kind"))]
    namer = naming._TypeNamer(
        {"A": Identifier("A"), "B": Identifier("B")}, {"A": {"kind": Identifier("kind")}, "B": {"kind": Identifier("kind")}}
    )
    # Names looked up: not attributes (after a dot), strings or keyword arguments (`discriminator=`).
    heads = {
        head
        for ref in refs
        for head in re.findall(r"(?<![.\w\"])([a-z_]\w*)\b(?!=)", namer.annotation(ref, qualified=False))
    }
    assert heads and heads <= naming._FIELD_RESERVED, heads - naming._FIELD_RESERVED


def test_shadowing_property_names_are_renamed(tmp_path: Path) -> None:
    models, _ = _build(tmp_path, _spec(RESERVED_NAMES))
    fields = models.Shadowing.model_fields
    assert {"uuid_", "date", "datetime_", "typing_", "pydantic_", "int_"} <= set(fields)
    row = models.Shadowing.model_validate({"uuid": "2f1c4b0e-8d43-4a39-9a43-6f1f7c1f0a11", "date": "2024-02-29", "pick": "only"})
    assert row.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        "uuid": "2f1c4b0e-8d43-4a39-9a43-6f1f7c1f0a11",
        "date": "2024-02-29",
        "pick": "only",
    }
    with pytest.raises(pydantic.ValidationError):
        models.Shadowing.model_validate({"uuid": "2f1c4b0e-8d43-4a39-9a43-6f1f7c1f0a11", "date": "2024-02-29", "pick": "other"})


def test_focused_shapes_are_typed(tmp_path: Path) -> None:
    """mypy --strict accepts the models and resources of every focused spec above, together."""
    schemas = {
        **REQUIRED, **ALIASES, **WIRE_NAMES, **NULLABLE_30, **NULLABLE_31, **CONSTRAINING_UNION, **CYCLE, **SHARED, **BASE_INLINE,
        **MINOR, **NAMES, **RESERVED_NAMES, **FEATURES,
    }
    spec = _spec(schemas, components=SHARED_COMPONENTS, paths={**SHARED_PATHS, **NAMES_PATHS, **FEATURE_PATHS})
    models, _ = _build(tmp_path, spec)
    package = models.__name__.split(".")[0]
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), package],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


FEATURES: dict[str, Any] = {
    "Cat": {"type": "object", "required": ["petType"], "properties": {"petType": {"type": "string"}, "meow": {"type": "boolean"}}},
    "Dog": {"type": "object", "properties": {"petType": {"type": "string"}, "bark": {"type": "string"}}},
    "PetMapped": {
        "oneOf": [_ref("Cat"), _ref("Dog")],
        "discriminator": {"propertyName": "petType", "mapping": {"cat": "#/components/schemas/Cat", "dog": "Dog", "puppy": "#/components/schemas/Dog"}},
    },
    "Lizard": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["Lizard", "Snake"]}}},
    "Snake": {"allOf": [_ref("Lizard"), {"type": "object", "properties": {"venom": {"type": "boolean"}}}]},
    "PetNamed": {"anyOf": [_ref("Lizard"), _ref("Snake")], "discriminator": {"propertyName": "kind"}},
    "PetLoose": {
        "oneOf": [_ref("Cat"), {"type": "object", "properties": {"petType": {"type": "string"}}}],
        "discriminator": {"propertyName": "petType"},
    },
    "PetHolder": {
        "type": "object",
        "properties": {
            "mapped": _ref("PetMapped"),
            "named": _ref("PetNamed"),
            "maybe": {"oneOf": [_ref("Cat"), _ref("Dog"), {"type": "null"}], "discriminator": {"propertyName": "petType"}},
            "loose": _ref("PetLoose"),
            "flag": {"const": True},
        },
    },
    "OddEnum": {"type": "string", "enum": ["a b", "a-b", "A B", "", "1st", "class", "None", "+", "-", "ünïcode", "a b"]},
    "OddNumbers": {"type": "integer", "enum": [-1, 0, 1, 1]},
    "Mode": {"type": "string", "enum": ["fast", "slow"]},
    "Defaults": {
        "type": "object",
        "properties": {
            "limit": {"type": "integer", "default": 20},
            "name": {"type": "string", "default": 'say "hi"'},
            "ratio": {"type": "number", "default": 0.5},
            "on": {"type": "boolean", "default": False},
            "mode": {"$ref": "#/components/schemas/Mode", "default": "fast"},
            "day": {"type": "string", "format": "date", "default": "2020-01-01"},
            "tags": {"type": "array", "items": {"type": "string"}, "default": []},
            "note": {"type": ["string", "null"], "default": None},
        },
    },
    "Formats": {
        "type": "object",
        "properties": {
            "day": {"type": "string", "format": "date"},
            "at": {"type": "string", "format": "date-time"},
            "id": {"type": "string", "format": "uuid"},
            "blob": {"type": "string", "format": "binary"},
            "b64": {"type": "string", "format": "byte"},
            "big": {"type": "integer", "format": "int64"},
            "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        },
    },
    "Node": {"type": "object", "properties": {"name": {"type": "string"}, "children": {"type": "array", "items": _ref("Node")}}},
    "Ping": {"type": "object", "properties": {"pong": _ref("Pong")}},
    "Pong": {"type": "object", "properties": {"ping": _ref("Ping")}},
    "Account": {
        "type": "object",
        "required": ["id", "password", "name"],
        "properties": {
            "id": {"type": "integer", "readOnly": True},
            "password": {"type": "string", "writeOnly": True},
            "name": {"type": "string"},
        },
    },
}
FEATURE_PATHS = {
    "/pet": {
        "get": _operation(
            "getPet",
            responses={"200": {"description": "a pet", "content": {"application/json": {"schema": _ref("PetMapped")}}}},
        )
    }
}


@pytest.fixture(scope="module")
def features(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, list[str]]:
    return _build(tmp_path_factory.mktemp("features"), _spec(FEATURES, paths=FEATURE_PATHS))


def test_discriminated_unions(features: tuple[Any, list[str]]) -> None:
    models, warnings = features
    holder = models.PetHolder
    mapped = holder.model_validate({"mapped": {"petType": "puppy", "bark": "woof"}, "maybe": None}).mapped
    assert isinstance(mapped, models.Dog) and mapped.bark == "woof"
    assert isinstance(holder.model_validate({"mapped": {"petType": "cat"}}).mapped, models.Cat)
    assert isinstance(holder.model_validate({"named": {"kind": "Snake", "venom": True}}).named, models.Snake)
    assert isinstance(holder.model_validate({"maybe": {"petType": "Dog"}}).maybe, models.Dog)
    with pytest.raises(pydantic.ValidationError) as error:
        holder.model_validate({"mapped": {"petType": "cow"}})
    assert "does not match any of the expected tags" in str(error.value)
    # Each option types its discriminator property as the values naming it: the mapping's, else its name.
    assert models.Dog.model_fields["pet_type"].annotation == typing.Literal["dog", "puppy", "Dog"]
    assert models.Cat.model_fields["pet_type"].annotation == typing.Literal["cat", "Cat"]
    assert models.Snake.model_fields["kind"].annotation == typing.Literal["Snake"]
    assert "discriminator=" in str(holder.model_fields["mapped"].metadata) or "Annotated" in str(holder.model_fields["mapped"])
    # An option that is no component (here an inline object) cannot be named: a plain union, and a warning.
    assert warnings == [
        "/components/schemas/PetLoose/discriminator: the discriminator is not used (an option is not an object "
        "schema under components); the options are tried in turn"
    ]
    loose = holder.model_validate({"loose": {"petType": "other"}}).loose
    assert loose is not None and not isinstance(loose, models.Cat)
    dumped = {"mapped": {"petType": "puppy", "bark": "woof"}, "named": {"kind": "Lizard"}, "flag": True}
    assert holder.model_validate(dumped).model_dump(mode="json", by_alias=True, exclude_unset=True) == dumped
    with pytest.raises(pydantic.ValidationError):
        holder.model_validate({"flag": False})  # const


def test_a_discriminated_response_is_told_apart(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    resource = importlib.import_module(models.__name__.replace(".models", ".resources.default"))
    adapter = pydantic.TypeAdapter(resource._GET_PET.response_type)
    assert isinstance(adapter.validate_json('{"petType": "dog"}'), models.Dog)


def test_enum_member_names_are_unique_and_readable(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    assert {member.name: member.value for member in models.OddEnum} == {
        "A_B": "a b",
        "A_B_2": "a-b",
        "A_B_3": "A B",
        "VALUE": "",
        "VALUE_1_ST": "1st",
        "CLASS": "class",
        "NONE": "None",
        "VALUE_2": "+",
        "VALUE_3": "-",
        "UNICODE": "ünïcode",
    }
    assert {member.name: member.value for member in models.OddNumbers} == {"VALUE_MINUS_1": -1, "VALUE_0": 0, "VALUE_1": 1}


def test_defaults_apply_and_unset_fields_are_not_sent(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    empty = models.Defaults()
    assert (empty.limit, empty.name, empty.ratio, empty.on, empty.mode, empty.note) == (20, 'say "hi"', 0.5, False, models.Mode.FAST, None)
    assert (empty.day, empty.tags) == (None, None)  # no literal of the field's type: documented only
    for wire in ({}, {"limit": 5, "mode": "slow"}, {"name": "x", "day": "2021-02-03", "tags": [], "note": None}):
        assert models.Defaults.model_validate(wire).model_dump(mode="json", by_alias=True, exclude_unset=True) == wire
    source = models_source(Path(models.__file__).parent.parent)
    assert 'Default: `"2020-01-01"`.' in source and "Default: `[]`." in source


def test_formats_round_trip_on_the_wire(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    wire = {
        "day": "2024-02-29",
        "at": "2024-02-29T12:30:00Z",
        "id": "2f1c4b0e-8d43-4a39-9a43-6f1f7c1f0a11",
        "blob": "raw text",
        "b64": "aGVsbG8=",
        "big": 9007199254740993,
        "grid": [[1, 2], [], [3]],
    }
    value = models.Formats.model_validate_json(json.dumps(wire))
    python = value.model_dump(by_alias=True)
    assert [type(python[name]).__name__ for name in wire] == ["date", "datetime", "UUID", "bytes", "str", "int", "list"]
    assert value.big == 9007199254740993 and value.grid == [[1, 2], [], [3]]
    assert json.loads(value.model_dump_json(by_alias=True, exclude_unset=True)) == wire


def test_recursive_models(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    for model in (models.Node, models.Ping, models.Pong):
        model.model_rebuild(force=True)
    tree = {"name": "root", "children": [{"name": "leaf", "children": [{"name": "deeper"}]}]}
    node = models.Node.model_validate(tree)
    assert isinstance(node.children[0].children[0], models.Node)
    assert node.model_dump(exclude_unset=True) == tree
    ping = models.Ping.model_validate({"pong": {"ping": {"pong": {}}}})
    assert isinstance(ping.pong.ping.pong, models.Pong)


def test_read_only_and_write_only_fields_are_not_required(features: tuple[Any, list[str]]) -> None:
    models, _ = features
    assert _fields(models.Account) == {"id": (int | None, False), "password": (str | None, False), "name": (str, True)}
    assert models.Account(name="a").model_dump(exclude_unset=True) == {"name": "a"}
    source = models_source(Path(models.__file__).parent.parent)
    assert "Read-only: the server sets it; it is not required." in source
    assert "Write-only: the server does not return it; it is not required." in source


def test_openapi_3_1_dialect_ref_siblings_and_examples(tmp_path: Path) -> None:
    schemas = {
        "Colour": {"type": "string", "enum": ["red", "green"]},
        "Paint": {
            "type": "object",
            "properties": {
                # 3.1 allows keywords beside $ref: the description documents the field.
                "colour": {"$ref": "#/components/schemas/Colour", "description": "Wet colour."},
                "litres": {"type": "number", "examples": [1.5, 5]},
            },
        },
    }
    (tmp_path / "default").mkdir()
    (tmp_path / "draft7").mkdir()
    models, warnings = _build(tmp_path / "default", _spec(schemas, jsonSchemaDialect="https://spec.openapis.org/oas/3.1/dialect/base"))
    assert warnings == []
    assert _fields(models.Paint) == {"colour": (models.Colour | None, False), "litres": (float | None, False)}
    source = models_source(tmp_path / "default" / "out" / models.__name__.split(".")[0])
    assert '"""Wet colour."""' in source

    _, warnings = _build(tmp_path / "draft7", _spec(schemas, jsonSchemaDialect="http://json-schema.org/draft-07/schema#"))
    assert warnings == [
        "/jsonSchemaDialect: schemas are read as OpenAPI 3.1 schemas (JSON Schema 2020-12), not in the dialect "
        "'http://json-schema.org/draft-07/schema#'; keywords whose meaning differs there may be read wrongly"
    ]
