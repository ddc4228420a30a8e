"""What generated operations put on the wire and make of the answer, against a real HTTP server on
127.0.0.1 that records every request and answers with what each test queues: parameter styles, cookies,
form, multipart, text and binary bodies, text and binary responses, and typed errors."""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import importlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from generator.pipeline import generate_to
from support.recorder import Recorder, recorder  # noqa: F401 - the fixture

_OBJECT = {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _query(name: str, schema: dict[str, Any], **options: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, **options}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Wire", "version": "1.0"},
    "security": [],
    "paths": {
        "/search": {
            "get": {
                "operationId": "search",
                "parameters": [
                    _query("tags", _STRINGS, explode=False),
                    _query("ids", {"type": "array", "items": {"type": "integer"}}),
                    _query("words", _STRINGS, style="spaceDelimited", explode=False),
                    _query("codes", _STRINGS, style="pipeDelimited", explode=False),
                    _query("filter", {"type": "object", "properties": {"status": {"type": "string"}, "size": {"type": "integer"}}}, style="deepObject", explode=True),
                    _query("point", _OBJECT),
                    _query("color", {"type": "object", "additionalProperties": {"type": "integer"}}, explode=False),
                    _query("from", {"type": "string", "format": "date"}),
                    _query("type", {"type": "boolean"}),
                    _query("id", {"type": "string"}),
                    {"name": "ID", "in": "header", "schema": {"type": "string"}},
                    {"name": "X-Trace", "in": "header", "schema": _STRINGS},
                    {"name": "X-Pos", "in": "header", "schema": _OBJECT, "explode": True},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"name": "prefs", "in": "cookie", "schema": _STRINGS, "explode": False},
                    _query("odd", {"type": "string"}, style="matrix"),
                    _query("flat", {"type": "string"}, style="deepObject"),
                ],
                "responses": {"204": {"description": "seen"}},
            }
        },
        "/shapes/{box}/{tags}/{sizes}": {
            "get": {
                "operationId": "getShape",
                "parameters": [
                    {"name": "box", "in": "path", "required": True, "schema": _OBJECT, "explode": True},
                    {"name": "tags", "in": "path", "required": True, "schema": _STRINGS, "style": "label", "explode": True},
                    {"name": "sizes", "in": "path", "required": True, "schema": _STRINGS, "style": "matrix"},
                ],
                "responses": {"204": {"description": "seen"}},
            }
        },
        "/users/{id}/keys": {
            "get": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}},
                    _query("id", {"type": "string"}),
                    _query("self", {"type": "string"}),
                ],
                "responses": {"204": {"description": "seen"}},
            },
            "post": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}, _query("body", {"type": "string"})],
                "requestBody": {"required": True, **_json({"type": "object", "additionalProperties": {"type": "string"}})},
                "responses": {"204": {"description": "stored"}},
            },
        },
        "/forms": {
            "post": {
                "operationId": "sendForm",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}, "tags": _STRINGS, "count": {"type": "integer"}},
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
        "/uploads": {
            "post": {
                "operationId": "upload",
                "parameters": [_query("title", {"type": "string"})],
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "attachments": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                    "title": {"type": "string"},
                                    "meta": {"type": "object", "additionalProperties": {"type": "integer"}},
                                },
                            }
                        }
                    },
                },
                "responses": {"204": {"description": "stored"}},
            }
        },
        "/blobs/{name}": {
            "put": {
                "operationId": "putBlob",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                "responses": {"200": {"description": "the blob", "content": {"image/png": {"schema": {"type": "string", "format": "binary"}}}}},
            }
        },
        "/notes": {
            "post": {
                "operationId": "addNote",
                # Ignored as OpenAPI prescribes, even though required: the operation stays.
                "parameters": [{"name": "Accept", "in": "header", "required": True, "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {"text/plain": {"schema": {"type": "string"}}}},
                "responses": {"200": {"description": "echo", "content": {"text/plain": {"schema": {"type": "string"}}}}},
            }
        },
        "/choices": {
            "post": {
                "operationId": "choose",
                "requestBody": {
                    "content": {
                        "multipart/form-data": {"schema": {"$ref": "#/components/schemas/Choice"}},
                        "application/json": {"schema": {"$ref": "#/components/schemas/Choice"}},
                    }
                },
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Choice"}) | {"description": "chosen"},
                    "204": {"description": "nothing chosen"},
                },
            }
        },
        "/things/{thing}": {
            "get": {
                "operationId": "getThing",
                "parameters": [{"name": "thing", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/Choice"}) | {"description": "the thing"},
                    "404": _json(_PROBLEM) | {"description": "no such thing"},
                    "422": _json({"$ref": "#/components/schemas/Invalid"}) | {"description": "bad name"},
                    "4XX": _json({"$ref": "#/components/schemas/Invalid"}) | {"description": "other client error"},
                    "default": _json(_PROBLEM) | {"description": "failure"},
                },
            }
        },
    },
    "components": {
        "schemas": {
            "Choice": {"type": "object", "required": ["pick"], "properties": {"pick": {"type": "string"}}},
            "Problem": {"type": "object", "required": ["title"], "properties": {"title": {"type": "string"}}},
            "Invalid": {"type": "object", "required": ["fields"], "properties": {"fields": _STRINGS}},
        },
        "securitySchemes": {
            "cc": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/token", "scopes": {}}}}
        },
    },
}


