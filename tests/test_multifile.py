"""Specs split into several files: `$ref`s to relative files are bundled into one document, and problems
in another file are reported at that file's lines."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, models_source
from generator.bundle import bundle
from generator.cli import main
from generator.load import load
from generator.pipeline import generate_to
from generator.problems import Problem, Severity, SpecError

REAL = ROOT.parent / "shared" / "specs" / "real"

ROOT_SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Shelter", "version": "1.0"},
    "servers": [{"url": "http://127.0.0.1:9/api"}],
    "security": [{"cc": ["read"]}],
    "paths": {"/pets": {"$ref": "paths/pets.yaml"}},
    "components": {
        "securitySchemes": {"cc": {"$ref": "security/cc.yaml"}},
        "schemas": {"Error": {"type": "object", "properties": {"message": {"type": "string"}}}},
    },
}
FILES: dict[str, Any] = {
    "paths/pets.yaml": {
        "get": {
            "operationId": "listPets",
            "parameters": [{"$ref": "../parameters.yaml#/Limit"}],
            "responses": {
                "200": {
                    "description": "pets",
                    "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "../schemas/pet.yaml"}}}},
                },
                "default": {"$ref": "../responses.json#/components/responses/Problem"},
            },
        }
    },
    "parameters.yaml": {"Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}},
    "security/cc.yaml": {
        "type": "oauth2",
        "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"read": "Read"}}},
    },
    "schemas/pet.yaml": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string"},
            "owner": {"$ref": "people/owner.yaml#/Owner"},
            "example": {"type": "string", "example": {"$ref": "not a reference, an example"}},
        },
    },
    "schemas/people/owner.yaml": {
        "Owner": {"type": "object", "properties": {"pets": {"type": "array", "items": {"$ref": "../pet.yaml"}}, "home": {"$ref": "#/Home"}}},
        "Home": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
    "responses.json": {
        "components": {
            "responses": {"Problem": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "schemas": {"Error": {"type": "object", "properties": {"code": {"type": "integer"}}}},
        }
    },
}


def write_tree(folder: Path, files: dict[str, Any]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) if name.endswith(".json") else yaml.safe_dump(content, sort_keys=False))


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    write_tree(tmp_path / "api", {"openapi.yaml": ROOT_SPEC, **FILES})
    return tmp_path / "api" / "openapi.yaml"


def _refs(value: Any) -> list[str]:
    return re.findall(r'"\$ref": "([^"]*)"', json.dumps(value))


def test_files_in_nested_folders_are_bundled_into_one_document_with_local_refs(spec: Path) -> None:
    data = bundle(load(spec)).data
    schemas = data["components"]["schemas"]
    # External schemas are named after the file or the fragment; the second Error gets a distinct name.
    assert list(schemas) == ["Error", "pet", "Owner", "Home", "Error_2"]
    assert schemas["Error_2"] == {"type": "object", "properties": {"code": {"type": "integer"}}}
    assert schemas["Owner"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/pet"}
    assert schemas["Owner"]["properties"]["home"] == {"$ref": "#/components/schemas/Home"}
    # A "$ref" inside an example is data, not a reference.
    assert schemas["pet"]["properties"]["example"]["example"] == {"$ref": "not a reference, an example"}
    operation = data["paths"]["/pets"]["get"]
    assert operation["parameters"] == [FILES["parameters.yaml"]["Limit"]]
    assert operation["responses"]["default"]["description"] == "an error"
    assert data["components"]["securitySchemes"]["cc"] == FILES["security/cc.yaml"]
    assert all(ref.startswith("#/components/schemas/") for ref in _refs(data) if ref != "not a reference, an example")


def test_bundled_names_do_not_depend_on_where_the_generator_runs(spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = bundle(load(spec)).data
    monkeypatch.chdir(spec.parent / "schemas")
    assert bundle(load(Path("..") / "openapi.yaml")).data == first


def test_a_multi_file_spec_generates_a_typed_package(spec: Path, tmp_path: Path) -> None:
    result = generate_to(spec, tmp_path / "out")
    models = models_source(tmp_path / "out" / "shelter")
    for name in ("class Pet(", "class Owner(", "class Home(", "class Error(", "class Error2("):
        assert name in models
    check = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path / "cache"), "shelter"],
        cwd=tmp_path / "out",
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout
    program = "from shelter import models\nprint(models.Pet.model_validate({'name': 'a', 'owner': {'pets': [{'name': 'b'}], 'home': {'city': 'c'}}}).owner.home.city)"
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path / "out", capture_output=True, text=True)
    assert run.stdout.strip() == "c", run.stderr
    assert result.warnings == []


def test_a_component_schema_that_is_a_file_takes_the_components_name(tmp_path: Path) -> None:
    root = json.loads(json.dumps(ROOT_SPEC))
    root["components"]["schemas"] = {"Animal": {"$ref": "schemas/pet.yaml"}, "Person": {"$ref": "schemas/people/owner.yaml#/Owner"}}
    write_tree(tmp_path, {"openapi.yaml": root, **FILES})
    source = bundle(load(tmp_path / "openapi.yaml"))
    schemas = source.data["components"]["schemas"]
    assert list(schemas) == ["Animal", "Person", "Home", "Error"]
    assert schemas["Animal"]["required"] == ["name"]
    assert schemas["Animal"]["properties"]["owner"] == {"$ref": "#/components/schemas/Person"}
    assert schemas["Person"]["properties"]["pets"]["items"] == {"$ref": "#/components/schemas/Animal"}
    items = source.data["paths"]["/pets"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]
    assert items == {"$ref": "#/components/schemas/Animal"}
    located = source.locate(Problem(Severity.WARNING, "/components/schemas/Person/properties/home", "x"))
    assert (located.file, located.pointer) == (str(tmp_path / "schemas" / "people" / "owner.yaml"), "/Owner/properties/home")


def test_a_swagger_2_spec_in_several_files_keeps_its_schemas_under_definitions(tmp_path: Path) -> None:
    root = {
        "swagger": "2.0",
        "info": {"title": "Pets", "version": "1.0"},
        "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok", "schema": {"$ref": "schemas/pet.yaml"}}}}}},
        "securityDefinitions": {"cc": {"type": "oauth2", "flow": "application", "tokenUrl": "/token", "scopes": {}}},
    }
    pet = {"type": "object", "properties": {"home": {"$ref": "#/Home"}}, "Home": {"type": "object"}}
    write_tree(tmp_path, {"openapi.yaml": root, "schemas/pet.yaml": pet})
    data = bundle(load(tmp_path / "openapi.yaml")).data
    assert list(data["definitions"]) == ["pet", "Home"]
    assert data["paths"]["/pets"]["get"]["responses"]["200"]["schema"] == {"$ref": "#/definitions/pet"}
    result = generate_to(tmp_path / "openapi.yaml", tmp_path / "out")
    assert "class Pet(" in models_source(tmp_path / "out" / result.package)


def test_cycles_between_files_end(tmp_path: Path) -> None:
    files = {
        "openapi.yaml": {**ROOT_SPEC, "paths": {"/a": {"get": {"responses": {"200": {"description": "a", "content": {"application/json": {"schema": {"$ref": "a.yaml"}}}}}}}}},
        "security/cc.yaml": FILES["security/cc.yaml"],
        "a.yaml": {"type": "object", "properties": {"b": {"$ref": "b.yaml"}}},
        "b.yaml": {"type": "object", "properties": {"a": {"$ref": "a.yaml"}, "root": {"$ref": "openapi.yaml#/components/schemas/Error"}}},
    }
    write_tree(tmp_path, files)
    data = bundle(load(tmp_path / "openapi.yaml")).data
    assert data["components"]["schemas"]["b"]["properties"] == {
        "a": {"$ref": "#/components/schemas/a"},
        "root": {"$ref": "#/components/schemas/Error"},
    }
    generate_to(tmp_path / "openapi.yaml", tmp_path / "out")


def line_with(path: Path, needle: str) -> int:
    [line] = [number for number, text in enumerate(path.read_text().splitlines(), 1) if needle in text]
    return line


def _errors(capsys: pytest.CaptureFixture[str], spec: Path, out: Path) -> list[str]:
    assert main([str(spec), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and not out.exists()
    return [line for line in err.splitlines() if ": error: " in line]


def test_a_circular_reference_between_objects_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {"openapi.yaml": ROOT_SPEC, **FILES, "paths/pets.yaml": {"$ref": "other.yaml"}, "paths/other.yaml": {"$ref": "pets.yaml"}})
    [error] = _errors(capsys, tmp_path / "openapi.yaml", tmp_path / "out")
    assert error.startswith(f"{tmp_path / 'paths' / 'other.yaml'}:1:1: error: /: $ref 'pets.yaml' is circular")


@pytest.mark.parametrize("ref", ["https://example.com/pet.yaml", "http://example.com/x.yaml#/Pet", "//example.com/pet.yaml", "file:///etc/passwd"])
def test_remote_references_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str) -> None:
    pets = json.loads(json.dumps(FILES["paths/pets.yaml"]))
    pets["get"]["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"] = ref
    write_tree(tmp_path, {"openapi.yaml": ROOT_SPEC, **FILES, "paths/pets.yaml": pets})
    [error] = _errors(capsys, tmp_path / "openapi.yaml", tmp_path / "out")
    pointer = "/get/responses/200/content/application~1json/schema/items"
    line = line_with(tmp_path / "paths" / "pets.yaml", ref)
    assert error.startswith(f"{tmp_path / 'paths' / 'pets.yaml'}:{line}:")
    assert f"error: {pointer}: $ref {ref!r} is remote; the generator reads local files only" in error


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("../schemas/missing.yaml", "cannot resolve $ref '../schemas/missing.yaml': there is no file "),
        ("../schemas/pet.yaml#/Nothing", "cannot resolve $ref '../schemas/pet.yaml#/Nothing': "),
        ("../../outside.yaml", "points outside the folder of the spec"),
        ("/etc/hosts", "is an absolute path"),
        ("../schemas/pet.yaml#Pet", "is not a JSON pointer"),
    ],
)
def test_bad_file_references_are_located_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], ref: str, message: str) -> None:
    (tmp_path / "outside.yaml").write_text("type: string\n")
    pets = json.loads(json.dumps(FILES["paths/pets.yaml"]))
    pets["get"]["parameters"][0]["$ref"] = ref
    write_tree(tmp_path / "api", {"openapi.yaml": ROOT_SPEC, **FILES, "paths/pets.yaml": pets})
    [error] = _errors(capsys, tmp_path / "api" / "openapi.yaml", tmp_path / "out")
    line = line_with(tmp_path / "api" / "paths" / "pets.yaml", f"$ref: {ref}")
    assert error.startswith(f"{tmp_path / 'api' / 'paths' / 'pets.yaml'}:{line}:")
    assert ": error: /get/parameters/0: " in error
    assert message in error


def test_a_broken_referenced_file_is_reported_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_tree(tmp_path, {"openapi.yaml": ROOT_SPEC, **FILES})
    (tmp_path / "parameters.yaml").write_text("Limit:\n  name: limit\n  in: [query\n")
    [error] = _errors(capsys, tmp_path / "openapi.yaml", tmp_path / "out")
    assert error.startswith(f"{tmp_path / 'parameters.yaml'}:4:") and "invalid YAML" in error


def test_problems_in_another_file_name_that_file_line_and_pointer(spec: Path, tmp_path: Path) -> None:
    owner = spec.parent / "schemas" / "people" / "owner.yaml"
    owner.write_text(owner.read_text().replace("type: string\n", "type: strin\n"))
    result = generate_to(spec, tmp_path / "out")
    [violation] = [warning for warning in result.warnings if "not valid OpenAPI" in warning.message]
    assert violation.file == str(owner) and violation.pointer.startswith("/Home/properties/city")
    assert violation.line in (line_with(owner, "city:"), line_with(owner, "type: strin"))
    source = bundle(load(spec))
    parameter = source.locate(Problem(Severity.WARNING, "/paths/~1pets/get/parameters/0/schema", "x"))
    parameters = spec.parent / "parameters.yaml"
    assert (parameter.file, parameter.pointer) == (str(parameters), "/Limit/schema")
    assert parameter.line == line_with(parameters, "type: integer")


def test_a_spec_without_file_references_is_left_as_it_is(tmp_path: Path) -> None:
    source = load(ROOT / "specs" / "httpccg.yaml")
    assert bundle(source) is source


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/specs/real is absent: the real specs are not in this clone")
def test_real_multi_file_spec_with_an_external_security_scheme(tmp_path: Path) -> None:
    spec = REAL / "surevoip-multifile" / "openapi" / "openapi.yaml"
    try:
        result = generate_to(spec, tmp_path / "out")
    except SpecError as error:
        pytest.fail(f"{error.problems[0]}")
    package = tmp_path / "out" / result.package
    models = models_source(package)
    assert "class Announcement(" in models and "class Customer(" in models
    assert any('"https://authz.surevoip.co.uk/oauth2/token"' in path.read_text() for path in package.rglob("*.py"))
    flows = [warning for warning in result.warnings if "only the clientCredentials flow is used" in warning.message]
    assert [(warning.file, warning.pointer) for warning in flows] == [
        (str(spec.parent / "components" / "securitySchemes" / "OAuth2.yaml"), "/flows")
    ]
