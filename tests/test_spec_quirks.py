"""What real specs do that the OpenAPI text does not foresee, each on a minimal inline spec: header
parameters that servers enforce although OpenAPI says to ignore them, bodies required without a required
field, recursive schemas that are not objects, specs without operations, and query values nested deeper
than the styles define. Requests are checked where they arrive: at a recording server on 127.0.0.1.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from generator.pipeline import generate_to
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture

_NO_CONTENT = {"204": {"description": "done"}}
_TEXT_FIELDS = {"type": "object", "properties": {"title": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}}}}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Quirks", "version": "1.0"},
    "security": [],
    "paths": {
        "/vendor": {
            "get": {
                "operationId": "vendorMediaType",
                "parameters": [
                    {"$ref": "#/components/parameters/Accept"},
                    {"name": "Content-Type", "in": "header", "schema": {"type": "string", "enum": ["application/vnd.quirks+json"]}},
                    {"name": "Authorization", "in": "header", "schema": {"type": "string"}},
                ],
                "responses": {"200": {"description": "ok", "content": {"application/vnd.quirks.v1+json": {"schema": {"type": "object"}}}}},
            }
        },
        "/anything": {
            "get": {
                "operationId": "anyMediaType",
                "responses": {"200": {"description": "ok", "content": {"*/*": {"schema": {"type": "object", "properties": {"id": {"type": "integer"}}}}}}},
            }
        },
        "/hal": {
            "get": {
                "operationId": "halMediaType",
                "responses": {"200": {"description": "ok", "content": {"application/hal+json": {"schema": {"type": "object"}}}}},
            }
        },
        "/upload": {
            "put": {
                "operationId": "upload",
                "parameters": [
                    {"name": "Content-Length", "in": "header", "required": True, "schema": {"type": "integer"}},
                    {"name": "Transfer-Encoding", "in": "header", "schema": {"type": "string"}},
                ],
                "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": _NO_CONTENT,
            }
        },
        "/parts": {
            "post": {
                "operationId": "sendParts",
                "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _TEXT_FIELDS}}},
                "responses": _NO_CONTENT,
            }
        },
        "/form": {
            "post": {
                "operationId": "sendForm",
                "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": _TEXT_FIELDS}}},
                "responses": _NO_CONTENT,
            },
            "put": {
                "operationId": "maybeSendForm",
                "requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": _TEXT_FIELDS}}},
                "responses": _NO_CONTENT,
            },
        },
    },
    "components": {
        "parameters": {
            "Accept": {
                "name": "Accept",
                "in": "header",
                "required": True,
                "schema": {"type": "string", "enum": ["application/vnd.quirks.v1+json"], "default": "application/vnd.quirks.v1+json"},
            }
        }
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, list[str], Path]:
    folder = tmp_path_factory.mktemp("quirks")
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    result = generate_to(spec, folder / "out")
    sys.path.insert(0, str(folder / "out"))
    try:
        module = importlib.import_module("quirks")
    finally:
        sys.path.remove(str(folder / "out"))
    return module, [str(warning) for warning in result.warnings], folder / "out"


def _sent(recorder: Recorder, call: Any) -> dict[str, Any]:
    recorder.requests.clear()
    recorder.queued.append((200, "application/json", b"{}"))
    call()
    [request] = recorder.requests
    return request


def test_a_header_the_spec_fixes_is_sent_as_its_one_value(generated: Any, recorder: Recorder) -> None:
    quirks, warnings, _ = generated
    with quirks.Client(base_url=recorder.url) as client:
        sent = _sent(recorder, client.default.vendor_media_type)
    assert sent["headers"]["Accept"] == "application/vnd.quirks.v1+json"
    assert sent["headers"]["Content-Type"] == "application/vnd.quirks+json"
    assert "Authorization" not in sent["headers"]
    assert any("/components/parameters/Accept:" in w and "sent as 'application/vnd.quirks.v1+json'" in w for w in warnings)
    assert any("/paths/~1vendor/get/parameters/2:" in w and "'Authorization' is ignored" in w for w in warnings)


def test_accept_names_the_media_type_of_the_success_response(generated: Any, recorder: Recorder) -> None:
    quirks, _, _ = generated
    with quirks.Client(base_url=recorder.url) as client:
        assert _sent(recorder, client.default.any_media_type)["headers"]["Accept"] == "*/*"
        assert _sent(recorder, client.default.hal_media_type)["headers"]["Accept"] == "application/hal+json"


def test_message_headers_are_no_arguments(generated: Any, recorder: Recorder) -> None:
    quirks, warnings, _ = generated
    with quirks.Client(base_url=recorder.url) as client:
        sent = _sent(recorder, lambda: client.default.upload(body=b"12345"))
    assert sent["headers"]["Content-Length"] == "5" and sent["body"] == b"12345"
    assert "Transfer-Encoding" not in sent["headers"]
    for index, name in enumerate(["Content-Length", "Transfer-Encoding"]):
        assert any(
            f"/paths/~1upload/put/parameters/{index}:" in w and f"{name!r} is ignored: the HTTP client writes it" in w
            for w in warnings
        ), warnings


def test_a_required_multipart_body_is_sent_without_fields(generated: Any, recorder: Recorder) -> None:
    quirks, _, _ = generated
    with quirks.Client(base_url=recorder.url) as client:
        empty = _sent(recorder, client.default.send_parts)
        text_only = _sent(recorder, lambda: client.default.send_parts(title="a", tags=["x", "y"]))
    content_type = empty["headers"]["Content-Type"]
    assert content_type.startswith("multipart/form-data; boundary=")
    assert empty["body"] == f"--{content_type.split('boundary=')[1]}--\r\n".encode()
    # Text fields alone are still multipart parts, not a urlencoded form.
    assert text_only["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert text_only["body"].count(b'name="tags"') == 2 and b'name="title"\r\n\r\na\r\n' in text_only["body"]


def test_a_required_form_body_is_sent_empty_and_an_optional_one_not_at_all(generated: Any, recorder: Recorder) -> None:
    quirks, _, _ = generated
    with quirks.Client(base_url=recorder.url) as client:
        required = _sent(recorder, client.default.send_form)
        optional = _sent(recorder, client.default.maybe_send_form)
    assert required["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert required["body"] == b"" and required["headers"]["Content-Length"] == "0"
    assert "Content-Type" not in optional["headers"] and optional["body"] == b""


def test_the_quirks_sdk_is_typed(generated: Any, tmp_path: Path) -> None:
    _, _, project = generated
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "quirks"],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


RECURSIVE: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Recursive", "version": "1.0"},
    "paths": {
        "/tree": {"get": {"operationId": "getTree", "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Tree"}}}}}}},
        "/expr": {
            "post": {
                "operationId": "evaluate",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Expr"}}}},
                "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Expr"}}}}},
            }
        },
    },
    "components": {
        "schemas": {
            # An anyOf of arrays whose items are inline objects referring back to the component.
            "Tree": {
                "anyOf": [
                    {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"value": {"anyOf": [{"type": "string"}, {"$ref": "#/components/schemas/Tree"}]}},
                        },
                    }
                ]
            },
            # Mutual recursion through oneOf: an expression is a number or a sum of expressions.
            "Expr": {"oneOf": [{"$ref": "#/components/schemas/Sum"}, {"type": "integer"}]},
            "Sum": {"type": "array", "items": {"$ref": "#/components/schemas/Expr"}},
        }
    },
}


def _generated(tmp_path: Path, spec: dict[str, Any], package: str) -> tuple[ModuleType, list[str], Path]:
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec, sort_keys=False))
    result = generate_to(path, tmp_path / "out")
    sys.path.insert(0, str(tmp_path / "out"))
    try:
        module = importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path / "out"))
    return module, [str(warning) for warning in result.warnings], tmp_path / "out"


def _mypy(project: Path, package: str, cache: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(cache), package],
        cwd=project,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_recursive_schemas_that_are_not_objects_become_named_aliases(tmp_path: Path, recorder: Recorder) -> None:
    recursive, warnings, project = _generated(tmp_path, RECURSIVE, "recursive")
    assert not any("nest too deeply" in w or "refers to itself" in w for w in warnings), warnings
    models = "".join(path.read_text() for path in (project / "recursive" / "models").glob("_*.py"))
    assert 'Tree = typing_extensions.TypeAliasType("Tree", "list[TreeOption1Item]")' in models
    assert 'Expr = typing_extensions.TypeAliasType("Expr", "list[Expr] | int")' in models
    assert "value: str | Tree | None = None" in models
    assert '"typing-extensions>=4.12"' in (project / "pyproject.toml").read_text()
    recorder.requests.clear()
    recorder.queued += [
        (200, "application/json", b'[{"value": [{"value": [{"value": "leaf"}]}, {"value": "x"}]}]'),
        (200, "application/json", b"[1, [2, [3]], 4]"),
    ]
    with recursive.Client(base_url=recorder.url) as client:
        tree = client.default.get_tree()
        total = client.default.evaluate(body=[1, [2, 3]])
    assert tree[0].value[0].value[0].value == "leaf" and tree[0].value[1].value == "x"
    assert total == [1, [2, [3]], 4]
    assert recorder.requests[1]["body"] == b"[1,[2,3]]"
    _mypy(project, "recursive", tmp_path / "cache")


def test_a_spec_without_operations_gives_a_client_without_resources(tmp_path: Path) -> None:
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Nothing To Call", "version": "1.0"},
        "paths": {},
        "components": {"schemas": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}}},
    }
    sdk, warnings, project = _generated(tmp_path, spec, "nothing_to_call")
    assert any("/paths:" in w and "the spec has no operations" in w for w in warnings), warnings
    with sdk.Client(base_url="https://api.example.com") as client:
        assert client.base_url == "https://api.example.com"
    assert sdk.models.Pet(name="Rex").name == "Rex"
    _mypy(project, "nothing_to_call", tmp_path / "cache")


NESTED: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Nested", "version": "1.0"},
    "paths": {
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    {
                        "name": "filter",
                        "in": "query",
                        "style": "deepObject",
                        "explode": True,
                        "schema": {"type": "object", "properties": {"price": {"type": "object", "properties": {"min": {"type": "integer"}}}, "tags": {"type": "array", "items": {"type": "string"}}}},
                    },
                    {
                        "name": "sort",
                        "in": "query",
                        "schema": {"type": "object", "properties": {"keys": {"type": "array", "items": {"type": "object", "properties": {"field": {"type": "string"}}}}}},
                    },
                ],
                "responses": {"204": {"description": "done"}},
            }
        }
    },
}


def test_query_values_nested_beyond_their_style_are_reported_and_documented(tmp_path: Path, recorder: Recorder) -> None:
    nested, warnings, project = _generated(tmp_path, NESTED, "nested")
    assert any(
        "/paths/~1search/get/parameters/0:" in w and "nested objects are sent as name[key][inner]=value" in w
        for w in warnings
    ), warnings
    assert any("/paths/~1search/get/parameters/1:" in w and "they are sent as JSON" in w for w in warnings), warnings
    source = (project / "nested" / "resources" / "default.py").read_text()
    assert "Nested objects are sent as `name[key][inner]=value`" in source
    assert "Values nested deeper than its style defines are sent as JSON text." in source
    assert "Nested objects are sent as `name\\[key\\]\\[inner\\]=value`" in (project / "doc" / "resources" / "default.md").read_text()
    recorder.requests.clear()
    with nested.Client(base_url=recorder.url) as client:
        client.default.search(
            filter_=nested.models.SearchFilter(price=nested.models.SearchFilterPrice(min=3), tags=["a", "b"]),
            sort=nested.models.SearchSort(keys=[nested.models.SearchSortKeysItem(field="name")]),
        )
    query = recorder.requests[0]["path"].split("?", 1)[1]
    assert query == "filter[price][min]=3&filter[tags]=a&filter[tags]=b&keys=%5B%7B%22field%22%3A%22name%22%7D%5D"


def test_a_property_whose_schema_is_read_only_is_not_required(tmp_path: Path) -> None:
    """readOnly said by the schema a property's `$ref` names, not beside it (Okta's `_links`): the server
    sets it, so a request need not carry it."""
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Links", "version": "1.0"},
        "paths": {},
        "components": {
            "schemas": {
                "Stream": {
                    "type": "object",
                    "required": ["name", "_links"],
                    "properties": {"name": {"type": "string"}, "_links": {"$ref": "#/components/schemas/Links"}},
                },
                "Links": {"type": "object", "readOnly": True, "properties": {"self": {"type": "string"}}},
            }
        },
    }
    links, _, project = _generated(tmp_path, spec, "links")
    stream = links.models.Stream(name="logs")
    assert stream.links is None and stream.model_dump(by_alias=True, exclude_unset=True) == {"name": "logs"}
    assert "Read-only: the server sets it" in (project / "doc" / "models" / "stream.md").read_text()