@pytest.fixture
def server(recorder: Recorder) -> str:  # noqa: F811 - the fixture
    return recorder.url


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    folder = tmp_path_factory.mktemp("wire")
    spec = folder / "spec.yaml"
    spec.write_text(yaml.safe_dump(SPEC, sort_keys=False))
    result = generate_to(spec, folder / "out")
    return folder / "out", [str(warning) for warning in result.warnings]


@pytest.fixture(scope="module")
def wire(generated: tuple[Path, list[str]]) -> Iterator[ModuleType]:
    sys.path.insert(0, str(generated[0]))
    try:
        yield importlib.import_module("wire")
    finally:
        sys.path.remove(str(generated[0]))


_QUEUED: list[tuple[int, str, bytes]] = []
"""The recording server's queue of answers, which `_answer` fills."""


@pytest.fixture
def calls(recorder: Recorder) -> list[dict[str, Any]]:  # noqa: F811 - the fixture
    recorder.requests.clear()
    _QUEUED.clear()
    recorder.queued = _QUEUED
    return recorder.requests


def _answer(status: int, content_type: str = "", body: bytes = b"") -> None:
    _QUEUED.append((status, content_type, body))


def _parts(request: dict[str, Any]) -> list[tuple[str | None, str | None, str, bytes]]:
    """The multipart parts received: (field name, filename, content type, content)."""
    head = f"Content-Type: {request['headers']['Content-Type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request["body"])
    return [
        (part.get_param("name", header="content-disposition"), part.get_filename(), part.get_content_type(), part.get_payload(decode=True))
        for part in message.iter_parts()
    ]


# --- parameters -----------------------------------------------------------------------------------


