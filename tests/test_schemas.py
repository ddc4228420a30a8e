"""Schema shapes beyond plain objects: allOf, oneOf/anyOf, inline objects and enums, formats,
readOnly fields. Each generates classes that mypy accepts and that read and write JSON correctly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

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
