"""Swagger 2.0 documents: validated as 2.0, converted to the OpenAPI 3.0 shape the model reads, and
problems reported at the lines of the document the user wrote."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT
from generator.cli import main
from generator.load import load
from generator.pipeline import generate_to
from generator.problems import Problem, Report, Severity
from generator.swagger2 import convert
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture

REAL = ROOT.parent / "shared" / "specs" / "real"

PETS: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Pets", "version": "1.0"},
    "host": "pets.example",
    "basePath": "/v1/",
    "schemes": ["http", "https"],
    "consumes": ["application/json"],
    "produces": ["application/json"],
    "security": [],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "parameters": [
                    {"name": "tags", "in": "query", "type": "array", "items": {"type": "string"}},
                    {"$ref": "#/parameters/Limit"},
                ],
                "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}},
            },
            "post": {
                "operationId": "addPet",
                "parameters": [{"name": "pet", "in": "body", "required": True, "schema": {"$ref": "#/definitions/Pet"}}],
                "responses": {"201": {"$ref": "#/responses/Created"}},
            },
        },
        "/pets/{petId}/photo": {
            "parameters": [{"name": "petId", "in": "path", "required": True, "type": "integer"}],
            "put": {
                "operationId": "uploadPhoto",
                "consumes": ["multipart/form-data"],
                "produces": ["image/png"],
                "parameters": [
                    {"name": "photo", "in": "formData", "type": "file", "required": True},
                    {"name": "caption", "in": "formData", "type": "string", "description": "Shown below."},
                ],
                "responses": {"200": {"description": "the photo", "schema": {"type": "file"}}},
            },
        },
        "/pets/{petId}/name": {
            "post": {
                "operationId": "rename",
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [
                    {"name": "petId", "in": "path", "required": True, "type": "integer"},
                    {"name": "name", "in": "formData", "type": "string", "required": True},
                    {"name": "aliases", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                ],
                "responses": {"204": {"description": "renamed"}},
            }
        },
    },
    "parameters": {"Limit": {"name": "limit", "in": "query", "type": "integer", "format": "int32"}},
    "responses": {"Created": {"description": "created", "schema": {"$ref": "#/definitions/Pet"}}},
    "definitions": {
        "Pet": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "owner": {"$ref": "#/definitions/Owner", "x-nullable": True},
                "nickname": {"type": "string", "x-nullable": True},
            },
        },
        "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
    },
    "securityDefinitions": {
        "cc": {"type": "oauth2", "flow": "application", "tokenUrl": "/token", "scopes": {"pets": "Pets"}},
        "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "/authorize", "tokenUrl": "/token", "scopes": {}},
        "browser": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "/authorize", "scopes": {}},
        "user": {"type": "oauth2", "flow": "password", "tokenUrl": "/token", "scopes": {}},
        "basic": {"type": "basic", "description": "Basic"},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
    },
}


def _converted(tmp_path: Path, spec: dict[str, Any], name: str = "spec.yaml") -> dict[str, Any]:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    data: dict[str, Any] = convert(load(path), Report()).data
    return data


@pytest.fixture
def pets(tmp_path: Path) -> dict[str, Any]:
    return _converted(tmp_path, PETS)


def test_host_base_path_and_schemes_become_servers_the_secure_one_first(pets: dict[str, Any]) -> None:
    assert pets["openapi"].startswith("3.0.")
    assert pets["servers"] == [{"url": "https://pets.example/v1"}, {"url": "http://pets.example/v1"}]


@pytest.mark.parametrize(
    ("fields", "url"),
    [({"basePath": "/api"}, "/api"), ({}, "/"), ({"host": "h.example"}, "https://h.example")],
)
def test_servers_without_host_are_relative(tmp_path: Path, fields: dict[str, str], url: str) -> None:
    spec = {key: value for key, value in PETS.items() if key not in ("host", "basePath", "schemes")}
    assert _converted(tmp_path, {**spec, **fields})["servers"] == [{"url": url}]


def test_definitions_become_component_schemas_and_references_follow(pets: dict[str, Any]) -> None:
    schemas = pets["components"]["schemas"]
    assert list(schemas) == ["Pet", "Owner"]
    response = pets["paths"]["/pets"]["get"]["responses"]["200"]
    assert response["content"]["application/json"]["schema"]["items"] == {"$ref": "#/components/schemas/Pet"}
    assert "#/definitions/" not in json.dumps(pets)


def test_x_nullable_becomes_nullable_also_on_references(pets: dict[str, Any]) -> None:
    properties = pets["components"]["schemas"]["Pet"]["properties"]
    assert properties["nickname"] == {"type": "string", "nullable": True}
    assert properties["owner"] == {"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": True}


def test_body_parameter_becomes_the_request_body_in_each_consumed_type(pets: dict[str, Any]) -> None:
    operation = pets["paths"]["/pets"]["post"]
    assert operation["parameters"] == []
    assert operation["requestBody"] == {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}},
        "required": True,
    }


def test_referenced_parameters_and_responses_are_converted_in_place(pets: dict[str, Any]) -> None:
    listing = pets["paths"]["/pets"]["get"]
    assert listing["parameters"][1] == {"name": "limit", "in": "query", "schema": {"type": "integer", "format": "int32"}}
    created = pets["paths"]["/pets"]["post"]["responses"]["201"]
    assert created == {"description": "created", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}


def test_form_data_with_a_file_becomes_a_multipart_body_and_file_is_binary(pets: dict[str, Any]) -> None:
    item = pets["paths"]["/pets/{petId}/photo"]
    assert item["parameters"] == [{"name": "petId", "in": "path", "required": True, "schema": {"type": "integer"}}]
    assert item["put"]["requestBody"] == {
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "photo": {"type": "string", "format": "binary"},
                        "caption": {"type": "string", "description": "Shown below."},
                    },
                    "required": ["photo"],
                }
            }
        },
        "required": True,
    }
    assert item["put"]["responses"]["200"]["content"] == {"image/png": {"schema": {"type": "string", "format": "binary"}}}


def test_form_data_without_a_file_becomes_a_form_body_with_its_encoding(pets: dict[str, Any]) -> None:
    operation = pets["paths"]["/pets/{petId}/name"]["post"]
    assert [parameter["name"] for parameter in operation["parameters"]] == ["petId"]
    media = operation["requestBody"]["content"]["application/x-www-form-urlencoded"]
    assert media["schema"]["required"] == ["name"]
    assert media["schema"]["properties"]["aliases"] == {"type": "array", "items": {"type": "string"}}
    assert media["encoding"] == {"aliases": {"style": "form", "explode": True}}


@pytest.mark.parametrize(
    ("location", "collection_format", "style", "explode"),
    [
        ("query", None, "form", False),  # csv is Swagger's default, OpenAPI 3's is exploded
        ("query", "multi", "form", True),
        ("query", "ssv", "spaceDelimited", False),
        ("query", "pipes", "pipeDelimited", False),
        ("header", "csv", "simple", False),
        ("path", None, "simple", False),
    ],
)
def test_collection_format_becomes_style_and_explode(
    tmp_path: Path, location: str, collection_format: str | None, style: str, explode: bool
) -> None:
    spec = copy.deepcopy(PETS)
    parameter = spec["paths"]["/pets"]["get"]["parameters"][0]
    parameter["in"] = location
    parameter["required"] = location == "path"
    if collection_format:
        parameter["collectionFormat"] = collection_format
    [converted, _] = _converted(tmp_path, spec)["paths"]["/pets"]["get"]["parameters"]
    assert (converted["style"], converted["explode"]) == (style, explode)
    assert "collectionFormat" not in converted and converted["schema"] == {"type": "array", "items": {"type": "string"}}


def test_what_has_no_openapi_3_equivalent_is_a_warning_at_its_line(tmp_path: Path) -> None:
    spec = copy.deepcopy(PETS)
    spec["paths"]["/pets/{petId}/photo"]["parameters"][0].update(type="array", items={"type": "integer"}, collectionFormat="multi")
    spec["paths"]["/pets"]["get"]["schemes"] = ["http"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    warnings = {warning.pointer: warning for warning in generate_to(path, tmp_path / "out").warnings}
    multi = warnings["/paths/~1pets~1{petId}~1photo/parameters/0"]
    assert "collectionFormat 'multi' has no OpenAPI 3 equivalent here; sent comma-separated" in multi.message
    assert multi.file == str(path) and multi.line is not None
    assert "schemes of single operations are not supported" in warnings["/paths/~1pets/get/schemes"].message


def test_security_definitions_become_security_schemes(pets: dict[str, Any]) -> None:
    schemes = pets["components"]["securitySchemes"]
    assert schemes["cc"] == {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {"pets": "Pets"}}}}
    assert schemes["code"]["flows"] == {"authorizationCode": {"authorizationUrl": "/authorize", "tokenUrl": "/token", "scopes": {}}}
    assert schemes["browser"]["flows"] == {"implicit": {"authorizationUrl": "/authorize", "scopes": {}}}
    assert schemes["user"]["flows"] == {"password": {"tokenUrl": "/token", "scopes": {}}}
    assert schemes["basic"] == {"type": "http", "scheme": "basic", "description": "Basic"}
    assert schemes["key"] == {"type": "apiKey", "name": "X-Key", "in": "header"}


def test_problems_in_converted_parts_name_the_pointer_and_line_written(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(PETS, sort_keys=False))
    original = load(path)
    converted = convert(original, Report())

    def assert_located(pointer: str, written: str) -> None:
        problem = converted.locate(Problem(Severity.WARNING, pointer, "x"))
        expected = original.locate(Problem(Severity.WARNING, written, "x"))
        assert problem == expected and problem.file == str(path) and problem.line is not None

    assert_located("/components/schemas/Pet/properties/owner", "/definitions/Pet/properties/owner")
    assert_located("/paths/~1pets/post/requestBody/content/application~1json/schema", "/paths/~1pets/post/parameters/0/schema")
    assert_located("/paths/~1pets/get/parameters/1/schema", "/parameters/Limit")
    assert_located("/paths/~1pets~1{petId}~1name/post/parameters/0", "/paths/~1pets~1{petId}~1name/post/parameters/0")
    assert_located(
        "/paths/~1pets~1{petId}~1name/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/aliases",
        "/paths/~1pets~1{petId}~1name/post/parameters/2",
    )
    assert_located("/paths/~1pets/post/responses/201/content/application~1json/schema", "/responses/Created/schema")
    assert_located("/components/securitySchemes/cc/flows", "/securityDefinitions/cc/flow")
    assert_located("/paths/~1pets/get/operationId", "/paths/~1pets/get/operationId")


def test_model_warnings_name_the_swagger_document(tmp_path: Path) -> None:
    spec = copy.deepcopy(PETS)
    spec["parameters"]["Authorization"] = {"name": "Authorization", "in": "header", "type": "string"}
    spec["paths"]["/pets"]["get"]["parameters"].append({"$ref": "#/parameters/Authorization"})
    path = tmp_path / "spec.yaml"
    text = yaml.safe_dump(spec, sort_keys=False)
    path.write_text(text)
    result = generate_to(path, tmp_path / "out")
    [warning] = [warning for warning in result.warnings if "'Authorization' is ignored" in warning.message]
    assert (warning.file, warning.pointer) == (str(path), "/parameters/Authorization")
    lines = text.splitlines()
    assert warning.line is not None and lines[warning.line - 2].strip() == "Authorization:"


def test_without_an_application_flow_the_sdk_uses_the_other_schemes_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy.deepcopy(PETS)
    del spec["securityDefinitions"]["cc"]
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    assert main([str(path), "-o", str(tmp_path / "out")]) == 0
    [warning] = [line for line in capsys.readouterr().err.splitlines() if "no OAuth 2.0 scheme" in line]
    assert warning.startswith(f"{path}:") and ": warning: /securityDefinitions: " in warning
    assert "authenticates with 'code', 'browser', 'user', 'basic', 'key' only" in warning


def test_file_responses_are_valid_swagger(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(PETS, sort_keys=False))
    assert main([str(path), "-o", str(tmp_path / "out"), "--strict"]) == 0
    assert "not valid OpenAPI" not in capsys.readouterr().err


def test_violations_of_the_swagger_schema_are_warnings_or_errors_with_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy.deepcopy(PETS)
    spec["paths"]["/pets"]["get"]["parameters"][0]["in"] = "cookie"  # Swagger 2.0 has no cookie parameters
    path = tmp_path / "spec.yaml"
    text = yaml.safe_dump(spec, sort_keys=False)
    path.write_text(text)
    assert main([str(path), "-o", str(tmp_path / "out")]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "not valid OpenAPI" in line]
    assert warnings and all(line.startswith(f"{path}:") for line in warnings)
    assert any("/paths/~1pets/get/parameters/0" in line for line in warnings)
    assert main([str(path), "-o", str(tmp_path / "strict"), "--strict"]) == 2
    assert "error: /paths/~1pets/get/parameters/0" in capsys.readouterr().err


# --- the generated client -------------------------------------------------------------------------


def test_the_generated_client_calls_host_and_base_path(tmp_path: Path, recorder: Recorder) -> None:  # noqa: F811
    recorder.requests.clear()
    recorder.queued[:] = [(200, "application/json", b'[{"name": "Rex"}]'), (201, "application/json", b'{"name": "Rex"}')]
    host = recorder.url.removeprefix("http://")
    spec = {**copy.deepcopy(PETS), "host": host, "schemes": ["http"], "basePath": "/v1"}
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = generate_to(path, tmp_path / "out")
    program = (
        f"from {result.package} import Client, models\n"
        "client = Client()\n"
        "print(client.default.list_pets(limit=2)[0].name)\n"
        "print(client.default.add_pet(body=models.Pet(name='Rex')).name)\n"
    )
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path / "out", capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == ["Rex", "Rex"]
    listing, adding = recorder.requests
    assert (listing["method"], listing["path"]) == ("GET", "/v1/pets?limit=2")
    assert (adding["method"], adding["path"]) == ("POST", "/v1/pets")
    assert json.loads(adding["body"]) == {"name": "Rex"} and adding["headers"]["Content-Type"] == "application/json"


# --- real specs -------------------------------------------------------------------------------------


@pytest.mark.skipif(not REAL.is_dir(), reason="../shared/specs/real is absent: the real specs are not in this clone")
@pytest.mark.parametrize(
    ("name", "token_url", "default_url"),
    [
        ("authentiq-provider-swagger2.yaml", "https://connect.authentiq.io/token", "https://connect.authentiq.io"),
        ("obuk-payment-initiation-v3.1.2-swagger2.yaml", "https://authserver.example/token", None),
    ],
)
def test_real_swagger_specs_use_their_application_flow(
    tmp_path: Path, name: str, token_url: str, default_url: str | None
) -> None:
    result = generate_to(REAL / name, tmp_path / "out")
    package = tmp_path / "out" / result.package
    assert any(f'"{token_url}"' in path.read_text() for path in package.rglob("*.py"))
    default = "None" if default_url is None else f'"{default_url}"'
    assert f"DEFAULT_BASE_URL: str | None = {default}\n" in (package / "_client.py").read_text()
    assert all(warning.file == str(REAL / name) for warning in result.warnings)