def test_query_styles_are_written_as_openapi_defines_them(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    import datetime

    with wire.Client(base_url=server) as client:
        client.default.search(
            tags=["a b", "c,d"],
            ids=[1, 2],
            words=["x", "y"],
            codes=["p", "q"],
            filter_=wire.models.SearchFilter(status="open", size=3),
            point=wire.models.SearchPoint(x=1, y=2),
            color={"R": 100, "G": 200},
            from_=datetime.date(2026, 1, 2),
            type_=True,
            id_="q1",
        )
    path, query = calls[0]["path"].split("?")
    assert query.split("&") == [
        "tags=a%20b,c%2Cd",
        "ids=1",
        "ids=2",
        "words=x%20y",
        "codes=p%7Cq",
        "filter[status]=open",
        "filter[size]=3",
        "x=1",
        "y=2",
        "color=R,100,G,200",
        "from=2026-01-02",
        "type=true",
        "id=q1",
    ]


def test_headers_and_cookies(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    import httpx2

    with wire.Client(base_url=server, http_client=httpx2.Client(cookies={"jar": "kept"})) as client:
        client.default.search(id_header="h1", x_trace=["a", "b"], x_pos=wire.models.SearchXPos(x=1, y=2), session="s 1;", prefs=["dark", "wide"])
    headers = calls[0]["headers"]
    assert headers["ID"] == "h1" and headers["X-Trace"] == "a,b" and headers["X-Pos"] == "x=1,y=2"
    assert headers.get_all("Cookie") == ["jar=kept; session=s%201%3B; prefs=dark,wide"]
    assert "?" not in calls[0]["path"]


def test_path_styles(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    with wire.Client(base_url=server) as client:
        client.default.get_shape(wire.models.GetShapeBox(x=1, y=2), ["a", "b/c"], ["s", "m"])
    assert calls[0]["path"] == "/shapes/x=1,y=2/.a.b%2Fc/;sizes=s,m"


def test_unsupported_styles_are_warnings_and_sent_in_the_default_style(
    generated: tuple[Path, list[str]], wire: ModuleType, server: str, calls: list[dict[str, Any]]
) -> None:
    warnings = generated[1]
    assert any("/paths/~1search/get/parameters/15:" in w and "'matrix' is not defined for query" in w for w in warnings)
    assert any("/paths/~1search/get/parameters/16:" in w and "deepObject style needs an object" in w for w in warnings)
    with wire.Client(base_url=server) as client:
        client.default.search(odd="o", flat="f")
    assert calls[0]["path"] == "/search?odd=o&flat=f"


def test_operations_without_operation_id_and_clashing_names(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    import inspect

    resource = wire.resources.default.DefaultResource
    assert list(inspect.signature(resource.get_user_keys).parameters) == ["self", "id_", "id_query", "self_"]
    assert list(inspect.signature(resource.post_user_keys).parameters) == ["self", "id_", "body", "body_query"]
    with wire.Client(base_url=server) as client:
        client.default.get_user_keys(7, id_query="k", self_="me")
        client.default.post_user_keys(7, body={"a": "b"}, body_query="q")
    assert calls[0]["path"] == "/users/7/keys?id=k&self=me"
    assert calls[1]["path"] == "/users/7/keys?body=q" and json.loads(calls[1]["body"]) == {"a": "b"}


# --- request bodies -------------------------------------------------------------------------------


def test_form_body(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    with wire.Client(base_url=server) as client:
        client.default.send_form(name="a b&c", tags=["x", "y"], count=3)
        client.default.send_form(name="only")
    assert calls[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert calls[0]["body"] == b"name=a%20b%26c&tags=x&tags=y&count=3"
    assert calls[1]["body"] == b"name=only"


def test_multipart_body_with_files(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    with wire.Client(base_url=server) as client:
        client.default.upload(
            file=("report.csv", b"a,b\n", "text/csv"),
            attachments=[b"\x00\x01", io.BytesIO(b"io content")],
            title_form="Q1",
            meta={"pages": 2},
            title="query title",
        )
    request = calls[0]
    assert request["path"] == "/uploads?title=query%20title"
    assert request["headers"]["Content-Type"].startswith("multipart/form-data; boundary=")
    assert sorted(_parts(request), key=lambda part: str(part[0])) == [
        ("attachments", "attachments", "application/octet-stream", b"\x00\x01"),
        ("attachments", "attachments", "application/octet-stream", b"io content"),
        ("file", "report.csv", "text/csv", b"a,b\n"),
        ("meta", None, "text/plain", b'{"pages":2}'),
        ("title", None, "text/plain", b"Q1"),
    ]


def test_multipart_from_the_async_client_reads_files(wire: ModuleType, server: str, calls: list[dict[str, Any]], tmp_path: Path) -> None:
    upload = tmp_path / "photo.png"
    upload.write_bytes(b"\x89PNG")

    async def main() -> None:
        async with wire.AsyncClient(base_url=server) as client:
            with upload.open("rb") as file:
                await client.default.upload(file=file)

    asyncio.run(main())
    assert _parts(calls[0]) == [("file", "photo.png", "application/octet-stream", b"\x89PNG")]


def test_binary_body_and_binary_response(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    _answer(200, "image/png", b"\x89PNG\x00")
    _answer(200, "image/png", b"")
    with wire.Client(base_url=server) as client:
        assert client.default.put_blob("a b", body=b"\x00\xff") == b"\x89PNG\x00"
        assert client.default.put_blob("c", body=io.BytesIO(b"stream")) == b""
    assert calls[0]["path"] == "/blobs/a%20b" and calls[0]["body"] == b"\x00\xff"
    assert calls[0]["headers"]["Content-Type"] == "application/octet-stream"
    assert calls[0]["headers"]["Accept"] == "image/png"
    assert calls[1]["body"] == b"stream"


def test_text_body_and_text_response_sync_and_async(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    _answer(200, "text/plain; charset=utf-8", "grüße".encode())
    _answer(200, "text/plain; charset=utf-8", b"async")
    with wire.Client(base_url=server) as client:
        assert client.default.add_note(body="naïve") == "grüße"

    async def main() -> str:
        async with wire.AsyncClient(base_url=server) as client:
            result: str = await client.default.add_note(body="x")
            return result

    assert asyncio.run(main()) == "async"
    assert calls[0]["body"] == "naïve".encode() and calls[0]["headers"]["Content-Type"] == "text/plain"
    assert calls[0]["headers"]["Accept"] == "text/plain"


def test_json_is_chosen_among_content_types_and_the_docstring_says_so(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    _answer(200, "application/json", b'{"pick": "a"}')
    _answer(204)
    with wire.Client(base_url=server) as client:
        assert client.default.choose(body=wire.models.Choice(pick="a")) == wire.models.Choice(pick="a")
        assert client.default.choose() is None  # the declared 204 has no content
    assert json.loads(calls[0]["body"]) == {"pick": "a"} and calls[0]["headers"]["Content-Type"] == "application/json"
    assert calls[1]["body"] == b"" and "Content-Type" not in calls[1]["headers"]
    doc = " ".join(wire.resources.default.DefaultResource.choose.__doc__.split())
    assert "sent as `application/json`; the API also accepts `multipart/form-data`" in doc


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "body", "error_name", "expected_body"),
    [
        (404, b'{"title": "gone"}', "NotFoundError", ("Problem", {"title": "gone"})),
        (422, b'{"fields": ["name"]}', "UnprocessableEntityError", ("Invalid", {"fields": ["name"]})),
        (409, b'{"fields": []}', "ConflictError", ("Invalid", {"fields": []})),  # 4XX
        (429, b'{"fields": []}', "RateLimitError", ("Invalid", {"fields": []})),  # 4XX
        (503, b'{"title": "later"}', "InternalServerError", ("Problem", {"title": "later"})),  # default
        (404, b'{"unexpected": 1}', "NotFoundError", (None, {"unexpected": 1})),  # not the declared shape
        (400, b"<html>bad</html>", "BadRequestError", (None, "<html>bad</html>")),
        (418, b'{"title": "teapot"}', "ApiError", ("Invalid", None)),
    ],
)
def test_error_statuses_raise_typed_errors_with_the_declared_body(
    wire: ModuleType, server: str, calls: list[dict[str, Any]], status: int, body: bytes, error_name: str, expected_body: tuple[str | None, Any]
) -> None:
    _answer(status, "application/json" if body.startswith(b"{") else "text/html", body)
    with wire.Client(base_url=server) as client, pytest.raises(wire.ApiError) as failure:
        client.default.get_thing("x")
    error = failure.value
    assert type(error).__name__ == error_name and error.status_code == status
    assert error.headers["Content-Type"] in ("application/json", "text/html")
    model, content = expected_body
    if model is None:
        assert error.body == content
    elif content is None:  # 418 is a 4XX, whose declared Invalid model the body does not fit
        assert error.body == json.loads(body)
    else:
        assert type(error.body).__name__ == model and error.body.model_dump() == content


def test_async_client_raises_the_same_errors(wire: ModuleType, server: str, calls: list[dict[str, Any]]) -> None:
    _answer(404, "application/json", b'{"title": "gone"}')

    async def main() -> None:
        async with wire.AsyncClient(base_url=server) as client:
            await client.default.get_thing("x")

    with pytest.raises(wire.NotFoundError) as failure:
        asyncio.run(main())
    assert isinstance(failure.value.body, wire.models.Problem) and failure.value.body.title == "gone"


def test_generated_package_is_typed(generated: tuple[Path, list[str]], tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp_path), "wire"],
        cwd=generated[0],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout
